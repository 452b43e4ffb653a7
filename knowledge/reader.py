"""Read the database into the frozen records of :mod:`knowledge.records`, cached per URL.

The KB is read-only at run time, so each kind is read once per database and kept.
"""
from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any

from sqlalchemy import Table, select

from knowledge import records as r
from knowledge import schema as s
from knowledge.checks import degree_value
from knowledge.db import get_engine
from knowledge.loader import TOPIC


def _all(url: str, query: Any) -> list[Any]:
    with get_engine(url).connect() as connection:
        return list(connection.execute(query).all())


def _all_scalars(url: str, query: Any) -> list[Any]:
    return [row[0] for row in _all(url, query)]


def _lists(url: str, table: Table, owner: str, value: str) -> dict[str, tuple]:
    """An ordered association table as {owner: (value, ...)}."""
    grouped: dict[str, list] = defaultdict(list)
    query = select(table.c[owner], table.c[value]).order_by(table.c[owner], table.c.position)
    for owner_value, item in _all(url, query):
        grouped[owner_value].append(item)
    return {key: tuple(items) for key, items in grouped.items()}


def _aliases(url: str, label: str) -> dict[str, tuple[str, ...]]:
    """Surface forms other than the canonical name (position 0), per value."""
    f = s.SurfaceForm
    query = (select(f.value, f.form).where(f.label == label, f.position > 0)
             .order_by(f.value, f.position))
    grouped: dict[str, list] = defaultdict(list)
    for value, form in _all(url, query):
        grouped[value].append(form)
    return {key: tuple(items) for key, items in grouped.items()}


@cache
def citations(url: str) -> dict[str, r.Citation]:
    c = s.Citation
    rows = _all(url, select(c.key, c.publisher, c.title, c.url).order_by(c.key))
    return {row.key: r.Citation(row.key, row.publisher, row.title, row.url) for row in rows}


@cache
def figures(url: str) -> dict[str, r.Figure]:
    f = s.Figure
    cited = citations(url)
    return {
        row.key: r.Figure(row.key, row.label, row.amount, row.unit, row.text, row.section, row.year,
                          row.upper, bool(row.open_ended), cited.get(row.citation_key))
        for row in _all(url, select(f).order_by(f.position))
    }


@cache
def specializations(url: str) -> dict[str, r.Specialization]:
    p = s.Specialization
    members = _lists(url, s.specialization_roles, "specialization_name", "role_name")
    return {row.name: r.Specialization(row.name, row.focus, row.section, members.get(row.name, ()))
            for row in _all(url, select(p).order_by(p.position))}


@cache
def roles(url: str) -> dict[str, r.Role]:
    """Every role, ordered by stage, then ladder position, then name."""
    role, stage = s.Role, s.Stage
    query = (select(role).join(stage, role.stage_key == stage.key)
             .order_by(stage.order, role.ladder, role.name))
    aliases = _aliases(url, "role")
    skills = _lists(url, s.role_skills, "role_name", "skill_name")
    duties = _lists(url, s.role_responsibilities, "role_name", "text")
    bosses = _lists(url, s.role_reports_to, "role_name", "manager_name")
    nexts = _lists(url, s.role_next_steps, "role_name", "next_name")
    owner = {name: spec.name for spec in specializations(url).values() for name in spec.roles}
    return {
        row.name: r.Role(row.name, row.stage_key, row.summary, row.section,
                         aliases.get(row.name, ()), duties.get(row.name, ()),
                         skills.get(row.name, ()), bosses.get(row.name, ()),
                         nexts.get(row.name, ()), owner.get(row.name))
        for row in _all(url, query)
    }


@cache
def stages(url: str) -> dict[str, r.Stage]:
    """Every stage in ladder order; ``roles`` lists roles placed there, extra ones first."""
    st = s.Stage
    extra = _lists(url, s.stage_extra_roles, "stage_key", "role_name")
    skills = _lists(url, s.stage_skills, "stage_key", "skill_name")
    durations = figures(url)
    members: dict[str, list] = defaultdict(list)
    for role in roles(url).values():
        members[role.stage].append(role.name)
    return {
        row.key: r.Stage(row.key, row.name, row.summary, row.section, row.stage_order,
                         extra.get(row.key, ()) + tuple(members[row.key]),
                         skills.get(row.key, ()), durations.get(row.duration_key))
        for row in _all(url, select(st).order_by(st.order))
    }


def _transitions(url: str) -> dict[tuple[str, str], r.Figure]:
    """(role, role) -> duration, for every move from a stage into the next one that has a duration."""
    ordered = list(stages(url).values())
    return {(low, high): stage.duration
            for before, stage in zip(ordered, ordered[1:], strict=False) if stage.duration
            for low in before.roles for high in stage.roles}


@cache
def edges(url: str) -> tuple[r.Step, ...]:
    """Every progression step; a step into a stage carries that stage's duration (stated once)."""
    e = s.Edge
    timed = _transitions(url)
    return tuple(r.Step(row.from_role, row.to_role, row.section,
                        timed.get((row.from_role, row.to_role)), bool(row.implied))
                 for row in _all(url, select(e).order_by(e.position)))


@cache
def ladder(url: str) -> tuple[tuple[str, ...], str]:
    """The typical ladder's roles in order, and the section stating it."""
    rungs = s.ladder_rungs
    rows = _all(url, select(rungs.c.role_name, rungs.c.section).order_by(rungs.c.position))
    return tuple(row.role_name for row in rows), rows[0].section if rows else ""


@cache
def certifications(url: str) -> dict[str, r.Certification]:
    c = s.Certification
    aliases = _aliases(url, "certification")
    benefits = _lists(url, s.certification_benefits, "acronym", "text")
    fits = _lists(url, s.certification_roles, "acronym", "role_name")
    return {
        row.acronym: r.Certification(row.acronym, row.name, row.summary, row.section, row.stage_key,
                                     aliases.get(row.acronym, ()), benefits.get(row.acronym, ()),
                                     fits.get(row.acronym, ()))
        for row in _all(url, select(c).order_by(c.position))
    }


@cache
def degrees(url: str) -> dict[str, r.Degree]:
    d = s.Degree
    teaches = _lists(url, s.degree_skills, "degree_key", "skill_name")
    aliases = _aliases(url, "degree")
    durations = figures(url)
    return {
        row.key: r.Degree(row.key, row.name, row.level, row.summary, row.section,
                          aliases.get(degree_value(row.key, row.level), ()),
                          teaches.get(row.key, ()), durations.get(row.duration_key),
                          durations.get(row.premium_key))
        for row in _all(url, select(d).order_by(d.position))
    }


@cache
def industries(url: str) -> tuple[r.Industry, ...]:
    i = s.Industry
    return tuple(r.Industry(row.name, row.section, row.pay, row.notes)
                 for row in _all(url, select(i).order_by(i.position)))


@cache
def employers(url: str) -> tuple[str, ...]:
    e = s.Employer
    return tuple(_all_scalars(url, select(e.name).order_by(e.position)))


@cache
def disciplines(url: str) -> dict[str, r.DisciplineMove]:
    d = s.Discipline
    moves = _lists(url, s.discipline_moves, "discipline_key", "target")
    aliases = _aliases(url, "discipline")
    return {row.key: r.DisciplineMove(row.key, row.engineer, moves.get(row.key, ()), row.summary,
                                      row.section, aliases.get(row.key, ()))
            for row in _all(url, select(d).order_by(d.position))}


@cache
def topics(url: str) -> dict[str, r.Topic]:
    t = s.Topic
    items = _lists(url, s.topic_items, "topic_key", "text")
    return {row.key: r.Topic(row.key, row.title, row.text, row.section, items.get(row.key, ()))
            for row in _all(url, select(t).order_by(t.position))}


@cache
def not_covered_topics(url: str) -> dict[str, r.NotCoveredTopic]:
    """Career topics the article leaves open, by term (sorted)."""
    n = s.NotCovered
    aliases = _aliases(url, "not_covered")
    rows = _all(url, select(n.term, n.nearest).where(n.kind == TOPIC).order_by(n.term))
    return {row.term: r.NotCoveredTopic(row.term, row.nearest, aliases.get(f"{TOPIC}:{row.term}", ()))
            for row in rows}


@cache
def comparisons(url: str) -> tuple[r.Comparison, ...]:
    c = s.Comparison
    rows: dict[int, list] = defaultdict(list)
    cr = s.comparison_rows
    for row in _all(url, select(cr).order_by(cr.c.comparison_id, cr.c.position)):
        rows[row.comparison_id].append(r.ComparisonRow(row.dimension, row.left_text, row.right_text))
    return tuple(r.Comparison(row.left_role, row.right_role, row.section, tuple(rows[row.id]))
                 for row in _all(url, select(c).order_by(c.id)))


def clear_cache() -> None:
    """Forget every cached read (after a rebuild)."""
    for cached in (citations, figures, specializations, roles, stages, edges, ladder,
                   certifications, degrees, industries, employers, disciplines, topics, comparisons,
                   not_covered_topics):
        cached.cache_clear()
