"""`python -m actions [rasa_sdk arguments]`: the action server, started only on a usable knowledge base.

Before listening, the knowledge base (``CAREER_COACH_DB_URL``, from this process's settings, the
ones knowledge.db uses) is opened and read: a missing, empty or corrupt database, or one at an
unreachable URL, stops the start with one line on stderr and exit code 2, instead of an action
server that fails every question; so does an unusable setting. Otherwise this is rasa_sdk's own
server (``python -m rasa_sdk``), with ``--actions actions`` by default.

The records read here stay cached for the life of the process (the KB is read-only at run time).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

EXIT_KB_UNUSABLE = 2
CONNECT_TIMEOUT = 5  # seconds, for a database server


def shown_url(url: str) -> str:
    """The URL without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparsable URL>"


def _first_line(error: BaseException) -> str:
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


def knowledge_problem(url: str) -> Optional[str]:
    """Why the knowledge base at ``url`` cannot answer questions; None when it can."""
    try:
        parsed = make_url(url)
    except Exception as error:
        return f"not a database URL ({_first_line(error)})"
    if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        if not path.is_file():
            return f"no database file at {path}"
        if path.stat().st_size == 0:
            return f"{path} is empty"
    connect_args = {"connect_timeout": CONNECT_TIMEOUT} if parsed.get_backend_name() == "postgresql" else {}
    try:
        probe = create_engine(url, future=True, connect_args=connect_args)
        with probe.connect() as connection:
            connection.execute(text("SELECT 1"))
        probe.dispose()
        from knowledge.queries import knowledge_base

        loaded = knowledge_base(url)  # read once, here: the actions answer from this copy
        if not loaded.roles():
            return "it holds no roles"
        if not loaded.names.labels() or not loaded.salary_figures():
            return "it holds no vocabulary or no figures"
    except Exception as error:  # unreachable, corrupt, tables missing
        return _first_line(error)
    return None


def main(argv: Optional[List[str]] = None) -> int:
    from settings import SettingsError, process_settings

    try:
        url = process_settings().db_url
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_KB_UNUSABLE
    problem = knowledge_problem(url)
    if problem:
        print(f"knowledge base not usable at {shown_url(url)}: {problem}; run `make kb`", file=sys.stderr)
        return EXIT_KB_UNUSABLE
    # bm25s (knowledge/retrieval.py) imports JAX when it is installed (TensorFlow's dependency) for a
    # top-k the actions never use (they rank its scores with numpy), compiling a kernel as it does:
    # 1.2 s of each start. Nothing in this process uses JAX, so it is kept from it; the index is
    # then built now rather than at the first question it answers.
    sys.modules.setdefault("jax", None)  # type: ignore[arg-type]
    from knowledge import retrieval

    retrieval.statements()
    import rasa_sdk.__main__ as sdk

    args = list(sys.argv[1:] if argv is None else argv)
    if "--actions" not in args:
        args = ["--actions", "actions", *args]
    sdk.main_from_args(sdk.create_argument_parser().parse_args(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
