"""Talking to a bot over REST under measured load: one message, many users, one long conversation.

Every function takes a :class:`Bot`, so Career Coach and the vanilla `rasa init` bot are measured
by the same code on the same questions. Every loop is bounded in messages and seconds.
"""
from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field
from subprocess import Popen
from typing import Any, Dict, List

import aiohttp
import requests

from bench.procs import cpu_reader

# Realistic questions, with follow-ups that need the conversation's context.
QUESTIONS: List[str] = [
    "what certs do I need for project manager?", "and how much do they earn?", "who do they report to?",
    "how much do engineering managers make?", "and for a director?", "EM vs director?",
    "who does an engineering manager report to?", "what about a director?", "what is the PMP",
    "at what stage should I get it?", "source?", "I'm a civil engineer, how do I move into management?",
    "how long will an MEM take", "I want to become a project manager", "how long will that take?",
    "is there a scrum certification?", "MBA or MEM?", "how much more do MBA grads earn",
    "which industries hire engineering managers", "what are the entry level roles", "and mid level?",
    "what's the typical career path", "what comes after engineering manager", "hi", "what can you do",
]
SENDER_HEADER = "X-Career-Coach-Sender"  # nginx routes a conversation by it (deploy/nginx.conf)
GROWTH_TURNS = 400


@dataclass
class Bot:
    """A running bot: its REST base URL and its server processes by role ("rasa", "action")."""

    name: str
    url: str
    processes: Dict[str, Popen] = field(default_factory=dict)
    # Career Coach answers every message; the stock bot may predict listening and say nothing.
    always_answers: bool = True
    ready_s: float = 0.0  # from starting its servers to its first answer


def _answered(bot: Bot, text: str, status: int, body: Any) -> None:
    """Raise unless the bot answered ``text`` with 200 (a sender over the rate limit gets 429)."""
    if status != 200:
        raise RuntimeError(f"{bot.name}: HTTP {status} to {text!r}")
    if bot.always_answers and not body:
        raise RuntimeError(f"no reply to {text!r}")


def say(session: requests.Session, bot: Bot, sender: str, text: str) -> float:
    """Send one message; return its latency in ms (raises unless the bot answered)."""
    began = time.perf_counter()
    reply = session.post(f"{bot.url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                         headers={SENDER_HEADER: sender}, timeout=60)
    elapsed = (time.perf_counter() - began) * 1000
    _answered(bot, text, reply.status_code, reply.json() if reply.ok else None)
    return elapsed


async def say_async(session: aiohttp.ClientSession, bot: Bot, sender: str, text: str) -> float:
    """:func:`say` on an aiohttp session (many users from one thread: :func:`users`)."""
    began = time.perf_counter()
    async with session.post(f"{bot.url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                            headers={SENDER_HEADER: sender}) as reply:
        body = await reply.json() if reply.status == 200 else None
    elapsed = (time.perf_counter() - began) * 1000
    _answered(bot, text, reply.status, body)
    return elapsed


def wait_for_first_answer(bot: Bot, began: float, timeout: float = 600) -> float:
    """Seconds from ``began`` until the bot answers "hi"."""
    session = requests.Session()
    while time.monotonic() - began < timeout:
        if any(process.poll() is not None for process in bot.processes.values()):
            raise RuntimeError(f"a server of {bot.name} exited while starting")
        try:
            say(session, bot, "bench-ready", "hi")
            return time.monotonic() - began
        except (requests.RequestException, RuntimeError):
            time.sleep(0.05)
    raise RuntimeError(f"{bot.name}: no answer within {timeout} s")


def percentile(values: List[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def users(bot: Bot, count: int, per_user: int, max_s: float, tag: str = "") -> Dict[str, float]:
    """``count`` users at once, each up to ``per_user`` messages (a new conversation every 25), for
    at most ``max_s``: throughput and latency. A user whose message fails (or times out) gives up;
    ``errors`` counts them. The users are asyncio tasks on one thread with a connection each, so the
    load generator's own CPU stays small beside the servers' (threads with requests: 3 ms a message)."""
    return asyncio.run(_users(bot, count, per_user, max_s, tag))


async def _users(bot: Bot, count: int, per_user: int, max_s: float, tag: str) -> Dict[str, float]:
    latencies: List[float] = []
    errors: List[str] = []
    deadline = time.monotonic() + max_s

    async def user(session: aiohttp.ClientSession, number: int) -> None:
        for k in range(per_user):
            if time.monotonic() > deadline:
                break
            sender = f"bench-{tag}{count}-{number}-{k // 25}"
            try:
                latencies.append(await say_async(session, bot, sender, QUESTIONS[(number + k) % len(QUESTIONS)]))
            except (aiohttp.ClientError, asyncio.TimeoutError, RuntimeError) as error:
                errors.append(str(error) or type(error).__name__)
                break

    began = time.monotonic()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=count),
                                     timeout=aiohttp.ClientTimeout(total=60)) as session:
        await asyncio.gather(*(user(session, number) for number in range(count)))
    wall = time.monotonic() - began
    if not latencies:
        raise RuntimeError(f"{bot.name}: no message of {count} users answered: {errors[:1]}")
    return {"msg_s": len(latencies) / wall, "p50_ms": statistics.median(latencies),
            "p95_ms": percentile(latencies, 0.95), "messages": len(latencies), "errors": len(errors)}


def growth(bot: Bot, turns: int = GROWTH_TURNS, max_s: float = 600) -> Dict[str, float]:
    """How a turn's cost grows along one conversation of ``turns`` messages cycling QUESTIONS: the
    median latency of turns 5-45 against that of the last 40 (``growth``, their ratio: 1.0 means a
    long conversation costs nothing more), and the same for the servers' CPU time per turn
    (``growth_cpu``, little moved by other load). At most ``max_s``: the last 40 are those sent."""
    session, sender, cpu = requests.Session(), f"bench-growth-{time.time_ns()}", cpu_reader(bot.processes.values())
    deadline = time.monotonic() + max_s
    latencies: List[float] = []
    used = [cpu()]  # CPU seconds before the first turn, then after each
    for k in range(turns):
        if time.monotonic() > deadline:
            break
        latencies.append(say(session, bot, sender, QUESTIONS[k % len(QUESTIONS)]))
        used.append(cpu())
    done = len(latencies)
    if done < 85:
        raise RuntimeError(f"{bot.name}: only {done} turns in {max_s:.0f} s")
    early, late = statistics.median(latencies[4:45]), statistics.median(latencies[-40:])
    cpu_early, cpu_late = (used[45] - used[4]) * 1000 / 41, (used[done] - used[done - 40]) * 1000 / 40
    return {"growth_early_ms": early, "growth_late_ms": late, "growth": late / early,
            "growth_cpu_early_ms": cpu_early, "growth_cpu_late_ms": cpu_late, "growth_cpu": cpu_late / cpu_early,
            "growth_turns": done}
