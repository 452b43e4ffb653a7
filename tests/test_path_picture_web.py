"""The career path drawn by the web widget (widget/path.js) in Chromium, against the real stack.

Uses tests/test_channel_web.py's fixtures (the demo page, Debian's Chromium). Roles, durations and
flags come from the KB; the diagram is checked as a visitor sees it: boxes in order, arrows, the
highlighted current role and goal, readable at 375 px, and a text alternative.
"""
from __future__ import annotations

from typing import Dict, List

import pytest
from playwright.sync_api import Locator, Page, expect

from actions.render import role_label, title
from knowledge.queries import kb
from knowledge.records import Step
from settings import ROOT
from tests import test_channel_web as web
from tests.test_channel_web import ask, open_chat

pytestmark = pytest.mark.stack
DOCS_SCREENSHOT = ROOT / "docs" / "path.png"
PHONE = {"width": 375, "height": 740}
browser, page, page_url, web_stack = web.browser, web.page, web.page_url, web.web_stack  # the widget test's fixtures

# Every box, caption and label of a diagram: where it lies, and whether its text fits inside it.
GEOMETRY = """figure => {
  const box = e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top,
    bottom: r.bottom, clipped: e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1,
    text: e.textContent}; };
  const log = figure.closest('.cc-log');
  return {figure: box(figure), log: box(log), logScrolls: log.scrollWidth > log.clientWidth,
          parts: [...figure.querySelectorAll('figcaption, .cc-path-step, .cc-path-step span, .cc-path-next li, '
                                             + '.cc-path-gap, .cc-path-stage, .cc-path-legend')].map(box)};
}"""


def latest_path(page: Page) -> Locator:
    figure = page.locator(".cc-row-bot figure.cc-path").last
    expect(figure).to_be_visible()
    return figure


def drawn_roles(figure: Locator) -> List[str]:
    return figure.locator(".cc-path-step").evaluate_all("boxes => boxes.map(b => b.dataset.role)")


def arrows(figure: Locator) -> List[Dict[str, object]]:
    """The arrows down between rows: their note, whether dashed (implied), and their height."""
    return figure.locator(".cc-path-gap").evaluate_all(
        "gaps => gaps.map(g => ({note: g.textContent, height: g.getBoundingClientRect().height,"
        " implied: g.classList.contains('cc-path-gap-implied')}))")


def assert_readable(page: Page, figure: Locator) -> None:
    """Nothing of the diagram sticks out of the chat log or is clipped, and the page doesn't scroll sideways."""
    geometry = figure.evaluate(GEOMETRY)
    log, drawn = geometry["log"], geometry["figure"]
    assert not geometry["logScrolls"], "the chat log scrolls sideways"
    assert log["left"] <= drawn["left"] and drawn["right"] <= log["right"], geometry
    for part in geometry["parts"]:
        assert drawn["left"] - 1 <= part["left"] and part["right"] <= drawn["right"] + 1, part
        assert not part["clipped"], f"text clipped: {part}"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def assert_chain(figure: Locator, steps: List[Step]) -> None:
    names = [steps[0].from_role] + [step.to_role for step in steps]
    assert drawn_roles(figure) == names
    labels = [title(role_label(name)) for name in names]
    assert figure.locator(".cc-path-label").all_inner_texts() == labels
    expect(figure.locator(".cc-path-current")).to_have_attribute("data-role", names[0])
    expect(figure.locator(".cc-path-goal")).to_have_attribute("data-role", names[-1])
    gaps = arrows(figure)
    assert [gap["implied"] for gap in gaps] == [step.implied for step in steps], gaps
    for gap, step in zip(gaps, steps, strict=True):
        assert gap["height"] >= 20, gap
        if step.duration:
            assert step.duration.text in gap["note"], gap
        assert ("implied" in gap["note"]) == step.implied, gap
    alternative = figure.get_by_role("img").get_attribute("aria-label")
    positions = [alternative.find(label) for label in labels]
    assert -1 not in positions and positions == sorted(positions), alternative


def test_route_is_drawn_readably_at_phone_width(page: Page) -> None:
    origin, target = "staff engineer", "vp of engineering"
    page.set_viewport_size(PHONE)
    ask(page, f"what's the career path from {origin} to {target}?", role_label(target))
    figure = latest_path(page)
    assert_chain(figure, kb().path_between(origin, target))
    assert_readable(page, figure)
    assert figure.locator(".cc-path-legend").is_visible()  # the dashed arrows are explained

    page.reload()  # the picture is part of the transcript the widget keeps
    open_chat(page, page.url)
    assert drawn_roles(latest_path(page)) == drawn_roles(figure)


def test_planner_draws_the_plan(page: Page) -> None:
    start, goal = "staff engineer", "engineering director"  # a step with a duration, and an implied one
    ask(page, f"how do I get from {start} to {goal}?", "years of experience")
    ask(page, "3", "Your path")
    figure = latest_path(page)
    assert_chain(figure, kb().path_between(start, goal))
    assert_readable(page, figure)
    DOCS_SCREENSHOT.parent.mkdir(exist_ok=True)
    figure.screenshot(path=str(DOCS_SCREENSHOT))


def test_whole_ladder_is_drawn_by_stage(page: Page) -> None:
    page.set_viewport_size(PHONE)
    ask(page, "show me the whole career ladder", "typical progression")
    figure = latest_path(page)
    edges = kb().steps()
    assert sorted(drawn_roles(figure)) == sorted({n for s in edges for n in (s.from_role, s.to_role)})
    for role in drawn_roles(figure):  # each box lists the steps out of it, implied ones marked
        out = figure.locator(f'.cc-path-step[data-role="{role}"] .cc-path-next li')
        assert out.evaluate_all("items => items.map(i => i.dataset.to)") == [s.to_role for s in kb().steps_from(role)]
        for item, step in zip(out.all(), kb().steps_from(role), strict=True):
            assert ("(implied)" in item.inner_text()) == step.implied, (role, item.inner_text())
    stage_names = [stage.name for stage in kb().stages()]
    shown = figure.locator(".cc-path-stage").all_inner_texts()
    assert shown == sorted(shown, key=stage_names.index) and len(shown) > 1, shown
    gaps = arrows(figure)
    assert len(gaps) == len(shown) - 1 and all(gap["height"] >= 20 for gap in gaps), gaps
    mid = kb().stage("mid")
    assert mid.duration.text in gaps[shown.index(mid.name) - 1]["note"], gaps  # the arrow into mid-level
    alternative = figure.get_by_role("img").get_attribute("aria-label")
    assert all(title(role_label(s.from_role)) in alternative and title(role_label(s.to_role)) in alternative
               for s in edges), alternative
    assert_readable(page, figure)
