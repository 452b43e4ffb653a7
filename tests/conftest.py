"""Session fixtures: the knowledge base (built once, CAREER_COACH_DB_URL points at it), the trained
model loaded in-process, and the real servers for conversation tests.

The KB goes into a temporary SQLite file, or into the PostgreSQL database named by
CAREER_COACH_TEST_PG_URL when that is set (same tests).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from knowledge.build import build
from ops.servers import stack
from settings import DB_URL, Settings, process_settings
from tests.support.stack import Conversation, private_stack_settings

PG_ENV = "CAREER_COACH_TEST_PG_URL"
MODEL = Settings().model


@pytest.fixture(scope="session", autouse=True)
def knowledge_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a freshly built KB, exported as CAREER_COACH_DB_URL for the whole session (this
    process's settings are read again from it; the servers the tests start inherit it)."""
    url = os.environ.get(PG_ENV) or f"sqlite:///{tmp_path_factory.mktemp('kb') / 'knowledge.db'}"
    previous = os.environ.get(DB_URL)
    os.environ[DB_URL] = url
    process_settings.cache_clear()
    build(db_url=url)
    yield url
    if previous is None:
        os.environ.pop(DB_URL, None)
    else:
        os.environ[DB_URL] = previous
    process_settings.cache_clear()


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The model `make test` trained; tests that need it fail with the command to run."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train`")
    return MODEL


@pytest.fixture(scope="session")
def agent(trained_model: Path, knowledge_db: str):
    """The trained model loaded in-process, for NLU measurements."""
    from rasa.core.agent import Agent

    return Agent.load(str(trained_model))


@pytest.fixture(scope="session")
def bot_stack(trained_model: Path, knowledge_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real action server and Rasa server (REST), on free ports; yields the Rasa URL."""
    settings = private_stack_settings(tmp_path_factory.mktemp("stack"))
    with stack(settings) as running:
        yield running.rasa_url


@pytest.fixture
def conversation(bot_stack: str) -> Conversation:
    """A new user talking to the running bot."""
    return Conversation(bot_stack)
