"""A career path as structured data: the custom payload the web widget draws and Slack lays out.

Sent after the answer's text as ``dispatcher.utter_message(json_message={"path": PATH})`` (REST:
a message ``{"custom": {"path": PATH}}``; socket.io: a ``bot_uttered`` event with that dict).
The text answer stays, for screen readers and text-only channels. ``PATH`` is::

    {"type": "career_path",
     "title": "From project engineer to engineering director",
     "layout": "chain" | "layers",           # one role a row, or the ladder's roles by stage
     "layers": ["Entry-level", ...],          # row captions ("layers" only; [] for a chain)
     "steps": [{"role": "project engineer",   # the KB's canonical name
                "label": "Project engineer",  # as shown
                "layer": 0,                   # row index
                "detail": "build …"}],        # optional: what the step asks (the planner's)
     "edges": [{"from": "project engineer", "to": "engineering manager",
                "duration": "between five and eight years" | null,  # as the article puts it
                "implied": false}],           # true: the KB infers a step the article doesn't state
     "current": "project engineer" | null,    # highlighted: where the user is
     "goal": "engineering director" | null,   # highlighted: where they want to be
     "notes": ["…"]}                          # lines of the answer beside the path (Slack shows them)

Every role, duration and flag comes from :mod:`knowledge.queries`.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from actions.render import Reply, render_text, role_label, slack_footer, title
from knowledge.queries import kb
from knowledge.records import Step

Path = Dict[str, Any]
LADDER_TITLE = "The engineering career ladder"


def chain(steps: Sequence[Step], current: Optional[str] = None, goal: Optional[str] = None,
          details: Optional[Dict[str, str]] = None, notes: Sequence[str] = ()) -> Path:
    """A path of consecutive steps, one role a row; ``details`` by role name."""
    names = [steps[0].from_role] + [step.to_role for step in steps]
    heading = f"From {role_label(names[0])} to {role_label(names[-1])}"
    return _path(heading, "chain", [], [_step(name, index, (details or {}).get(name)) for index, name in
                                        enumerate(names)], steps, current, goal, notes)


def ladder(current: Optional[str] = None, goal: Optional[str] = None) -> Path:
    """The KB's whole progression graph, its roles in rows by career stage."""
    edges = kb().steps()
    names = list(dict.fromkeys(name for step in edges for name in (step.from_role, step.to_role)))
    stages = [stage for stage in kb().stages()
              if any(kb().role(name).stage == stage.key for name in names)]
    row = {stage.key: index for index, stage in enumerate(stages)}
    ordered = sorted(names, key=lambda name: row[kb().role(name).stage])
    in_graph = set(names)
    return _path(LADDER_TITLE, "layers", [stage.name for stage in stages],
                 [_step(name, row[kb().role(name).stage]) for name in ordered], edges,
                 current if current in in_graph else None, goal if goal in in_graph else None, ())


def _step(name: str, layer: int, detail: Optional[str] = None) -> Dict[str, Any]:
    step: Dict[str, Any] = {"role": name, "label": title(role_label(name)), "layer": layer}
    if detail:
        step["detail"] = detail
    return step


def _path(heading: str, layout: str, layers: List[str], steps: List[Dict[str, Any]], edges: Sequence[Step],
          current: Optional[str], goal: Optional[str], notes: Sequence[str]) -> Path:
    return {
        "type": "career_path", "title": heading, "layout": layout, "layers": layers, "steps": steps,
        "edges": [{"from": e.from_role, "to": e.to_role, "duration": e.duration.text if e.duration else None,
                   "implied": e.implied} for e in edges],
        "current": current, "goal": goal, "notes": list(notes),
    }


def arrow_text(edges: Sequence[Dict[str, Any]]) -> str:
    """The arrow into a row: "↓ between five and eight years (implied by the article)"."""
    durations = list(dict.fromkeys(edge["duration"] for edge in edges if edge["duration"]))
    text = f"↓ {'; '.join(durations)}" if durations else "↓"
    if edges and all(edge["implied"] for edge in edges):
        text += " (implied: the article doesn't state this step)"
    return text


def rows(path: Path) -> List[List[Dict[str, Any]]]:
    """The path's steps grouped by row, in row order."""
    grouped: Dict[int, List[Dict[str, Any]]] = {}
    for step in path["steps"]:
        grouped.setdefault(step["layer"], []).append(step)
    return [grouped[layer] for layer in sorted(grouped)]


def marker(path: Path, role: str) -> str:
    return " — you are here" if role == path["current"] else " — your goal" if role == path["goal"] else ""


def slack_message(reply: Reply, path: Path) -> Dict[str, Any]:
    """The path as Slack blocks: a header, a section a row (a step, or a stage of the ladder) with
    the arrow into it as context, the notes, the source and the buttons; the text as fallback."""
    blocks: List[Dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": path["title"][:150]}}]
    for index, row in enumerate(rows(path)):
        names = {step["role"] for step in row}
        into = [edge for edge in path["edges"] if edge["to"] in names and edge["from"] not in names]
        if index:
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": arrow_text(into)}]})
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _row_text(path, index, row)[:3000]}})
    if path["notes"]:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(path["notes"])[:3000]}})
    return {"text": render_text(reply), "blocks": blocks + slack_footer(reply)}


def _row_text(path: Path, index: int, row: List[Dict[str, Any]]) -> str:
    if path["layers"]:
        roles = " · ".join(step["label"] + marker(path, step["role"]) for step in row)
        return f"*{path['layers'][index]}*\n{roles}"
    step = row[0]
    text = f"*{step['label']}*{marker(path, step['role'])}"
    return f"{text}\n{step['detail']}" if step.get("detail") else text
