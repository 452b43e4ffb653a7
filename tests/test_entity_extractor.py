"""The KB entity matcher on its own: names, acronyms, aliases and typos resolve to KB values."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Tuple

import pytest

from bot.components.matcher import KnowledgeMatcher

VOCABULARY = Path(__file__).resolve().parent.parent / "bot" / "generated" / "kb_vocabulary.json"


@pytest.fixture(scope="module")
def matcher() -> KnowledgeMatcher:
    return KnowledgeMatcher(json.loads(VOCABULARY.read_text(encoding="utf-8")))


def found(matcher: KnowledgeMatcher, text: str) -> List[Tuple[str, str]]:
    return [(match.label, match.value) for match in matcher.find(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("what certs do I need for project manager?", [("role", "project manager")]),
        ("EM vs director?", [("role", "engineering manager"), ("role", "engineering director")]),
        ("how do i become a cto", [("role", "chief technology officer")]),
        ("how much do CTOs take home", [("role", "chief technology officer")]),
        ("what about the VP eng", [("role", "vp of engineering")]),
        ("sr EM next steps", [("role", "senior engineering manager")]),
        ("MBA or MEM?", [("degree", "MBA"), ("degree", "MEM")]),
        ("is there a scrum certification?", [("certification", "CSM")]),
        ("PMP stands for?", [("certification", "PMP")]),
        ("I'm a civil engineer, how do I move into management?", [("discipline", "civil")]),
        ("do engineering managers use gantt charts", [("role", "engineering manager"), ("tool", "Gantt chart")]),
    ],
)
def test_names_acronyms_and_aliases(matcher, text, expected) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    "typo, value",
    [
        ("enginering manger", "engineering manager"),
        ("projct manager", "project manager"),
        ("seniour engineering manger", "senior engineering manager"),
        ("the engneering direcor", "engineering director"),
        ("prinicpal engineer", "principal engineer"),
        ("opertions manager", "operations manager"),
    ],
)
def test_typos_resolve_to_the_kb_name(matcher, typo, value) -> None:
    assert found(matcher, typo) == [("role", value)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("what does a manager do", [("ambiguous_role", "manager")]),
        ("sales directors pay", [("unknown_role", "sales directors")]),
        ("art director salary", [("unknown_role", "art director")]),
        ("how much does a surgeon make", [("not_covered", "profession:surgeon")]),
        ("salary in germany in euros", [("not_covered", "place:Germany"), ("not_covered", "currency:euro")]),
    ],
)
def test_roles_the_kb_lacks_are_not_forced_onto_kb_roles(matcher, text, expected) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    "text",
    ["directory of stuff", "which firms advertise engineering management openings", "good morning", ""],
)
def test_ordinary_words_are_not_typos_of_kb_names(matcher, text) -> None:
    assert [label for label, _ in found(matcher, text) if label == "role"] == []
