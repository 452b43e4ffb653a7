"""Checks before the Rasa server starts: are the conversation stores reachable?

Rasa retries an unreachable tracker store for minutes; :func:`check_stores` fails within seconds
instead, with one line naming the store and the problem (``RuntimeError``, which ``make run``
prints). Passwords are never part of the message.
"""
from __future__ import annotations

import socket
from typing import Optional
from urllib.parse import urlparse

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from settings import Settings

CONNECT_TIMEOUT = 5  # seconds


def _first_line(error: BaseException) -> str:
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


def _connect(url: URL) -> None:
    connect_args = {"connect_timeout": CONNECT_TIMEOUT} if url.get_backend_name() == "postgresql" else {}
    engine = create_engine(url, future=True, connect_args=connect_args)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    finally:
        engine.dispose()


def tracker_store_problem(settings: Settings) -> Optional[str]:
    """Why the SQL tracker store named by CAREER_COACH_TRACKER_URL is unusable; None if it is fine."""
    if not settings.tracker_url:
        return None  # SQLite under the state folder, created by Rasa
    url = make_url(settings.tracker_url)  # checked by Settings
    if settings.tracker_password:
        url = url.set(password=settings.tracker_password)
    shown = url.render_as_string(hide_password=True)
    try:
        _connect(url)
    except Exception as error:
        problem = _first_line(error)
        if "does not exist" in problem and url.get_backend_name() == "postgresql":
            try:  # Rasa creates a missing database itself, through the server's default database
                _connect(url.set(database="postgres"))
                return None
            except Exception:
                pass
        return f"conversation store not reachable at {shown}: {problem}"
    return None


def lock_store_problem(settings: Settings) -> Optional[str]:
    """Why the Redis lock store named by CAREER_COACH_REDIS_URL cannot be reached; None if it can."""
    if not settings.redis_url:
        return None
    parsed = urlparse(settings.redis_url)
    host, port = parsed.hostname or "localhost", parsed.port or 6379
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT):
            return None
    except OSError as error:
        return f"lock store not reachable at redis://{host}:{port}: {error.strerror or error}"


def check_stores(settings: Settings) -> None:
    """Raise ``RuntimeError`` with one clear line if a configured store cannot be reached."""
    for problem in (tracker_store_problem(settings), lock_store_problem(settings)):
        if problem:
            raise RuntimeError(problem)
