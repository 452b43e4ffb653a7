"""Scale-out: two Rasa replicas sharing a PostgreSQL tracker store and a Redis lock store, one action
server reading the knowledge base from PostgreSQL, and the sticky balancer (ops/balancer.py) in front.

Needs Debian's postgresql and redis-server (tests/support/services.py skips loudly without them).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import ContextManager, Dict, Iterator, List, Mapping, Sequence

import pytest
import requests

from knowledge.build import build
from ops import balancer
from ops.servers import action_server, free_port, rasa_server
from settings import DB_URL as URL_ENV
from settings import REDIS_URL, ROOT, TRACKER_PASSWORD, TRACKER_URL, Settings
from tests.support.figures import AVERAGE_SALARY, MID_LEVEL_YEARS
from tests.support.services import TRACKER_PASSWORD as PG_PASSWORD
from tests.support.services import TRACKER_USER, Postgres, postgres, redis
from tests.support.stack import Conversation, Turn, play, turn

# Conversations whose later turns only make sense with the earlier ones (the context is in slots).
SCRIPTS: List[List[Turn]] = [
    [turn("what certs do I need for project manager?", "PMP", "CSM"),
     turn("and how much do they earn?", "no salary figure for a project manager"),
     turn("who do they report to?", "doesn't say who a project manager reports to")],
    [turn("who does an engineering manager report to?", "engineering director", "VP of engineering"),
     turn("what about a director?", "CTO", "CEO"),
     turn("and how much do they earn?", "no salary figure for an engineering director")],
    [turn("I'm a project engineer", "Got it"),
     turn("I want to become an engineering director", "As a project engineer aiming for engineering director"),
     turn("how long will that take?", "As a project engineer aiming for engineering director"),
     turn("what comes next for me?", "As a project engineer", "engineering manager")],
    [turn("how much do engineering managers make?", AVERAGE_SALARY),
     turn("and for a director?", "no salary figure for an engineering director"),
     turn("who do they report to?", "VP of engineering", "CTO")],
    [turn("I want to become a project manager", "Great goal", "PMP"),
     turn("how long will that take?", MID_LEVEL_YEARS),
     turn("which certifications should I get?", "Aiming for project manager", "CSM")],
]
USERS = 20


@dataclass
class Cluster:
    pg: Postgres
    redis_url: str
    replicas: Dict[str, subprocess.Popen]  # replica URL -> its Rasa server process
    balancer_url: str


@contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """``values`` in os.environ while servers start (children copy it); restored afterwards."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def enter_together(stack: ExitStack, managers: Sequence[ContextManager]) -> List:
    """Enter context managers in parallel (Rasa replicas load their model at the same time)."""
    with ThreadPoolExecutor(len(managers)) as pool:
        futures = [pool.submit(manager.__enter__) for manager in managers]
    for manager, future in zip(managers, futures, strict=True):
        if future.exception() is None:
            stack.push(manager.__exit__)
    return [future.result() for future in futures]


@pytest.fixture(scope="module")
def cluster(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with ExitStack() as stack:
        pg = stack.enter_context(postgres())
        redis_url = stack.enter_context(redis())
        kb_url = pg.url("knowledge", TRACKER_USER, PG_PASSWORD)
        build(db_url=kb_url)
        folder = tmp_path_factory.mktemp("cluster")
        action_port = free_port()
        with environment({URL_ENV: kb_url, TRACKER_URL: pg.url("conversations", TRACKER_USER),
                          TRACKER_PASSWORD: PG_PASSWORD, REDIS_URL: redis_url}):
            a, b = (Settings.from_env(os.environ, host="127.0.0.1", rasa_port=free_port(), action_port=action_port,
                                      web_port=0, state_dir=folder / name) for name in ("replica-a", "replica-b"))
            stack.enter_context(action_server(a))
            processes = enter_together(stack, [rasa_server(a), rasa_server(b)])
        replicas = {a.rasa_url: processes[0], b.rasa_url: processes[1]}
        url = stack.enter_context(balancer.running(a, free_port(), list(replicas)))
        yield Cluster(pg, redis_url, replicas, url)


def user_events(pg: Postgres, senders: Sequence[str]) -> Dict[str, int]:
    rows = pg.execute("SELECT sender_id, count(*) FROM events WHERE type_name = 'user' AND sender_id = ANY(%s) "
                      "GROUP BY sender_id", "conversations", (list(senders),))
    return {sender: count for sender, count in rows}


def route(conversation: Conversation, url: str) -> Conversation:
    conversation.url = url
    return conversation


def test_users_at_once_keep_their_context_across_replicas(cluster: Cluster) -> None:
    a, b = list(cluster.replicas)
    targets = [a, b, cluster.balancer_url]
    users = [Conversation(a, sender=f"scale-{i}") for i in range(USERS)]

    def converse(i: int) -> None:
        for k, step in enumerate(SCRIPTS[i % len(SCRIPTS)]):  # turn k on A, B or the balancer
            play(route(users[i], targets[(i + k) % 3]), [step])

    with ThreadPoolExecutor(USERS) as pool:
        list(pool.map(converse, range(USERS)))

    expected = {user.sender: len(SCRIPTS[i % len(SCRIPTS)]) for i, user in enumerate(users)}
    assert user_events(cluster.pg, list(expected)) == expected, "every turn is in the shared tracker store"
    import redis as redis_client

    stats = redis_client.Redis.from_url(cluster.redis_url).info("stats")
    assert stats["keyspace_hits"] + stats["keyspace_misses"] > 0, "the replicas use the Redis lock store"


def test_balancer_keeps_each_conversation_on_one_replica(cluster: Cluster) -> None:
    served: Dict[str, set] = {}
    for i in range(6):
        sender = f"sticky-{i}"
        for text in ("what is the PMP", "at what stage should I get it?", "source?"):
            reply = requests.post(f"{cluster.balancer_url}{balancer.REST_PATH}",
                                  json={"sender": sender, "message": text}, timeout=30)
            reply.raise_for_status()
            served.setdefault(sender, set()).add(reply.headers[balancer.UPSTREAM_HEADER])
    assert all(len(replicas) == 1 for replicas in served.values()), served


def test_knowledge_queries_pass_on_postgresql(cluster: Cluster) -> None:
    cluster.pg.execute(f"CREATE DATABASE kbtest OWNER {TRACKER_USER}")
    env = {**os.environ, "CAREER_COACH_TEST_PG_URL": cluster.pg.url("kbtest", TRACKER_USER, PG_PASSWORD)}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "tests/test_knowledge_queries.py"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout


def test_a_killed_replica_s_users_continue_on_the_other(cluster: Cluster) -> None:
    """Runs last in this module: it kills replica A."""
    a, b = list(cluster.replicas)
    senders: Dict[str, List[str]] = {a: [], b: []}
    for i in range(200):  # bounded: pick 4 senders the balancer sends to each replica
        sender = f"failover-{i}"
        home = balancer.ranked(sender, [a, b])[0]
        if len(senders[home]) < 4:
            senders[home].append(sender)
    assert all(len(group) == 4 for group in senders.values())
    script = SCRIPTS[0]
    users = {sender: Conversation(cluster.balancer_url, sender=sender) for group in senders.values()
             for sender in group}
    for user in users.values():
        play(user, script[:1])
    doomed = cluster.replicas[a]
    os.killpg(doomed.pid, signal.SIGKILL)
    doomed.wait(timeout=10)

    def carry_on(user: Conversation) -> None:
        play(user, script[1:])

    with ThreadPoolExecutor(len(users)) as pool:
        list(pool.map(carry_on, users.values()))
    assert user_events(cluster.pg, list(users)) == {sender: len(script) for sender in users}
    after = requests.post(f"{cluster.balancer_url}{balancer.REST_PATH}",
                          json={"sender": senders[a][0], "message": "what is the PMP"}, timeout=30)
    assert after.headers[balancer.UPSTREAM_HEADER] == b
