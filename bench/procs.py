"""What the benchmark reads about processes and the machine: memory, CPU time, machine speed."""
from __future__ import annotations

import os
import platform
import resource
import subprocess
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Tuple


def python_speed_ms() -> float:
    """Milliseconds for a fixed pure-Python workload, best of 3: how fast this machine is right now.

    Shared and virtual machines vary from minute to minute (the same build measured 10 and 15 ms of
    Rasa CPU per message a few minutes apart here); this number tells runs on a slow spell apart.
    """
    def once() -> float:
        began, total = time.perf_counter(), 0
        for number in range(300_000):
            total += len(str(number * 7))
        return (time.perf_counter() - began) * 1000

    return min(once() for _ in range(3))


def _group(process: subprocess.Popen) -> List[Tuple[Path, List[str]]]:
    """/proc entries (folder, stat fields after the name) of ``process``'s group (it leads a session:
    ops.servers.start), so the process and every child it started."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 12 and int(fields[2]) == process.pid:  # field 5 of /proc/<pid>/stat: pgrp
            members.append((stat.parent, fields))
    return members


def rss_mb(process: subprocess.Popen) -> float:
    """Resident memory (VmRSS) of ``process`` and everything in its process group."""
    total_kb = 0
    for folder, _ in _group(process):
        try:
            total_kb += next(int(line.split()[1]) for line in (folder / "status").read_text().splitlines()
                             if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            continue
    return total_kb / 1024


def cpu_s(process: subprocess.Popen) -> float:
    """CPU seconds (user + system) used so far by ``process``'s group: robust to a busy machine."""
    return sum(int(f[11]) + int(f[12]) for _, f in _group(process)) / os.sysconf("SC_CLK_TCK")


def cpu_reader(processes: Iterable[subprocess.Popen]) -> Callable[[], float]:
    """A cheap :func:`cpu_s` of several groups, for reading after every message: the groups' members
    are found once (the servers start no process while they answer)."""
    stats = [folder / "stat" for process in processes for folder, _ in _group(process)]

    def read() -> float:
        ticks = 0
        for stat in stats:
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")
    return read


def children_cpu_s() -> float:
    """CPU seconds (user + system) used so far by this process's finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def own_cpu_s() -> float:
    """CPU seconds (user + system) used so far by this process (the benchmark's own clients)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def machine_busy_s() -> float:
    """CPU seconds every core of the machine has spent busy (not idle nor waiting) since boot."""
    user, nice, system, _idle, _iowait, irq, softirq = (
        int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def load_average() -> float:
    """The machine's 1-minute load average (2 cores: above 2 means others wait for the CPU)."""
    return os.getloadavg()[0]


def machine() -> Dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal:"))
    return {"nproc": os.cpu_count(), "ram_gb": round(mem_kb / 1024 / 1024, 1), "cpu": cpu,
            "python": platform.python_version()}
