"""Name resolution: surface forms (names, acronyms, aliases) -> canonical values, per label."""
from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Optional

from sqlalchemy import select

from knowledge.db import default_url, get_engine
from knowledge.normalize import candidates, normalize
from knowledge.schema import SurfaceForm

Form = tuple[str, str, int, bool]  # (value, form as written, position in its entity, case-sensitive)


def resolve(label: str, text: str) -> Optional[str]:
    """The canonical value ``text`` names under ``label``, or None.

    Case, spacing, punctuation, a leading "the"/"a"/"an" and a plural "s" are tolerated.
    """
    return _resolve(default_url(), label, text)


def mention(label: str, text: str) -> Optional[str]:
    """The value of the longest surface form of ``label`` appearing as whole words in ``text``."""
    return _mention(default_url(), label, normalize(text))


def forms(label: str) -> tuple[Form, ...]:
    """Every surface form of ``label``, ordered by value then position."""
    return _forms(default_url(), label)


def labels() -> tuple[str, ...]:
    """The entity labels that have surface forms, sorted."""
    return _labels(default_url())


@lru_cache(maxsize=4096)
def _resolve(url: str, label: str, text: str) -> Optional[str]:
    tried = [form for form in candidates(text) if form]
    if not tried:
        return None
    query = select(SurfaceForm.normalized, SurfaceForm.value).where(
        SurfaceForm.label == label, SurfaceForm.normalized.in_(tried))
    with get_engine(url).connect() as connection:
        found = dict(connection.execute(query).all())
    return next((found[form] for form in tried if form in found), None)


@cache
def _patterns(url: str, label: str) -> tuple[tuple[re.Pattern, str], ...]:
    query = select(SurfaceForm.normalized, SurfaceForm.value).where(SurfaceForm.label == label)
    with get_engine(url).connect() as connection:
        rows = sorted(connection.execute(query).all(), key=lambda row: (-len(row[0]), row[0]))
    return tuple((re.compile(_whole_words(form)), value) for form, value in rows)


def _whole_words(form: str) -> str:
    """A regex for ``form`` not glued to other words (symbols such as "€" need no boundary)."""
    starts, ends = form[0].isalnum(), form[-1].isalnum()
    return "".join((r"(?<!\w)" if starts else "", re.escape(form), r"s?(?!\w)" if ends else ""))


@lru_cache(maxsize=4096)
def _mention(url: str, label: str, normalized_text: str) -> Optional[str]:
    return next((value for pattern, value in _patterns(url, label) if pattern.search(normalized_text)),
                None)


@cache
def _forms(url: str, label: str) -> tuple[Form, ...]:
    query = (select(SurfaceForm.value, SurfaceForm.form, SurfaceForm.position, SurfaceForm.case_sensitive)
             .where(SurfaceForm.label == label)
             .order_by(SurfaceForm.value, SurfaceForm.position))
    with get_engine(url).connect() as connection:
        return tuple(tuple(row) for row in connection.execute(query).all())


@cache
def _labels(url: str) -> tuple[str, ...]:
    query = select(SurfaceForm.label).distinct().order_by(SurfaceForm.label)
    with get_engine(url).connect() as connection:
        return tuple(connection.execute(query).scalars().all())


def clear_cache() -> None:
    """Forget cached look-ups (after a rebuild)."""
    for cached in (_resolve, _patterns, _mention, _forms, _labels):
        cached.cache_clear()
