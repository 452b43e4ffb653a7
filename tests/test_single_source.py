"""The KB is the one source of facts: no figure, certification list or role abbreviation is typed in
the code (actions/, bot/) or in domain.yml's responses; replies take them from the KB.

Code is read token by token: string literals (docstrings and comments aside, which explain rather
than answer) must not hold a dollar amount, a span of years, a certification's acronym or name, or
a role's abbreviation from the KB.
"""
from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path
from typing import Iterator

import pytest
import yaml

from knowledge.queries import kb
from settings import ROOT

CODE = sorted([*ROOT.glob("actions/**/*.py"), *ROOT.glob("bot/**/*.py")])
DOLLARS = re.compile(r"\$\s?\d")
YEAR_SPAN = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s*(-|–|to)\s*"
                       r"(\d+|two|three|four|five|six|seven|eight|nine|ten)\s+years?\b", re.I)


def _string_literals(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of every string literal of a Python file that is not a docstring."""
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline))
    for index, token in enumerate(tokens):
        if token.type != tokenize.STRING:
            continue
        before = next((t for t in reversed(tokens[:index])
                       if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)), None)
        is_docstring = before is None or before.type in (tokenize.INDENT, tokenize.DEDENT)
        if not is_docstring:
            yield token.start[0], token.string


def _response_texts() -> Iterator[tuple[str, str]]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    for name, variants in (domain.get("responses") or {}).items():
        for variant in variants:
            yield name, variant.get("text") or ""
            for button in variant.get("buttons") or []:
                yield name, button.get("title", "")


def _kb_terms() -> dict[str, re.Pattern]:
    """What only the KB may say: each certification (acronym and name) and role abbreviation."""
    terms = {}
    for cert in kb().certifications():
        acronym = rf"(?<![\w-]){re.escape(cert.acronym)}(?![\w-])"
        terms[f"certification {cert.acronym}"] = re.compile(
            f"{acronym}|{re.escape(cert.name)}", re.I if len(cert.acronym) > 3 else 0)
    for role in kb().roles():
        for alias in (a for a in role.aliases if a.isupper() and a.isalpha()):
            terms[f"abbreviation of {role.name}"] = re.compile(rf"(?<![\w-]){re.escape(alias)}s?(?![\w-])")
    return terms


def _problems(text: str, terms: dict[str, re.Pattern]) -> list[str]:
    found = [kind for kind, pattern in (("dollar amount", DOLLARS), ("span of years", YEAR_SPAN))
             if pattern.search(text)]
    return found + [term for term, pattern in terms.items() if pattern.search(text)]


def test_the_terms_are_taken_from_the_kb() -> None:
    terms = _kb_terms()
    assert any(t.startswith("certification") for t in terms) and any(t.startswith("abbreviation") for t in terms)


@pytest.mark.parametrize("path", CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_code_types_no_fact_of_the_kb(path: Path) -> None:
    terms = _kb_terms()
    typed = [f"{path.relative_to(ROOT)}:{line}: {', '.join(problems)} in {text[:80]}"
             for line, text in _string_literals(path) if (problems := _problems(text, terms))]
    assert not typed, "facts typed in code instead of read from the KB:\n" + "\n".join(typed)


def test_responses_type_no_fact_of_the_kb() -> None:
    terms = _kb_terms()
    typed = [f"{name}: {', '.join(problems)} in {text[:80]!r}"
             for name, text in _response_texts() if (problems := _problems(text, terms))]
    assert not typed, "facts typed in domain.yml instead of read from the KB:\n" + "\n".join(typed)


def test_the_scan_finds_typed_facts(tmp_path: Path) -> None:
    role = next(r for r in kb().roles() if r.short_name)
    cert = kb().certifications()[0]
    money = next(f for f in kb().figures() if f.unit == "USD")
    examples = {f'"{role.short_name} vs director"': f"abbreviation of {role.name}",
                'f"It takes 5-8 years"': "span of years", f"'about {money.text}'": "dollar amount",
                f'"{cert.acronym} or another"': f"certification {cert.acronym}",
                f'"the {cert.name}"': f"certification {cert.acronym}"}
    for text, wanted in examples.items():
        source = tmp_path / "typed.py"
        source.write_text(f'"""A docstring may say {role.short_name} and {money.text}."""\nLABEL = {text}\n',
                          encoding="utf-8")
        [(line, literal)] = list(_string_literals(source))
        assert line == 2 and wanted in _problems(literal, _kb_terms()), text
