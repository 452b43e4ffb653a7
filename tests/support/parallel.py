"""How the whole suite is shared out between two pytest-xdist workers (pyproject.toml: ``-n auto --dist
loadgroup``; tests named on the command line run in one process, as before). Each worker is a pytest
process of its own, with session fixtures of its own, so:

- a test that talks to a server the session starts once (tests/conftest.py: the shared stack, the
  stack with the speed-ups off, the lone Rasa server, the model loaded in-process) is grouped with
  the other tests of that server: each is started on one worker only;
- every other test is grouped with the rest of its module (its module fixtures run once);
- the groups that load the model (a session server, or servers a module starts for itself) are sent
  out first, the largest first; the quick modules fill in at the end, so both workers end together.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional

import pytest

if TYPE_CHECKING:
    from xdist.scheduler import LoadGroupScheduling

WORKERS = 2  # the cores of every machine the suite runs on (CI's too)
# Session fixtures that start a server or load the model -> the group of the tests that use them. The
# training data is read where the dashboard's export test, which needs the shared stack, reads it.
SESSION_GROUPS = {"bot_settings": "shared stack", "bot_stack": "shared stack", "project_data": "shared stack",
                  "rasa_s_own_stack": "speed-ups off stack", "lone_rasa_server": "lone Rasa server",
                  "agent": "model in-process"}
LOADS_THE_MODEL = "loads the model: "  # the prefix of the groups sent out first


def workers(config: pytest.Config) -> Optional[int]:
    """``-n auto``: WORKERS for the whole suite (pytest's testpaths, maybe with -k or -m), none (one
    process) for tests named on the command line; PYTEST_XDIST_AUTO_NUM_WORKERS decides when it is set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    return WORKERS if config.args_source is pytest.Config.ArgsSource.TESTPATHS else 0


def group_items(items: List[pytest.Item], stack_of: Callable[[pytest.Item], Optional[str]]) -> None:
    """Mark each item with its ``xdist_group``; ``stack_of(item)`` names the session fixture the item
    asks for by name when it runs (tests/conftest.py's ``conversation``), if any."""
    groups: Dict[pytest.Item, str] = {}
    loaders = set(SESSION_GROUPS.values())
    for item in items:
        names = [*item.fixturenames, stack_of(item)]
        served = [SESSION_GROUPS[name] for name in names if name in SESSION_GROUPS]
        groups[item] = served[0] if served else item.nodeid.split("::")[0]
        if "trained_model" in item.fixturenames:  # it starts Rasa servers (or loads the model) of its own
            loaders.add(groups[item])
    for item, group in groups.items():
        item.add_marker(pytest.mark.xdist_group(LOADS_THE_MODEL + group if group in loaders else group))


def scheduler(config: pytest.Config, log: Any) -> LoadGroupScheduling:
    """xdist's ``loadgroup`` scheduling (the largest group first), the groups that load the model first."""
    from xdist.scheduler import LoadGroupScheduling

    class ModelLoadersFirst(LoadGroupScheduling):
        def _assign_work_unit(self, node: Any) -> None:
            first = next((scope for scope in self.workqueue if scope.startswith(LOADS_THE_MODEL)), None)
            if first is not None:
                self.workqueue.move_to_end(first, last=False)
            super()._assign_work_unit(node)

    return ModelLoadersFirst(config, log)
