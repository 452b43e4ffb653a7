"""`make bench ARGS=--soak`: 20,000 messages from 2,000 senders on the stack `make run` serves.

The servers start as ops.servers.stack() starts them (stores checked, the action server, then the
Rasa server) with the environment's settings, the rate limit included, on free ports and with a
temporary state folder, without the demo page (no part of a REST message's path). 10 users at once
each play whole conversations of 10 messages. Every 1,000 messages the resident memory of each
server (with its children) is read: after the warm-up (the first 2,000 messages) it may grow by at
most 10% to the end, and no message may fail. Bounded to 45 minutes.
"""
from __future__ import annotations

import shutil
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any, Dict, List

import requests

from bench.load import QUESTIONS, Bot, percentile, say
from bench.procs import python_speed_ms, rss_mb
from ops.servers import action_server, free_port, rasa_server
from settings import Settings

SENDERS, PER_SENDER, USERS = 2000, 10, 10
EVERY, WARMUP = 1000, 2000  # messages between memory readings; messages before the baseline reading
MAX_GROWTH = 0.10
MAX_S = 45 * 60


class _Progress:
    """Messages sent so far, failures, latencies and the memory curve, shared by the users."""

    def __init__(self, bot: Bot) -> None:
        self.bot, self.lock = bot, threading.Lock()
        self.sent = self.errors = 0
        self.examples: List[str] = []
        self.latencies: List[float] = []
        self.curve: List[Dict[str, float]] = []
        self.sample()

    def sample(self) -> None:
        point = {"messages": self.sent, **{f"{role}_mb": round(rss_mb(process), 1)
                                           for role, process in self.bot.processes.items()}}
        self.curve.append(point)
        print(f"  {self.sent:>6,} messages, {self.errors} errors: Rasa {point['rasa_mb']:.0f} MB, "
              f"actions {point['action_mb']:.0f} MB", flush=True)

    def count(self, latency: float = 0.0, error: str = "") -> None:
        with self.lock:
            self.sent += 1
            if error:
                self.errors += 1
                if len(self.examples) < 5:
                    self.examples.append(error)
            else:
                self.latencies.append(latency)
            if self.sent % EVERY == 0:
                self.sample()


def _converse(progress: _Progress, number: int, deadline: float) -> None:
    session = requests.Session()
    for k in range(PER_SENDER):
        if time.monotonic() > deadline:
            return
        text = QUESTIONS[(number + k) % len(QUESTIONS)]
        try:
            progress.count(latency=say(session, progress.bot, f"soak-{number}", text))
        except (requests.RequestException, RuntimeError, ValueError) as error:
            progress.count(error=f"{text!r}: {error}"[:200])


def growth(curve: List[Dict[str, float]], role: str) -> float:
    """How much ``role``'s memory grew from the reading after the warm-up to the last reading."""
    baseline = next(point for point in curve if point["messages"] >= WARMUP)
    return curve[-1][f"{role}_mb"] / baseline[f"{role}_mb"] - 1


def run(base: Settings) -> Dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="career-coach-soak-"))
    settings = replace(base, host="127.0.0.1", rasa_port=free_port(), action_port=free_port(), web_port=0,
                       state_dir=folder)
    result: Dict[str, Any] = {"python_ms": python_speed_ms(), "senders": SENDERS, "planned": SENDERS * PER_SENDER,
                              "users": USERS, "warmup": WARMUP}
    print(f"soak: {SENDERS * PER_SENDER:,} messages from {SENDERS:,} senders, {USERS} at once ...", flush=True)
    with action_server(settings) as actions, rasa_server(settings) as rasa:
        progress = _Progress(Bot("Career Coach", settings.rasa_url, {"rasa": rasa, "action": actions}))
        began = time.monotonic()
        with ThreadPoolExecutor(USERS) as pool:
            list(pool.map(lambda number: _converse(progress, number, began + MAX_S), range(SENDERS)))
        seconds = time.monotonic() - began
        if progress.sent % EVERY:
            progress.sample()
    shutil.rmtree(folder, ignore_errors=True)
    result.update({"messages": progress.sent, "errors": progress.errors, "error_examples": progress.examples,
                   "seconds": seconds, "msg_s": progress.sent / seconds, "curve": progress.curve,
                   "python_ms_after": python_speed_ms()})
    if progress.latencies:
        result.update({"p50_ms": statistics.median(progress.latencies),
                       "p95_ms": percentile(progress.latencies, 0.95)})
    if progress.sent >= WARMUP:
        result.update({f"{role}_rss_growth": growth(progress.curve, role) for role in ("rasa", "action")})
    return result


def passed(result: Dict[str, Any]) -> bool:
    """Every planned message answered, and neither server's memory grew beyond MAX_GROWTH."""
    return (result["messages"] == result["planned"] and result["errors"] == 0
            and all(result.get(f"{role}_rss_growth", 1.0) <= MAX_GROWTH for role in ("rasa", "action")))


def table(result: Dict[str, Any]) -> str:
    rows = [f"{'messages':>9}{'rasa MB':>10}{'action MB':>11}"]
    rows += [f"{point['messages']:>9,}{point['rasa_mb']:>10.1f}{point['action_mb']:>11.1f}"
             for point in result["curve"]]
    rows.append(f"\n{result['messages']:,} of {result['planned']:,} messages in {result['seconds']:.0f} s "
                f"({result['msg_s']:.1f} msg/s, p50 {result.get('p50_ms', 0):.0f} ms, "
                f"p95 {result.get('p95_ms', 0):.0f} ms), {result['errors']} errors"
                + "".join(f"\n  {example}" for example in result["error_examples"]))
    for role in ("rasa", "action"):
        if f"{role}_rss_growth" in result:
            rows.append(f"{role} server memory after {WARMUP:,} messages -> end: "
                        f"{result[f'{role}_rss_growth']:+.1%} (at most {MAX_GROWTH:+.0%})")
    rows.append(f"python_ms {result['python_ms']:.0f} before, {result['python_ms_after']:.0f} after; "
                + ("PASSED" if passed(result) else "FAILED"))
    return "\n".join(rows)
