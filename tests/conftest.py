"""Session fixture: build the knowledge base once and point CAREER_COACH_DB_URL at it.

The KB goes into a temporary SQLite file, or into the PostgreSQL database named by
CAREER_COACH_TEST_PG_URL when that is set (same tests).
"""
from __future__ import annotations

import os
from typing import Iterator

import pytest

from knowledge.build import build
from knowledge.db import URL_ENV

PG_ENV = "CAREER_COACH_TEST_PG_URL"


@pytest.fixture(scope="session", autouse=True)
def knowledge_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a freshly built KB, exported as CAREER_COACH_DB_URL for the whole session."""
    url = os.environ.get(PG_ENV) or f"sqlite:///{tmp_path_factory.mktemp('kb') / 'knowledge.db'}"
    previous = os.environ.get(URL_ENV)
    os.environ[URL_ENV] = url
    build(db_url=url)
    yield url
    if previous is None:
        os.environ.pop(URL_ENV, None)
    else:
        os.environ[URL_ENV] = previous
