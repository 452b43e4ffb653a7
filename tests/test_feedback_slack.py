"""Rating an answer in Slack (the shared stack, the fake Slack of tests/support/slack.py): a knowledge
answer comes with two rating buttons; a click is a signed block_actions request like any other."""
from __future__ import annotations

import json
from typing import Any, Dict, List

import pytest

from actions import feedback
from tests.support.slack import CHANNEL, SlackUser
from tests.test_channel_slack import user
from tests.test_feedback import QUESTION

pytestmark = pytest.mark.stack


class Forger(SlackUser):
    """Signs with a secret that is not the app's."""

    def post(self, body: bytes, content_type: str, **kwargs: Any):
        return super().post(body, content_type, **{**kwargs, "secret": "not-the-signing-secret"})


def rating_buttons(post: Dict[str, Any]) -> Dict[str, str]:
    """rating -> button value, from the answer's rating block (its last block)."""
    block = post["blocks"][-1]
    assert block["type"] == "actions" and block["block_id"].startswith("feedback-"), post["blocks"]
    values = [element["value"] for element in block["elements"]]
    return {json.loads(value[len("/feedback"):])["rating"]: value for value in values}


def answer_post(posts: List[Dict[str, Any]], fact: str) -> Dict[str, Any]:
    return next(post for post in posts if fact in post.get("text", ""))


def test_an_answer_is_rated_with_its_buttons_and_forged_clicks_are_refused(slack):
    alice = user(slack, "U_RATER")
    answer = answer_post(alice.say(QUESTION, "PMP"), "PMP")
    buttons = rating_buttons(answer)
    assert set(buttons) == {"helpful", "not_helpful"}
    assert all(value.startswith('/feedback{"answer_id": ') for value in buttons.values())
    assert any(block["type"] == "actions" for block in answer["blocks"][:-1]), "the suggestions stay"

    thread = answer["thread_ts"]

    forger = Forger(slack["webhook"], slack["fake"], "U_RATER")
    assert forger.click(buttons["helpful"], answer).status_code == 401
    assert alice.click(buttons["not_helpful"], answer).status_code == 200
    slack["fake"].wait_for(CHANNEL, thread, feedback.THANKS["not_helpful"])  # so the forged click stored nothing
    assert alice.click(buttons["helpful"], answer).status_code == 200
    slack["fake"].wait_for(CHANNEL, thread, feedback.ALREADY_RATED)
    thanks = [post for post in slack["fake"].in_thread(CHANNEL, thread) if "Thanks" in post["text"]]
    assert len(thanks) == 1 and not thanks[0].get("blocks"), "a thank-you, no buttons, nothing else"
    alice.say("and how much do they earn?", "no salary figure for a project manager")


def test_a_comparison_table_gets_rating_buttons_too(slack):
    bob = user(slack, "U_TABLE")
    table = answer_post(bob.say("EM vs director?", "Mostly strategic"), "Mostly strategic")
    assert table["blocks"][0]["type"] == "header"
    assert set(rating_buttons(table)) == {"helpful", "not_helpful"}
