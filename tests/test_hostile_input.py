"""Hostile and odd input (tests/hostile_inputs.yml) through the real stack: REST, socket.io, Slack.

Every input gets a polite reply or a clean 4xx: never a 5xx, a stack trace or raw HTML; no SQL
runs (the knowledge base's row counts do not change); and the same conversation then answers a
normal question correctly.
"""
from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import requests
import yaml
from sqlalchemy import MetaData, create_engine, func, select

from bot.channels import limits
from tests.support.figures import AVERAGE_SALARY
from tests.support.slack import CHANNEL
from tests.support.socketio_client import SocketIOUser
from tests.test_channel_slack import user

pytestmark = pytest.mark.stack

CORPUS = yaml.safe_load((Path(__file__).parent / "hostile_inputs.yml").read_text(encoding="utf-8"))
MESSAGES: List[Dict[str, Any]] = CORPUS["messages"]
BODIES: List[Dict[str, Any]] = CORPUS["rest_bodies"]
NORMAL, NORMAL_FACT = "how much do engineering managers make?", AVERAGE_SALARY
LEAKS = re.compile(r"Traceback|File \"/|\bsqlalchemy\b|\bsqlite3?\.|<\s*(script|img|a|b|iframe)\b|onerror\s*=",
                   re.IGNORECASE)
_ids = itertools.count(1)


def text_of(case: Dict[str, Any]) -> str:
    return case["text"] if "text" in case else case["repeat"] * case["times"]


def case_id(case: Dict[str, Any]) -> str:
    shown = text_of(case) if "text" in case else f"{case['repeat'][:10]}x{case['times']}"
    return f"{case['class']}:{shown[:30]!r}"


def assert_clean(body: str, what: str) -> None:
    leak = LEAKS.search(body)
    assert leak is None, f"{what}: the response shows {leak.group(0)!r}:\n{body[:500]}"


def kb_row_counts(url: str) -> Dict[str, int]:
    engine = create_engine(url, future=True)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return {name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                    for name, table in metadata.tables.items()}
    finally:
        engine.dispose()


@pytest.fixture(scope="module", autouse=True)
def kb_unchanged(knowledge_db: str) -> Iterator[None]:
    """No input may change the knowledge base."""
    before = kb_row_counts(knowledge_db)
    yield
    assert kb_row_counts(knowledge_db) == before


def rest(url: str, sender: str, text: str) -> requests.Response:
    return requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)


# --- REST --------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", MESSAGES, ids=case_id)
def test_rest_message(bot_stack: str, case: Dict[str, Any]) -> None:
    sender = f"hostile-rest-{next(_ids)}"
    response = rest(bot_stack, sender, text_of(case))
    assert response.status_code == 200, response.text[:300]
    replies = [message.get("text") or "" for message in response.json()]
    assert any(reply.strip() for reply in replies), f"no reply to {case_id(case)}"
    assert_clean(response.text, case_id(case))
    follow_up = rest(bot_stack, sender, NORMAL)
    assert follow_up.status_code == 200 and NORMAL_FACT in follow_up.text


@pytest.mark.parametrize("case", BODIES, ids=lambda c: f"{c['class']}:{str(c.get('body', c.get('json')))[:30]!r}")
def test_rest_odd_body(bot_stack: str, case: Dict[str, Any]) -> None:
    headers = {"Content-Type": case.get("content_type", "application/json")}
    if "json" in case:
        response = requests.post(f"{bot_stack}/webhooks/rest/webhook", json=case["json"], timeout=30)
    else:
        raw = case["body"].encode("latin-1") if all(ord(c) < 256 for c in case["body"]) else case["body"].encode()
        response = requests.post(f"{bot_stack}/webhooks/rest/webhook", data=raw, headers=headers, timeout=30)
    assert response.status_code == 200 or 400 <= response.status_code < 500, response.text[:300]
    assert_clean(response.text, str(case))
    body = response.json()
    if response.status_code == 200:  # parsed as a JSON object after all: answered politely
        assert body and all(message.get("text") for message in body)
    else:
        assert set(body) == {"error"} and len(body["error"]) < 200


def test_rest_body_over_the_limit_is_413(bot_stack: str) -> None:
    response = rest(bot_stack, "hostile-huge", "a" * (limits.max_body_bytes() + 1))
    assert response.status_code == 413
    assert "larger than" in response.json()["error"]


def test_rest_wrong_method_is_a_clean_4xx(bot_stack: str) -> None:
    response = requests.get(f"{bot_stack}/webhooks/rest/webhook", timeout=10)
    assert 400 <= response.status_code < 500
    assert_clean(response.text, "GET on the webhook")


def test_rest_client_cannot_choose_the_input_channel(bot_stack: str) -> None:
    """A REST client claiming to be Slack still gets REST replies (text, not Slack blocks)."""
    response = requests.post(f"{bot_stack}/webhooks/rest/webhook", timeout=30, json={
        "sender": "hostile-channel", "message": "EM vs director?", "input_channel": "slack"})
    assert "Mostly tactical" in response.json()[0]["text"]


def test_rest_rate_limit_is_polite_and_per_sender(bot_stack: str) -> None:
    statuses = []
    for _ in range(limits.rate_per_minute() + 10):
        response = rest(bot_stack, "hostile-flood", "")
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
    assert statuses[-1] == 429, f"never limited after {len(statuses)} messages"
    assert len(statuses) > limits.rate_per_minute() // 2
    assert response.json()[0]["text"] == limits.RATE_LIMITED and response.headers.get("Retry-After")
    assert NORMAL_FACT in rest(bot_stack, "hostile-bystander", NORMAL).text  # others are not affected


# --- socket.io ---------------------------------------------------------------------------------

@pytest.mark.parametrize("case", MESSAGES, ids=case_id)
def test_socketio_message(bot_stack: str, case: Dict[str, Any]) -> None:
    with SocketIOUser(bot_stack) as visitor:
        replies = visitor.say(text_of(case))
        assert any((reply.get("text") or "").strip() for reply in replies), f"no reply to {case_id(case)}"
        for reply in replies:
            assert_clean(str(reply), case_id(case))
        assert any(NORMAL_FACT in (reply.get("text") or "") for reply in visitor.say(NORMAL, expect=NORMAL_FACT))


@pytest.mark.parametrize("data", [None, "just text", 42, ["a"], {"message": {"nested": 1}}, {"message": 5}])
def test_socketio_malformed_event_is_answered_politely(bot_stack: str, data: Any) -> None:
    with SocketIOUser(bot_stack) as visitor:
        replies = visitor.emit_raw(data)
        assert [reply.get("text") for reply in replies] == [limits.UNREADABLE]
        assert any(NORMAL_FACT in (reply.get("text") or "") for reply in visitor.say(NORMAL, expect=NORMAL_FACT))


def test_socketio_rate_limit_is_polite(bot_stack: str) -> None:
    with SocketIOUser(bot_stack) as visitor:
        texts: List[str] = []
        for _ in range(limits.rate_per_minute() + 10):  # each turn over at its one reply: no wait for quiet
            texts = [reply.get("text") for reply in visitor.say("", expect=(limits.EMPTY, limits.RATE_LIMITED))]
            if limits.RATE_LIMITED in texts:
                break
        assert texts + [reply.get("text") for reply in visitor.pending()] == [limits.RATE_LIMITED]


# --- Slack -------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", MESSAGES, ids=case_id)
def test_slack_message(slack: Dict[str, Any], case: Dict[str, Any]) -> None:
    someone = user(slack, f"U_HOSTILE_{next(_ids)}")
    envelope = someone.event(text_of(case))
    response = someone.send(envelope)
    assert response.status_code == 200
    assert_clean(response.text, case_id(case))
    posts = slack["fake"].wait_for(CHANNEL, envelope["event"]["ts"], "")
    assert any(post.get("text", "").strip() for post in posts)
    for post in posts:
        assert_clean(str(post.get("text")) + str(post.get("blocks", "")), case_id(case))
    someone.say(NORMAL, NORMAL_FACT)


@pytest.mark.parametrize("body, content_type", [
    (b"{not json", "application/json"),
    (b"[1, 2]", "application/json"),
    (b"payload=%7Bbroken", "application/x-www-form-urlencoded"),
    (b"nothing=here", "application/x-www-form-urlencoded"),
    (b'payload={"type": "view_submission", "actions": [{"type": "plain_text_input"}]}',
     "application/x-www-form-urlencoded"),
])
def test_slack_signed_but_malformed_request_is_a_clean_answer(slack: Dict[str, Any], body: bytes,
                                                              content_type: str) -> None:
    response = user(slack, "U_MALFORMED").post(body, content_type)
    assert response.status_code < 500
    assert_clean(response.text, body.decode())
