"""How the Rasa server runs its model's graph.

- ``DaskGraphRunner.run`` (every message runs the NLU graph, then the policy graph once per action)
  rebuilt the minimal graph and handed it to dask's scheduler each time. The graph is now ordered
  once per set of targets and its nodes are called in that order, with the same inputs and results.
"""
from __future__ import annotations

import functools
from typing import Any, Dict, List, Optional, Tuple


def install_sequential_graph_runs() -> None:
    from rasa.engine.exceptions import GraphRunError
    from rasa.engine.runner.dask import DaskGraphRunner

    def plan(runner: DaskGraphRunner, targets: Tuple[str, ...]) -> List[Tuple[str, List[str]]]:
        """The nodes ``targets`` need, each after the nodes it needs: (name, names of its inputs)."""
        plans = runner.__dict__.setdefault("_career_coach_plans", {})
        if targets not in plans:
            nodes, ordered, seen = runner._graph_schema.nodes, [], set()

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

    @functools.wraps(DaskGraphRunner.run)
    def run(self: DaskGraphRunner, inputs: Optional[Dict[str, Any]] = None,
            targets: Optional[List[str]] = None) -> Dict[str, Any]:
        run_targets = tuple(targets if targets else self._graph_schema.target_names)
        steps = plan(self, run_targets)
        results: Dict[str, Any] = {}
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and value in self._graph_schema.nodes:
                raise GraphRunError(f"Input value '{value}' clashes with a node name.")
            results[name] = (name, value)
        try:
            for name, needs in steps:
                results[name] = self._instantiated_nodes[name](*(results.get(need, need) for need in needs))
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error
        return dict(results[target] for target in run_targets)

    DaskGraphRunner.run = run
