"""make purge (ops/purge.py): conversations idle for more than N days leave the tracker store, whole,
on SQLite and PostgreSQL; the rest stay; the dashboard's "data since" moves with them."""
from __future__ import annotations

import asyncio
import contextlib
import io
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import yaml
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from ops.dashboard_data import overview
from ops.endpoints import TRACKER_STORE_TYPE
from ops.purge import main
from ops.report import open_store, read_conversations
from tests.support.services import postgres

DAY = 86400.0
NOW = time.time()
# sender -> the ages (days) of its messages
CONVERSATIONS: Dict[str, List[float]] = {"old": [200, 199], "recent": [3, 1], "spanning": [120, 10], "edge": [91]}


@pytest.fixture(params=["sqlite", "postgresql"])
def endpoints(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """An endpoints file whose tracker store (SQLite, or a throwaway PostgreSQL) holds CONVERSATIONS."""
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            config: Dict[str, Any] = {"dialect": "sqlite", "db": str(tmp_path / "conversations.db")}
        else:
            server = stack.enter_context(postgres())
            config = {"dialect": "postgresql", "url": server.host, "port": server.port, "db": "conversations",
                      "username": "postgres"}
        store = SQLTrackerStore(**{("host" if key == "url" else key): value for key, value in config.items()})
        for sender, ages in CONVERSATIONS.items():
            tracker = DialogueStateTracker.from_events(sender, [SessionStarted(timestamp=NOW - ages[0] * DAY)])
            for age in ages:
                tracker.update(UserUttered(f"question {age}", intent={"name": "ask_salary"},
                                           timestamp=NOW - age * DAY))
                tracker.update(BotUttered(f"answer {age}", timestamp=NOW - age * DAY + 1))
            asyncio.run(store.save(tracker))
        store.engine.dispose()
        path = tmp_path / "endpoints.yml"
        path.write_text(yaml.safe_dump({"tracker_store": {"type": TRACKER_STORE_TYPE, **config}}))
        yield path


def purge(*args: str) -> Tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def stored(endpoints: Path) -> Dict[str, int]:
    """sender -> number of its user messages still stored."""
    conversations = read_conversations(open_store(endpoints))
    return {c.sender: sum(e["event"] == "user" for e in c.events) for c in conversations}


def test_purge_removes_whole_conversations_idle_longer_than_the_limit(endpoints: Path) -> None:
    before = overview(read_conversations(open_store(endpoints))).since
    assert before is not None and (NOW - before.timestamp()) / DAY == pytest.approx(200, abs=0.01)

    code, out, err = purge("--days", "90", "--endpoints", str(endpoints), "--dry-run")
    assert (code, err) == (0, "") and out.startswith("Would remove 2 conversation(s)")
    assert set(stored(endpoints)) == set(CONVERSATIONS)

    code, out, err = purge("--days", "90", "--endpoints", str(endpoints))
    assert (code, err) == (0, "") and out.startswith("Removed 2 conversation(s)"), out
    assert stored(endpoints) == {"recent": 2, "spanning": 2}  # a conversation still active keeps its old turns
    since = overview(read_conversations(open_store(endpoints))).since
    assert since is not None and (NOW - since.timestamp()) / DAY == pytest.approx(120, abs=0.01)

    assert purge("--days", "90", "--endpoints", str(endpoints))[1].startswith("Removed 0 conversation(s)")


def test_purge_errors_are_one_line(tmp_path: Path) -> None:
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump({"tracker_store": {"type": "SQL", "dialect": "sqlite",
                                                           "db": str(tmp_path / "none.db")}}))
    code, out, err = purge("--days", "30", "--endpoints", str(endpoints))
    assert (code, out) == (1, "") and err.startswith("error: no conversation store at") and err.count("\n") == 1
    with pytest.raises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
        main(["--days", "0", "--endpoints", str(endpoints)])
