"""A career path in Slack: one section block a step with the arrow into it as context, through the
shared stack posting to the fake Slack Web API (tests/support/slack.py)."""
from __future__ import annotations

import pytest

from actions.render import role_label, title
from knowledge.queries import kb
from tests.test_channel_slack import user

pytestmark = pytest.mark.stack


def test_route_is_laid_out_as_blocks(slack) -> None:
    origin, target = "staff engineer", "vp of engineering"
    steps = kb().path_between(origin, target)
    posts = user(slack, "U_PATH").say(f"what's the career path from {origin} to {target}?", role_label(target))
    assert len(posts) == 1, [post["text"] for post in posts]  # the blocks, not the text and then a payload
    blocks = posts[0]["blocks"]
    assert blocks[0]["type"] == "header" and role_label(target) in blocks[0]["text"]["text"]
    path = blocks[1:2 * len(steps) + 2]  # a section a step, the arrow into the next one between
    assert [block["type"] for block in path] == ["section", "context"] * len(steps) + ["section"], blocks
    sections = [block["text"]["text"] for block in path[::2]]
    names = [steps[0].from_role] + [step.to_role for step in steps]
    assert [text.split("*")[1] for text in sections] == [title(role_label(name)) for name in names]
    assert "you are here" in sections[0] and "your goal" in sections[-1]
    for block, step in zip(path[1::2], steps, strict=True):
        arrow = block["elements"][0]["text"]
        assert arrow.startswith("↓") and ("implied" in arrow) == step.implied, arrow
        assert step.duration is None or step.duration.text in arrow, arrow
    assert any(block["type"] == "context" and "Source:" in block["elements"][0]["text"] for block in blocks)
    assert role_label(target) in posts[0]["text"]  # the text answer stays, as the notification's fallback
