"""Cross-record checks: unique keys, known references, unique surface forms per entity label."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from knowledge.loader import Records, fail, record_name
from knowledge.normalize import normalize

Data = dict[str, Records]

# (file, fields that must be unique together)
_UNIQUE_KEYS = (
    ("citations", ("key",)), ("figures", ("key",)), ("stages", ("key",)), ("stages", ("order",)),
    ("roles", ("name",)), ("progression", ("from", "to")), ("certifications", ("acronym",)),
    ("degrees", ("key",)), ("specializations", ("name",)), ("industries", ("name",)),
    ("employers", ("name",)), ("disciplines", ("key",)), ("topics", ("key",)),
    ("tools", ("name",)), ("comparisons", ("left", "right")), ("not_covered", ("term",)),
)
# (file, field, referenced file, its key field)
_REFERENCES = (
    ("roles", "stage", "stages", "key"), ("roles", "reports_to", "roles", "name"),
    ("roles", "next_steps", "roles", "name"), ("stages", "also_roles", "roles", "name"),
    ("stages", "duration", "figures", "key"), ("progression", "from", "roles", "name"),
    ("progression", "to", "roles", "name"),
    ("ladder", "roles", "roles", "name"), ("certifications", "stage", "stages", "key"),
    ("certifications", "fits_roles", "roles", "name"), ("degrees", "duration", "figures", "key"),
    ("degrees", "premium", "figures", "key"), ("specializations", "roles", "roles", "name"),
    ("figures", "citation", "citations", "key"), ("tools", "topic", "topics", "key"),
    ("comparisons", "left", "roles", "name"), ("comparisons", "right", "roles", "name"),
)
_SINGULAR = {"roles": "role", "stages": "stage", "figures": "figure", "citations": "citation",
             "topics": "topic"}


def degree_value(key: str, level: str) -> str:
    """The NLU entity value of a degree: "MEM", "MBA", "bachelor's degree"."""
    return key.upper() if level == "master" else f"{level}'s degree"


# entity label -> (file, canonical value of a record, its surface forms as typed)
LABELS: dict[str, tuple[str, Callable[[dict], str], Callable[[dict], list[str]]]] = {
    "role": ("roles", lambda r: r["name"], lambda r: [r["name"], *r["aliases"]]),
    "certification": ("certifications", lambda r: r["acronym"],
                      lambda r: [r["acronym"], r["name"], *r["aliases"]]),
    "degree": ("degrees", lambda r: degree_value(r["key"], r["level"]), lambda r: [r["name"], *r["aliases"]]),
    "discipline": ("disciplines", lambda r: r["key"], lambda r: [r["key"], r["engineer"], *r["aliases"]]),
    "industry": ("industries", lambda r: r["name"], lambda r: [r["name"], *r["aliases"]]),
    "specialization": ("specializations", lambda r: r["name"], lambda r: [r["name"], *r["aliases"]]),
    "stage": ("stages", lambda r: r["key"], lambda r: [r["key"], r["name"], *r["aliases"]]),
    "tool": ("tools", lambda r: r["name"], lambda r: [r["name"], *r["aliases"]]),
    "employer": ("employers", lambda r: r["name"], lambda r: [r["name"], *r["aliases"]]),
    "not_covered": ("not_covered", lambda r: f"{r['kind']}:{r['term']}",
                    lambda r: [r["term"], *r["aliases"]]),
}


@dataclass(frozen=True)
class SurfaceForm:
    """One way users may name a KB entity."""

    label: str
    value: str
    form: str  # as written in the data
    normalized: str
    position: int  # order within its entity (0 = canonical name)


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _check_unique_keys(data: Data, data_dir: Path) -> None:
    for kind, fields in _UNIQUE_KEYS:
        seen: dict[Any, str] = {}
        for index, record in enumerate(data[kind]):
            value = tuple(record[f] for f in fields)
            if kind == "comparisons":
                value = tuple(sorted(value))
            name = record_name(kind, record, index)
            if value in seen:
                shown = " / ".join(str(v) for v in value)
                raise fail(data_dir / f"{kind}.yml", name, f"duplicate {'+'.join(fields)} {shown!r}")
            seen[value] = name


def _check_references(data: Data, data_dir: Path) -> None:
    for kind, field_name, target, key in _REFERENCES:
        known = {record[key] for record in data[target]}
        for index, record in enumerate(data[kind]):
            for value in _as_list(record[field_name]):
                if value not in known:
                    raise fail(data_dir / f"{kind}.yml", record_name(kind, record, index),
                               f"{field_name}: unknown {_SINGULAR[target]} {value!r}")


def _check_roles(data: Data, data_dir: Path) -> None:
    for role in data["roles"]:
        if role["name"] != role["name"].lower():
            raise fail(data_dir / "roles.yml", role["name"], "role names must be lower case")
    edges = {(e["from"], e["to"]) for e in data["progression"]}
    for index, ladder in enumerate(data["ladder"]):
        for low, high in zip(ladder["roles"], ladder["roles"][1:], strict=False):
            if (low, high) not in edges:
                raise fail(data_dir / "ladder.yml", f"#{index + 1}",
                           f"no progression edge {low!r} -> {high!r} for consecutive rungs")
    owner: dict[str, str] = {}
    for spec in data["specializations"]:
        for role in spec["roles"]:
            if role in owner:
                raise fail(data_dir / "specializations.yml", spec["name"],
                           f"role {role!r} already belongs to specialization {owner[role]!r}")
            owner[role] = spec["name"]


def surface_forms(data: Data, data_dir: Path) -> list[SurfaceForm]:
    """Every surface form per label; a form naming two entities of one label is an error."""
    forms: list[SurfaceForm] = []
    for label, (kind, value_of, forms_of) in LABELS.items():
        owners: dict[str, str] = {}
        for index, record in enumerate(data[kind]):
            value = value_of(record)
            position = 0
            for form in forms_of(record):
                normalized = normalize(form)
                if not normalized:
                    raise fail(data_dir / f"{kind}.yml", record_name(kind, record, index),
                               f"name or alias {form!r} is empty once normalised")
                if normalized in owners:
                    if owners[normalized] == value:
                        continue  # the same entity spelled twice (e.g. acronym == name)
                    raise fail(data_dir / f"{kind}.yml", record_name(kind, record, index),
                               f"duplicate alias {form!r}: already names {label} {owners[normalized]!r}")
                owners[normalized] = value
                forms.append(SurfaceForm(label, value, form, normalized, position))
                position += 1
    return forms


def _check_not_covered(forms: list[SurfaceForm], data_dir: Path) -> None:
    """A name of something the article does not cover must not also name something it covers."""
    covered = {form.normalized: form for form in forms if form.label != "not_covered"}
    for form in forms:
        other = covered.get(form.normalized) if form.label == "not_covered" else None
        if other is not None:
            raise fail(data_dir / "not_covered.yml", form.value.split(":", 1)[1],
                       f"alias {str(form.form)!r} already names {other.label} {other.value!r}")


def check_all(data: Data, data_dir: Path) -> list[SurfaceForm]:
    """Run every cross-record check; return the surface forms to store."""
    _check_unique_keys(data, data_dir)
    _check_references(data, data_dir)
    _check_roles(data, data_dir)
    forms = surface_forms(data, data_dir)
    _check_not_covered(forms, data_dir)
    return forms
