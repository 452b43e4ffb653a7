"""`make bench ARGS=--scale-out`: throughput of 2 Rasa replicas against 1, behind nginx.

Two Rasa servers as `make run` starts them, sharing one action server and the tracker and lock
stores of the environment: CAREER_COACH_TRACKER_URL (PostgreSQL) and CAREER_COACH_REDIS_URL, with
their passwords, must be set (replicas cannot share the embedded SQLite file and in-memory locks).
nginx runs deploy/nginx.conf (ops/nginx.py) in front of replica A alone, then of A and B, three
times over, alternately; 40 users at once (enough senders for nginx's hash to share them out
evenly), each message naming its sender for nginx's sticky routing.
"""
from __future__ import annotations

import json
import shutil
import statistics
import tempfile
from collections import Counter
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from subprocess import Popen
from typing import Any, Dict, List

from bench.load import QUESTIONS, Bot, users
from bench.procs import cpu_s, machine_busy_s, own_cpu_s, python_speed_ms
from ops.nginx import ACCESS_LOG, nginx
from ops.preflight import check_stores
from ops.servers import action_server, free_port, rasa_server_command, start, stop, wait_until_up
from settings import Settings

USERS, PER_USER, MAX_S = 40, 40, 120
ROUNDS = 3
GOAL = 1.6  # 2 replicas against 1, on this 2-core machine


def _replicas(stack: ExitStack, settings: List[Settings]) -> Dict[str, Popen]:
    """The Rasa servers of ``settings``, started together and answering; by "127.0.0.1:<port>"."""
    processes = {}
    for each in settings:
        process = start(rasa_server_command(each), each, "rasa")
        stack.callback(stop, process)
        processes[f"127.0.0.1:{each.rasa_port}"] = (each, process)
    for address, (each, process) in processes.items():
        wait_until_up(f"{each.rasa_url}/", process, 180, f"the Rasa replica at {address}",
                      each.log_dir / "rasa.log")
        users(Bot(address, each.rasa_url), 1, len(QUESTIONS), 60, tag="warm-")
    return {address: process for address, (_, process) in processes.items()}


def _cpu(replicas: Dict[str, Popen], actions: Popen) -> Dict[str, float]:
    """CPU seconds so far: each replica, the action server, these clients, and the whole machine."""
    return {**{address: cpu_s(process) for address, process in replicas.items()}, "actions": cpu_s(actions),
            "clients": own_cpu_s(), "machine": machine_busy_s()}


def _through_nginx(replicas: Dict[str, Popen], actions: Popen, settings: Settings, tag: str) -> Dict[str, Any]:
    """The users' load through nginx in front of ``replicas``: throughput, latency, how many messages
    each replica served, and where the CPU went per message ("other": PostgreSQL, Redis, nginx and
    anything else running on the machine)."""
    before = _cpu(replicas, actions)
    with nginx(list(replicas), settings) as url:
        measured = users(Bot(f"nginx -> {len(replicas)}", url), USERS, PER_USER, MAX_S, tag=tag)
        after = _cpu(replicas, actions)
    served = Counter(json.loads(line)["upstream"] for line in
                     (settings.log_dir / ACCESS_LOG).read_text(encoding="utf-8").splitlines() if line)
    cpu_ms = {name: (after[name] - before[name]) * 1000 / measured["messages"] for name in before}
    cpu_ms["other"] = cpu_ms["machine"] - sum(value for name, value in cpu_ms.items() if name != "machine")
    return {"replicas": len(replicas), **measured, "served": dict(served), "cpu_ms_msg": cpu_ms}


def run(base: Settings) -> Dict[str, Any]:
    if not (base.tracker_url and base.redis_url):
        raise SystemExit("--scale-out needs shared stores: set CAREER_COACH_TRACKER_URL (PostgreSQL) and "
                         "CAREER_COACH_REDIS_URL (and their passwords), see README: Persistence and scale-out")
    folder = Path(tempfile.mkdtemp(prefix="career-coach-scale-"))
    action_port = free_port()
    a, b = (replace(base, host="127.0.0.1", rasa_port=free_port(), action_port=action_port, web_port=0,
                    state_dir=folder / name) for name in ("replica-a", "replica-b"))
    check_stores(a)
    runs: List[Dict[str, Any]] = []
    result: Dict[str, Any] = {"python_ms": python_speed_ms(), "users": USERS, "per_user": PER_USER}
    print("starting the action server and 2 Rasa replicas ...", flush=True)
    with ExitStack() as stack:
        actions = stack.enter_context(action_server(a))
        replicas = _replicas(stack, [a, b])
        one = dict(list(replicas.items())[:1])
        for number in range(ROUNDS):
            for group in (one, replicas):
                print(f"round {number + 1}: nginx in front of {len(group)} replica(s) ...", flush=True)
                nginx_settings = replace(a, state_dir=folder / f"nginx-{len(runs)}")
                runs.append(_through_nginx(group, actions, nginx_settings, tag=f"r{number}n{len(group)}-"))
    shutil.rmtree(folder, ignore_errors=True)
    for count in (1, 2):
        result[f"replicas{count}_msg_s"] = statistics.median(r["msg_s"] for r in runs if r["replicas"] == count)
    ratios = [two["msg_s"] / one["msg_s"] for one, two in zip(runs[::2], runs[1::2], strict=True)]  # round by round
    result.update({"ratios": ratios, "ratio": statistics.median(ratios), "goal": GOAL, "runs": runs,
                   "python_ms_after": python_speed_ms()})
    return result


def table(result: Dict[str, Any]) -> str:
    rows = [f"{'replicas':>8}{'msg/s':>8}{'p50 ms':>8}{'p95 ms':>8}  messages served by each; "
            "CPU ms per message: replicas, actions, clients, other = machine"]
    for measured in result["runs"]:
        cpu = measured["cpu_ms_msg"]
        replicas = [address for address in cpu if address.startswith("127.")]
        rows.append(f"{measured['replicas']:>8}{measured['msg_s']:>8.1f}{measured['p50_ms']:>8.0f}"
                    f"{measured['p95_ms']:>8.0f}  {'/'.join(str(measured['served'].get(a, 0)) for a in replicas)}; "
                    f"{'+'.join(f'{cpu[a]:.1f}' for a in replicas)}, {cpu['actions']:.1f}, {cpu['clients']:.1f}, "
                    f"{cpu['other']:.1f} = {cpu['machine']:.1f}")
    rows.append(f"(other: PostgreSQL, Redis, nginx and anything else running on the machine)\n\n"
                f"2 replicas against 1, round by round: {', '.join(f'{r:.2f}x' for r in result['ratios'])}; "
                f"median {result['ratio']:.2f}x (goal >= {GOAL:g}x: {'yes' if result['ratio'] >= GOAL else 'NO'}); "
                f"python_ms {result['python_ms']:.0f} before, {result['python_ms_after']:.0f} after")
    return "\n".join(rows)
