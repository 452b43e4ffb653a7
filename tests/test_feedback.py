"""Ratings of answers: action_feedback on its own (rasa_sdk style), then over REST on the shared stack
(that they survive a restart: tests/test_persistence.py).

A knowledge answer carries an answer id; ``/feedback{"answer_id", "rating", "comment"}`` rates it,
stored as the ``feedback`` slot event; bad input gets a polite reply and stores nothing.
"""
from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import feedback
from actions.feedback import ActionFeedback
from bot.channels.ratings import typed_as_payload
from settings import ROOT
from tests.support.figures import AVERAGE_SALARY
from tests.support.stack import Conversation

ANSWER_ID = "0123456789ab"
QUESTION = "what certs do I need for project manager?"
ANSWER = "Certifications that help a project manager: PMP ..."


def rate(answer_id: Optional[str] = ANSWER_ID, rating: Optional[str] = "helpful", **more: Any) -> str:
    """The message a client sends to rate an answer."""
    fields = {"answer_id": answer_id, "rating": rating, **more}
    return "/feedback" + json.dumps({key: value for key, value in fields.items() if value is not None})


def history(*stored: Dict[str, Any]) -> List[Dict[str, Any]]:
    """A conversation with one knowledge answer (``ANSWER_ID``), then ``stored`` feedback slot events."""
    return [{"event": "user", "text": QUESTION},
            {"event": "bot", "text": ANSWER, "metadata": {"answer_id": ANSWER_ID}},
            *({"event": "slot", "name": "feedback", "value": value} for value in stored)]


def run(text: str, events: List[Dict[str, Any]]) -> tuple[str, List[Dict[str, Any]]]:
    """Run action_feedback on the message ``text``; its reply and the events it returns."""
    latest = {"intent": {"name": "feedback", "confidence": 1.0}, "entities": [], "text": text}
    tracker = Tracker("rater", {"last_question": "ask_certification"}, latest,
                      [*events, {"event": "user", "text": text}], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    returned = asyncio.run(ActionFeedback().run(dispatcher, tracker, {}))
    return " ".join(m.get("text") or "" for m in dispatcher.messages), returned


def not_helpful(comment: Optional[str] = None) -> Dict[str, Any]:
    return {"answer_id": ANSWER_ID, "rating": "not_helpful", "comment": comment, "question": QUESTION,
            "answer": ANSWER}


@pytest.mark.parametrize("text, stored, reply, expected", [
    (rate(), [], "glad that helped", {**not_helpful(), "rating": "helpful"}),
    (rate(rating="not_helpful"), [], "didn't help", not_helpful()),
    (rate(comment="clear"), [], "glad that helped", {**not_helpful("clear"), "rating": "helpful"}),
    (rate(rating="not_helpful", comment="  too vague  "), [], "noted what was wrong", not_helpful("too vague")),
    (rate(rating=None, comment="the PMP part was off"), [not_helpful()], "noted what was wrong",
     not_helpful("the PMP part was off")),
    (typed_as_payload("/feedback helpful"), [], "glad that helped", {**not_helpful(), "rating": "helpful"}),
    (typed_as_payload("/feedback Not helpful: wrong role"), [], "noted what was wrong", not_helpful("wrong role")),
    (rate(answer_id=None, rating="not_helpful"), [], "didn't help", not_helpful()),
], ids=["helpful", "not-helpful", "helpful-with-comment", "with-comment", "comment-after-not-helpful", "typed",
        "typed-comment", "no-id-the-last-answer"])
def test_a_good_rating_is_stored_as_the_feedback_slot(text: str, stored: List[Dict], reply: str,
                                                       expected: Dict[str, Any]) -> None:
    said, events = run(text, history(*stored))
    assert reply in said
    assert events == [{"event": "slot", "name": "feedback", "value": expected, "timestamp": None}]


@pytest.mark.parametrize("text, stored, reply", [
    (rate(answer_id="ffffffffffff"), [], feedback.NO_ANSWER),
    (rate(answer_id="<b>x</b>"), [], feedback.NO_ANSWER),
    (rate(), [not_helpful()], feedback.ALREADY_RATED),
    (rate(rating="not_helpful"), [{**not_helpful(), "rating": "helpful"}], feedback.ALREADY_RATED),
    (rate(rating="not_helpful", comment="x" * 1001), [], feedback.TOO_LONG),
    (rate(rating="not_helpful", comment="x" * 10_000), [], feedback.TOO_LONG),
    (rate(rating=None, comment="late comment"), [], feedback.NOT_RATED),
    (rate(rating=None, comment="second comment"), [not_helpful("first")], feedback.ALREADY_RATED),
    (rate(rating=None, comment="after helpful"), [{**not_helpful(), "rating": "helpful"}], feedback.ALREADY_RATED),
    (rate(rating="great"), [], feedback.USAGE),
    (rate(rating=None), [], feedback.USAGE),
    ('/feedback{"answer_id": 5, "rating": "helpful"}', [], feedback.USAGE),
    ("/feedback{not json", [], feedback.USAGE),
    ("/feedback", [], feedback.USAGE),
], ids=["unknown-id", "html-id", "repeated", "repeated-other-rating", "comment-1001", "comment-10k",
        "comment-before-rating", "second-comment", "comment-after-helpful", "bad-rating", "nothing",
        "id-not-a-string", "not-json", "bare"])
def test_bad_input_gets_a_polite_reply_and_stores_nothing(text: str, stored: List[Dict], reply: str) -> None:
    said, events = run(text, history(*stored))
    assert said == reply
    assert events == []


@pytest.mark.parametrize("typed, payload", [
    ("/feedback helpful", '/feedback{"rating": "helpful"}'),
    (" /feedback  not_helpful ", '/feedback{"rating": "not_helpful"}'),
    ("/feedback not helpful - <i>the CSM</i> part",
     '/feedback{"rating": "not_helpful", "comment": "<i>the CSM</i> part"}'),
    ("/feedback helpfully", "/feedback helpfully"),
    ("/feedback", "/feedback"),
    ("not helpful", "not helpful"),
    ('/feedback{"rating": "helpful"}', '/feedback{"rating": "helpful"}'),
])
def test_a_typed_rating_becomes_its_payload(typed: str, payload: str) -> None:
    assert typed_as_payload(typed) == payload


def test_without_any_answer_there_is_nothing_to_rate() -> None:
    greeted = [{"event": "user", "text": "hi"}, {"event": "bot", "text": "Hi!"}]
    said, events = run(typed_as_payload("/feedback helpful"), greeted)
    assert (said, events) == (feedback.NO_ANSWER, [])


# --- over REST, on the real stack ------------------------------------------------------------

def knowledge_answer(conversation: Conversation, question: str, *facts: str) -> Dict[str, Any]:
    """Ask ``question``; the message of the reply that carries the answer's id (and states ``facts``)."""
    conversation.say(question)
    rated = [message for message in conversation.last if message.get("answer_id")]
    assert len(rated) == 1, f"one message of the answer carries its id: {conversation.last}"
    assert all(fact in rated[0]["text"] for fact in facts), rated[0]
    assert len(rated[0]["answer_id"]) == 12 and int(rated[0]["answer_id"], 16) >= 0
    return rated[0]


def test_a_rating_over_rest_is_thanked_and_the_conversation_carries_on(bot_stack: str) -> None:
    user = Conversation(bot_stack)
    user.say("hi")
    assert user.last and not any("answer_id" in message for message in user.last), "a greeting is no answer"
    answer_id = knowledge_answer(user, QUESTION, "PMP", "Source:")["answer_id"]

    thanks = user.say(rate(answer_id, "not_helpful"))
    assert thanks == feedback.THANKS["not_helpful"] and not user.buttons
    assert user.say(rate(answer_id, None, comment="<b>what about CSM?</b>")) == feedback.THANKS_COMMENT
    assert user.say(rate(answer_id, "helpful")) == feedback.ALREADY_RATED  # stored: a second one is refused
    # The rating turns did not disturb the context: the follow-up is about the project manager.
    assert "no salary figure for a project manager" in user.say("and how much do they earn?")


def test_a_rating_while_planning_goes_back_to_the_planner(bot_stack: str) -> None:
    user = Conversation(bot_stack)
    answer_id = knowledge_answer(user, QUESTION, "PMP")["answer_id"]
    assert "What's your current role?" in user.say("help me plan my career")
    reply = user.say(rate(answer_id, "helpful"))
    assert reply.startswith(feedback.THANKS["helpful"]) and "What's your current role?" in reply


def test_typed_feedback_rates_the_last_answer(bot_stack: str) -> None:
    user = Conversation(bot_stack)
    knowledge_answer(user, "how much do engineering managers make?", AVERAGE_SALARY)
    assert user.say("/feedback not helpful: I wanted a range") == feedback.THANKS_COMMENT
    assert user.say("/feedback helpful") == feedback.ALREADY_RATED


def test_bad_ratings_over_rest_store_nothing(bot_stack: str) -> None:
    user = Conversation(bot_stack)
    assert user.say(rate()) == feedback.NO_ANSWER  # nothing said yet
    answer_id = knowledge_answer(user, QUESTION, "PMP")["answer_id"]
    assert user.say(rate("ffffffffffff")) == feedback.NO_ANSWER
    assert user.say(rate(answer_id, "not_helpful", comment="x" * 1001)) == feedback.TOO_LONG
    huge = user.session.post(f"{bot_stack}/webhooks/rest/webhook", timeout=30, json={
        "sender": user.sender, "message": rate(answer_id, "not_helpful", comment="x" * 10_000)})
    assert huge.status_code == 200 and "too long" in huge.json()[0]["text"]
    # None of the above was kept: the answer can still be rated, once.
    assert user.say(rate(answer_id, "helpful")) == feedback.THANKS["helpful"]


def stored_feedback(db: Path, sender: str) -> List[Dict[str, Any]]:
    """The values of the feedback slot events in ``sender``'s stored conversation (Rasa's SQLTrackerStore)."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet

    store = SQLTrackerStore(Domain.load(str(ROOT / "domain.yml")), dialect="sqlite", db=str(db))
    with ThreadPoolExecutor(1) as pool:  # its own event loop (Playwright's sync API holds this thread's)
        tracker = pool.submit(asyncio.run, store.retrieve_full_tracker(sender)).result()
    return [event.value for event in tracker.events if isinstance(event, SlotSet) and event.key == "feedback"]
