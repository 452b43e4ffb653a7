"""Typed, read-only questions to the knowledge base. Every answer is a frozen record.

The database is ``$CAREER_COACH_DB_URL`` (default: SQLite at var/knowledge.db), built by
``python -m knowledge.build``. Names are resolved through :mod:`knowledge.lookup`.
"""
from __future__ import annotations

from collections import deque
from typing import Optional

from knowledge import lookup, reader
from knowledge.checks import degree_value
from knowledge.db import default_url
from knowledge.errors import UnknownSubject
from knowledge.loader import TOPIC
from knowledge.normalize import candidates
from knowledge.records import (
    Certification,
    Citation,
    Comparison,
    ComparisonRow,
    Degree,
    DisciplineMove,
    Figure,
    Industry,
    NotCoveredTopic,
    Role,
    Specialization,
    Stage,
    Step,
    Topic,
    VocabularyEntry,
)

SALARY_FIGURES = ("salary_low", "salary_high", "salary_average")
_EXACT_ONLY_LENGTH = 4  # forms this short (or all capitals) are matched exactly, never fuzzily

ARTICLE = "article"  # the citation record of the article itself


def _url() -> str:
    return default_url()


# Roles and the ladder ------------------------------------------------------------------------

def find_role(text: str) -> Optional[Role]:
    """The role ``text`` names (name, alias or acronym, e.g. "an EM", "engineering managers")."""
    name = lookup.resolve("role", text)
    return reader.roles(_url())[name] if name else None


def role(name: str) -> Role:
    """The role called ``name`` (any known form); raises :class:`UnknownSubject`."""
    return _known_role(name)


def _known_role(name: str) -> Role:
    found = find_role(name)
    if found is None:
        raise UnknownSubject(f"unknown role: {name!r}")
    return found


def roles() -> list[Role]:
    """Every role, by stage order, then ladder position, then name."""
    return list(reader.roles(_url()).values())


def roles_with_head(word: str) -> list[Role]:
    """Roles whose name ends with ``word`` ("manager" -> every *manager role)."""
    heads = set(candidates(word))
    return [r for r in roles() if r.name.split()[-1] in heads]


def stage(key: str) -> Stage:
    """The stage with ``key`` (or any of its names); raises :class:`UnknownSubject`."""
    found = find_stage(key)
    if found is None:
        raise UnknownSubject(f"unknown stage: {key!r}")
    return found


def stages() -> list[Stage]:
    """Every stage in ladder order."""
    return list(reader.stages(_url()).values())


def find_stage(text: str) -> Optional[Stage]:
    """The stage ``text`` names ("entry level", "mid career", "senior", "c-suite", ...)."""
    key = lookup.resolve("stage", text)
    return reader.stages(_url())[key] if key else None


def path_between(from_role: str, to_role: str) -> Optional[list[Step]]:
    """The shortest chain of progression steps; [] for the same role, None when unreachable."""
    start, goal = _known_role(from_role).name, _known_role(to_role).name
    came_by: dict[str, Optional[Step]] = {start: None}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if current == goal:
            steps: list[Step] = []
            while came_by[current] is not None:
                step = came_by[current]
                steps.append(step)
                current = step.from_role
            return steps[::-1]
        for step in reader.edges(_url()):
            if step.from_role == current and step.to_role not in came_by:
                came_by[step.to_role] = step
                queue.append(step.to_role)
    return None


def next_steps(role: str) -> list[str]:
    """Common next roles the article names for ``role`` (may be empty)."""
    return list(_known_role(role).next_steps)


def steps_from(role: str) -> list[Step]:
    """The progression edges out of ``role``, in the KB's order."""
    name = _known_role(role).name
    return [step for step in reader.edges(_url()) if step.from_role == name]


def reports_to(role: str) -> list[str]:
    """Whom ``role`` reports to, per the article (may be empty)."""
    return list(_known_role(role).reports_to)


def typical_ladder() -> list[str]:
    """The summary's typical progression: project engineer -> engineering manager -> director."""
    return list(reader.ladder(_url())[0])


def typical_ladder_section() -> str:
    """The article section that states the typical ladder."""
    return reader.ladder(_url())[1]


def steps() -> list[Step]:
    """Every progression step, in the KB's order."""
    return list(reader.edges(_url()))


def comparisons() -> list[Comparison]:
    """Every side-by-side comparison of two roles the article makes."""
    return list(reader.comparisons(_url()))


def compare_roles(a: str, b: str) -> Optional[Comparison]:
    """The article's comparison of ``a`` with ``b`` (left = ``a``), or None if it has none."""
    left, right = _known_role(a).name, _known_role(b).name
    for comparison in reader.comparisons(_url()):
        if (comparison.left, comparison.right) == (left, right):
            return comparison
        if (comparison.left, comparison.right) == (right, left):
            swapped = tuple(ComparisonRow(row.dimension, row.right, row.left) for row in comparison.rows)
            return Comparison(left, right, comparison.section, swapped)
    return None


# Certifications and degrees ------------------------------------------------------------------

def find_certification(text: str) -> Optional[Certification]:
    """The certification ``text`` names (acronym, full name or alias), or None."""
    acronym = lookup.resolve("certification", text)
    return reader.certifications(_url())[acronym] if acronym else None


def certification(name: str) -> Certification:
    """The certification called ``name``; raises :class:`UnknownSubject`."""
    found = find_certification(name)
    if found is None:
        raise UnknownSubject(f"unknown certification: {name!r}")
    return found


def certifications() -> list[Certification]:
    """Every certification, in the article's order."""
    return list(reader.certifications(_url()).values())


def certifications_for(role_or_stage: str) -> list[Certification]:
    """Certifications for a role (its stage's, plus those naming it) or for a stage."""
    found_role = find_role(role_or_stage)
    if found_role is not None:
        return [c for c in certifications()
                if c.stage == found_role.stage or found_role.name in c.fits_roles]
    found_stage = find_stage(role_or_stage)
    if found_stage is not None:
        return [c for c in certifications() if c.stage == found_stage.key]
    raise UnknownSubject(f"unknown role or stage: {role_or_stage!r}")


def find_degree(text: str) -> Optional[Degree]:
    """The degree ``text`` names ("MEM", "technical MBA", "bachelor's", ...), or None."""
    everything = reader.degrees(_url())
    if text in everything:
        return everything[text]
    value = lookup.resolve("degree", text)
    return next((d for d in everything.values() if degree_value(d.key, d.level) == value), None)


def degree(key_or_alias: str) -> Degree:
    """The degree with that key or name; raises :class:`UnknownSubject`."""
    found = find_degree(key_or_alias)
    if found is None:
        raise UnknownSubject(f"unknown degree: {key_or_alias!r}")
    return found


def degrees() -> list[Degree]:
    """Every degree (master's first, as in the article)."""
    return list(reader.degrees(_url()).values())


# Figures, industries, specializations --------------------------------------------------------

def figure(key: str) -> Figure:
    """The figure with ``key``; raises :class:`UnknownSubject`."""
    try:
        return reader.figures(_url())[key]
    except KeyError:
        raise UnknownSubject(f"unknown figure: {key!r}") from None


def figures() -> list[Figure]:
    """Every number the article states."""
    return list(reader.figures(_url()).values())


def salary_figures() -> list[Figure]:
    """Salary range low, high, and the average."""
    return [figure(key) for key in SALARY_FIGURES]


def cited_sources() -> list[Citation]:
    """The outside sources the article cites for its figures (not the article itself)."""
    return [c for key, c in reader.citations(_url()).items() if key != ARTICLE]


def citation(key: str) -> Citation:
    """The cited source with ``key``; raises :class:`UnknownSubject`."""
    try:
        return reader.citations(_url())[key]
    except KeyError:
        raise UnknownSubject(f"unknown citation: {key!r}") from None


def industries(pay: Optional[str] = None) -> list[Industry]:
    """Industries named by the article, optionally only those with ``pay`` "high"/"competitive"."""
    return [i for i in reader.industries(_url()) if pay is None or i.pay == pay]


def specializations() -> list[Specialization]:
    """The MEM specializations, in the article's order."""
    return list(reader.specializations(_url()).values())


def specialization_for_role(role: str) -> Optional[Specialization]:
    """The MEM specialization leading to ``role``, if the article names one."""
    name = _known_role(role).specialization
    return reader.specializations(_url())[name] if name else None


def employers() -> list[str]:
    """Companies the article says keep posting engineering management roles."""
    return list(reader.employers(_url()))


def discipline_move(discipline: str) -> Optional[DisciplineMove]:
    """Where an engineer of ``discipline`` ("civil", "civil engineer", "SWE") may move."""
    key = lookup.resolve("discipline", discipline)
    return reader.disciplines(_url())[key] if key else None


def discipline_moves() -> list[DisciplineMove]:
    """Every engineering background the article names."""
    return list(reader.disciplines(_url()).values())


def topic(key: str) -> Topic:
    """The topic with ``key`` ("tools", "outlook", "roi", ...); raises :class:`UnknownSubject`."""
    try:
        return reader.topics(_url())[key]
    except KeyError:
        raise UnknownSubject(f"unknown topic: {key!r}") from None


def topics() -> list[Topic]:
    """Every topic, in the article's order."""
    return list(reader.topics(_url()).values())


def not_covered(text: str) -> Optional[tuple[str, str]]:
    """(kind, term) when ``text`` names something the article does not cover, else None."""
    value = lookup.resolve("not_covered", text) or lookup.mention("not_covered", text)
    if value is None:
        return None
    kind, term = value.split(":", 1)
    return kind, term


def not_covered_topic(name: str) -> NotCoveredTopic:
    """The topic ``name`` names (term, alias or entity value "topic:<term>"); raises :class:`UnknownSubject`."""
    value = lookup.resolve("not_covered", name.removeprefix(f"{TOPIC}:")) or ""
    kind, _, term = value.partition(":")
    if kind != TOPIC:
        raise UnknownSubject(f"unknown not-covered topic: {name!r}")
    return reader.not_covered_topics(_url())[term]


def not_covered_topics() -> list[NotCoveredTopic]:
    """Every career topic the article leaves open, sorted by term."""
    return list(reader.not_covered_topics(_url()).values())


# Vocabulary ----------------------------------------------------------------------------------

def is_exact_only(form: str) -> bool:
    """Acronyms and very short forms must match exactly (fuzzy matching would misfire)."""
    return len(form) <= _EXACT_ONLY_LENGTH or form == form.upper()


def vocabulary() -> list[VocabularyEntry]:
    """Every surface form users may type, per label and value; exact-only forms separately."""
    entries: list[VocabularyEntry] = []
    for label in lookup.labels():
        grouped: dict[tuple[str, bool], list[str]] = {}
        for value, form, _, cased in lookup.forms(label):
            exact = cased or is_exact_only(form) or value.startswith(f"{TOPIC}:")  # topic cues are common words
            grouped.setdefault((value, not exact), []).append(form)
        entries.extend(VocabularyEntry(label, value, tuple(patterns), fuzzy)
                       for (value, fuzzy), patterns in grouped.items())
    return sorted(entries, key=lambda e: (e.label, e.value, e.fuzzy))


def case_sensitive_forms() -> dict[str, list[str]]:
    """Label -> the forms tagged ``!cased`` in the data ("PM", "Lean"), sorted; labels without any left out."""
    found = {label: sorted(form for _, form, _, cased in lookup.forms(label) if cased) for label in lookup.labels()}
    return {label: forms for label, forms in found.items() if forms}


def clear_cache() -> None:
    """Forget every cached read (after a rebuild)."""
    lookup.clear_cache()
    reader.clear_cache()
