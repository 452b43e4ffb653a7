"""The endpoints the Rasa server uses, from endpoints.yml plus the environment.

Conversations go to Rasa's SQL tracker store (cached between turns: bot/tracker_store.py).
Embedded default: conversations in an SQLite file under the state folder, locks in memory.
Scale-out: CAREER_COACH_TRACKER_URL (a PostgreSQL URL without the password) and
CAREER_COACH_REDIS_URL (redis://host:port/db) switch to Rasa's SQL tracker store on PostgreSQL and
its Redis lock store. Passwords come from CAREER_COACH_TRACKER_PASSWORD and
CAREER_COACH_REDIS_PASSWORD and are written only as ${VAR} placeholders that Rasa expands.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Mapping
from urllib.parse import urlparse

import yaml
from sqlalchemy.engine import make_url

TRACKER_URL = "CAREER_COACH_TRACKER_URL"
TRACKER_PASSWORD = "CAREER_COACH_TRACKER_PASSWORD"
REDIS_URL = "CAREER_COACH_REDIS_URL"
REDIS_PASSWORD = "CAREER_COACH_REDIS_PASSWORD"
TRACKER_STORE_TYPE = "bot.tracker_store.CachedSQLTrackerStore"  # Rasa's SQL store, cached (see there)
LOCK_KEY_PREFIX = "careercoach"  # Rasa ignores a prefix that is not alphanumeric (no "_" or "-")


def tracker_store(env: Mapping[str, str], state_dir: Path) -> Dict[str, Any]:
    if not env.get(TRACKER_URL):
        return {"type": TRACKER_STORE_TYPE, "dialect": "sqlite", "db": str(state_dir / "conversations.db")}
    url = make_url(env[TRACKER_URL])
    store: Dict[str, Any] = {"type": TRACKER_STORE_TYPE, "dialect": url.drivername, "url": url.host or "localhost",
                             "db": url.database}
    if url.port:
        store["port"] = url.port
    if url.username:
        store["username"] = url.username
    if env.get(TRACKER_PASSWORD):
        store["password"] = "${" + TRACKER_PASSWORD + "}"
    return store


def lock_store(env: Mapping[str, str]) -> Dict[str, Any]:
    if not env.get(REDIS_URL):
        return {"type": "in_memory"}
    url = urlparse(env[REDIS_URL])
    store: Dict[str, Any] = {"type": "redis", "url": url.hostname or "localhost", "port": url.port or 6379,
                             "db": int(url.path.strip("/") or 0), "key_prefix": LOCK_KEY_PREFIX}
    if env.get(REDIS_PASSWORD):
        store["password"] = "${" + REDIS_PASSWORD + "}"
    return store


def endpoints_config(base: Path, env: Mapping[str, str], action_url: str, state_dir: Path) -> Dict[str, Any]:
    """endpoints.yml with the action server's URL and the stores the environment asks for."""
    config = yaml.safe_load(base.read_text(encoding="utf-8")) or {}
    config["action_endpoint"] = {"url": f"{action_url}/webhook"}
    config["tracker_store"] = tracker_store(env, state_dir)
    config["lock_store"] = lock_store(env)
    return config


def write_endpoints(base: Path, target: Path, env: Mapping[str, str], action_url: str) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    config = endpoints_config(base, env, action_url, target.parent)
    target.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return target
