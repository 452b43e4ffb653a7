"""How the Rasa server runs its model's graph.

``DaskGraphRunner.run`` (every message runs the NLU graph, then the policy graph once per action)
rebuilt the minimal graph and handed it to dask's scheduler each time. :class:`SequentialGraphRunner`
orders the graph once per set of targets and calls its nodes in that order, with the same inputs
and results. Rasa's processor names the runner class it loads a model with and offers no setting,
so the patch is that name (``rasa.core.processor.DaskGraphRunner``), guarded by the source of the
``run`` it overrides.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner

from bot.speedups import Patch


class SequentialGraphRunner(DaskGraphRunner):
    """``DaskGraphRunner`` that runs the nodes one after another in a plan made once per targets."""

    def _plan(self, targets: Tuple[str, ...]) -> List[Tuple[str, List[str]]]:
        """The nodes ``targets`` need, each after the nodes it needs: (name, names of its inputs)."""
        plans = self.__dict__.setdefault("_plans", {})
        if targets not in plans:
            nodes, ordered, seen = self._graph_schema.nodes, [], set()

            def visit(name: str) -> None:
                if name in seen or name not in nodes:  # inputs such as __message__ are not nodes
                    return
                seen.add(name)
                needs = list(nodes[name].needs.values())
                for need in needs:
                    visit(need)
                ordered.append((name, needs))

            for target in targets:
                visit(target)
            plans[targets] = ordered
        return plans[targets]

    def run(self, inputs: Optional[Dict[str, Any]] = None,
            targets: Optional[List[str]] = None) -> Dict[str, Any]:
        run_targets = tuple(targets if targets else self._graph_schema.target_names)
        results: Dict[str, Any] = {}
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and value in self._graph_schema.nodes:
                raise GraphRunError(f"Input value '{value}' clashes with a node name.")
            results[name] = (name, value)
        try:
            for name, needs in self._plan(run_targets):
                results[name] = self._instantiated_nodes[name](*(results.get(need, need) for need in needs))
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error
        return dict(results[target] for target in run_targets)


SEQUENTIAL_RUNS = Patch("rasa.core.processor", "DaskGraphRunner", "45f0f52f574f3aa9",
                        lambda _dask: SequentialGraphRunner,
                        guarded="rasa.engine.runner.dask:DaskGraphRunner.run")
