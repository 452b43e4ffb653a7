"""The generated NLU vocabulary: shape, determinism and staleness of the committed file."""
from __future__ import annotations

import json

from knowledge import vocabulary
from knowledge.vocabulary import SOURCE_NOTE, VOCABULARY_FILE, render, role_heads


def test_committed_vocabulary_is_up_to_date() -> None:
    assert VOCABULARY_FILE.exists(), "run: python -m knowledge.vocabulary"
    assert VOCABULARY_FILE.read_text(encoding="utf-8") == render(), (
        "bot/generated/kb_vocabulary.json is stale: run python -m knowledge.vocabulary")


def test_render_is_deterministic_sorted_json() -> None:
    text = render()
    assert text == render() and text.endswith("}\n")
    document = json.loads(text)
    assert document["source"] == SOURCE_NOTE
    keys = [(e["label"], e["value"], e["fuzzy"]) for e in document["entries"]]
    assert keys == sorted(keys)
    assert all(set(e) == {"label", "value", "patterns", "fuzzy"} for e in document["entries"])


def test_every_alias_is_in_the_vocabulary() -> None:
    document = json.loads(render())
    patterns = {(e["label"], p) for e in document["entries"] for p in e["patterns"]}
    for expected in [("role", "EM"), ("role", "eng mgr"), ("role", "director of engineering"),
                     ("role", "VP eng"), ("role", "CTO"), ("certification", "scrum master"),
                     ("degree", "MEM"), ("discipline", "civil engineer"), ("employer", "Actalent"),
                     ("tool", "Gantt chart"), ("stage", "c-suite"), ("not_covered", "surgeon"),
                     ("specialization", "project management"), ("industry", "aerospace")]:
        assert expected in patterns, expected


def test_degree_entity_values() -> None:
    values = {e["value"] for e in json.loads(render())["entries"] if e["label"] == "degree"}
    assert values == {"MEM", "MBA", "bachelor's degree"}


def test_role_heads_are_shared_last_words() -> None:
    assert role_heads() == ["director", "engineer", "manager", "officer"]
    assert json.loads(vocabulary.render())["role_heads"] == role_heads()
