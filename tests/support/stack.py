"""The real stack for tests: action server + Rasa server on free ports, talked to over REST; a lone
Rasa server whose action server the tests control; a copy of a stack's conversation store holding
only some senders' conversations."""
from __future__ import annotations

import itertools
import os
import secrets
import sqlite3
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import requests

from ops.endpoints import write_endpoints
from ops.servers import free_port, rasa_server
from settings import ACTION_TIMEOUT, API_TOKEN, CORS, Settings
from tests.support.figures import assert_only_kb_figures, numbers_said
from tests.support.services import environment

_senders = itertools.count(1)
# The lone Rasa server's settings (tests/test_security.py, tests/test_faults.py).
LONE_API_TOKEN = secrets.token_urlsafe(24)
LONE_ORIGIN = "http://allowed.example:8080"
LONE_ACTION_TIMEOUT = 3  # seconds


def private_stack_settings(folder: Path, **overrides: Any) -> Settings:
    """The settings of the environment as it is now, for a private stack: its own ports and its own
    state folder (tracker store, logs), then ``overrides`` (``web_port=0``: no demo page)."""
    return Settings.from_env(os.environ, **{"host": "127.0.0.1", "rasa_port": free_port(),
                                            "action_port": free_port(), "web_port": free_port(),
                                            "state_dir": folder, **overrides})


def conversations_of(source: Settings, senders: Sequence[str], folder: Path) -> Settings:
    """Settings whose state folder holds a copy of ``source``'s SQLite conversation store with only the
    conversations of ``senders`` (for tools that count a whole store: the report, the dashboard), and
    its endpoints.yml; the ports are ``source``'s, but the demo page's (free)."""
    copy = private_stack_settings(folder, rasa_port=source.rasa_port, action_port=source.action_port)
    folder.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(source.state_dir / "conversations.db")) as live, \
            closing(sqlite3.connect(folder / "conversations.db")) as kept:
        live.backup(kept)
        kept.execute(f"DELETE FROM events WHERE sender_id NOT IN ({', '.join('?' * len(senders))})", list(senders))
        kept.commit()
    write_endpoints(copy)
    return copy


@dataclass(frozen=True)
class LoneRasa:
    """A running Rasa server whose action server the tests start and stop themselves."""

    settings: Settings
    pid: int


@contextmanager
def lone_rasa(folder: Path) -> Iterator[LoneRasa]:
    """A Rasa server without an action server, with the HTTP API on (LONE_API_TOKEN), socket.io open
    to LONE_ORIGIN only and a LONE_ACTION_TIMEOUT action timeout; the variables are set only while it starts."""
    with ExitStack() as servers:
        with environment({API_TOKEN: LONE_API_TOKEN, CORS: LONE_ORIGIN, ACTION_TIMEOUT: str(LONE_ACTION_TIMEOUT)}):
            settings = private_stack_settings(folder, web_port=0)
            process = servers.enter_context(rasa_server(settings))
        yield LoneRasa(settings, process.pid)


@dataclass
class Conversation:
    """One user talking to the bot over the REST channel."""

    url: str
    sender: str = field(default_factory=lambda: f"test-user-{next(_senders)}")
    session: requests.Session = field(default_factory=requests.Session)
    last: List[Dict] = field(default_factory=list)

    def say(self, text: str) -> str:
        """Send ``text``; return the bot's replies joined into one string."""
        response = self.session.post(f"{self.url}/webhooks/rest/webhook",
                                     json={"sender": self.sender, "message": text}, timeout=30)
        response.raise_for_status()
        self.last = response.json()
        return "\n".join(message.get("text", "") for message in self.last)

    @property
    def buttons(self) -> List[Dict]:
        return [button for message in self.last for button in message.get("buttons", [])]


# (user says, the reply must contain all of these, the reply must contain none of these)
Turn = Tuple[str, Sequence[str], Sequence[str]]


def turn(text: str, *expected: str, never: Sequence[str] = ()) -> Turn:
    return text, expected, never


def play(conversation: Conversation, turns: Sequence[Turn],
         after: Optional[Callable[[str, str], None]] = None) -> None:
    """Say each turn; check the reply's facts, and that it states no figure outside the KB (nor one
    the user said earlier); then ``after(text, reply)``, if given."""
    said: set = set()
    for text, expected, never in turns:
        said |= numbers_said(text)
        reply = conversation.say(text)
        shown = text if len(text) < 80 else text[:77] + "..."
        assert reply.strip(), f"no reply to {shown!r}"
        for fact in expected:
            assert fact.lower() in reply.lower(), f"{shown!r} -> reply lacks {fact!r}:\n{reply}"
        for wrong in never:
            assert wrong.lower() not in reply.lower(), f"{shown!r} -> reply has {wrong!r}:\n{reply}"
        assert_only_kb_figures(reply, said)
        if after is not None:
            after(text, reply)
