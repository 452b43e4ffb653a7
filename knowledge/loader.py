"""Read knowledge/data/*.yml into records, checking each one against its kind (:mod:`knowledge.spec`).

Cross-record checks (references, duplicate names) live in :mod:`knowledge.checks`. A record read
here names other records by key (a figure's ``citation`` is the citation's key); the knowledge base
resolves those when it loads the built database.

An alias tagged ``!cased`` (``aliases: [!cased PM, proj manager]``) is a short form that is also an
ordinary word ("5 pm", "I lean towards"): the entity extractor matches it only as typed, or in lower
case right after a word such as "a", "the" or "my".
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from knowledge.errors import KnowledgeError
from knowledge.records import NEAREST_INTENTS, TOPIC, ComparisonRow  # noqa: F401 (re-exported)
from knowledge.spec import COMPARISON_ROW_FIELDS, KINDS, FieldSpec, Kind

DATA_DIR = Path(__file__).resolve().parent / "data"

SECTIONS = (
    "Key Takeaways",
    "Education & Early Steps",
    "Entry-Level Roles & Mid-Level Growth",
    "Advanced Leadership Roles (Engineering Manager to Director)",
    "Specializations & Industries",
    "Engineering Management Landscape Overview: Salary, Outlook & ROI",
    "A Summary: The Progression of an Engineering Management Career",
)

Records = list[Any]  # the records of one kind, in file order


class CaseSensitive(str):
    """An alias tagged ``!cased`` in the data; otherwise an ordinary string."""


class _DataLoader(yaml.SafeLoader):
    """``yaml.safe_load`` plus the ``!cased`` tag."""


_DataLoader.add_constructor(
    "!cased", lambda loader, node: CaseSensitive(loader.construct_scalar(node)))


def fail(path: Path, record: str, problem: str) -> KnowledgeError:
    """The one error format: ``<file>: record '<record>': <problem>``."""
    return KnowledgeError(f"{path}: record {record!r}: {problem}")


def _type_ok(kind: str, value: Any) -> bool:
    if kind in ("str", "record"):
        return isinstance(value, str) and value.strip() != ""
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "strs":
        return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


_TYPE_NAMES = {"str": "a non-empty string", "record": "a non-empty string", "int": "an integer",
               "number": "a number", "bool": "true or false", "strs": "a list of non-empty strings",
               "rows": "a list of mappings"}


def _value(spec: FieldSpec, raw: Any) -> Any:
    """The record's value of a checked YAML value (lists become tuples, rows their records)."""
    if raw is None:
        return spec.default
    if spec.type == "strs":
        return tuple(raw)
    if spec.type == "rows":
        return tuple(spec.row_type(**{k: row[k] for k in COMPARISON_ROW_FIELDS}) for row in raw)
    return float(raw) if spec.type == "number" else raw


def _check_fields(path: Path, kind: Kind, record: dict[str, Any], name: str) -> None:
    specs = {f.yaml: f for f in kind.fields}
    for key in record:
        if key not in specs:
            raise fail(path, name, f"unknown field {key!r} (allowed: {', '.join(sorted(specs))})")
    for spec in specs.values():
        value = record.get(spec.yaml)
        if value is None:
            if spec.required:
                raise fail(path, name, f"missing required field {spec.yaml!r}")
            continue
        if not _type_ok(spec.type, value):
            raise fail(path, name, f"field {spec.yaml!r} must be {_TYPE_NAMES[spec.type]}, got {value!r}")
        if spec.choices and value not in spec.choices:
            raise fail(path, name, f"field {spec.yaml!r} is {value!r}; expected one of {', '.join(spec.choices)}")
    for spec in specs.values():
        if spec.only_when is None:
            continue
        condition, wanted = spec.only_when
        if record.get(condition) == wanted and record.get(spec.yaml) is None:
            raise fail(path, name, f"missing required field {spec.yaml!r} ({condition} {wanted!r} needs it)")
        if record.get(condition) != wanted and record.get(spec.yaml) is not None:
            raise fail(path, name, f"field {spec.yaml!r} is only allowed when {condition} is {wanted!r}")


def _check_record(path: Path, kind: Kind, record: Any, index: int) -> Any:
    name = kind.describe(record, index) if isinstance(record, dict) else f"#{index + 1}"
    if not isinstance(record, dict):
        raise fail(path, name, "a record must be a mapping of field: value")
    _check_fields(path, kind, record, name)
    if kind.sectioned and record["section"] not in SECTIONS:
        raise fail(path, name, f"section {record['section']!r} is not a heading of the article")
    for row_index, row in enumerate(record.get("rows") or []):
        for key in COMPARISON_ROW_FIELDS:
            if not _type_ok("str", row.get(key)):
                raise fail(path, name, f"row {row_index + 1}: missing or empty field {key!r}")
    return kind.record(**{spec.name: _value(spec, record.get(spec.yaml)) for spec in kind.fields})


def load_file(data_dir: Path, kind_name: str) -> Records:
    """The checked records of ``<data_dir>/<kind>.yml``, optional fields filled with defaults."""
    path = data_dir / f"{kind_name}.yml"
    if not path.is_file():
        raise KnowledgeError(f"{path}: file is missing")
    try:
        content = yaml.load(path.read_text(encoding="utf-8"), Loader=_DataLoader)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        at = f"line {where.line + 1}, column {where.column + 1}" if where else "unknown place"
        problem = getattr(error, "problem", None) or str(error)
        raise KnowledgeError(f"{path}: malformed YAML at {at}: {problem}") from None
    if not isinstance(content, list):
        raise KnowledgeError(f"{path}: the file must hold a list of records")
    kind = KINDS[kind_name]
    return [_check_record(path, kind, record, index) for index, record in enumerate(content)]


def load_all(data_dir: Path = DATA_DIR) -> dict[str, Records]:
    """Every data file, each record checked on its own."""
    return {name: load_file(data_dir, name) for name in KINDS}
