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
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, make_url

from knowledge import queries, retrieval, schema
from knowledge.checks import Data, SurfaceForm, check_all
from knowledge.db import default_url
from knowledge.errors import KnowledgeError
from knowledge.loader import DATA_DIR, CaseSensitive, load_all
from knowledge.spec import KINDS

Rows = dict[Any, list[dict[str, Any]]]  # table -> rows, in insertion order


def _column_value(value: Any) -> Any:
    """A record's value as its column holds it: tuples as lists, comparison rows as mappings."""
    if isinstance(value, tuple):
        return [asdict(item) if is_dataclass(item) else str(item) for item in value]
    return value


def table_rows(data: Data, forms: list[SurfaceForm]) -> Rows:
    """Every row to insert, keyed by table, for validated data."""
    rows: Rows = {
        schema.TABLES[name]: [
            {"position": i, **{f.name: _column_value(getattr(record, f.name)) for f in kind.fields}}
            for i, record in enumerate(data[name])]
        for name, kind in KINDS.items()}
    rows[schema.surface_forms] = [
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
    queries.clear_cache()  # a rebuilt database makes a loaded knowledge base stale
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
