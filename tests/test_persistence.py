"""Conversations survive restarts (embedded default: SQLite tracker store in the state folder), ratings
with them (stored once, as the conversation's feedback slot), and the profile survives a new session
(domain.yml: 60-minute sessions, slots carried over).

The users talk to the shared stack first; then a new Rasa server and action server, on a state
folder holding a copy of the store it wrote (those users' conversations only, copied while it runs:
nothing may wait for a clean stop), carry each conversation on.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import requests

from actions import feedback
from ops.servers import stack
from settings import Settings
from tests.support.figures import AVERAGE_SALARY
from tests.support.stack import Conversation, conversations_of, play, private_stack_settings, turn
from tests.test_feedback import QUESTION, knowledge_answer, rate, stored_feedback

EXPIRED_S = 2 * 3600  # older than domain.yml's 60-minute session_expiration_time


def _events(db: Path, sender: str, type_name: str) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT count(*) FROM events WHERE sender_id = ? AND type_name = ?",
                                  (sender, type_name)).fetchone()[0]


def _age_conversation(db: Path, sender: str, seconds: float) -> None:
    """Move every stored event of ``sender`` ``seconds`` into the past (both timestamp copies)."""
    with sqlite3.connect(db) as connection:
        connection.execute(
            "UPDATE events SET timestamp = timestamp - ?, "
            "data = json_set(data, '$.timestamp', json_extract(data, '$.timestamp') - ?) WHERE sender_id = ?",
            (seconds, seconds, sender))


def test_restart_keeps_every_conversation_and_rating_and_a_new_session_keeps_the_profile(
        bot_settings: Settings, tmp_path: Path) -> None:
    certs, profile, rater = (Conversation(bot_settings.rasa_url) for _ in range(3))
    play(certs, [turn("what certs do I need for project manager?", "PMP", "CSM")])
    play(profile, [turn("I'm a project engineer", "Got it"),
                   turn("I want to become an engineering director",
                        "As a project engineer aiming for engineering director")])
    answer = knowledge_answer(rater, QUESTION, "PMP")
    answer_id = answer["answer_id"]
    assert rater.say(rate(answer_id, "not_helpful", comment="too short")) == feedback.THANKS_COMMENT
    assert (bot_settings.state_dir / "conversations.db").exists(), \
        "the default tracker store is an SQLite file in the state folder"
    conversations_of(bot_settings, [certs.sender, profile.sender, rater.sender], tmp_path)
    db = tmp_path / "conversations.db"
    assert stored_feedback(db, rater.sender) == [
        {"answer_id": answer_id, "rating": "not_helpful", "comment": "too short", "question": QUESTION,
         "answer": answer["text"]}]

    settings = private_stack_settings(tmp_path, web_port=0)
    with stack(settings):  # a new Rasa server and action server on that state folder
        for user in (certs, profile, rater):
            user.url, user.session = settings.rasa_url, requests.Session()
        play(certs, [turn("and how much do they earn?", "no salary figure for a project manager", AVERAGE_SALARY)])
        assert rater.say(rate(answer_id, "helpful")) == feedback.ALREADY_RATED
        assert "no salary figure for a project manager" in rater.say("and how much do they earn?")
        play(profile, [turn("how long will that take?", "As a project engineer aiming for engineering director",
                            "doesn't say how long")])

        assert _events(db, profile.sender, "session_started") == 1
        _age_conversation(db, profile.sender, EXPIRED_S)  # as if the user came back two hours later
        play(profile, [turn("what comes next for me?", "As a project engineer", "engineering manager")])
        assert _events(db, profile.sender, "session_started") == 2, "an expired session starts a new one"

    assert _events(db, certs.sender, "user") == 2
    assert _events(db, profile.sender, "user") == 4
    assert len(stored_feedback(db, rater.sender)) == 1
