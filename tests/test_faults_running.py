"""Faults while the bot is running (issue #14 §4): the PostgreSQL tracker store or the Redis lock
store stops in the middle of conversations, then starts again.

One stack of real servers with the scale-out stores: the Rasa server on Career Coach's cached SQL
tracker store in PostgreSQL and Rasa's Redis lock store, the action server on the session's
knowledge base. While a store is down, every user gets the polite "try again" reply (status 200, no
trace, within the action timeout), over REST, socket.io and Slack; once it is back, the same conversations
go on with their context, and PostgreSQL holds every turn answered before the outage, once.

Needs Debian's postgresql and redis-server (tests/support/services.py skips loudly without them).
"""
from __future__ import annotations

import asyncio
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Sequence

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain

from bot.guards import UNAVAILABLE
from bot.tracker_store import CachedSQLTrackerStore
from ops.servers import action_server, rasa_server
from settings import ACTION_TIMEOUT as TIMEOUT_ENV
from settings import REDIS_URL, TRACKER_PASSWORD, TRACKER_URL
from tests.support.services import TRACKER_PASSWORD as PG_PASSWORD
from tests.support.services import TRACKER_USER, Postgres, RedisServer, postgres, redis_server
from tests.support.slack import FakeSlack, SlackUser, slack_environment
from tests.support.socketio_client import SocketIOUser
from tests.support.stack import Conversation, play, private_stack_settings, turn

ACTION_TIMEOUT = 3  # seconds; no reply may take longer than this (plus the turn itself)
ASKED, FOLLOW_UP = "what certs do I need for project manager?", "and how much do they earn?"
BEFORE = turn(ASKED, "PMP", "CSM")
AFTER = turn(FOLLOW_UP, "no salary figure for a project manager")  # "they": the role asked about before
STORED = ["session_started", ASKED, FOLLOW_UP]  # the outage's turn is not stored, nothing twice
USERS = 3


@dataclass
class Stack:
    pg: Postgres
    redis: RedisServer
    rasa_url: str
    slack: FakeSlack


@pytest.fixture(scope="module")
def running(trained_model: Path, knowledge_db: str, slack_api: FakeSlack,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with ExitStack() as stack:
        pg = stack.enter_context(postgres())
        redis = stack.enter_context(redis_server())
        with pytest.MonkeyPatch.context() as env:  # the servers copy the environment when they start
            for name, value in {TRACKER_URL: pg.url("conversations", TRACKER_USER), TRACKER_PASSWORD: PG_PASSWORD,
                                REDIS_URL: redis.url, TIMEOUT_ENV: str(ACTION_TIMEOUT),
                                **slack_environment(slack_api)}.items():
                env.setenv(name, value)
            settings = private_stack_settings(tmp_path_factory.mktemp("faults-running"), web_port=0)
            stack.enter_context(action_server(settings))
            stack.enter_context(rasa_server(settings))
        yield Stack(pg, redis, settings.rasa_url, slack_api)


def users(stack: Stack, name: str) -> List[Conversation]:
    """USERS conversations, each past its first turn."""
    started = [Conversation(stack.rasa_url, sender=f"{name}-{i}") for i in range(USERS)]
    for user in started:
        play(user, [BEFORE])
    return started


def asked_during_the_outage(people: Sequence[Conversation]) -> None:
    """Each follow-up gets exactly the polite reply (``say`` fails on an error status), promptly."""
    for user in people:
        started = time.monotonic()
        assert user.say(FOLLOW_UP) == UNAVAILABLE
        assert time.monotonic() - started < ACTION_TIMEOUT + 2


def carried_on(people: Sequence[Conversation]) -> None:
    for user in people:
        play(user, [AFTER])


def stored(pg: Postgres, people: Sequence[Conversation]) -> Dict[str, List[str]]:
    """Each conversation's session starts and user messages in PostgreSQL, in order."""
    rows = pg.execute("SELECT sender_id, type_name, data::json->>'text' FROM events WHERE sender_id = ANY(%s) "
                      "AND type_name IN ('session_started', 'user') ORDER BY id", "conversations",
                      ([user.sender for user in people],))
    found: Dict[str, List[str]] = {}
    for sender, kind, text in rows:
        found.setdefault(sender, []).append(text if kind == "user" else kind)
    return found


@pytest.mark.stack
def test_tracker_store_stopped_mid_conversation(running: Stack) -> None:
    people = users(running, "pg-outage")
    with running.pg.stopped():
        asked_during_the_outage(people)
        with SocketIOUser(running.rasa_url) as visitor:  # a new conversation, on the web widget's channel
            replies = visitor.say(ASKED, expect=UNAVAILABLE, timeout=ACTION_TIMEOUT + 2)
            assert [reply.get("text") for reply in replies] == [UNAVAILABLE]
        colleague = SlackUser(f"{running.rasa_url}/webhooks/slack/webhook", running.slack, "U-pg-outage")
        thread = colleague.say(ASKED, expect=UNAVAILABLE)  # a Slack user is told so in the thread
        assert [post["text"] for post in thread] == [UNAVAILABLE]
    carried_on(people)
    assert stored(running.pg, people) == {user.sender: STORED for user in people}


@pytest.mark.stack
def test_first_turn_after_a_restart_without_traffic(running: Stack) -> None:
    """The connections the restart closed are not handed to the next turn."""
    people = users(running, "pg-restart")
    with running.pg.stopped():
        pass
    carried_on(people)
    assert stored(running.pg, people) == {user.sender: STORED for user in people}


@pytest.mark.stack
def test_lock_store_stopped_mid_conversation(running: Stack) -> None:
    people = users(running, "redis-outage")
    with running.redis.stopped():
        asked_during_the_outage(people)
    carried_on(people)
    assert stored(running.pg, people) == {user.sender: STORED for user in people}


def test_outside_a_turn_the_tracker_store_raises_the_database_error(running: Stack) -> None:
    """Rasa's HTTP API and the reports, which no channel answers for, get the error Rasa's store raises."""
    store = CachedSQLTrackerStore(domain=Domain.empty(), dialect="postgresql", host=running.pg.host,
                                  port=running.pg.port, db="conversations", username=TRACKER_USER,
                                  password=PG_PASSWORD)
    try:
        with running.pg.stopped(), pytest.raises(sa.exc.OperationalError):
            asyncio.run(store.retrieve("pg-outside-a-turn"))
    finally:
        store.engine.dispose()
