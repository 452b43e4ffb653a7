"""Every setting of Career Coach, read from the environment once per process (README: Settings).

:meth:`Settings.from_env` is the one place that reads ``CAREER_COACH_*`` and ``SLACK_*``
variables: it parses and checks each one (a bad value raises :class:`SettingsError`, one line
naming the variable) and fills in the defaults. A process entry point builds its settings once and
hands them down (``ops.launcher``, ``ops.replica``); code that Rasa or rasa_sdk loads by name and
that cannot be handed them (channels, the knowledge base's default URL) calls
:func:`process_settings`, built on first use and then kept for the life of the process.
Secrets are kept out of ``repr`` and never echoed in errors.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent

DB_URL = "CAREER_COACH_DB_URL"
HOST = "CAREER_COACH_HOST"
PORT = "CAREER_COACH_PORT"
ACTION_PORT = "CAREER_COACH_ACTION_PORT"
ACTION_URL = "CAREER_COACH_ACTION_URL"
WEB_PORT = "CAREER_COACH_WEB_PORT"
SOCKET_URL = "CAREER_COACH_SOCKET_URL"
CORS = "CAREER_COACH_CORS"
STATE_DIR = "CAREER_COACH_STATE_DIR"
TRACKER_URL = "CAREER_COACH_TRACKER_URL"
TRACKER_PASSWORD = "CAREER_COACH_TRACKER_PASSWORD"
REDIS_URL = "CAREER_COACH_REDIS_URL"
REDIS_PASSWORD = "CAREER_COACH_REDIS_PASSWORD"
LOCK_LEASE = "CAREER_COACH_LOCK_LEASE"
ACTION_TIMEOUT = "CAREER_COACH_ACTION_TIMEOUT"
MAX_MESSAGE = "CAREER_COACH_MAX_MESSAGE"
MAX_BODY = "CAREER_COACH_MAX_BODY"
RATE_LIMIT = "CAREER_COACH_RATE_LIMIT"
API_TOKEN = "CAREER_COACH_API_TOKEN"
REPORT_TOKEN = "CAREER_COACH_REPORT_TOKEN"
SPEEDUPS = "CAREER_COACH_SPEEDUPS"
SLACK_BOT_TOKEN = "SLACK_BOT_TOKEN"
SLACK_SIGNING_SECRET = "SLACK_SIGNING_SECRET"
SLACK_CHANNEL = "SLACK_CHANNEL"
SLACK_API_URL = "SLACK_API_URL"


class SettingsError(ValueError):
    """A variable with a value Career Coach cannot use; the message is one line naming it."""


def _whole(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise ValueError(f"must be a whole number from {low:,} to {high:,}")
        return int(raw)
    return parse


def _seconds(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 3600:
        raise ValueError("must be a number of seconds above 0 and at most 3600")
    return value


def _url(*schemes: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        parsed = urlparse(raw)
        if parsed.scheme not in schemes or not parsed.hostname:
            raise ValueError(f"must be a URL starting with {' or '.join(s + '://' for s in schemes)} and a host")
        return raw.rstrip("/")
    return parse


def _redis_url(raw: str) -> str:
    raw = _url("redis", "rediss")(raw)
    database = urlparse(raw).path.strip("/")
    if database and not database.isdigit():
        raise ValueError("must end in a database number, e.g. redis://host:6379/0")
    return raw


def _database_url(raw: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        make_url(raw)
    except Exception:
        raise ValueError("is not a database URL (dialect://user@host:port/database, sqlite:///path)") from None
    return raw


def _origins(raw: str) -> str:
    for origin in raw.split():
        parsed = urlparse(origin)
        if parsed.scheme not in ("http", "https") or not parsed.hostname or parsed.path not in ("", "/"):
            raise ValueError("must be origins such as https://example.com:8443, separated by spaces")
    return " ".join(raw.split())


def _slack_channel(raw: str) -> str:
    if not raw.isalnum():
        raise ValueError("must be a channel ID such as C0123ABCD, not a #name")
    return raw


def _token(raw: str) -> str:
    if len(raw) < 16 or not all("!" <= ch <= "~" for ch in raw):
        raise ValueError("must be at least 16 printable ASCII characters without spaces")
    return raw


def _on_off(raw: str) -> bool:
    if raw.lower() not in ("on", "off"):
        raise ValueError("must be on or off")
    return raw.lower() == "on"


def _text(raw: str) -> str:
    return raw


def _env(default: Any, name: str, parse: Callable[[str], Any] = _text, secret: bool = False) -> Any:
    """A field set by the variable ``name``, read by ``parse``; a secret (or what may hold one, like
    a URL with a password) is left out of ``repr`` and of error messages."""
    return field(default=default, repr=not secret, metadata={"env": name, "parse": parse, "secret": secret})


@dataclass(frozen=True)
class Settings:
    """What one Career Coach process runs with. ``Settings()`` is the defaults; see :meth:`from_env`."""

    db_url: str = _env(f"sqlite:///{ROOT / 'var' / 'knowledge.db'}", DB_URL, _database_url, secret=True)
    host: str = _env("127.0.0.1", HOST)
    rasa_port: int = _env(5005, PORT, _whole(1, 65535))
    action_port: int = _env(5055, ACTION_PORT, _whole(1, 65535))
    action_server_url: str = _env("", ACTION_URL, _url("http", "https"))
    web_port: int = _env(8000, WEB_PORT, _whole(0, 65535))  # 0: no demo page
    socket_url: str = _env("", SOCKET_URL, _url("http", "https"))
    cors: str = _env("", CORS, _origins)  # space-separated origins
    # logs, the generated endpoints and credentials, and the default SQLite conversation store
    state_dir: Path = _env(ROOT / "var", STATE_DIR, Path)
    tracker_url: str = _env("", TRACKER_URL, _database_url, secret=True)
    tracker_password: str = _env("", TRACKER_PASSWORD, secret=True)
    redis_url: str = _env("", REDIS_URL, _redis_url, secret=True)
    redis_password: str = _env("", REDIS_PASSWORD, secret=True)
    lock_lease: int = _env(4, LOCK_LEASE, _whole(0, 600))  # seconds; 0: Rasa's own Redis lock store
    action_timeout: float = _env(10.0, ACTION_TIMEOUT, _seconds)
    max_message: int = _env(5000, MAX_MESSAGE, _whole(1, 10**6))
    max_body: int = _env(2 * 1024 * 1024, MAX_BODY, _whole(1024, 10**9))
    rate_limit: int = _env(30, RATE_LIMIT, _whole(0, 10**6))  # 0: off
    api_token: str = _env("", API_TOKEN, secret=True)
    report_token: str = _env("", REPORT_TOKEN, _token, secret=True)  # empty: no curator dashboard
    speedups: bool = _env(True, SPEEDUPS, _on_off)  # off: Rasa's own code throughout (bot/speedups)
    slack_bot_token: str = _env("", SLACK_BOT_TOKEN, secret=True)
    slack_signing_secret: str = _env("", SLACK_SIGNING_SECRET, secret=True)
    slack_channel: str = _env("", SLACK_CHANNEL, _slack_channel)
    slack_api_url: str = _env("", SLACK_API_URL, _url("http", "https"))
    # Files, not variables: the repository's own, replaced by tests and the benchmark.
    endpoints: Path = ROOT / "endpoints.yml"  # completed by ops.endpoints
    credentials: Path = ROOT / "credentials.yml"  # completed by ops.credentials
    model: Path = ROOT / "models" / "career-coach.tar.gz"

    @classmethod
    def from_env(cls, environ: Mapping[str, str], **overrides: Any) -> Settings:
        """The settings ``environ`` asks for (unset or blank variables keep their defaults), then
        ``overrides``; raises :class:`SettingsError` for the first unusable value."""
        values: Dict[str, Any] = {}
        for spec in fields(cls):
            name = spec.metadata.get("env")
            raw = (environ.get(name) or "").strip() if name else ""
            if not raw:
                continue
            try:
                values[spec.name] = spec.metadata["parse"](raw)
            except ValueError as error:
                shown = "" if spec.metadata["secret"] else f" (got {raw[:60]!r})"
                raise SettingsError(f"{name} {error}{shown}") from None
        return cls(**{**values, **overrides})

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        """Where the Rasa server calls the action server: CAREER_COACH_ACTION_URL, else this host."""
        return self.action_server_url or f"http://127.0.0.1:{self.action_port}"

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.web_port}"

    @property
    def log_dir(self) -> Path:
        return self.state_dir / "log"

    @property
    def cors_origins(self) -> List[str]:
        """Origins allowed to open the socket.io channel: the demo page unless configured."""
        if self.cors:
            return self.cors.split()
        return [f"http://localhost:{self.web_port}", f"http://127.0.0.1:{self.web_port}"]

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token and self.slack_signing_secret)


@lru_cache(maxsize=1)
def process_settings() -> Settings:
    """This process's settings, from ``os.environ`` on first use (for code Rasa loads by name)."""
    return Settings.from_env(os.environ)
