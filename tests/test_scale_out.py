"""Scale-out: two Rasa replicas sharing a PostgreSQL tracker store and a Redis lock store, one action
server reading the knowledge base from PostgreSQL, and Debian's nginx in front running the compose
recipe's own deploy/nginx.conf (ops/nginx.py): its sticky routing and its fail-over, for real.

Needs Debian's postgresql, redis-server and nginx-light (tests/support/services.py skips loudly
without them). The last two tests kill the replicas.
"""
from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Sequence

import pytest
import redis as redis_client
import requests
import websockets
import yaml
from requests_toolbelt.adapters.source import SourceAddressAdapter

from knowledge.build import build
from ops.endpoints import LOCK_KEY_PREFIX
from ops.nginx import ACCESS_LOG, nginx
from ops.servers import action_server, free_port, rasa_server
from settings import CORS, REDIS_URL, ROOT, TRACKER_PASSWORD, TRACKER_URL, Settings
from settings import DB_URL as URL_ENV
from tests.support.figures import AVERAGE_SALARY, MID_LEVEL_YEARS
from tests.support.services import TRACKER_PASSWORD as PG_PASSWORD
from tests.support.services import TRACKER_USER, Postgres, enter_together, environment, postgres, redis, require_nginx
from tests.support.socketio_client import SocketIOUser
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
REST = "/webhooks/rest/webhook"
SENDER_HEADER = "X-Career-Coach-Sender"  # deploy/nginx.conf's other REST routing key, beside ?sender=
COMPOSE = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text(encoding="utf-8"))
LOCK_LIFETIME = "TICKET_LOCK_LIFETIME"  # Rasa's; the replicas get the compose recipe's value


@dataclass
class Cluster:
    pg: Postgres
    redis_url: str
    actions: subprocess.Popen
    replicas: Dict[str, subprocess.Popen]  # replica address "127.0.0.1:<port>" -> its Rasa server process
    url: str  # nginx
    access_log: Path
    lease: float  # seconds a dead replica's lock outlives it at most (bot/lock_store.py)

    def entries(self, matches: Callable[[Dict], bool], at_least: int = 1) -> List[Dict]:
        """nginx's access-log entries (ops/nginx.py's LOG_FORMAT) that ``matches``, once there are
        ``at_least`` of them (nginx writes a request's line when it is over; waits up to 5 s)."""
        deadline = time.monotonic() + 5
        while True:
            lines = self.access_log.read_text(encoding="utf-8").splitlines()
            found = [entry for entry in map(json.loads, lines) if matches(entry)]
            if len(found) >= at_least or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def served(self, key: str, requests_made: int) -> List[str]:
        """The replicas nginx tried for each request routed by ``key``."""
        return [entry["upstream"] for entry in self.entries(lambda entry: entry["key"] == key, requests_made)]


@pytest.fixture(scope="module")
def cluster(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    require_nginx()
    with ExitStack() as stack:
        pg = stack.enter_context(postgres())
        redis_url = stack.enter_context(redis())
        kb_url = pg.url("knowledge", TRACKER_USER, PG_PASSWORD)
        build(db_url=kb_url)
        folder = tmp_path_factory.mktemp("cluster")
        action_port, nginx_port = free_port(), free_port()
        with environment({URL_ENV: kb_url, TRACKER_URL: pg.url("conversations", TRACKER_USER),
                          TRACKER_PASSWORD: PG_PASSWORD, REDIS_URL: redis_url,
                          CORS: f"http://127.0.0.1:{nginx_port}",  # the widget's page is behind nginx
                          LOCK_LIFETIME: str(COMPOSE["x-rasa-replica"]["environment"][LOCK_LIFETIME])}):
            a, b = (Settings.from_env(os.environ, host="127.0.0.1", rasa_port=free_port(), action_port=action_port,
                                      web_port=0, state_dir=folder / name) for name in ("replica-a", "replica-b"))
            actions = stack.enter_context(action_server(a))
            processes = enter_together(stack, [rasa_server(a), rasa_server(b)])
        replicas = {f"127.0.0.1:{s.rasa_port}": process for s, process in zip((a, b), processes, strict=True)}
        front = replace(a, state_dir=folder / "nginx")
        url = stack.enter_context(nginx(list(replicas), front, nginx_port))
        yield Cluster(pg, redis_url, actions, replicas, url, front.log_dir / ACCESS_LOG, a.lock_lease)


def via_nginx(cluster: Cluster, sender: str) -> Conversation:
    """A REST user behind nginx, naming its conversation in the header deploy/nginx.conf routes by."""
    user = Conversation(cluster.url, sender=sender)
    user.session.headers[SENDER_HEADER] = sender
    return user


def user_texts(pg: Postgres, senders: Sequence[str]) -> Dict[str, List[str]]:
    """Each sender's stored user messages, in order."""
    rows = pg.execute("SELECT sender_id, data FROM events WHERE type_name = 'user' AND sender_id = ANY(%s) "
                      "ORDER BY id", "conversations", (list(senders),))
    texts: Dict[str, List[str]] = {}
    for sender, data in rows:
        texts.setdefault(sender, []).append(json.loads(data)["text"])
    return texts


def homes(cluster: Cluster, prefix: str, first: Turn, per_replica: int) -> Dict[str, List[Conversation]]:
    """``per_replica`` users nginx routes to each replica (bounded search), each past its ``first`` turn."""
    found: Dict[str, List[Conversation]] = {address: [] for address in cluster.replicas}
    for i in range(12 * per_replica):
        user = via_nginx(cluster, f"{prefix}-{i}")
        play(user, [first])
        (home,) = cluster.served(user.sender, 1)
        found[home].append(user)
        if all(len(users) >= per_replica for users in found.values()):
            return {address: users[:per_replica] for address, users in found.items()}
    raise AssertionError(f"nginx sent every sender to one replica: {found}")


def test_users_at_once_keep_their_context_across_replicas(cluster: Cluster) -> None:
    a, b = (f"http://{address}" for address in cluster.replicas)
    users = [via_nginx(cluster, f"scale-{i}") for i in range(USERS)]

    def converse(i: int) -> None:
        for k, step in enumerate(SCRIPTS[i % len(SCRIPTS)]):  # turn k on A, B or through nginx
            users[i].url = (a, b, cluster.url)[(i + k) % 3]
            play(users[i], [step])

    with ThreadPoolExecutor(USERS) as pool:
        list(pool.map(converse, range(USERS)))

    expected = {user.sender: [text for text, _, _ in SCRIPTS[i % len(SCRIPTS)]] for i, user in enumerate(users)}
    assert user_texts(cluster.pg, list(expected)) == expected, "every turn is in the shared tracker store"
    stats = redis_client.Redis.from_url(cluster.redis_url).info("stats")
    assert stats["keyspace_hits"] + stats["keyspace_misses"] > 0, "the replicas use the Redis lock store"


def test_nginx_keeps_each_rest_conversation_on_one_replica(cluster: Cluster) -> None:
    found = homes(cluster, "sticky", turn("what is the PMP", "PMP"), per_replica=3)
    for i, (home, user) in enumerate((home, user) for home, users in found.items() for user in users):
        for text in ("at what stage should I get it?", "source?"):
            if i % 2:  # the other routing key: ?sender= in the URL instead of the header
                reply = requests.post(f"{cluster.url}{REST}", params={"sender": user.sender},
                                      json={"sender": user.sender, "message": text}, timeout=30)
                reply.raise_for_status()
            else:
                user.say(text)
        assert cluster.served(user.sender, 3) == [home] * 3, user.sender


def visitor(cluster: Cluster, client_address: str) -> SocketIOUser:
    """A web-widget user (socket.io over long-polling) connecting from ``client_address``."""
    user = SocketIOUser(cluster.url, origin=cluster.url)
    session = requests.Session()
    session.mount("http://", SourceAddressAdapter((client_address, 0)))
    user.client.eio.http = session
    return user


def test_nginx_keeps_each_socketio_client_on_one_replica(cluster: Cluster) -> None:
    """Long-polling works only if every request of a socket reaches the replica that opened it."""
    clients: Dict[str, List[str]] = {address: [] for address in cluster.replicas}
    for host in range(2, 40):  # bounded: until each replica has two clients (loopback addresses)
        client = f"127.0.0.{host}"
        with visitor(cluster, client) as user:
            user.say("what is the PMP", expect="PMP")
        served = {entry["upstream"] for entry in cluster.entries(
            lambda entry, host=client: entry["client"] == host and " /socket.io/" in entry["request"])}
        assert len(served) == 1, f"{client}'s socket.io requests went to {served}"
        clients[served.pop()].append(client)
        if all(len(hosts) >= 2 for hosts in clients.values()):
            return
    raise AssertionError(f"nginx sent every client address to one replica: {clients}")


async def next_packet(socket: websockets.WebSocketClientProtocol, marker: str) -> str:
    """The next Engine.IO packet containing ``marker`` (pings and others skipped)."""
    while marker not in (packet := await asyncio.wait_for(socket.recv(), 30)):
        pass
    return packet


def test_the_widget_s_websocket_passes_through_nginx(cluster: Cluster) -> None:
    """Browsers upgrade the widget's socket to a WebSocket: nginx must pass the upgrade on. (Raw
    Engine.IO packets: python-engineio's WebSocket client needs a newer aiohttp than Rasa's pin.)"""
    def event(name: str, data: Dict) -> str:
        return "42" + json.dumps([name, data])  # a socket.io event packet

    async def chat() -> List:
        url = f"{cluster.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket"
        async with websockets.connect(url, origin=cluster.url) as socket:
            await next_packet(socket, '"sid"')  # Engine.IO open
            await socket.send("40")  # socket.io connect
            await next_packet(socket, "40")
            await socket.send(event("session_request", {"session_id": "websocket-user"}))
            await next_packet(socket, "session_confirm")
            await socket.send(event("user_uttered", {"message": "what is the PMP", "session_id": "websocket-user"}))
            return json.loads((await next_packet(socket, "bot_uttered"))[2:])

    name, reply = asyncio.run(chat())
    assert name == "bot_uttered" and "PMP" in reply["text"]
    upgrades = cluster.entries(lambda entry: "transport=websocket" in entry["request"])
    assert [entry["status"] for entry in upgrades] == [101]


def kill(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def assert_polite(reply: requests.Response) -> float:
    """nginx's reply when no replica answered: a bot message, never its error page; the Retry-After."""
    assert reply.status_code == 503 and reply.headers["Content-Type"].startswith("application/json")
    (message,) = reply.json()
    assert "try again" in message["text"].lower() and "nginx" not in reply.text.lower()
    return float(reply.headers["Retry-After"])


def test_a_replica_killed_mid_message_its_users_carry_on_with_their_context(cluster: Cluster) -> None:
    """Kills replica A while it handles a message: nginx passes the message on and B answers it, with
    the conversation's context, once A's lock lease has run out (seconds, not TICKET_LOCK_LIFETIME);
    A's other users continue on B, B's stay there, and every stored conversation holds each message
    once, in order."""
    a, b = cluster.replicas
    script = SCRIPTS[0]  # the second turn's answer names the role the first one set
    found = homes(cluster, "failover", script[0], per_replica=3)
    victim = found[a][0]
    lock_key = f"{LOCK_KEY_PREFIX}:lock:{victim.sender}"  # Rasa's Redis lock store's key
    locks = redis_client.Redis.from_url(cluster.redis_url)

    def answered() -> float:
        play(victim, [script[1]])  # a 200 with the bot's real answer, or the assertion names the reply
        return time.monotonic()

    os.killpg(cluster.actions.pid, signal.SIGSTOP)  # A will wait in the turn's custom action
    with ThreadPoolExecutor(1) as pool:
        try:
            in_flight = pool.submit(answered)
            deadline = time.monotonic() + 10
            while not locks.exists(lock_key) and time.monotonic() < deadline:
                time.sleep(0.02)
            assert locks.exists(lock_key), "replica A never started handling the message"
            kill(cluster.replicas[a])
            killed = time.monotonic()
        finally:
            os.killpg(cluster.actions.pid, signal.SIGCONT)
        waited = in_flight.result() - killed
    assert waited < cluster.lease + 5, f"B answered {waited:.1f} s after A was killed"
    (lost,) = cluster.entries(lambda entry: entry["key"] == victim.sender and "," in entry["upstream"])
    assert (lost["upstream"], lost["status"]) == (f"{a}, {b}", 200), "nginx passed the message on to B"

    others = [user for users in found.values() for user in users if user is not victim]
    with ThreadPoolExecutor(len(others) + 1) as pool:
        list(pool.map(lambda user: play(user, script[2:] if user is victim else script[1:]), [victim, *others]))
    everyone = [victim, *others]
    texts = [text for text, _, _ in script]
    assert user_texts(cluster.pg, [u.sender for u in everyone]) == {u.sender: texts for u in everyone}
    for user in everyone:  # nginx's record: first turn at home, the later ones on B (after A, for A's users)
        tried = cluster.served(user.sender, 3)
        assert tried[0] == (a if user in found[a] else b), tried
        assert all(upstream.split(", ")[-1] == b for upstream in tried[1:]), f"{user.sender}: {tried}"


def test_with_no_replica_left_the_user_is_told_politely(cluster: Cluster) -> None:
    """Runs last: kills replica B too."""
    for process in cluster.replicas.values():
        if process.poll() is None:
            kill(process)
    assert_polite(requests.post(f"{cluster.url}{REST}", params={"sender": "alone"},
                                json={"sender": "alone", "message": "what is the PMP"}, timeout=30))
