"""The endpoints the Rasa server uses: endpoints.yml completed from the settings.

Conversations go to Rasa's SQL tracker store (cached between turns: bot/tracker_store.py).
Embedded default: conversations in an SQLite file under the state folder, locks in memory.
Scale-out: CAREER_COACH_TRACKER_URL (a PostgreSQL URL without the password) and
CAREER_COACH_REDIS_URL (redis://host:port/db) switch to Rasa's SQL tracker store on PostgreSQL and
its Redis lock store with leased tickets (bot/lock_store.py; CAREER_COACH_LOCK_LEASE=0: Rasa's own).
Passwords come from CAREER_COACH_TRACKER_PASSWORD and CAREER_COACH_REDIS_PASSWORD and are written
only as ${VAR} placeholders that Rasa expands.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict
from urllib.parse import urlparse

import yaml
from sqlalchemy.engine import make_url

from settings import REDIS_PASSWORD, TRACKER_PASSWORD, Settings

TRACKER_STORE_TYPE = "bot.tracker_store.CachedSQLTrackerStore"  # Rasa's SQL store, cached (see there)
LOCK_STORE_TYPE = "bot.lock_store.LeasedRedisLockStore"  # a dead replica's lock ends with its lease
LOCK_KEY_PREFIX = "careercoach"  # Rasa ignores a prefix that is not alphanumeric (no "_" or "-")


def tracker_store(settings: Settings) -> Dict[str, Any]:
    if not settings.tracker_url:
        return {"type": TRACKER_STORE_TYPE, "dialect": "sqlite", "db": str(settings.state_dir / "conversations.db")}
    url = make_url(settings.tracker_url)
    store: Dict[str, Any] = {"type": TRACKER_STORE_TYPE, "dialect": url.drivername, "url": url.host or "localhost",
                             "db": url.database}
    if url.port:
        store["port"] = url.port
    if url.username:
        store["username"] = url.username
    if settings.tracker_password:
        store["password"] = "${" + TRACKER_PASSWORD + "}"
    return store


def lock_store(settings: Settings) -> Dict[str, Any]:
    if not settings.redis_url:
        return {"type": "in_memory"}
    url = urlparse(settings.redis_url)
    store: Dict[str, Any] = {"type": LOCK_STORE_TYPE if settings.lock_lease else "redis",
                             "url": url.hostname or "localhost", "port": url.port or 6379,
                             "db": int(url.path.strip("/") or 0), "key_prefix": LOCK_KEY_PREFIX}
    if settings.lock_lease:
        store["lease_seconds"] = settings.lock_lease
    if settings.redis_password:
        store["password"] = "${" + REDIS_PASSWORD + "}"
    return store


def endpoints_config(settings: Settings) -> Dict[str, Any]:
    """endpoints.yml with the action server's URL and the stores the settings ask for."""
    config = yaml.safe_load(settings.endpoints.read_text(encoding="utf-8")) or {}
    config["action_endpoint"] = {"url": f"{settings.action_url}/webhook"}
    config["tracker_store"] = tracker_store(settings)
    config["lock_store"] = lock_store(settings)
    return config


def write_endpoints(settings: Settings) -> Path:
    """The completed endpoints, written to ``<state folder>/endpoints.yml``."""
    return write_state_file(settings, "endpoints.yml", endpoints_config(settings))


def write_state_file(settings: Settings, name: str, document: Dict[str, Any]) -> Path:
    """``document`` as YAML in the state folder, as Rasa reads it; returns its path."""
    target = settings.state_dir / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return target
