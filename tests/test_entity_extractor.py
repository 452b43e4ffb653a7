"""The KB entity matcher on its own: names, acronyms, aliases and typos resolve to KB values;
cased short forms, entity roles (current / goal), self-descriptions and years of experience."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional, Tuple

import pytest

from bot.components.entity_settings import EntitySettings
from bot.components.matcher import KnowledgeMatcher

VOCABULARY = Path(__file__).resolve().parent.parent / "data" / "generated" / "kb_vocabulary.json"


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


def with_roles(matcher: KnowledgeMatcher, text: str) -> List[Tuple[str, str, Optional[str]]]:
    return [(match.label, match.value, match.role) for match in matcher.find(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("what certs for a pm", [("role", "project manager")]),
        ("how much does an em make", [("role", "engineering manager")]),
        ("is csm worth it", [("certification", "CSM")]),
        ("we have 3 PMs", [("role", "project manager")]),
        ("do I need a bs or an MBA", [("degree", "bachelor's degree"), ("degree", "MBA")]),
        ("BS or MBA?", [("degree", "bachelor's degree"), ("degree", "MBA")]),
        ("is a Lean certification worth it", [("certification", "Lean Six Sigma")]),
        ("and for a principal?", [("role", "principal engineer")]),  # a one-word title, as a bare noun
        ("what about a Principal, what do they earn", [("role", "principal engineer")]),
    ],
)
def test_cased_forms_match_as_typed_or_after_an_introducing_word(matcher, text, expected) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    "text",
    ["call me at 5 pm", "call me at 5 PM", "I lean towards management", "that's bs", "tell em I said hi",
     "free from 9 to 5 pm", "I'm free in the morning or pm", "the principal reason is pay",
     "Principal investigators in labs"],
)
def test_cased_forms_do_not_match_ordinary_words(matcher, text) -> None:
    assert found(matcher, text) == []


def test_case_sensitivity_comes_from_the_vocabulary() -> None:
    entries = [{"label": "role", "value": "project manager", "patterns": ["PM"], "fuzzy": False}]
    plain = KnowledgeMatcher({"entries": entries})
    cased = KnowledgeMatcher({"entries": entries, "case_sensitive": {"role": ["PM"]}})
    assert found(plain, "call me at 5 pm") == [("role", "project manager")]
    assert found(cased, "call me at 5 pm") == []
    assert found(cased, "what does a pm do") == [("role", "project manager")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I'm a PM, how do I become an EM?",
         [("role", "project manager", "current"), ("role", "engineering manager", "goal")]),
        ("im a pm", [("role", "project manager", "current")]),
        ("I work as a project engineer", [("role", "project engineer", "current")]),
        ("my role is project manager", [("role", "project manager", "current")]),
        ("I'm currently a PM looking to move up to director",
         [("role", "project manager", "current"), ("role", "engineering director", "goal")]),
        ("I'm a senior EM aiming for VP of engineering",
         [("role", "senior engineering manager", "current"), ("role", "vp of engineering", "goal")]),
        ("As a PM, what certs should I get?", [("role", "project manager", "current")]),
        ("I want to become a director", [("role", "engineering director", "goal")]),
        ("what's the path to CTO", [("role", "chief technology officer", "goal")]),
        ("how do I get promoted to senior EM", [("role", "senior engineering manager", "goal")]),
        ("my goal is director", [("role", "engineering director", "goal")]),
        ("I'm an aspiring engineering manager", [("role", "engineering manager", "goal")]),
        ("I'm a good manager", [("ambiguous_role", "manager", "current")]),
        # no cue, or not the user's: no entity role
        ("As a PM, what's the salary?", [("role", "project manager", None)]),
        ("I'm not a manager", [("ambiguous_role", "manager", None)]),
        ("EM vs director?", [("role", "engineering manager", None), ("role", "engineering director", None)]),
        ("sales directors pay", [("unknown_role", "sales directors", None)]),
    ],
)
def test_entity_roles_current_and_goal(matcher, text, expected) -> None:
    assert with_roles(matcher, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I'm a scrum master, can I become an engineering manager?",
         [("unknown_role", "scrum master", "current"), ("role", "engineering manager", "goal")]),
        ("I'm an aerospace engineer", [("unknown_role", "aerospace engineer", "current")]),
        ("I'm a chemist looking to switch", [("unknown_role", "chemist", "current")]),
        ("As a scrum master, what should I learn?", [("unknown_role", "scrum master", "current")]),
        ("I'm an aspiring chemist", [("unknown_role", "chemist", "goal")]),
        # KB roles, disciplines and professions stay what they are; a discipline can be the user's own
        ("I'm a civil engineer, how do I move into management?", [("discipline", "civil", "current")]),
        ("I'm a project manager", [("role", "project manager", "current")]),
        ("I'm a nurse", [("not_covered", "profession:nurse", None)]),
    ],
)
def test_self_descriptions_name_unknown_roles(matcher, text, expected) -> None:
    assert with_roles(matcher, text) == expected


@pytest.mark.parametrize(
    "text",
    ["I'm a recent grad", "I'm a new grad", "I'm a bit lost", "I'm a huge fan of this", "I'm a big believer",
     "I want to be a scrum master", "I'm a principal staff mechanical design engineer"],
)
def test_fillers_and_goals_are_not_self_descriptions(matcher, text) -> None:
    assert [label for label, _, role in with_roles(matcher, text) if role == "current"] == []


@pytest.mark.parametrize(
    "text, years",
    [
        ("I have 3 years of experience", "3"),
        ("with 5 yrs experience, can I be a director?", "5"),
        ("I've been an engineer for 4 years", "4"),
        ("I'm a civil engineer with 3 years in", "3"),
        ("two years in, what next?", "2"),
        ("been doing this 6 years", "6"),
        ("a decade of experience in construction", "10"),
        ("I have 2.5 years of experience", "2.5"),
        ("10+ years' experience in aerospace", "10"),
        ("for the past five years I've been a PM", "5"),
    ],
)
def test_years_of_experience(matcher, text, years) -> None:
    assert [value for label, value in found(matcher, text) if label == "years_experience"] == [years]


@pytest.mark.parametrize(
    "text",
    ["how long, 5 years?", "is it really 5-8 years", "in 10 years where will I be", "I'm 25 years old",
     "do I need 5 years of experience to become a PM?", "have you been an EM for 5 years?",
     "it takes five to eight years"],
)
def test_durations_asked_about_are_not_experience(matcher, text) -> None:
    assert [label for label, _ in found(matcher, text) if label == "years_experience"] == []


def test_word_lists_are_settings() -> None:
    vocabulary = json.loads(VOCABULARY.read_text(encoding="utf-8"))
    narrow = KnowledgeMatcher(vocabulary, EntitySettings(goal_role_cues=("become",)))
    assert with_roles(narrow, "what's the path to CTO") == [("role", "chief technology officer", None)]
    assert EntitySettings.from_config(EntitySettings().as_config()) == EntitySettings()


def test_entities_carry_the_rasa_entity_role(matcher) -> None:
    (entity,) = (match.as_entity("X") for match in matcher.find("I want to become an EM"))
    assert entity["role"] == "goal" and entity["value"] == "engineering manager"
    (plain,) = (match.as_entity("X") for match in matcher.find("EM salary"))
    assert "role" not in plain


def test_fingerprint_changes_with_the_vocabulary(tmp_path) -> None:
    from bot.components.kb_entity_extractor import KnowledgeEntityExtractor

    path = tmp_path / "vocabulary.json"
    path.write_text('{"entries": []}', encoding="utf-8")
    before = KnowledgeEntityExtractor.fingerprint_addon({"vocabulary": str(path)})
    path.write_text('{"entries": [], "role_heads": []}', encoding="utf-8")
    after = KnowledgeEntityExtractor.fingerprint_addon({"vocabulary": str(path)})
    assert before and after and before != after
    assert KnowledgeEntityExtractor.fingerprint_addon({}) is not None  # the default, committed file
