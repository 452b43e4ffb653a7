"""A fake Slack for the real stack: Slack's Web API reduced to chat.postMessage (it records each
post), and a Slack user whose Events API / interactivity requests are signed like Slack signs them."""
from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator, List, Optional
from urllib.parse import parse_qs, urlencode

import requests

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


def slack_environment(fake: FakeSlack) -> Dict[str, str]:
    """The variables that turn the Slack channel on, posting to ``fake``."""
    return {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_CHANNEL": CHANNEL,
            "SLACK_API_URL": fake.api_url}


@contextmanager
def fake_slack() -> Iterator[FakeSlack]:
    """A :class:`FakeSlack` serving on a free port for the duration of the ``with`` block."""
    fake = FakeSlack()
    fake.thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()
