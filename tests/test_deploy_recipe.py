"""The cluster recipe (deploy/) stays consistent with the code: Docker cannot run here, so the compose
file, Dockerfiles and nginx.conf are checked against settings.py, ops/endpoints.py and each other.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict
from urllib.parse import urlparse

import pytest
import yaml
from sqlalchemy.engine import make_url

from ops import endpoints as stores
from settings import DB_URL as URL_ENV
from settings import ROOT, Settings

DEPLOY = ROOT / "deploy"
REPLICAS = ("rasa-1", "rasa-2")
PASSWORD = "s3cret"


def _expanded(value: str) -> str:
    """Compose's ${VAR:?msg} / ${VAR:-default} interpolation, with the password set."""
    def one(match: re.Match) -> str:
        name, op, rest = match.group(1), match.group(2) or "", match.group(3) or ""
        if name == stores.TRACKER_PASSWORD:
            return PASSWORD
        return rest if op == ":-" else ""
    return re.sub(r"\$\{(\w+)(:[?-])?([^}]*)\}", one, value)


@pytest.fixture(scope="module")
def compose() -> Dict[str, Any]:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))


def env(compose: Dict[str, Any], service: str) -> Dict[str, str]:
    return {k: _expanded(str(v)) for k, v in compose["services"][service].get("environment", {}).items()}


def test_services_present(compose: Dict[str, Any]) -> None:
    assert set(compose["services"]) >= {"postgres", "redis", "kb", "actions", "nginx", *REPLICAS}
    assert compose["services"]["kb"]["restart"] == "no"
    assert compose["services"]["actions"]["depends_on"]["kb"]["condition"] == "service_completed_successfully"


def test_images_are_rasa_s_own_at_the_project_s_versions(compose: Dict[str, Any]) -> None:
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    rasa = re.search(r"^rasa\[?[\w,]*\]?==([\d.]+)", requirements, re.M).group(1)
    sdk = re.search(r"^rasa-sdk==([\d.]+)", requirements, re.M).group(1)
    froms = {name: re.findall(r"^FROM (\S+)", (DEPLOY / name).read_text(encoding="utf-8"), re.M)
             for name in ("Dockerfile.rasa", "Dockerfile.actions")}
    assert froms == {"Dockerfile.rasa": [f"rasa/rasa:{rasa}-full"], "Dockerfile.actions": [f"rasa/rasa-sdk:{sdk}"]}
    built = {service["build"]["dockerfile"] for service in compose["services"].values() if "build" in service}
    assert built == {f"deploy/{name}" for name in froms}, "the services build from the Dockerfiles checked here"
    for name, service in compose["services"].items():
        if "build" not in service:
            assert re.search(r":\d+(\.\d+)+", service["image"]), f"{name}: image not pinned to a version"


def test_replicas_use_the_shared_stores_through_bot_stores(compose: Dict[str, Any], tmp_path: Path) -> None:
    pg, redis = compose["services"]["postgres"], compose["services"]["redis"]
    pg_env = env(compose, "postgres")
    for replica in REPLICAS:
        rasa_env = env(compose, replica)
        config = stores.endpoints_config(Settings.from_env(rasa_env, state_dir=tmp_path))
        tracker, lock = config["tracker_store"], config["lock_store"]
        assert (tracker["dialect"], tracker["url"], tracker["port"]) == ("postgresql", "postgres", 5432)
        assert (tracker["db"], tracker["username"]) == (pg_env["POSTGRES_DB"], pg_env["POSTGRES_USER"])
        assert tracker["password"] == "${" + stores.TRACKER_PASSWORD + "}"  # expanded by Rasa, never on disk
        assert rasa_env[stores.TRACKER_PASSWORD] == pg_env["POSTGRES_PASSWORD"]
        assert (lock["type"], lock["url"], lock["port"]) == (stores.LOCK_STORE_TYPE, "redis", 6379)
        assert "6379" in redis["command"]
        action = urlparse(config["action_endpoint"]["url"])
        assert (action.hostname, action.port) == ("actions", 5055)
        assert rasa_env["CAREER_COACH_PORT"] == "5005" and rasa_env["CAREER_COACH_HOST"] == "0.0.0.0"
    assert compose["services"]["rasa-1"] == compose["services"]["rasa-2"], "replicas are identical"
    assert "5432" not in str(pg.get("ports", "")), "PostgreSQL is not published outside the cluster"


def test_knowledge_base_url_matches_postgres_and_the_init_script(compose: Dict[str, Any]) -> None:
    pg_env = env(compose, "postgres")
    for service in ("kb", "actions"):
        url = make_url(env(compose, service)[URL_ENV])
        assert (url.host, url.port, url.username, url.password) == (
            "postgres", 5432, pg_env["POSTGRES_USER"], pg_env["POSTGRES_PASSWORD"])
        assert url.database == "knowledge"
    assert "CREATE DATABASE knowledge" in (DEPLOY / "postgres-init.sql").read_text(encoding="utf-8")
    assert any("postgres-init.sql" in volume for volume in compose["services"]["postgres"]["volumes"])
    assert "5055" in compose["services"]["actions"]["command"]


def test_nginx_routes_to_the_replicas_stickily(compose: Dict[str, Any]) -> None:
    conf = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    upstreams = dict(re.findall(r"upstream (\w+) \{(.*?)\}", conf, re.S))
    assert set(upstreams) == {"rasa_rest", "rasa_socketio"}
    for body in upstreams.values():
        assert sorted(re.findall(r"server ([\w-]+):(\d+)", body)) == [(name, "5005") for name in REPLICAS]
        assert re.search(r"hash \$\w+ consistent;", body)
    assert "$arg_sender" in conf and "proxy_set_header Upgrade" in conf
    listen = re.search(r"listen (\d+);", conf).group(1)
    assert compose["services"]["nginx"]["ports"] == [f"{listen}:{listen}"]
    assert any(v.startswith("./nginx.conf:") for v in compose["services"]["nginx"]["volumes"])


def test_the_build_context_leaves_the_venv_out_and_keeps_the_model() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".venv" in ignored and "models" not in ignored
