"""A knowledge answer can be rated: the channels pass its ``answer_id`` on and offer the rating.

actions/answer.py sends each knowledge answer with ``answer_id``; Rasa keeps it in the bot event's
metadata and hands it to the output channel's ``send_response``, but its REST and socket.io outputs
drop it. :class:`KeepsAnswerId` keeps it on every message sent for that bot event, so a client
(the web widget, a REST client) can send back ``/feedback{"answer_id": ..., "rating": ...}``
(actions/feedback.py). Typed, ``/feedback helpful`` and ``/feedback not helpful <what was wrong>``
rate the latest answer: :func:`typed_as_payload` turns them into that payload (no answer id).
"""
from __future__ import annotations

import json
import re
from typing import Any, Dict, Optional

from rasa.core.channels.channel import OutputChannel

ANSWER_ID = "answer_id"
RATINGS = {"helpful": "👍 Helpful", "not_helpful": "👎 Not helpful"}  # rating -> button title
TYPED = re.compile(r"/feedback\s+(?P<rating>not[\s_-]*helpful|helpful)\b[\s:,.-]*(?P<comment>.*)",
                   re.IGNORECASE | re.DOTALL)


def answer_id_of(message: Dict[str, Any]) -> Optional[str]:
    """The answer id a bot message (or a send_* call's keyword arguments) carries, if any."""
    value = message.get(ANSWER_ID)
    return value if isinstance(value, str) and value else None


def rating_payload(answer_id: Optional[str], rating: str, comment: str = "") -> str:
    """The message that rates an answer: ``/feedback{"answer_id": ..., "rating": ..., "comment": ...}``
    (without ``answer_id``: the latest answer; without ``comment`` when there is none)."""
    fields = {"answer_id": answer_id, "rating": rating, "comment": comment or None}
    return "/feedback" + json.dumps({key: value for key, value in fields.items() if value is not None})


def typed_as_payload(text: str) -> str:
    """A typed rating of the latest answer as its payload; any other text as it is."""
    typed = TYPED.fullmatch(text.strip())
    if not typed:
        return text
    rating = "helpful" if typed["rating"].lower() == "helpful" else "not_helpful"
    return rating_payload(None, rating, typed["comment"].strip())


class KeepsAnswerId(OutputChannel):
    """Mixin for an output channel: :meth:`with_answer_id` adds the answer id of the bot message
    being sent to each message the channel emits for it."""

    answer_id: Optional[str] = None

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        self.answer_id = answer_id_of(message)
        try:
            await super().send_response(recipient_id, message)
        finally:
            self.answer_id = None

    def with_answer_id(self, message: Dict[str, Any]) -> Dict[str, Any]:
        return {**message, ANSWER_ID: self.answer_id} if self.answer_id else message
