"""Where the knowledge base lives: the database URL of this process's settings."""
from __future__ import annotations

from settings import ROOT, process_settings

REPO_ROOT = ROOT


def default_url() -> str:
    """The database URL of this process's settings (``CAREER_COACH_DB_URL``; default SQLite at
    ``<repo>/var/knowledge.db``)."""
    return process_settings().db_url
