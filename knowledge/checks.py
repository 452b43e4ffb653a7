"""Cross-record checks: unique keys, known references, unique surface forms per entity label."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.loader import Records, fail
from knowledge.normalize import normalize
from knowledge.spec import KINDS, Kind

Data = dict[str, Records]


@dataclass(frozen=True)
class SurfaceForm:
    """One way users may name a KB entity."""

    label: str
    value: str
    form: str  # as written in the data
    normalized: str
    position: int  # order within its entity (0 = canonical name)


def _as_list(value: Any) -> tuple:
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


def _unique_sets(kind: Kind) -> list[tuple[str, ...]]:
    """The field names that must be unique together: the key, and each field marked unique."""
    sets = [tuple(f.name for f in kind.key_fields)] if kind.key_fields else []
    return sets + [(f.name,) for f in kind.fields if f.unique]


def _check_unique_keys(data: Data, data_dir: Path) -> None:
    for kind in KINDS.values():
        yaml_name = {f.name: f.yaml for f in kind.fields}
        for fields in _unique_sets(kind):
            seen: set[Any] = set()
            for index, record in enumerate(data[kind.name]):
                value = tuple(getattr(record, f) for f in fields)
                value = tuple(sorted(value)) if kind.unordered_key else value
                if value in seen:
                    shown = " / ".join(str(v) for v in value)
                    raise fail(data_dir / f"{kind.name}.yml", kind.name_of(record, index),
                               f"duplicate {'+'.join(yaml_name[f] for f in fields)} {shown!r}")
                seen.add(value)


def _key_of(kind: Kind, record: Any) -> str:
    return getattr(record, kind.key_fields[0].name)


def _check_references(data: Data, data_dir: Path) -> None:
    for kind in KINDS.values():
        for spec in (f for f in kind.fields if f.ref):
            target = KINDS[spec.ref]
            known = {_key_of(target, record) for record in data[target.name]}
            for index, record in enumerate(data[kind.name]):
                for value in _as_list(getattr(record, spec.name)):
                    if value not in known:
                        raise fail(data_dir / f"{kind.name}.yml", kind.name_of(record, index),
                                   f"{spec.yaml}: unknown {target.name.rstrip('s')} {value!r}")


def _check_roles(data: Data, data_dir: Path) -> None:
    for role in data["roles"]:
        if role.name != role.name.lower():
            raise fail(data_dir / "roles.yml", role.name, "role names must be lower case")
    edges = {(e.from_role, e.to_role) for e in data["progression"]}
    for index, ladder in enumerate(data["ladder"]):
        for low, high in zip(ladder.roles, ladder.roles[1:], strict=False):
            if (low, high) not in edges:
                raise fail(data_dir / "ladder.yml", f"#{index + 1}",
                           f"no progression edge {low!r} -> {high!r} for consecutive rungs")
    owner: dict[str, str] = {}
    for spec in data["specializations"]:
        for role in spec.roles:
            if role in owner:
                raise fail(data_dir / "specializations.yml", spec.name,
                           f"role {role!r} already belongs to specialization {owner[role]!r}")
            owner[role] = spec.name


def surface_forms(data: Data, data_dir: Path) -> list[SurfaceForm]:
    """Every surface form per label; a form naming two entities of one label is an error."""
    forms: list[SurfaceForm] = []
    for kind in (k for k in KINDS.values() if k.label and k.forms):
        label = kind.label
        owners: dict[str, str] = {}
        for index, record in enumerate(data[kind.name]):
            value = kind.entity_value(record)
            position = 0
            for form in kind.forms(record):
                normalized = normalize(form)
                if not normalized:
                    raise fail(data_dir / f"{kind.name}.yml", kind.name_of(record, index),
                               f"name or alias {form!r} is empty once normalised")
                if normalized in owners:
                    if owners[normalized] == value:
                        continue  # the same entity spelled twice (e.g. acronym == name)
                    raise fail(data_dir / f"{kind.name}.yml", kind.name_of(record, index),
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
