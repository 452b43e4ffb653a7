"""The knowledge base's tables, laid out from the kinds of :mod:`knowledge.spec`.

One table ``kb_<kind>`` per kind: a ``position`` column keeps the file's order, each field of the
record is a column (lists and comparison rows as JSON), a reference to a single record is a
foreign key (checked when the build's transaction commits: kinds refer to each other in a
cycle). Plus ``kb_surface_forms``: every name users may type, per entity label.
"""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from knowledge.spec import KINDS, FieldSpec, Kind

metadata = MetaData()
PREFIX = "kb_"
_NAME = 120  # length of names and keys
_TYPES = {"int": Integer, "number": Float, "bool": Boolean, "strs": JSON, "rows": JSON}


def _column(kind: Kind, spec: FieldSpec) -> Column:
    target = KINDS[spec.ref] if spec.ref else None
    single_key = target is not None and len(target.key_fields) == 1
    if spec.type in ("str", "record") and (spec.key or spec.unique or target is not None):
        references = [ForeignKey(f"{PREFIX}{target.name}.{target.key_fields[0].name}", use_alter=True,
                                 deferrable=True, initially="DEFERRED")] if single_key else []
        unique = (spec.key and len(kind.key_fields) == 1) or spec.unique
        return Column(spec.name, String(_NAME), *references, nullable=not spec.required, unique=unique)
    column_type = _TYPES.get(spec.type, Text)
    always = spec.type in ("bool", "strs", "rows")  # these have a value even when left out
    return Column(spec.name, column_type, nullable=not spec.required and not always, unique=spec.unique)


def _table(kind: Kind) -> Table:
    keys = [f.name for f in kind.key_fields]
    extra = [UniqueConstraint(*keys)] if len(keys) > 1 else []
    return Table(f"{PREFIX}{kind.name}", metadata, Column("position", Integer, primary_key=True, autoincrement=False),
                 *(_column(kind, spec) for spec in kind.fields), *extra)


TABLES: dict[str, Table] = {name: _table(kind) for name, kind in KINDS.items()}

surface_forms = Table(
    f"{PREFIX}surface_forms", metadata,
    Column("label", String(32), primary_key=True),
    Column("normalized", String(_NAME), primary_key=True),
    Column("value", String(_NAME), nullable=False, index=True),
    Column("form", String(_NAME), nullable=False),  # as written in the data
    Column("position", Integer, nullable=False),  # order within its entity (0: canonical name)
    Column("case_sensitive", Boolean, nullable=False),  # tagged !cased in the data
)
