"""Every link the KB draws is either stated by the article (a quoted phrase) or marked implied.

tests/article_statements.yml holds one entry per progression edge, role-to-certification link and
stage assignment; these tests keep it in step with the KB (knowledge.queries) and the article.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from knowledge.db import REPO_ROOT
from knowledge.queries import kb

STATEMENTS = Path(__file__).with_name("article_statements.yml")
ARTICLE = REPO_ROOT.parent / "shared" / "source" / "engineering-management-career-path.txt"

Link = tuple[str, str]
# kind of link -> the two fields of an entry that name it
FIELDS = {"edges": ("from", "to"), "role_certifications": ("role", "certification"),
          "role_stages": ("role", "stage"), "certification_stages": ("certification", "stage")}

_PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                        "\u2014": "-", "\u2212": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    """Curly quotes and dashes made plain and whitespace collapsed, to compare quotes with the article."""
    return " ".join(text.translate(_PLAIN).split())


def kb_links() -> dict[str, dict[Link, bool]]:
    """Every link the KB draws, per kind, with whether the KB marks it implied (edges only)."""
    roles = kb().roles()
    return {
        "edges": {(s.from_role, s.to_role): s.implied for r in roles for s in kb().steps_from(r.name)},
        "role_certifications": {(r.name, c.acronym): False
                                for r in roles for c in kb().certifications_for(r.name)},
        "role_stages": {(name, stage.key): False for stage in kb().stages() for name in stage.roles},
        "certification_stages": {(c.acronym, c.stage): False for c in kb().certifications() if c.stage},
    }


@pytest.fixture(scope="module")
def statements() -> dict[str, dict[Link, dict[str, Any]]]:
    """The entries of article_statements.yml, per kind, keyed by the link they name."""
    document = yaml.safe_load(STATEMENTS.read_text(encoding="utf-8"))
    assert set(document) == set(FIELDS), f"expected the lists {sorted(FIELDS)}"
    by_kind: dict[str, dict[Link, dict[str, Any]]] = {}
    for kind, (first, second) in FIELDS.items():
        entries: dict[Link, dict[str, Any]] = {}
        for entry in document[kind]:
            link = (entry[first], entry[second])
            assert link not in entries, f"{kind}: {link} has two entries"
            entries[link] = entry
        by_kind[kind] = entries
    return by_kind


@pytest.mark.parametrize("kind", list(FIELDS))
def test_every_entry_quotes_the_article_or_says_implied(kind: str, statements: dict) -> None:
    for link, entry in statements[kind].items():
        quoted = isinstance(entry.get("quote"), str) and entry["quote"].strip() != ""
        implied = entry.get("implied") is True
        assert quoted != implied, f"{kind}: {link} needs either a quote or `implied: true`, not both"
        assert set(entry) <= {*FIELDS[kind], "quote", "implied"}, f"{kind}: {link} has unknown fields"


@pytest.mark.parametrize("kind", list(FIELDS))
def test_every_kb_link_has_an_entry_and_no_entry_is_stale(kind: str, statements: dict) -> None:
    in_kb, listed = set(kb_links()[kind]), set(statements[kind])
    assert not in_kb - listed, f"{kind} without an entry in {STATEMENTS.name}: {sorted(in_kb - listed)}"
    assert not listed - in_kb, f"{kind} entries the KB no longer draws: {sorted(listed - in_kb)}"


def test_implied_edges_are_marked_implied_in_the_kb(statements: dict) -> None:
    marked = kb_links()["edges"]
    for link, entry in statements["edges"].items():
        implied = entry.get("implied") is True
        assert marked.get(link) == implied, (
            f"edge {link[0]} -> {link[1]}: implied here is {implied}, in progression.yml {marked.get(link)}")


@pytest.mark.skipif(not ARTICLE.exists(), reason=f"the source article is not at {ARTICLE}: quotes unchecked")
def test_quotes_are_the_article_s_own_words(statements: dict) -> None:
    article = normalise(ARTICLE.read_text(encoding="utf-8"))
    missing = [(kind, link, entry["quote"]) for kind, entries in statements.items()
               for link, entry in entries.items()
               if entry.get("quote") and normalise(entry["quote"]) not in article]
    assert not missing, f"quotes not in the article: {missing}"


def test_normalise_makes_quotes_dashes_and_spaces_plain() -> None:
    assert normalise("an  engineer\u2019s\n path \u2013 \u201cearly\u201d") == "an engineer's path - \"early\""
