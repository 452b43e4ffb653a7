"""Ratings of knowledge answers: each is said with an answer id, and a rating of it is kept.

A knowledge answer (a reply that cites the article) goes out with ``answer_id`` (12 hex digits;
Rasa keeps it in the ``BotUttered`` event's metadata and hands it to the channels). A rating comes
back as the message ``/feedback{"answer_id": "...", "rating": "helpful"|"not_helpful"}``, with an
optional ``"comment"``; a later message for the same answer carrying only ``"comment"`` is accepted
once, after a not_helpful rating without one. A payload without ``answer_id`` rates the latest
answer (what the channels make of a typed ``/feedback not helpful <what was wrong>``,
bot/channels/ratings.py).

An accepted rating is stored with the conversation as ``SlotSet("feedback", {answer_id, rating,
comment, question, answer})``. Anything else (no such answer, a second rating, a comment over
:data:`MAX_COMMENT` characters, a malformed payload) gets a polite reply and stores nothing. The
turn sets no other slot, so a follow-up after a rating still resolves against the earlier question.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.render import Reply

SLOT = "feedback"
RATINGS = ("helpful", "not_helpful")
MAX_COMMENT = 1000  # characters
PAYLOAD_PREFIX = "/feedback"

THANKS = {"helpful": "Thanks for the feedback: glad that helped.",
          "not_helpful": "Thanks for the feedback: I've noted that this answer didn't help."}
THANKS_COMMENT = "Thanks: I've noted what was wrong."
NO_ANSWER = "I couldn't find that answer to rate. You can rate an answer of mine right after it."
ALREADY_RATED = "You've already rated that answer, thanks."
NOT_RATED = "A comment goes with a “not helpful” rating of that answer: please rate it first."
TOO_LONG = f"That comment is too long for me: please keep it under {MAX_COMMENT:,} characters."
USAGE = ("To rate my last answer, send “/feedback helpful” or “/feedback not helpful”, optionally "
         "followed by what was wrong.")


def answer_id_for(reply: Reply) -> Dict[str, str]:
    """``{"answer_id": <new id>}`` for a knowledge answer (one citing the article), else ``{}``:
    extra arguments of ``utter_message``, kept by Rasa in the bot event's metadata."""
    return {"answer_id": uuid.uuid4().hex[:12]} if reply.sections else {}


@dataclass(frozen=True)
class Rating:
    """What a feedback message says; ``answer_id`` None: the latest answer, ``rating`` None: a comment only."""

    answer_id: Optional[str]
    rating: Optional[str]
    comment: Optional[str]


def parse(text: str) -> Optional[Rating]:
    """The rating in a feedback message; None when it is not one."""
    text = text.strip()
    if not text.startswith(PAYLOAD_PREFIX + "{"):
        return None
    try:
        fields = json.loads(text[len(PAYLOAD_PREFIX):])
    except ValueError:
        return None
    if not isinstance(fields, dict):
        return None
    answer_id, rating, comment = fields.get("answer_id"), fields.get("rating"), fields.get("comment")
    if not all(value is None or isinstance(value, str) for value in (answer_id, comment)):
        return None
    comment = (comment or "").strip() or None
    if rating not in RATINGS and (rating is not None or comment is None):
        return None
    return Rating(answer_id, rating, comment)


def answers(events: List[Dict[str, Any]]) -> Iterator[Tuple[str, str, str]]:
    """(answer id, question, answer text) of each knowledge answer in the conversation, in order."""
    question = ""
    for event in events:
        if event.get("event") == "user":
            question = str(event.get("text") or "")
        elif event.get("event") == "bot" and isinstance((event.get("metadata") or {}).get("answer_id"), str):
            custom = (event.get("data") or {}).get("custom")
            text = event.get("text") or (custom.get("text") if isinstance(custom, dict) else None)
            yield event["metadata"]["answer_id"], question, str(text or "")


def stored(events: List[Dict[str, Any]], answer_id: str) -> List[Dict[str, Any]]:
    """The ratings already stored for ``answer_id``."""
    return [event["value"] for event in events
            if event.get("event") == "slot" and event.get("name") == SLOT
            and isinstance(event.get("value"), dict) and event["value"].get("answer_id") == answer_id]


def judge(rating: Rating, events: List[Dict[str, Any]]) -> Tuple[str, Optional[Dict[str, Any]]]:
    """The reply to ``rating``, and the feedback to store (None: store nothing)."""
    if rating.comment and len(rating.comment) > MAX_COMMENT:
        return TOO_LONG, None
    known = list(answers(events))
    found = known[-1:] if rating.answer_id is None else [a for a in known if a[0] == rating.answer_id][:1]
    if not found:
        return NO_ANSWER, None
    answer_id, question, answer = found[0]
    earlier = stored(events, answer_id)
    if rating.rating is not None:
        if earlier:
            return ALREADY_RATED, None
        value = {"answer_id": answer_id, "rating": rating.rating, "comment": rating.comment,
                 "question": question, "answer": answer}
        return (THANKS_COMMENT if rating.comment and rating.rating == "not_helpful" else THANKS[rating.rating]), value
    if not earlier:
        return NOT_RATED, None
    if earlier[-1].get("rating") != "not_helpful" or any(e.get("comment") for e in earlier):
        return ALREADY_RATED, None
    return THANKS_COMMENT, {**earlier[-1], "comment": rating.comment}


class ActionFeedback(Action):
    def name(self) -> str:
        return "action_feedback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[EventType]:
        rating = parse(str((tracker.latest_message or {}).get("text") or ""))
        if rating is None:
            dispatcher.utter_message(text=USAGE)
            return []
        text, value = judge(rating, tracker.events or [])
        dispatcher.utter_message(text=text)
        return [SlotSet(SLOT, value)] if value else []
