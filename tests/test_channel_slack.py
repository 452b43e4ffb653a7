"""Slack through the real stack: signed Events API / interactivity requests go in at
/webhooks/slack/webhook, replies come out as chat.postMessage calls to a fake Slack Web API
(SLACK_API_URL), which records them.

Negative cases ("nothing is posted") are checked after a control message from the same user has
been answered: Rasa handles one user's messages in order, so anything the refused or repeated
request had caused would have been posted by then.
"""
from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator, List, Optional
from urllib.parse import parse_qs, urlencode

import pytest
import requests

from ops.servers import stack
from tests.support.figures import AVERAGE_SALARY
from tests.support.stack import Conversation, private_stack_settings

pytestmark = pytest.mark.stack

SIGNING_SECRET = secrets.token_hex(16)
BOT_TOKEN = "xoxb-test"
BOT_USER = "UCOACHBOT"
CHANNEL = "C123"  # also SLACK_CHANNEL: plain messages there are answered, elsewhere only mentions

_ts = itertools.count(1)


def new_ts() -> str:
    """A Slack message timestamp, unique within the test run."""
    return f"{int(time.time())}.{next(_ts):06d}"


class FakeSlack:
    """Slack's Web API, reduced to chat.postMessage: records each call, answers ok."""

    def __init__(self) -> None:
        self.posts: List[Dict[str, Any]] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    fields = json.loads(raw or "{}")
                else:
                    fields = {key: values[0] for key, values in parse_qs(raw).items()}
                    if isinstance(fields.get("blocks"), str):
                        fields["blocks"] = json.loads(fields["blocks"])
                answer: Dict[str, Any] = {"ok": True}
                if self.path == "/api/chat.postMessage":
                    answer.update(ts=new_ts(), channel=fields.get("channel"))
                    with fake.lock:
                        fake.posts.append({**fields, "ts": answer["ts"],
                                           "authorization": self.headers.get("Authorization")})
                body = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/"

    def in_thread(self, channel: str, thread_ts: str) -> List[Dict[str, Any]]:
        with self.lock:
            return [post for post in self.posts if post.get("channel") == channel
                    and post.get("thread_ts") == thread_ts]

    def wait_for(self, channel: str, thread_ts: str, text: str, timeout: float = 20) -> List[Dict[str, Any]]:
        """The posts in a thread, once one of them contains ``text``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            posts = self.in_thread(channel, thread_ts)
            if any(text in post.get("text", "") for post in posts):
                return posts
            time.sleep(0.2)
        raise AssertionError(f"no reply containing {text!r} in {channel}/{thread_ts} within {timeout:.0f} s; "
                             f"thread has: {[post.get('text') for post in self.in_thread(channel, thread_ts)]}")


class SlackUser:
    """One Slack user writing to the bot; every request is signed like Slack signs it."""

    def __init__(self, webhook: str, fake: FakeSlack, user: str) -> None:
        self.webhook, self.fake, self.user = webhook, fake, user

    def post(self, body: bytes, content_type: str, *, timestamp: Optional[int] = None,
             secret: str = SIGNING_SECRET, headers: Optional[Dict[str, str]] = None) -> requests.Response:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        digest = hmac.new(secret.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
        return requests.post(self.webhook, data=body, timeout=10, headers={
            "Content-Type": content_type, "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": f"v0={digest}", **(headers or {})})

    def event(self, text: str, *, ts: Optional[str] = None, channel: str = CHANNEL,
              kind: str = "app_mention") -> Dict[str, Any]:
        """An event_callback envelope for a message (``app_mention`` prefixes the bot's mention)."""
        ts = ts or new_ts()
        event = {"type": kind, "user": self.user, "ts": ts, "event_ts": ts, "channel": channel,
                 "text": f"<@{BOT_USER}> {text}" if kind == "app_mention" else text}
        if kind == "message":
            event["channel_type"] = "im" if channel.startswith("D") else "channel"
        return {"token": "unused", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
                "event_id": f"Ev{secrets.token_hex(5)}", "event_time": int(time.time()), "event": event,
                "authorizations": [{"team_id": "T1", "user_id": BOT_USER, "is_bot": True}]}

    def send(self, envelope: Dict[str, Any], **kwargs: Any) -> requests.Response:
        return self.post(json.dumps(envelope).encode(), "application/json", **kwargs)

    def say(self, text: str, expect: str, **kwargs: Any) -> List[Dict[str, Any]]:
        """Mention the bot in a new thread; return the thread's posts once ``expect`` is among them."""
        envelope = self.event(text, **kwargs)
        assert self.send(envelope).status_code == 200
        return self.fake.wait_for(envelope["event"]["channel"], envelope["event"]["ts"], expect)

    def click(self, button_value: str, bot_post: Dict[str, Any]) -> requests.Response:
        """Click a button of ``bot_post`` (a block_actions payload, form-encoded like Slack sends it)."""
        payload = {
            "type": "block_actions", "user": {"id": self.user, "username": self.user, "team_id": "T1"},
            "api_app_id": "A1", "team": {"id": "T1"}, "channel": {"id": bot_post["channel"]},
            "container": {"type": "message", "message_ts": bot_post["ts"], "channel_id": bot_post["channel"],
                          "thread_ts": bot_post.get("thread_ts"), "is_ephemeral": False},
            "message": {"type": "message", "user": BOT_USER, "ts": bot_post["ts"], "text": bot_post["text"],
                        "thread_ts": bot_post.get("thread_ts"), "blocks": bot_post["blocks"]},
            "actions": [{"type": "button", "action_id": "a1", "block_id": "b1", "value": button_value,
                         "text": {"type": "plain_text", "text": "button"}, "action_ts": new_ts()}],
            "response_url": "https://hooks.slack.invalid/actions/1", "trigger_id": "1.2.3",
        }
        return self.post(urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded")

    def assert_answered_after(self, thread_checks: List[str]) -> None:
        """Wait for a control question to be answered, then: nothing was posted in ``thread_checks``."""
        self.say("what is the PMP", "Project Management Professional")
        for ts in thread_checks:
            assert self.fake.in_thread(CHANNEL, ts) == []


@pytest.fixture(scope="module")
def slack(trained_model, knowledge_db, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, Any]]:
    """The real stack with the Slack channel on, posting to a fake Slack."""
    fake = FakeSlack()
    fake.thread.start()
    try:
        with pytest.MonkeyPatch.context() as env:
            env.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
            env.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
            env.setenv("SLACK_CHANNEL", CHANNEL)
            env.setenv("SLACK_API_URL", fake.api_url)
            settings = private_stack_settings(tmp_path_factory.mktemp("slack-stack"), web_port=0)
            with stack(settings) as running:
                yield {"rasa": running.rasa_url, "webhook": f"{running.rasa_url}/webhooks/slack/webhook",
                       "fake": fake}
    finally:
        fake.server.shutdown()
        fake.server.server_close()


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
