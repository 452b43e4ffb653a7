"""Validate knowledge/data and load it into the database.

    python -m knowledge.build [--data-dir DIR] [--db-url URL]

Invalid data stops the build with one message (file, record, problem), exit status 2, and no
database left behind. SQLite is built in a temporary file next to the target and moved into
place at the end; other databases are rebuilt in a single transaction.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, make_url

from knowledge import queries, retrieval, schema
from knowledge.checks import Data, SurfaceForm, check_all
from knowledge.db import default_url, forget_engine
from knowledge.errors import KnowledgeError
from knowledge.loader import DATA_DIR, CaseSensitive, load_all

Rows = dict[Any, list[dict[str, Any]]]  # table -> rows, in insertion order


def _listed(rows: Rows, table: Any, owner: dict[str, Any], values: list[Any], column: str) -> None:
    rows.setdefault(table, []).extend(
        {**owner, "position": i, column: value} for i, value in enumerate(values))


def _entity_rows(data: Data) -> Rows:
    rows: Rows = {}

    def add(table: Any, **row: Any) -> None:
        rows.setdefault(table, []).append(row)

    for c in data["citations"]:
        add(schema.Citation.__table__, **{k: c[k] for k in ("key", "publisher", "title", "url", "section")})
    for i, f in enumerate(data["figures"]):
        add(schema.Figure.__table__, key=f["key"], position=i, label=f["label"], amount=f["amount"],
            upper=f["upper"], unit=f["unit"], text=f["text"], year=f["year"],
            open_ended=f["open_ended"], citation_key=f["citation"], section=f["section"])
    for s in data["stages"]:
        add(schema.Stage.__table__, key=s["key"], name=s["name"], stage_order=s["order"],
            summary=s["summary"], duration_key=s["duration"], section=s["section"])
    for r in data["roles"]:
        add(schema.Role.__table__, name=r["name"], stage_key=r["stage"], ladder=r["ladder"],
            summary=r["summary"], section=r["section"])
    for i, e in enumerate(data["progression"]):
        add(schema.Edge.__table__, from_role=e["from"], to_role=e["to"], position=i,
            implied=e["implied"], section=e["section"])
    for i, c in enumerate(data["certifications"]):
        add(schema.Certification.__table__, acronym=c["acronym"], position=i, name=c["name"],
            summary=c["summary"], stage_key=c["stage"], section=c["section"])
    for i, d in enumerate(data["degrees"]):
        add(schema.Degree.__table__, key=d["key"], position=i, name=d["name"], level=d["level"],
            summary=d["summary"], duration_key=d["duration"], premium_key=d["premium"],
            section=d["section"])
    for i, s in enumerate(data["specializations"]):
        add(schema.Specialization.__table__, name=s["name"], position=i, focus=s["focus"],
            section=s["section"])
    for i, n in enumerate(data["industries"]):
        add(schema.Industry.__table__, name=n["name"], position=i, pay=n["pay"],
            notes=n["notes"] or "", section=n["section"])
    for i, e in enumerate(data["employers"]):
        add(schema.Employer.__table__, name=e["name"], position=i, section=e["section"])
    for i, d in enumerate(data["disciplines"]):
        add(schema.Discipline.__table__, key=d["key"], position=i, engineer=d["engineer"],
            summary=d["summary"], section=d["section"])
    for i, t in enumerate(data["topics"]):
        add(schema.Topic.__table__, key=t["key"], position=i, title=t["title"], text=t["text"],
            section=t["section"])
    for i, t in enumerate(data["tools"]):
        add(schema.Tool.__table__, name=t["name"], position=i, topic_key=t["topic"], section=t["section"])
    for n in data["not_covered"]:
        add(schema.NotCovered.__table__, term=n["term"], kind=n["kind"], nearest=n["nearest"])
    for i, c in enumerate(data["comparisons"], start=1):
        add(schema.Comparison.__table__, id=i, left_role=c["left"], right_role=c["right"],
            section=c["section"])
    return rows


def _link_rows(data: Data, rows: Rows) -> None:
    skills = {s for r in data["roles"] for s in r["skills"]}
    skills |= {s for r in data["stages"] for s in r["skills"]}
    skills |= {s for r in data["degrees"] for s in r["teaches"]}
    rows[schema.Skill.__table__] = [{"name": s} for s in sorted(skills)]
    for r in data["roles"]:
        owner = {"role_name": r["name"]}
        _listed(rows, schema.role_skills, owner, r["skills"], "skill_name")
        _listed(rows, schema.role_responsibilities, owner, r["responsibilities"], "text")
        _listed(rows, schema.role_reports_to, owner, r["reports_to"], "manager_name")
        _listed(rows, schema.role_next_steps, owner, r["next_steps"], "next_name")
    for s in data["stages"]:
        _listed(rows, schema.stage_skills, {"stage_key": s["key"]}, s["skills"], "skill_name")
        _listed(rows, schema.stage_extra_roles, {"stage_key": s["key"]}, s["also_roles"], "role_name")
    for ladder in data["ladder"]:
        _listed(rows, schema.ladder_rungs, {"section": ladder["section"]}, ladder["roles"], "role_name")
    for c in data["certifications"]:
        owner = {"acronym": c["acronym"]}
        _listed(rows, schema.certification_benefits, owner, c["benefits"], "text")
        _listed(rows, schema.certification_roles, owner, c["fits_roles"], "role_name")
    for d in data["degrees"]:
        _listed(rows, schema.degree_skills, {"degree_key": d["key"]}, d["teaches"], "skill_name")
    for s in data["specializations"]:
        _listed(rows, schema.specialization_roles, {"specialization_name": s["name"]}, s["roles"],
                "role_name")
    for d in data["disciplines"]:
        _listed(rows, schema.discipline_moves, {"discipline_key": d["key"]}, d["moves_to"], "target")
    for t in data["topics"]:
        _listed(rows, schema.topic_items, {"topic_key": t["key"]}, t["items"], "text")
    for i, c in enumerate(data["comparisons"], start=1):
        rows.setdefault(schema.comparison_rows, []).extend(
            {"comparison_id": i, "position": p, "dimension": row["dimension"],
             "left_text": row["left"], "right_text": row["right"]}
            for p, row in enumerate(c["rows"]))


def table_rows(data: Data, forms: list[SurfaceForm]) -> Rows:
    """Every row to insert, keyed by table, for validated data."""
    rows = _entity_rows(data)
    _link_rows(data, rows)
    rows[schema.SurfaceForm.__table__] = [
        {"label": f.label, "normalized": f.normalized, "value": f.value, "form": str(f.form),
         "position": f.position, "case_sensitive": isinstance(f.form, CaseSensitive)} for f in forms]
    return rows


def _insert(connection: Connection, rows: Rows) -> None:
    for table in schema.metadata.sorted_tables:
        if rows.get(table):
            connection.execute(table.insert(), rows[table])


def _write_sqlite(path: Path, rows: Rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    os.chmod(temp_name, 0o644)
    try:
        engine = create_engine(f"sqlite:///{temp_name}", future=True)
        try:
            schema.metadata.create_all(engine)
            with engine.begin() as connection:
                _insert(connection, rows)
        finally:
            engine.dispose()
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _write_server(url: str, rows: Rows) -> None:
    engine = create_engine(url, future=True)
    try:
        with engine.begin() as connection:
            schema.metadata.drop_all(connection)
            schema.metadata.create_all(connection)
            _insert(connection, rows)
    finally:
        engine.dispose()


def build(data_dir: Path = DATA_DIR, db_url: Optional[str] = None) -> str:
    """Validate ``data_dir`` and (re)build the database; return its URL.

    Raises :class:`KnowledgeError` before touching any database when the data is invalid.
    """
    url = db_url or default_url()
    data = load_all(data_dir)
    rows = table_rows(data, check_all(data, data_dir))
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise KnowledgeError(f"{url}: an in-memory SQLite database cannot be built")
        _write_sqlite(Path(parsed.database), rows)
    else:
        _write_server(url, rows)
    forget_engine(url)  # a rebuilt database makes pooled connections and cached reads stale
    queries.clear_cache()
    retrieval.clear_cache()
    return url


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="folder of the YAML files")
    parser.add_argument("--db-url", help="database URL (default: $CAREER_COACH_DB_URL or var/knowledge.db)")
    args = parser.parse_args(argv)
    try:
        url = build(args.data_dir, args.db_url)
    except KnowledgeError as error:
        print(f"knowledge build failed: {error}", file=sys.stderr)
        return 2
    print(f"knowledge base built: {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
