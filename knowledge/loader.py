"""Read knowledge/data/*.yml and check shape, types and section names of every record.

Cross-record checks (references, duplicate names) live in :mod:`knowledge.checks`.

An alias tagged ``!cased`` (``aliases: [!cased PM, proj manager]``) is a short form that is also an
ordinary word ("5 pm", "I lean towards"): the entity extractor matches it only as typed, or in lower
case right after a word such as "a", "the" or "my".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml

from knowledge.errors import KnowledgeError

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

TOPIC = "topic"  # the not_covered kind of career topics the article leaves open
# Question intents whose answer a not-covered topic may point to as the closest thing the article says.
NEAREST_INTENTS = (
    "ask_role_info", "ask_requirements", "ask_salary", "ask_duration", "ask_certification",
    "ask_education", "ask_next_step", "ask_progression", "ask_industries", "ask_outlook",
    "ask_overview", "ask_discipline_move", "ask_tools",
)

# Field types: "str", "int", "number", "bool", "strs" (list of strings), "rows" (list of mappings).
_EMPTY = {"strs": [], "rows": [], "bool": False}


@dataclass(frozen=True)
class FileSpec:
    """Shape of the records of one YAML file."""

    name_field: Optional[str]  # field that names a record in messages (None: derived)
    required: dict[str, str]
    optional: dict[str, str] = field(default_factory=dict)
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sectioned: bool = True
    only_when: dict[str, tuple[str, str]] = field(default_factory=dict)  # field -> (field, value)


_TEXT = {"section": "str"}
SPECS: dict[str, FileSpec] = {
    "citations": FileSpec("key", {"key": "str", "publisher": "str", "title": "str", "url": "str", **_TEXT}),
    "figures": FileSpec(
        "key",
        {"key": "str", "label": "str", "amount": "number", "unit": "str", "text": "str", **_TEXT},
        {"year": "int", "upper": "number", "open_ended": "bool", "citation": "str"},
        {"unit": ("USD", "years")},
    ),
    "stages": FileSpec(
        "key",
        {"key": "str", "name": "str", "order": "int", "summary": "str", **_TEXT},
        {"aliases": "strs", "skills": "strs", "also_roles": "strs", "duration": "str"},
    ),
    "roles": FileSpec(
        "name",
        {"name": "str", "stage": "str", "ladder": "int", "summary": "str", **_TEXT},
        {"aliases": "strs", "responsibilities": "strs", "skills": "strs",
         "reports_to": "strs", "next_steps": "strs"},
    ),
    "progression": FileSpec(None, {"from": "str", "to": "str", **_TEXT}, {"implied": "bool"}),
    "ladder": FileSpec(None, {"roles": "strs", **_TEXT}),
    "certifications": FileSpec(
        "acronym",
        {"acronym": "str", "name": "str", "summary": "str", **_TEXT},
        {"stage": "str", "aliases": "strs", "benefits": "strs", "fits_roles": "strs"},
    ),
    "degrees": FileSpec(
        "key",
        {"key": "str", "name": "str", "level": "str", "summary": "str", **_TEXT},
        {"aliases": "strs", "teaches": "strs", "duration": "str", "premium": "str"},
        {"level": ("bachelor", "master")},
    ),
    "specializations": FileSpec(
        "name", {"name": "str", "focus": "str", **_TEXT}, {"aliases": "strs", "roles": "strs"}
    ),
    "industries": FileSpec(
        "name", {"name": "str", **_TEXT}, {"pay": "str", "notes": "str", "aliases": "strs"},
        {"pay": ("high", "competitive")},
    ),
    "employers": FileSpec("name", {"name": "str", **_TEXT}, {"aliases": "strs"}),
    "disciplines": FileSpec(
        "key",
        {"key": "str", "engineer": "str", "moves_to": "strs", "summary": "str", **_TEXT},
        {"aliases": "strs"},
    ),
    "topics": FileSpec("key", {"key": "str", "title": "str", "text": "str", **_TEXT}, {"items": "strs"}),
    "tools": FileSpec("name", {"name": "str", "topic": "str", **_TEXT}, {"aliases": "strs"}),
    "comparisons": FileSpec(None, {"left": "str", "right": "str", "rows": "rows", **_TEXT}),
    "not_covered": FileSpec(
        "term", {"term": "str", "kind": "str"}, {"aliases": "strs", "nearest": "str"},
        {"kind": ("profession", "place", "currency", "degree", TOPIC), "nearest": NEAREST_INTENTS},
        sectioned=False, only_when={"nearest": ("kind", TOPIC)},
    ),
}
COMPARISON_ROW_FIELDS = ("dimension", "left", "right")

Records = list[dict[str, Any]]


class CaseSensitive(str):
    """An alias tagged ``!cased`` in the data; otherwise an ordinary string."""


class _DataLoader(yaml.SafeLoader):
    """``yaml.safe_load`` plus the ``!cased`` tag."""


_DataLoader.add_constructor(
    "!cased", lambda loader, node: CaseSensitive(loader.construct_scalar(node)))


def record_name(kind: str, record: dict[str, Any], index: int) -> str:
    """How messages name a record: its key field, or a readable stand-in."""
    spec = SPECS[kind]
    if spec.name_field and isinstance(record.get(spec.name_field), str):
        return record[spec.name_field]
    if kind == "progression" and isinstance(record, dict):
        return f"{record.get('from')} -> {record.get('to')}"
    if kind == "comparisons" and isinstance(record, dict):
        return f"{record.get('left')} vs {record.get('right')}"
    return f"#{index + 1}"


def fail(path: Path, record: str, problem: str) -> KnowledgeError:
    """The one error format: ``<file>: record '<record>': <problem>``."""
    return KnowledgeError(f"{path}: record {record!r}: {problem}")


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "str":
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


_TYPE_NAMES = {"str": "a non-empty string", "int": "an integer", "number": "a number",
               "bool": "true or false", "strs": "a list of non-empty strings",
               "rows": "a list of mappings"}


def _check_record(path: Path, kind: str, record: Any, index: int) -> dict[str, Any]:
    spec = SPECS[kind]
    name = record_name(kind, record, index) if isinstance(record, dict) else f"#{index + 1}"
    if not isinstance(record, dict):
        raise fail(path, name, "a record must be a mapping of field: value")
    allowed = {**spec.required, **spec.optional}
    for key in record:
        if key not in allowed:
            raise fail(path, name, f"unknown field {key!r} (allowed: {', '.join(sorted(allowed))})")
    for key, kind_of in allowed.items():
        if key not in record or record[key] is None:
            if key in spec.required:
                raise fail(path, name, f"missing required field {key!r}")
            continue
        if not _type_ok(kind_of, record[key]):
            raise fail(path, name, f"field {key!r} must be {_TYPE_NAMES[kind_of]}, got {record[key]!r}")
    for key, options in spec.choices.items():
        if record.get(key) is not None and record[key] not in options:
            raise fail(path, name, f"field {key!r} is {record[key]!r}; expected one of {', '.join(options)}")
    for key, (condition, value) in spec.only_when.items():
        if record.get(condition) == value and record.get(key) is None:
            raise fail(path, name, f"missing required field {key!r} ({condition} {value!r} needs it)")
        if record.get(condition) != value and record.get(key) is not None:
            raise fail(path, name, f"field {key!r} is only allowed when {condition} is {value!r}")
    if spec.sectioned and record["section"] not in SECTIONS:
        raise fail(path, name, f"section {record['section']!r} is not a heading of the article")
    for row_index, row in enumerate(record.get("rows") or []):
        for key in COMPARISON_ROW_FIELDS:
            if not _type_ok("str", row.get(key)):
                raise fail(path, name, f"row {row_index + 1}: missing or empty field {key!r}")
    return {
        key: record[key] if record.get(key) is not None else _EMPTY.get(kind_of)
        for key, kind_of in allowed.items()
    }


def load_file(data_dir: Path, kind: str) -> Records:
    """The checked records of ``<data_dir>/<kind>.yml``, optional fields filled with defaults."""
    path = data_dir / f"{kind}.yml"
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
    return [_check_record(path, kind, record, index) for index, record in enumerate(content)]


def load_all(data_dir: Path = DATA_DIR) -> dict[str, Records]:
    """Every data file, each record checked on its own."""
    return {kind: load_file(data_dir, kind) for kind in SPECS}
