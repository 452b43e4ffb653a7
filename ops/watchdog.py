"""`python -m ops.watchdog`: stops a launcher's servers when the launcher dies without doing it.

ops.servers starts one watchdog per process that starts servers and writes to its stdin a line per
server: ``+<pgid>`` once the server runs (in a process group of its own), ``-<pgid>`` once it has
been stopped. The end of the input means that process is gone, however it ended (on SIGKILL too,
the kernel closes the pipe): every group still listed gets SIGTERM, then SIGKILL if anything in it
is left after :data:`GRACE` seconds. That reaches what the servers started in turn, which the
servers' own parent-death signal does not.
"""
from __future__ import annotations

import os
import signal
import sys
import time
from typing import Iterable, Set

GRACE = 5.0  # seconds a server gets to stop after SIGTERM, here and in ops.servers.stop


def signal_groups(groups: Iterable[int], signum: int) -> Set[int]:
    """Send ``signum`` to each process group; the groups that still had a process."""
    alive = set()
    for group in groups:
        try:
            os.killpg(group, signum)
            alive.add(group)
        except ProcessLookupError:
            pass
    return alive


def end(groups: Set[int]) -> None:
    """SIGTERM to every group, SIGKILL to those not empty after GRACE seconds."""
    alive = signal_groups(groups, signal.SIGTERM)
    deadline = time.monotonic() + GRACE
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = signal_groups(alive, 0)
    signal_groups(alive, signal.SIGKILL)


def main() -> None:
    groups: Set[int] = set()
    for line in sys.stdin:
        sign, group = line[:1], int(line[1:])
        (groups.add if sign == "+" else groups.discard)(group)
    end(groups)


if __name__ == "__main__":
    main()
