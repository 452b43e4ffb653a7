"""The kinds of the knowledge base: which file, which record, which entity label.

A kind's fields come from its record class (:mod:`knowledge.records`); this module turns them into
:class:`FieldSpec` (type, YAML name, required, reference, choices) for the loader, the checks, the
table layout, the build and the reader, so none of them lists a field of its own.
"""
from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Callable, Optional

from knowledge import records as r

# Field types: "str", "int", "number", "bool", "strs" (list of strings), "rows" (list of mappings),
# "record" (the key of a record of another kind, read back as that record).
_SCALARS = {str: "str", int: "int", float: "number", bool: "bool"}


@dataclass(frozen=True)
class FieldSpec:
    name: str  # attribute of the record (and column of the table)
    yaml: str  # name in the YAML file
    type: str
    required: bool
    default: Any
    key: bool = False
    unique: bool = False
    ref: Optional[str] = None  # kind whose key the value (or each value) is
    choices: tuple[str, ...] = ()
    only_when: Optional[tuple[str, str]] = None  # (yaml field, value) that allows and requires it
    row_type: Optional[type] = None  # "rows": the record each mapping becomes


@dataclass(frozen=True)
class Kind:
    """One YAML file, one table, one record class."""

    name: str  # knowledge/data/<name>.yml, table kb_<name>
    record: type
    label: Optional[str] = None  # entity label its records are named by in messages
    forms: Optional[Callable[[Any], list[str]]] = None  # surface forms of a record, its name first
    value: Optional[Callable[[Any], str]] = None  # the entity value (default: the key)
    sectioned: bool = True
    unordered_key: bool = False  # (a, b) and (b, a) are the same record

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        return _fields(self.record)

    @property
    def key_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.key)

    def entity_value(self, record: Any) -> str:
        if self.value is not None:
            return self.value(record)
        return getattr(record, self.key_fields[0].name)

    def describe(self, values: dict[str, Any], index: int) -> str:
        """How messages name a record, from its YAML mapping: its key, or its position."""
        parts = [values.get(f.yaml) for f in self.key_fields]
        if parts and all(isinstance(p, str) for p in parts):
            return (" vs " if self.unordered_key else " -> ").join(parts)
        return f"#{index + 1}"

    def name_of(self, record: Any, index: int) -> str:
        """:meth:`describe` for a loaded record."""
        return self.describe({f.yaml: getattr(record, f.name) for f in self.key_fields}, index)


def _named(*attributes: str) -> Callable[[Any], list[str]]:
    return lambda record: [getattr(record, a) for a in attributes] + list(record.aliases)


KINDS: dict[str, Kind] = {kind.name: kind for kind in (  # in load order: referenced kinds first
    Kind("citations", r.Citation),
    Kind("figures", r.Figure),
    Kind("stages", r.Stage, "stage", _named("key", "name")),
    Kind("roles", r.Role, "role", _named("name")),
    Kind("progression", r.Step),
    Kind("ladder", r.Ladder),
    Kind("certifications", r.Certification, "certification", _named("acronym", "name")),
    Kind("degrees", r.Degree, "degree", _named("name"), lambda d: d.value),
    Kind("specializations", r.Specialization, "specialization", _named("name")),
    Kind("industries", r.Industry, "industry", _named("name")),
    Kind("employers", r.Employer, "employer", _named("name")),
    Kind("disciplines", r.DisciplineMove, "discipline", _named("discipline", "engineer")),
    Kind("topics", r.Topic),
    Kind("tools", r.Tool, "tool", _named("name")),
    Kind("comparisons", r.Comparison, unordered_key=True),
    Kind("not_covered", r.NotCovered, "not_covered", _named("term"),
         lambda n: f"{n.kind}:{n.term}", sectioned=False),
)}
COMPARISON_ROW_FIELDS = tuple(f.name for f in dataclasses.fields(r.ComparisonRow))


def _type_of(hint: Any) -> tuple[str, Optional[type]]:
    """(field type, the record of each row) of a type hint; ``Optional[X]`` is typed as ``X``."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) is typing.Union and type(None) in args:
        return _type_of(next(a for a in args if a is not type(None)))
    if typing.get_origin(hint) is tuple:
        return ("strs", None) if args[0] is str else ("rows", args[0])
    if hint in _SCALARS:
        return _SCALARS[hint], None
    return "record", None


@cache
def _fields(record: type) -> tuple[FieldSpec, ...]:
    hints = typing.get_type_hints(record)
    specs = []
    for f in dataclasses.fields(record):
        if f.metadata.get("derived"):
            continue
        kind_of, row = _type_of(hints[f.name])
        has_default = f.default is not dataclasses.MISSING
        when = f.metadata.get("only_when")
        specs.append(FieldSpec(
            f.name, f.metadata.get("yaml") or f.name, kind_of, not has_default,
            f.default if has_default else None, bool(f.metadata.get("key")),
            bool(f.metadata.get("unique")), f.metadata.get("ref"),
            tuple(f.metadata.get("choices", ())), tuple(when) if when else None, row))
    return tuple(specs)
