"""Faults, injected into a private stack: what the user (or whoever runs `make run`) sees.

- action server down, or hung (SIGSTOP) -> a polite "try again" reply; once it is back, answers;
- knowledge base missing, empty, corrupt, without tables, at an unreachable URL -> the action
  server refuses to start with one line naming the problem;
- knowledge base broken while running -> what was read stays answerable; new look-ups get the
  polite reply; repaired -> answers again, without a restart;
- tracker store unreachable -> `make run` fails within seconds with one line; model missing ->
  the command to run.
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator, Tuple

import pytest

from actions.render import LOOKUP_FAILED
from bot import guards
from ops import launcher
from ops.servers import action_server, child_environment, free_port, rasa_server
from settings import DB_URL as URL_ENV
from settings import ROOT, Settings
from tests.support.figures import AVERAGE_SALARY
from tests.support.stack import LONE_ACTION_TIMEOUT, Conversation, LoneRasa

NORMAL, NORMAL_FACT = "how much do engineering managers make?", AVERAGE_SALARY


def test_the_rasa_server_apologises_like_the_actions_do() -> None:
    assert guards.UNAVAILABLE == LOOKUP_FAILED


@pytest.fixture(scope="module")
def faulty(lone_rasa_server: LoneRasa, knowledge_db: str, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Tuple[Settings, Path]]:
    """The lone Rasa server (no action server yet; a LONE_ACTION_TIMEOUT action timeout), and the
    action servers the tests start reading their own copy of the knowledge base."""
    kb = tmp_path_factory.mktemp("faults") / "knowledge.db"
    shutil.copy(knowledge_db.removeprefix("sqlite:///"), kb)
    with pytest.MonkeyPatch.context() as env:
        env.setenv(URL_ENV, f"sqlite:///{kb}")
        yield lone_rasa_server.settings, kb


@pytest.mark.stack
def test_action_server_down_then_back(faulty) -> None:
    settings, _ = faulty
    user = Conversation(settings.rasa_url)
    assert user.say(NORMAL) == LOOKUP_FAILED  # exactly one polite line, not silence
    assert user.say("EM vs director?") == LOOKUP_FAILED
    with action_server(settings):
        assert NORMAL_FACT in user.say(NORMAL)  # the same conversation carries on


@pytest.mark.stack
def test_hung_action_server_times_out_politely(faulty) -> None:
    settings, _ = faulty
    user = Conversation(settings.rasa_url)
    with action_server(settings) as process:
        assert NORMAL_FACT in user.say(NORMAL)
        os.killpg(process.pid, signal.SIGSTOP)
        try:
            started = time.monotonic()
            assert user.say("what is the PMP") == LOOKUP_FAILED
            assert time.monotonic() - started < LONE_ACTION_TIMEOUT + 5
        finally:
            os.killpg(process.pid, signal.SIGCONT)
        assert "Project Management Professional" in user.say("what is the PMP")


@pytest.mark.stack
def test_knowledge_base_breaking_while_running(faulty) -> None:
    settings, kb = faulty
    user = Conversation(settings.rasa_url)
    with action_server(settings):
        assert NORMAL_FACT in user.say(NORMAL)
        healthy = kb.read_bytes()
        kb.write_bytes(b"this is not a database" * 500)
        try:
            assert NORMAL_FACT in user.say(NORMAL)  # read at start-up, kept in memory
            # a phrasing never asked before is answered from memory too: the KB is not read again
            assert "project engineer" in user.say("what does a proj engineer do?").lower()
        finally:
            kb.write_bytes(healthy)
        assert "project engineer" in user.say("what does a project engineer do?").lower()


def run_action_server(db_url: str) -> subprocess.CompletedProcess:
    env = {**child_environment(Settings()), URL_ENV: db_url}
    return subprocess.run([sys.executable, "-m", "actions", "--port", str(free_port())], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def _corrupt(path: Path) -> None:
    path.write_bytes(b"\x00garbage" * 1000)


def _no_tables(path: Path) -> None:
    import sqlite3

    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE unrelated (x)")


@pytest.mark.parametrize("name, prepare, problem", [
    ("missing", None, "no database file at"),
    ("empty", lambda p: p.write_bytes(b""), "is empty"),
    ("corrupt", _corrupt, "file is not a database"),
    ("no tables", _no_tables, "no such table"),
])
def test_action_server_refuses_an_unusable_knowledge_base(tmp_path: Path, name, prepare, problem) -> None:
    path = tmp_path / "knowledge.db"
    if prepare:
        prepare(path)
    result = run_action_server(f"sqlite:///{path}")
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"knowledge base not usable at sqlite:///{path}: ")
    assert problem in lines[0] and lines[0].endswith("run `make kb`")


def test_action_server_refuses_an_unreachable_database() -> None:
    password = secrets.token_hex(8)
    started = time.monotonic()
    result = run_action_server(f"postgresql://coach:{password}@127.0.0.1:1/kb")
    assert result.returncode == 2 and time.monotonic() - started < 30
    assert "knowledge base not usable at postgresql://coach:***@127.0.0.1:1/kb" in result.stderr
    assert password not in result.stderr


def run_launcher(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys) -> Tuple[int, str]:
    """`make run` with free ports and a private state folder; its exit code and stderr."""
    for name in ("CAREER_COACH_PORT", "CAREER_COACH_ACTION_PORT", "CAREER_COACH_WEB_PORT"):
        monkeypatch.setenv(name, str(free_port()))
    monkeypatch.setenv("CAREER_COACH_STATE_DIR", str(tmp_path))
    previous = signal.getsignal(signal.SIGTERM)
    try:
        code = launcher.main([])
    finally:
        signal.signal(signal.SIGTERM, previous)
    return code, capsys.readouterr().err


def test_make_run_names_an_unusable_knowledge_base(monkeypatch, tmp_path: Path, capsys) -> None:
    monkeypatch.setenv(URL_ENV, f"sqlite:///{tmp_path / 'missing.db'}")
    code, err = run_launcher(monkeypatch, tmp_path, capsys)
    assert code == 1
    assert "knowledge base not usable at" in err and "no database file" in err and "make kb" in err


def test_make_run_fails_fast_on_an_unreachable_tracker_store(monkeypatch, tmp_path: Path, capsys) -> None:
    monkeypatch.setenv("CAREER_COACH_TRACKER_URL", "postgresql://nobody@127.0.0.1:1/x")
    password = secrets.token_hex(8)
    monkeypatch.setenv("CAREER_COACH_TRACKER_PASSWORD", password)
    started = time.monotonic()
    code, err = run_launcher(monkeypatch, tmp_path, capsys)
    assert code == 1 and time.monotonic() - started < 15
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "conversation store not reachable at postgresql://nobody:***@127.0.0.1:1/x" in lines[0]
    assert password not in err


def test_make_run_fails_fast_on_an_unreachable_lock_store(monkeypatch, tmp_path: Path, capsys) -> None:
    monkeypatch.setenv("CAREER_COACH_REDIS_URL", "redis://127.0.0.1:1/0")
    code, err = run_launcher(monkeypatch, tmp_path, capsys)
    assert code == 1 and "lock store not reachable at redis://127.0.0.1:1" in err


def test_missing_model_says_what_to_run(tmp_path: Path) -> None:
    settings = Settings(model=tmp_path / "none.tar.gz", state_dir=tmp_path)
    with pytest.raises(RuntimeError, match=r"no trained model at .*run `make train`"):
        with rasa_server(settings):
            pass
