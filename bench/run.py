"""`make bench`: how fast Career Coach trains, starts and answers, on this machine, over loopback.

    make bench                        training, start-up, memory, CPU, latency, throughput, and how a
                                      turn's latency grows along one 400-turn conversation
    make bench ARGS=--skip-train      the same without timing a training run
    make bench ARGS=--vs-vanilla      the same measures, alternately on the stock `rasa init` bot
                                      (bench/vanilla.py), side by side with ratios and goals
    make bench ARGS=--soak            20,000 messages from 2,000 senders on the `make run` stack;
                                      errors and the servers' memory curve (bench/soak.py)
    make bench ARGS=--scale-out       throughput of 2 Rasa replicas against 1 behind nginx
                                      (bench/scale.py; needs PostgreSQL and Redis)

Prints a table and writes bench/results/<timestamp>.json. Every load loop is bounded in messages
and seconds. The benchmark's servers run with the rate limit off (one conversation sends 400
messages), except the soak's, which run as `make run` does.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import requests

from bench import scale, soak, vanilla
from bench.load import QUESTIONS, Bot, growth, percentile, say, users, wait_for_first_answer
from bench.procs import children_cpu_s, cpu_s, load_average, machine, python_speed_ms, rss_mb
from ops.servers import (
    BIN,
    ROOT,
    action_server_command,
    child_environment,
    free_port,
    rasa_server_command,
    start,
    stop,
    wait_until_up,
)
from settings import RATE_LIMIT, Settings

RESULTS = ROOT / "bench" / "results"
BENCH_ENVIRONMENT = {"RASA_TELEMETRY_ENABLED": "false"}  # for every server the benchmark starts
SINGLE_USER_MESSAGES = 200  # 8 conversations of 25 messages: p50 steady to about a millisecond
# name: (Career Coach's target or None, which way is better)
TARGETS: Dict[str, Tuple[Optional[float], str]] = {
    "python_ms": (None, "<="), "python_ms_after": (None, "<="),  # machine speed (python_speed_ms), no target
    "train_s": (60, "<="), "train_cpu_s": (None, "<="), "ready_s": (15, "<="),
    "rasa_rss_mb": (900, "<="), "action_rss_mb": (None, "<="),
    "rasa_cpu_ms_msg": (None, "<="), "action_cpu_ms_msg": (None, "<="),
    "single_p50_ms": (20, "<="), "single_p95_ms": (None, "<="),
    "users10_msg_s": (60, ">="), "users10_p50_ms": (None, "<="), "users10_p95_ms": (None, "<="),
    "users10_errors": (0, "<="), "users50_msg_s": (None, ">="), "users50_p50_ms": (None, "<="),
    "users50_p95_ms": (None, "<="), "users50_errors": (0, "<="),
    "growth_early_ms": (None, "<="), "growth_late_ms": (None, "<="), "growth": (1.3, "<="),
    "growth_cpu_early_ms": (None, "<="), "growth_cpu_late_ms": (None, "<="), "growth_cpu": (None, "<="),
}
# Against the stock bot: how many times better Career Coach must be.
RATIO_GOALS: Dict[str, float] = {"single_p50_ms": 4.0, "users10_msg_s": 5.0}


def train(settings: Settings) -> Dict[str, float]:
    """Time a full `rasa train --force`, as `make train` runs it, into a temporary folder (the
    project's model is untouched): wall-clock seconds, and CPU seconds (less sensitive to a busy
    machine)."""
    with tempfile.TemporaryDirectory() as out:
        began, cpu = time.monotonic(), children_cpu_s()
        subprocess.run([str(BIN / "python"), "-m", "ops.rasa_server", "train", "--force", "--out", out,
                        "--fixed-model-name", "bench"],
                       cwd=ROOT, env=child_environment(settings), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900)
        return {"train_s": time.monotonic() - began, "train_cpu_s": children_cpu_s() - cpu}


@contextmanager
def career_coach(settings: Settings) -> Iterator[Bot]:
    """Career Coach's action server and Rasa server, started together as `make run` starts them."""
    began = time.monotonic()
    actions = start(action_server_command(settings), settings, "actions")
    rasa = start(rasa_server_command(settings), settings, "rasa")
    try:
        wait_until_up(f"{settings.action_url}/health", actions, 60, "the action server")
        bot = Bot("Career Coach", settings.rasa_url, {"rasa": rasa, "action": actions})
        bot.ready_s = wait_for_first_answer(bot, began)
        yield bot
    finally:
        stop(rasa)
        stop(actions)


def single_user(bot: Bot) -> Dict[str, float]:
    """One user after a warm-up: latency, and each server's CPU time per message."""
    session = requests.Session()
    for text in QUESTIONS[:5]:  # warm-up, not measured
        say(session, bot, "bench-warm", text)
    before = {role: cpu_s(process) for role, process in bot.processes.items()}
    single = [say(session, bot, f"bench-1-{i // 25}", QUESTIONS[i % len(QUESTIONS)])
              for i in range(SINGLE_USER_MESSAGES)]
    results = {f"{role}_cpu_ms_msg": (cpu_s(process) - before[role]) * 1000 / len(single)
               for role, process in bot.processes.items()}
    return {**results, "single_p50_ms": statistics.median(single), "single_p95_ms": percentile(single, 0.95)}


def many_users(count: int, per_user: int) -> Callable[[Bot], Dict[str, float]]:
    def phase(bot: Bot) -> Dict[str, float]:
        return {f"users{count}_{key}": value for key, value in users(bot, count, per_user, max_s=60).items()}
    return phase


# (what, how, also measured on the stock bot)
PHASES: List[Tuple[str, Callable[[Bot], Dict[str, float]], bool]] = [
    ("single user", single_user, True), ("10 users at once", many_users(10, 30), True),
    ("50 users at once", many_users(50, 10), False), ("one 400-turn conversation", growth, True),
]


def measure(base: Settings, skip_train: bool, vs_vanilla: bool) -> Dict[str, Dict[str, Any]]:
    """Every measure on Career Coach (and the stock bot), on free ports and a temporary state folder;
    with the stock bot, each phase runs on one bot, then the other, while both servers are up."""
    results: Dict[str, Dict[str, Any]] = {"ours": {"python_ms": python_speed_ms()}}
    if vs_vanilla:
        meta = vanilla.prepare()
        results["vanilla"] = {"python_ms": results["ours"]["python_ms"], "trained": meta["trained"],
                              "train_s": meta["train_s"], "train_cpu_s": meta["train_cpu_s"]}  # trained once
    if not skip_train:
        print("training (rasa train --force) ...", flush=True)
        results["ours"].update(train(base))
    folder = Path(tempfile.mkdtemp(prefix="career-coach-bench-"))
    settings = replace(base, host="127.0.0.1", rasa_port=free_port(), action_port=free_port(), web_port=0,
                       state_dir=folder)
    print("starting the servers ...", flush=True)
    with ExitStack() as running:
        bots = {"ours": running.enter_context(career_coach(settings))}
        if vs_vanilla:
            bots["vanilla"] = running.enter_context(vanilla.serve(settings))
        for label, phase, both in PHASES:
            for key, bot in bots.items() if both else [("ours", bots["ours"])]:
                print(f"{bot.name}: {label} ...", flush=True)
                results[key].update(phase(bot))
        after = python_speed_ms()
        for key, bot in bots.items():
            results[key].update({"ready_s": bot.ready_s, "python_ms_after": after})
            results[key].update({f"{role}_rss_mb": rss_mb(process) for role, process in bot.processes.items()})
    shutil.rmtree(folder, ignore_errors=True)
    return results


def _shown(value: Optional[float]) -> str:
    if value is None or isinstance(value, int):
        return "" if value is None else str(value)
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


def _ok(met: Optional[bool]) -> str:
    return "" if met is None else "yes" if met else "NO"


def _meets(value: float, target: float, op: str) -> bool:
    return value <= target if op == "<=" else value >= target


def table(ours: Dict[str, Any], stock: Optional[Dict[str, Any]] = None) -> str:
    """The measures against their targets; with the stock bot's, how many times better ours is."""
    head = f"{'measure':<18}{'ours':>10}{'target':>9}  ok"
    rows = [head + (f"{'vanilla':>10}{'x better':>10}{'goal':>7}  ok" if stock else "")]
    for name, (target, op) in TARGETS.items():
        value, other = ours.get(name), (stock or {}).get(name)
        if value is None and other is None:
            continue
        met = None if target is None or value is None else _meets(value, target, op)
        row = f"{name:<18}{_shown(value):>10}{'' if target is None else f'{op}{target:g}':>9}  {_ok(met):<3}"
        if stock is not None:
            better = None if None in (value, other) or name.startswith("python_ms") or not value else (
                other / value if op == "<=" else value / other)
            goal = RATIO_GOALS.get(name)
            reached = None if goal is None or better is None else better >= goal
            row += (f"{_shown(other):>10}{_shown(better):>10}{'' if goal is None else f'>={goal:g}':>7}"
                    f"  {_ok(reached)}")
        rows.append(row.rstrip())
    return "\n".join(rows)


def save(record: Dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(record, indent=2), encoding="utf-8")
    return path


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-train", action="store_true", help="do not time a training run")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--vs-vanilla", action="store_true", help="measure the stock `rasa init` bot alongside")
    mode.add_argument("--soak", action="store_true", help="20,000 messages on the `make run` stack")
    mode.add_argument("--scale-out", action="store_true", help="2 Rasa replicas against 1 behind nginx")
    args = parser.parse_args(argv)
    os.environ.update(BENCH_ENVIRONMENT)
    if not args.soak:
        os.environ[RATE_LIMIT] = "0"
    base = Settings.from_env(os.environ)
    record: Dict[str, Any] = {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "machine": machine(),
                              "load_average_before": load_average()}
    passed = True
    if args.soak:
        record["soak"] = soak.run(base)
        shown, passed = soak.table(record["soak"]), soak.passed(record["soak"])
    elif args.scale_out:
        record["scale_out"] = scale.run(base)
        shown = scale.table(record["scale_out"])
    else:
        measured = measure(base, args.skip_train, args.vs_vanilla)
        record["results"] = measured["ours"]
        if "vanilla" in measured:
            record["vanilla"] = measured["vanilla"]
        shown = table(measured["ours"], measured.get("vanilla"))
    record["load_average_after"] = load_average()
    path = save(record)
    print(f"\n{record['machine']}, load average {record['load_average_before']:.2f} -> "
          f"{record['load_average_after']:.2f}\n{shown}\n\nsaved to {path.relative_to(ROOT)}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
