"""Read the built database once into records: every table, references resolved, derived fields filled.

Tables and columns come from :mod:`knowledge.schema` (laid out from the kinds), so this module knows
no field by name, except the few derived ones it fills in (:func:`_derive`).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any, Mapping

from sqlalchemy import create_engine, select

from knowledge import schema
from knowledge.records import Figure, Role, Stage
from knowledge.spec import KINDS, Kind

Form = tuple[str, str, int, bool]  # (value, form as written, position in its entity, case-sensitive)


@dataclass(frozen=True)
class Contents:
    """Everything the database holds, as records."""

    records: Mapping[str, tuple[Any, ...]]  # kind -> records (file order; roles by stage and ladder)
    forms: Mapping[str, tuple[tuple[str, Form], ...]]  # label -> (normalized, form), by value, position


def read(url: str) -> Contents:
    """Every record and surface form of the database at ``url`` (one connection, then closed)."""
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            rows = {name: connection.execute(select(table).order_by(table.c.position)).mappings().all()
                    for name, table in schema.TABLES.items()}
            f = schema.surface_forms.c
            form_rows = connection.execute(
                select(f.label, f.normalized, f.value, f.form, f.position, f.case_sensitive)
                .order_by(f.label, f.value, f.position)).all()
    finally:
        engine.dispose()
    by_key: dict[str, dict[str, Any]] = {}
    records: dict[str, tuple[Any, ...]] = {}
    for name, kind in KINDS.items():
        records[name] = tuple(_record(kind, row, by_key) for row in rows[name])
        if len(kind.key_fields) == 1:
            by_key[name] = {getattr(r, kind.key_fields[0].name): r for r in records[name]}
    forms: dict[str, list[tuple[str, Form]]] = defaultdict(list)
    for label, normalized, value, form, position, cased in form_rows:
        forms[label].append((normalized, (value, form, position, bool(cased))))
    return Contents(_derive(records), {label: tuple(items) for label, items in forms.items()})


def _record(kind: Kind, row: Mapping[str, Any], by_key: Mapping[str, Mapping[str, Any]]) -> Any:
    values = {}
    for spec in kind.fields:
        value = row[spec.name]
        if spec.type == "strs":
            value = tuple(value or ())
        elif spec.type == "rows":
            value = tuple(spec.row_type(**item) for item in value or ())
        elif spec.type == "record" and value is not None:
            value = by_key[spec.ref][value]
        elif spec.type == "bool":
            value = bool(value)
        values[spec.name] = value
    return kind.record(**values)


def _derive(records: dict[str, tuple[Any, ...]]) -> dict[str, tuple[Any, ...]]:
    """Fill the derived fields: a role's specialization, a stage's roles, a step's duration."""
    order = {stage.key: stage.order for stage in records["stages"]}
    owner = {name: spec.name for spec in records["specializations"] for name in spec.roles}
    roles: tuple[Role, ...] = tuple(sorted(
        (replace(role, specialization=owner.get(role.name)) for role in records["roles"]),
        key=lambda role: (order[role.stage], role.ladder, role.name)))
    members: dict[str, list[str]] = defaultdict(list)
    for role in roles:
        members[role.stage].append(role.name)
    stages: tuple[Stage, ...] = tuple(sorted(
        (replace(stage, roles=stage.also_roles + tuple(members[stage.key])) for stage in records["stages"]),
        key=lambda stage: stage.order))
    timed = _transitions(stages)
    steps = tuple(replace(step, duration=timed.get((step.from_role, step.to_role)))
                  for step in records["progression"])
    return {**records, "roles": roles, "stages": stages, "progression": steps}


def _transitions(stages: tuple[Stage, ...]) -> dict[tuple[str, str], Figure]:
    """(role, role) -> duration, for every move from a stage into the next one that has a duration
    (the article states it once, for the stage)."""
    return {(low, high): stage.duration
            for before, stage in zip(stages, stages[1:], strict=False) if stage.duration
            for low in before.roles for high in stage.roles}
