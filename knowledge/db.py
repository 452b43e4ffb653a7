"""Engine access: one SQLAlchemy engine per database URL."""
from __future__ import annotations

from typing import Optional

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from settings import ROOT, process_settings

REPO_ROOT = ROOT
_ENGINES: dict[str, Engine] = {}


def default_url() -> str:
    """The database URL of this process's settings (``CAREER_COACH_DB_URL``; default SQLite at
    ``<repo>/var/knowledge.db``)."""
    return process_settings().db_url


def get_engine(url: Optional[str] = None) -> Engine:
    """The shared engine for ``url`` (default: :func:`default_url`)."""
    url = url or default_url()
    if url not in _ENGINES:
        _ENGINES[url] = create_engine(url, future=True)
    return _ENGINES[url]


def forget_engine(url: str) -> None:
    """Dispose the shared engine for ``url``: after a rebuild its pooled connections are stale."""
    engine = _ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()
