"""Grounded retrieval for the long tail: every statement of the KB, ranked with BM25 (bm25s).

A question no intent answers well ("what does the article say about safety regulations?") is
looked up here. Each :class:`Statement` is built from the frozen records of the knowledge base
(nothing is retyped), so whatever a hit says, the KB says. The index is built lazily, once per
process and database, and kept; :func:`clear_cache` forgets it after a rebuild. bm25s is imported
when first used, so that the action server can keep JAX from it first (actions/__main__.py).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Iterable, Iterator, Optional

import numpy as np

from knowledge.db import default_url
from knowledge.queries import KnowledgeBase, knowledge_base

if TYPE_CHECKING:
    import bm25s

MIN_SCORE = 2.0  # long-tail questions score 2.1 and up; off-domain ones sharing one KB word, under 2
STOPWORDS = "en_plus"  # bm25s's longer English list: also drops "what", "how", "do", "my", ...
TOKEN = r"(?u)\b\w[\w&]*\w\b"  # words of two or more characters; "R&D" stays one word


@dataclass(frozen=True)
class Statement:
    """One thing the KB states, readable on its own."""

    key: str  # unique: "role:engineering manager:duty:0", "topic:ethics", "figure:salary_average"
    text: str  # "engineering manager (responsibility): Teams: lead, mentor and support engineers ..."
    section: str  # the article heading it comes from
    subject: str  # what it is about: a role, certification, degree, topic title, ...


@dataclass(frozen=True)
class Hit:
    statement: Statement
    score: float  # BM25 score of the statement for the question


def _statement(key: str, subject: str, body: str, section: str,
               aspect: Optional[str] = None) -> Statement:
    """A statement whose text names its subject (and aspect), so it reads and ranks on its own."""
    heading = subject
    if aspect:  # never two brackets: "PMP (Project Management Professional), benefits"
        heading = f"{subject}, {aspect}" if subject.endswith(")") else f"{subject} ({aspect})"
    return Statement(key, f"{heading}: {body}", section, subject)


def _listing(items: Iterable[str]) -> str:
    return ", ".join(items)


def _roles(kb: KnowledgeBase) -> Iterator[Statement]:
    for role in kb.roles():
        key, name, section = f"role:{role.name}", role.name, role.section
        yield _statement(key, name, role.summary, section)
        for i, duty in enumerate(role.responsibilities):
            yield _statement(f"{key}:duty:{i}", name, duty, section, "responsibility")
        for aspect, items in (("skills", role.skills), ("reports to", role.reports_to),
                              ("next steps", role.next_steps)):
            if items:
                yield _statement(f"{key}:{aspect}", name, _listing(items), section, aspect)


def _progression(kb: KnowledgeBase) -> Iterator[Statement]:
    """The steps the article states, one statement per role, duration and section."""
    grouped: dict[tuple, list[str]] = defaultdict(list)
    for step in kb.steps():
        if not step.implied:
            grouped[(step.from_role, step.duration, step.section)].append(step.to_role)
    for i, ((role, duration, section), targets) in enumerate(grouped.items()):
        body = _listing(targets) + (f" ({duration.text})" if duration else "")
        yield _statement(f"progression:{role}:{i}", role, body, section, "moves on to")
    ladder = kb.typical_ladder()
    yield _statement("ladder", "typical career ladder", " → ".join(ladder),
                     kb.typical_ladder_section())


def _certifications(kb: KnowledgeBase) -> Iterator[Statement]:
    for cert in kb.certifications():
        subject = cert.acronym if cert.name == cert.acronym else f"{cert.acronym} ({cert.name})"
        yield _statement(f"certification:{cert.acronym}", subject, cert.summary, cert.section)
        if cert.benefits:
            yield _statement(f"certification:{cert.acronym}:benefits", subject,
                             _listing(cert.benefits), cert.section, "benefits")


def _education(kb: KnowledgeBase) -> Iterator[Statement]:
    for degree in kb.degrees():
        yield _statement(f"degree:{degree.key}", degree.name, degree.summary, degree.section)
        if degree.teaches:
            yield _statement(f"degree:{degree.key}:teaches", degree.name, _listing(degree.teaches),
                             degree.section, "teaches")
    for spec in kb.specializations():
        key, aspect = f"specialization:{spec.name}", "MEM specialization"
        yield _statement(key, spec.name, spec.focus, spec.section, f"{aspect}, focus")
        if spec.roles:
            yield _statement(f"{key}:roles", spec.name, _listing(spec.roles), spec.section,
                             f"{aspect}, roles")


def _fields(kb: KnowledgeBase) -> Iterator[Statement]:
    for industry in kb.industries():
        yield _statement(f"industry:{industry.name}", industry.name, industry.notes,
                         industry.section, "industry")
    for move in kb.discipline_moves():
        yield _statement(f"discipline:{move.discipline}", move.engineer, move.summary, move.section)
    for stage in kb.stages():
        yield _statement(f"stage:{stage.key}", f"{stage.name} stage", stage.summary, stage.section)
        if stage.skills:
            yield _statement(f"stage:{stage.key}:skills", f"{stage.name} stage",
                             _listing(stage.skills), stage.section, "skills")


def _figures(kb: KnowledgeBase) -> Iterator[Statement]:
    for figure in kb.figures():
        body = figure.text + (f" in {figure.year}" if figure.year else "")
        if figure.citation:
            body += f" (source: {figure.citation.publisher}, {figure.citation.title})"
        yield _statement(f"figure:{figure.key}", figure.label, body, figure.section)


def _topics(kb: KnowledgeBase) -> Iterator[Statement]:
    for topic in kb.topics():
        key = f"topic:{topic.key}"
        yield _statement(key, topic.title, topic.text, topic.section)
        for i, item in enumerate(topic.items):
            yield _statement(f"{key}:item:{i}", topic.title, item, topic.section)


def _comparisons(kb: KnowledgeBase) -> Iterator[Statement]:
    for comparison in kb.comparisons():
        sides = ((comparison.left, comparison.right, "left"), (comparison.right, comparison.left, "right"))
        for row in comparison.rows:
            for role, other, side in sides:
                yield _statement(f"compare:{role}:{other}:{row.dimension}", role, getattr(row, side),
                                 comparison.section, row.dimension)


_BUILDERS = (_roles, _progression, _certifications, _education, _fields, _figures, _topics,
             _comparisons)


def build_statements(kb: KnowledgeBase) -> list[Statement]:
    """Every statement of the KB, built from its records."""
    return [statement for builder in _BUILDERS for statement in builder(kb)]


_DERIVATIONAL = ("ation", "ator", "ment", "ion", "ate", "al")  # leave a stem of four letters or more
_INFLECTIONAL = ("ing", "ed")  # leave a stem of three letters or more ("hiring" -> "hir")


def _strip_suffix(word: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= (3 if suffix in _INFLECTIONAL else 4):
            stem = word[: -len(suffix)]
            doubled = suffix in _INFLECTIONAL and stem[-1] == stem[-2] and stem[-1] not in "aeioulsz"
            return stem[:-1] if doubled else stem  # planning -> plann -> plan
    return word


def _stem(word: str) -> str:
    """Light stemming: a plural, one suffix, then one more derivational suffix, then a final e.

    "collaborators", "collaborate" and "collaboration" all become "collabor"; "professional"
    and "profession" "profess"; "planning" "plan".
    """
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    word = _strip_suffix(_strip_suffix(word, _DERIVATIONAL + _INFLECTIONAL), _DERIVATIONAL)
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def tokenize(texts: list[str]) -> list[list[str]]:
    """A lower-case word split and bm25s's English stop words, plus :func:`_stem`."""
    import bm25s

    return bm25s.tokenize(texts, token_pattern=TOKEN, stopwords=STOPWORDS, return_ids=False,
                          show_progress=False, stemmer=lambda words: [_stem(word) for word in words])


@dataclass(frozen=True)
class _Index:
    statements: tuple[Statement, ...]
    model: bm25s.BM25


@cache
def _index(url: str) -> _Index:
    import bm25s

    statements = tuple(build_statements(knowledge_base(url)))
    model = bm25s.BM25()
    model.index(tokenize([s.text for s in statements]), show_progress=False)
    return _Index(statements, model)


def statements() -> tuple[Statement, ...]:
    """Every indexed statement (builds the index on first use)."""
    return _index(default_url()).statements


def search(query: str, k: int = 2, min_score: float = MIN_SCORE) -> list[Hit]:
    """The ``k`` statements that best match ``query``, best first, each scoring ``min_score`` or more."""
    index = _index(default_url())
    known = [token for token in tokenize([query])[0] if token in index.model.vocab_dict]
    if not known:
        return []
    scores = index.model.get_scores(known)
    best = np.argsort(-scores, kind="stable")[:k]
    return [Hit(index.statements[i], float(scores[i])) for i in best if scores[i] >= min_score]


def clear_cache() -> None:
    """Forget the index (after a rebuild)."""
    _index.cache_clear()
