"""bot/lock_store.py against a real Redis (Debian's redis-server, tests/support/services.py): a live
holder keeps a conversation's lock however long its turn, a killed one loses it within a lease,
never two holders at once, and Rasa's own RedisLockStore reads what it stores."""
from __future__ import annotations

import asyncio
import logging
import signal
import subprocess
import sys
import threading
import time
from typing import Iterator, List, Tuple
from urllib.parse import urlparse

import pytest
from rasa.core.lock_store import LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

import bot.lock_store
from bot.lock_store import LeasedRedisLockStore
from ops.servers import free_port
from settings import ROOT
from tests.support.services import redis

LEASE = 1.0  # seconds; short, to keep the tests fast (the replicas use settings.lock_lease)
PREFIX = "test"


def config(url: str, **extra: object) -> EndpointConfig:
    """endpoints.yml's lock_store entry as ops/endpoints.py writes it, for a Redis at ``url``."""
    parsed = urlparse(url)
    return EndpointConfig(url=parsed.hostname, type="bot.lock_store.LeasedRedisLockStore", port=parsed.port,
                          db=0, key_prefix=PREFIX, lease_seconds=LEASE, **extra)


def hold_forever(url: str, conversation: str) -> None:
    """Run in a child process: takes the conversation's lock, says so, and keeps it until killed."""
    async def hold() -> None:
        async with LockStore.create(config(url)).lock(conversation):
            print("held", flush=True)
            await asyncio.sleep(600)

    asyncio.run(hold())


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    with redis() as url:
        yield url


@pytest.fixture
def store(redis_url: str) -> LeasedRedisLockStore:
    """A replica's lock store, built by Rasa's own factory from the endpoints entry."""
    built = LockStore.create(config(redis_url))
    assert isinstance(built, LeasedRedisLockStore) and built.leased
    return built


def rasa_store(url: str) -> RedisLockStore:
    parsed = urlparse(url)
    return RedisLockStore(host=parsed.hostname, port=parsed.port, db=0, key_prefix=PREFIX)


async def timed_turn(store: LockStore, conversation: str, seconds: float, **lock: float) -> Tuple[float, float]:
    """Holds the lock for ``seconds``; when it was served and when it let go (monotonic)."""
    async with store.lock(conversation, **lock):
        served = time.monotonic()
        await asyncio.sleep(seconds)
        return served, time.monotonic()


def test_a_live_holder_keeps_the_lock_beyond_its_lease_and_the_next_message_waits(
        store: LeasedRedisLockStore, redis_url: str) -> None:
    other = LockStore.create(config(redis_url))  # the other replica

    async def both() -> List[Tuple[float, float]]:
        first = asyncio.create_task(timed_turn(store, "live", 2.5 * LEASE))
        await asyncio.sleep(0.2)
        second = asyncio.create_task(timed_turn(other, "live", 0))
        await asyncio.sleep(1.5 * LEASE)  # the first turn runs on, renewing its lease
        seen = rasa_store(redis_url).get_lock("live")  # Rasa's own store reads the queue
        assert seen is not None and [t.number for t in seen.tickets] == [0, 1] and seen.now_serving == 0
        return [await first, await second]

    (_, released), (served, _) = asyncio.run(both())
    assert served >= released, "the waiting message was served while the first turn still ran"
    assert rasa_store(redis_url).get_lock("live") is None, "the lock is removed once no one waits, as in Rasa"


def test_a_killed_holder_s_lock_is_taken_over_within_a_lease(store: LeasedRedisLockStore, redis_url: str) -> None:
    holder = subprocess.Popen([sys.executable, "-c", "import sys; from tests.test_lock_store import hold_forever; "
                               "hold_forever(*sys.argv[1:])", redis_url, "killed"],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        time.sleep(1.5 * LEASE)  # the holder renews its lease meanwhile
        assert rasa_store(redis_url).get_lock("killed") is not None
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        killed = time.monotonic()
        served, _ = asyncio.run(timed_turn(store, "killed", 0))
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert served - killed <= LEASE + 0.5, f"taken over {served - killed:.2f} s after the kill"


def test_never_two_holders_at_once(redis_url: str) -> None:
    """Two replicas (each its own store, thread and event loop) with messages of one conversation."""
    inside: List[str] = []
    overlaps: List[List[str]] = []
    served: List[str] = []

    def replica(name: str) -> None:
        replica_store = LockStore.create(config(redis_url))

        async def message(i: int) -> None:
            async with replica_store.lock("busy", wait_time_in_seconds=0.01):
                inside.append(f"{name}{i}")
                if len(inside) > 1:
                    overlaps.append(list(inside))
                await asyncio.sleep(0.01)
                served.append(inside.pop())

        async def messages() -> None:
            await asyncio.gather(*(message(i) for i in range(8)))

        asyncio.run(messages())

    threads = [threading.Thread(target=replica, args=(name,)) for name in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not overlaps and len(served) == 16, (overlaps, served)


def test_a_holder_past_its_lifetime_lets_the_next_message_in_as_rasa_does(
        store: LeasedRedisLockStore, redis_url: str) -> None:
    other = LockStore.create(config(redis_url))

    async def both() -> Tuple[float, float]:
        first = asyncio.create_task(timed_turn(store, "stuck", 2, lock_lifetime=0.8))
        await asyncio.sleep(0.1)
        second = asyncio.create_task(timed_turn(other, "stuck", 0))
        (started, _), (served, _) = await first, await second
        return started, served

    started, served = asyncio.run(both())
    assert 0.8 - 0.1 <= served - started <= 0.8 + 0.3, f"served {served - started:.2f} s in, not at the lifetime"


def test_an_unreachable_redis_is_a_lock_error_which_the_channels_answer_politely() -> None:
    unreachable = LockStore.create(config(f"redis://127.0.0.1:{free_port()}/0"))

    async def turn() -> None:
        async with unreachable.lock("anyone"):
            pass

    with pytest.raises(LockError):
        asyncio.run(turn())


def test_on_other_rasa_code_rasa_s_own_ticket_lock_is_used(redis_url: str, monkeypatch: pytest.MonkeyPatch,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setitem(bot.lock_store.RELIED_ON, "rasa.core.lock:Ticket.from_dict", "0" * 16)
    with caplog.at_level(logging.WARNING, logger="bot.lock_store"):
        fallback = LockStore.create(config(redis_url))
    assert not fallback.leased and "rasa.core.lock:Ticket.from_dict" in caplog.text

    async def turn() -> float:
        async with fallback.lock("fallback", lock_lifetime=30):
            (ticket,) = rasa_store(redis_url).get_lock("fallback").tickets
            return ticket.expires - time.time()

    assert 29 < asyncio.run(turn()) <= 30, "Rasa's ticket: the whole lifetime, no lease"
