"""Engine access: one SQLAlchemy engine per database URL."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

REPO_ROOT = Path(__file__).resolve().parent.parent
URL_ENV = "CAREER_COACH_DB_URL"
_ENGINES: dict[str, Engine] = {}


def default_url() -> str:
    """The database URL: ``$CAREER_COACH_DB_URL`` or SQLite at ``<repo>/var/knowledge.db``."""
    return os.environ.get(URL_ENV) or f"sqlite:///{REPO_ROOT / 'var' / 'knowledge.db'}"


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
