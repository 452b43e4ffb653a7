"""The real stack for tests: action server + Rasa server on free ports, talked to over REST."""
from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import requests

from ops.servers import free_port
from settings import Settings
from tests.support.figures import assert_only_kb_figures, numbers_said

_senders = itertools.count(1)


def private_stack_settings(folder: Path, **overrides: Any) -> Settings:
    """The settings of the environment as it is now, for a private stack: its own ports and its own
    state folder (tracker store, logs), then ``overrides`` (``web_port=0``: no demo page)."""
    return Settings.from_env(os.environ, **{"host": "127.0.0.1", "rasa_port": free_port(),
                                            "action_port": free_port(), "web_port": free_port(),
                                            "state_dir": folder, **overrides})


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
