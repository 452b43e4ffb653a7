"""Equivalent, cheaper versions of Rasa 3.6 hot spots, installed only in the Rasa server's process.

Each was found by profiling under ``make bench`` (py-spy, cProfile) and returns what Rasa's own code
returns; tests/test_speedups.py checks each against the original (kept as ``__wrapped__``). The
modules follow the message: the graph (NLU and policies), the tracker, the action server.
"""
from __future__ import annotations

from typing import Callable, Tuple

from bot.speedups.action_server import (
    encode_json,
    fast_action_result_check,
    install_action_result_check,
    install_kept_sessions,
)
from bot.speedups.graph import install_sequential_graph_runs
from bot.speedups.tracker import (
    STATES_MEMO,
    install_event_type_cache,
    install_incremental_applied_events,
    install_incremental_states,
)

__all__ = ["STATES_MEMO", "encode_json", "fast_action_result_check", "install"]

INSTALLERS: Tuple[Callable[[], None], ...] = (
    install_sequential_graph_runs,
    install_incremental_states,
    install_incremental_applied_events,
    install_event_type_cache,
    install_action_result_check,
    install_kept_sessions,
)
_installed = False


def install() -> None:
    """Install every speed-up in this process (idempotent)."""
    global _installed
    if not _installed:
        for installer in INSTALLERS:
            installer()
        _installed = True
