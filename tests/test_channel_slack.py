"""Slack through the real stack: signed Events API / interactivity requests go in at
/webhooks/slack/webhook, replies come out as chat.postMessage calls to a fake Slack Web API
(SLACK_API_URL; tests/support/slack.py), which records them. The stack is the one the session
shares (tests/conftest.py: Slack is on there).

Negative cases ("nothing is posted") are checked after a control message from the same user has
been answered: Rasa handles one user's messages in order, so anything the refused or repeated
request had caused would have been posted by then.
"""
from __future__ import annotations

import json
import time
from typing import Any, Dict

import pytest
import requests

from tests.support.figures import AVERAGE_SALARY
from tests.support.slack import BOT_TOKEN, BOT_USER, CHANNEL, SlackUser, new_ts
from tests.support.stack import Conversation

pytestmark = pytest.mark.stack


def user(slack: Dict[str, Any], name: str) -> SlackUser:
    return SlackUser(slack["webhook"], slack["fake"], name)


def test_url_verification_challenge_is_echoed(slack):
    alice = user(slack, "U_VERIFY")
    response = alice.send({"token": "unused", "challenge": "3eZbrw1aBm2rZgRNF", "type": "url_verification"})
    assert response.status_code == 200
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNF"}


def test_mention_is_answered_in_its_thread(slack):
    alice = user(slack, "U_MENTION")
    envelope = alice.event("how much do engineering managers make?")
    assert alice.send(envelope).status_code == 200
    posts = slack["fake"].wait_for(CHANNEL, envelope["event"]["ts"], AVERAGE_SALARY)
    assert all(post["authorization"] == f"Bearer {BOT_TOKEN}" for post in posts)
    assert all("as_user" not in post for post in posts)  # apps with granular scopes may not send it
    assert "<@" not in json.dumps(posts)  # the mention was not read as part of the question


def test_plain_message_in_the_configured_channel_is_answered(slack):
    bob = user(slack, "U_PLAIN")
    bob.say("how much do engineering managers make?", AVERAGE_SALARY, kind="message")


def test_direct_message_is_answered(slack):
    carol = user(slack, "U_DM")
    carol.say("EM vs director?", "Mostly tactical", kind="message", channel="D0CAROL")


def test_forged_signature_is_refused(slack):
    mallory = user(slack, "U_FORGED")
    forged, unsigned = mallory.event("how much do engineering managers make?"), mallory.event("EM vs director?")
    assert mallory.send(forged, secret="not-the-signing-secret").status_code == 401
    assert requests.post(slack["webhook"], json=unsigned, timeout=10).status_code == 401
    mallory.assert_answered_after([forged["event"]["ts"], unsigned["event"]["ts"]])


def test_stale_timestamp_is_refused(slack):
    replayer = user(slack, "U_STALE")
    envelope = replayer.event("how much do engineering managers make?")
    response = replayer.send(envelope, timestamp=int(time.time()) - 6 * 60)  # correctly signed, 6 min old
    assert response.status_code == 401
    replayer.assert_answered_after([envelope["event"]["ts"]])


def test_slack_retry_is_not_answered_twice(slack):
    dave = user(slack, "U_RETRY")
    envelope = dave.event("how much do engineering managers make?")
    assert dave.send(envelope).status_code == 200
    for number, reason in ((1, "http_timeout"), (2, "http_error")):
        retry = dave.send(envelope, headers={"X-Slack-Retry-Num": str(number), "X-Slack-Retry-Reason": reason})
        assert retry.status_code == 200
        assert retry.headers.get("X-Slack-No-Retry") == "1"
    dave.say("what is the PMP", "Project Management Professional")  # handled after everything above
    answers = [post for post in slack["fake"].in_thread(CHANNEL, envelope["event"]["ts"])
               if AVERAGE_SALARY in post["text"]]
    assert len(answers) == 1


def test_retry_of_a_message_that_never_arrived_is_answered(slack):
    erin = user(slack, "U_LOST")
    envelope = erin.event("how much do engineering managers make?")  # first delivery lost on the way
    response = erin.send(envelope, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"})
    assert response.status_code == 200
    slack["fake"].wait_for(CHANNEL, envelope["event"]["ts"], AVERAGE_SALARY)


def test_mention_in_the_configured_channel_is_answered_once(slack):
    """Slack sends both app_mention and message.channels for a mention; one answer."""
    frank = user(slack, "U_TWICE")
    ts = new_ts()
    assert frank.send(frank.event("how much do engineering managers make?", ts=ts)).status_code == 200
    message = frank.event("how much do engineering managers make?", ts=ts, kind="message")
    message["event"]["text"] = f"<@{BOT_USER}> how much do engineering managers make?"
    assert frank.send(message).status_code == 200
    frank.say("what is the PMP", "Project Management Professional")
    answers = [post for post in slack["fake"].in_thread(CHANNEL, ts) if AVERAGE_SALARY in post["text"]]
    assert len(answers) == 1


def test_plain_message_in_another_channel_is_ignored(slack):
    grace = user(slack, "U_ELSEWHERE")
    envelope = grace.event("how much do engineering managers make?", channel="C999", kind="message")
    assert grace.send(envelope).status_code == 200
    grace.say("what is the PMP", "Project Management Professional")
    assert slack["fake"].in_thread("C999", envelope["event"]["ts"]) == []


def test_buttons_are_blocks_and_a_click_is_answered(slack):
    heidi = user(slack, "U_BUTTONS")
    posts = heidi.say("what does a manager do?", "Which manager do you mean")
    question = next(post for post in posts if "Which manager do you mean" in post["text"])
    actions = [block for block in question["blocks"] if block["type"] == "actions"]
    assert actions, question["blocks"]
    buttons = {element["text"]["text"]: element["value"] for element in actions[0]["elements"]}
    assert all(element["type"] == "button" for element in actions[0]["elements"])
    title = next(title for title in buttons if title.lower() == "engineering manager")

    assert heidi.click(buttons[title], question).status_code == 200
    after = slack["fake"].wait_for(CHANNEL, question["thread_ts"], "Budgets")  # same thread as the question
    assert not any("Which manager" in post["text"] for post in after[len(posts):])


def test_rest_channel_still_open_beside_slack(slack):
    """The Slack channel's signature check applies to Slack's webhook only."""
    assert AVERAGE_SALARY in Conversation(slack["rasa"]).say("how much do engineering managers make?")


def test_comparison_is_laid_out_as_fields(slack):
    ivan = user(slack, "U_COMPARE")
    posts = ivan.say("EM vs director", "Mostly tactical")
    comparison = next(post for post in posts if "Mostly tactical" in post["text"])
    blocks = comparison["blocks"]
    assert blocks[0]["type"] == "header" and "vs" in blocks[0]["text"]["text"]
    focus = next(block for block in blocks if block.get("text", {}).get("text") == "*Focus*")
    assert [field["text"].split("\n")[1] for field in focus["fields"]] == ["Mostly tactical.", "Mostly strategic."]
    assert any(block["type"] == "context" and "Source:" in block["elements"][0]["text"] for block in blocks)
