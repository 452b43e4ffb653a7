"""The generated NLU vocabulary: shape, determinism and staleness of the committed file."""
from __future__ import annotations

import json

from knowledge import vocabulary
from knowledge.vocabulary import SOURCE_NOTE, VOCABULARY_FILE, render, role_heads


def test_committed_vocabulary_is_up_to_date() -> None:
    assert VOCABULARY_FILE.exists(), "run: python -m knowledge.vocabulary"
    assert VOCABULARY_FILE.read_text(encoding="utf-8") == render(), (
        "data/generated/kb_vocabulary.json is stale: run python -m knowledge.vocabulary")


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


def test_cased_aliases_flow_from_the_data_to_the_vocabulary() -> None:
    document = json.loads(render())
    cased = document["case_sensitive"]
    assert {"PM", "EM"} <= set(cased["role"]) and "BS" in cased["degree"] and "Lean" in cased["certification"]
    assert "CSM" not in cased.get("certification", [])  # no English word: "is csm worth it" still matches
    exact_only = {(e["label"], p) for e in document["entries"] if not e["fuzzy"] for p in e["patterns"]}
    assert all((label, form) in exact_only for label, forms in cased.items() for form in forms)


def test_the_cased_tag_reads_as_a_plain_string(tmp_path) -> None:
    from knowledge.loader import CaseSensitive, load_file

    (tmp_path / "employers.yml").write_text(
        "- {name: Acme, section: Key Takeaways, aliases: [!cased ACM, acme corp]}\n", encoding="utf-8")
    (record,) = load_file(tmp_path, "employers")
    assert record.aliases == ("ACM", "acme corp")
    assert [isinstance(alias, CaseSensitive) for alias in record.aliases] == [True, False]
