"""bot/tracker_store.py: the cached SQL tracker store stores what Rasa's stores, and never hands out
a tracker the database no longer agrees with (another replica's turn, a failed turn, edited rows).
"""
from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any, List, Tuple

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import tracker_store
from bot.tracker_store import CachedSQLTrackerStore

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def sqlite_store(cls: type, domain: Domain, db: Path, **kwargs: Any) -> Any:
    return cls(domain=domain, dialect="sqlite", db=str(db), **kwargs)


def run(coroutine: Any) -> Any:
    return asyncio.get_event_loop_policy().new_event_loop().run_until_complete(coroutine)


def add_turn(tracker: DialogueStateTracker, text: str, intent: str = "ask_salary") -> None:
    tracker.update(UserUttered(text, intent={"name": intent, "confidence": 0.9}))
    tracker.update(SlotSet("role", "engineering manager"))
    tracker.update(ActionExecuted("action_answer_salary"))
    tracker.update(BotUttered(f"answer to {text}"))
    tracker.update(ActionExecuted("action_listen"))


async def play_turn(store: Any, sender: str, text: str) -> DialogueStateTracker:
    """What Rasa's processor does with the store for one message: retrieve, update, save."""
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    add_turn(tracker, text)
    await store.save(tracker)
    return tracker


def rows(db: Path, sender: str) -> List[Tuple[Any, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT type_name, intent_name, action_name, data FROM events "
                                  "WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()


def test_turns_are_stored_exactly_as_rasa_stores_them_and_reused(domain: Domain, tmp_path: Path) -> None:
    cached = sqlite_store(CachedSQLTrackerStore, domain, tmp_path / "cached.db")
    plain = sqlite_store(SQLTrackerStore, domain, tmp_path / "plain.db")

    async def conversation(store: Any) -> List[DialogueStateTracker]:
        return [await play_turn(store, "u1", text) for text in ("salary?", "and for a director?", "source?")]

    cached_trackers, _ = run(conversation(cached)), run(conversation(plain))
    assert cached_trackers[1] is cached_trackers[2], "the saved tracker is handed out for the next turn"
    assert [row[:3] for row in rows(tmp_path / "cached.db", "u1")] == \
        [row[:3] for row in rows(tmp_path / "plain.db", "u1")]
    assert len(rows(tmp_path / "cached.db", "u1")) == 15
    reread = run(sqlite_store(SQLTrackerStore, domain, tmp_path / "cached.db").retrieve("u1"))
    assert list(reread.events) == list(cached_trackers[2].events)
    assert reread.get_slot("role") == "engineering manager"


def test_a_turn_saved_by_another_replica_is_read_from_the_database(domain: Domain, tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    one, two = sqlite_store(CachedSQLTrackerStore, domain, db), sqlite_store(CachedSQLTrackerStore, domain, db)
    for store, text in ((one, "first"), (one, "second"), (two, "third"), (one, "fourth")):
        run(play_turn(store, "u2", text))
    texts = [event.text for event in run(one.retrieve("u2")).events if isinstance(event, UserUttered)]
    assert texts == ["first", "second", "third", "fourth"]
    assert len(rows(db, "u2")) == 20, "no turn stored twice, none lost"


def test_a_turn_that_failed_before_saving_is_forgotten(domain: Domain, tmp_path: Path) -> None:
    store = sqlite_store(CachedSQLTrackerStore, domain, tmp_path / "c.db")
    run(play_turn(store, "u3", "one"))
    run(play_turn(store, "u3", "two"))
    failed = run(store.retrieve("u3"))
    add_turn(failed, "never saved")  # e.g. the turn raised before Rasa saved the tracker
    texts = [event.text for event in run(store.retrieve("u3")).events if isinstance(event, UserUttered)]
    assert texts == ["one", "two"]


def test_edited_timestamps_are_noticed(domain: Domain, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    store = sqlite_store(CachedSQLTrackerStore, domain, db)
    run(play_turn(store, "u4", "one"))
    saved = run(play_turn(store, "u4", "two"))
    with sqlite3.connect(db) as connection:  # as the persistence test ages a conversation
        connection.execute("UPDATE events SET timestamp = timestamp - 7200 WHERE sender_id = 'u4'")
    assert run(store.retrieve("u4")) is not saved


def test_a_conversation_purged_and_begun_again_elsewhere_is_read_from_the_database(
        domain: Domain, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    one, two = sqlite_store(CachedSQLTrackerStore, domain, db), sqlite_store(CachedSQLTrackerStore, domain, db)
    run(play_turn(one, "u6", "one"))
    run(play_turn(one, "u6", "two"))
    with sqlite3.connect(db) as connection:  # ops/purge.py removes whole conversations
        connection.execute("DELETE FROM events WHERE sender_id = 'u6'")
    for text in ("again", "and again"):  # as many rows as before; SQLite hands out the freed row ids
        run(play_turn(two, "u6", text))
    texts = [event.text for event in run(one.retrieve("u6")).events if isinstance(event, UserUttered)]
    assert texts == ["again", "and again"]


def test_a_new_session_is_stored_as_rasa_stores_it(domain: Domain, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    store = sqlite_store(CachedSQLTrackerStore, domain, db)
    run(play_turn(store, "u5", "old session"))
    run(play_turn(store, "u5", "old session again"))
    tracker = run(store.retrieve("u5"))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    add_turn(tracker, "new session")
    run(store.save(tracker))
    assert len(rows(db, "u5")) == 18
    latest = run(store.retrieve("u5"))
    assert [event.text for event in latest.events if isinstance(event, UserUttered)] == ["new session"]


def test_the_cache_is_bounded_and_sqlite_uses_write_ahead_logging(domain: Domain, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    store = sqlite_store(CachedSQLTrackerStore, domain, db, cache_size=2)
    first = [run(play_turn(store, sender, "one")) for sender in ("a", "b", "c")]
    second = [run(play_turn(store, sender, "two")) for sender in ("a", "b", "c")]
    assert all(later is not earlier for later, earlier in zip(second, first, strict=True))  # first saves: not lent
    assert run(store.retrieve("c")) is second[2] and run(store.retrieve("a")) is not second[0]
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_new_conversation_is_stored_as_rasa_stores_it(domain: Domain, tmp_path: Path) -> None:
    cached = sqlite_store(CachedSQLTrackerStore, domain, tmp_path / "cached.db")
    plain = sqlite_store(SQLTrackerStore, domain, tmp_path / "plain.db")

    async def first_messages(store: Any) -> List[DialogueStateTracker]:
        """Rasa's processor on a sender's first message (the tracker created and saved, a session
        started, the message answered, saved), then on the next message."""
        tracker = await store.get_or_create_tracker("new")
        for event in (ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")):
            tracker.update(event)
        add_turn(tracker, "salary?")
        await store.save(tracker)
        return [tracker, await play_turn(store, "new", "and for a director?")]

    (first, second), _ = run(first_messages(cached)), run(first_messages(plain))
    assert [row[:3] for row in rows(tmp_path / "cached.db", "new")] == \
        [row[:3] for row in rows(tmp_path / "plain.db", "new")]
    assert len(rows(tmp_path / "cached.db", "new")) == 14
    assert second is not first, "after a new session the next message reads the database, as Rasa does"
    reread = run(sqlite_store(SQLTrackerStore, domain, tmp_path / "cached.db").retrieve("new"))
    assert list(reread.events) == list(second.events)
    assert run(cached.retrieve("nobody")) is None


@pytest.mark.parametrize("rows_per_insert", [500, 2], ids=["one statement", "one transaction of several"])
def test_a_turn_is_stored_whole_in_one_statement_or_one_transaction(
        domain: Domain, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows_per_insert: int) -> None:
    monkeypatch.setattr(tracker_store, "ROWS_PER_INSERT", rows_per_insert)
    cached = sqlite_store(CachedSQLTrackerStore, domain, tmp_path / "cached.db")
    plain = sqlite_store(SQLTrackerStore, domain, tmp_path / "plain.db")
    turns = {store: [run(play_turn(store, "long", text)) for text in ("salary?", "and for a director?")]
             for store in (cached, plain)}
    assert [row[:3] for row in rows(tmp_path / "cached.db", "long")] == \
        [row[:3] for row in rows(tmp_path / "plain.db", "long")]
    assert len(rows(tmp_path / "cached.db", "long")) == 10
    reread = run(sqlite_store(SQLTrackerStore, domain, tmp_path / "cached.db").retrieve("long"))
    assert list(reread.events) == list(turns[cached][-1].events)
