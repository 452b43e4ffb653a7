"""The settings: read from the environment in one place, checked with one clear line, documented in
one README table; and the layers import only downwards."""
from __future__ import annotations

import ast
import re
from dataclasses import fields
from pathlib import Path
from typing import Set

import pytest

from ops.credentials import SLACK_INPUT, SOCKETIO_CHANNEL, channel_credentials
from ops.endpoints import endpoints_config
from settings import ROOT, Settings, SettingsError, process_settings

VARIABLES = {spec.metadata["env"] for spec in fields(Settings) if "env" in spec.metadata}


def test_unset_and_blank_variables_keep_the_defaults() -> None:
    assert Settings.from_env({}) == Settings.from_env({name: " " for name in VARIABLES}) == Settings()


def test_values_are_parsed_and_overrides_win() -> None:
    settings = Settings.from_env({"CAREER_COACH_PORT": "6005", "CAREER_COACH_ACTION_TIMEOUT": "2.5",
                                  "CAREER_COACH_CORS": " https://a.example  http://b.example:8080 ",
                                  "CAREER_COACH_ACTION_URL": "http://actions:5055/"}, web_port=0)
    assert (settings.rasa_port, settings.action_timeout, settings.web_port) == (6005, 2.5, 0)
    assert settings.cors_origins == ["https://a.example", "http://b.example:8080"]
    assert settings.action_url == "http://actions:5055"


@pytest.mark.parametrize("name, value", [
    ("CAREER_COACH_PORT", "abc"), ("CAREER_COACH_ACTION_PORT", "70000"), ("CAREER_COACH_WEB_PORT", "-1"),
    ("CAREER_COACH_ACTION_TIMEOUT", "0"), ("CAREER_COACH_RATE_LIMIT", "lots"), ("CAREER_COACH_MAX_BODY", "12"),
    ("CAREER_COACH_CORS", "example.com"), ("CAREER_COACH_REDIS_URL", "redis://h:6379/x"),
    ("CAREER_COACH_TRACKER_URL", "::nonsense"), ("CAREER_COACH_SOCKET_URL", "localhost:5005"),
    ("SLACK_CHANNEL", "#general"), ("SLACK_API_URL", "slack.com/api"),
])
def test_a_bad_value_is_one_line_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as error:
        Settings.from_env({name: value})
    message = str(error.value)
    assert message.startswith(f"{name} ") and "\n" not in message


def test_secrets_stay_out_of_repr_and_errors() -> None:
    secret = "pg-" + "hunter2"
    settings = Settings.from_env({"CAREER_COACH_TRACKER_PASSWORD": secret, "SLACK_BOT_TOKEN": secret,
                                  "CAREER_COACH_DB_URL": f"postgresql://coach:{secret}@db/knowledge"})
    assert secret not in repr(settings)
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"CAREER_COACH_REDIS_URL": f"redis://:{secret}@db:6379/x"})
    assert secret not in str(error.value)


def test_process_settings_are_built_once() -> None:
    assert process_settings() is process_settings()


def test_generated_files_follow_the_settings(tmp_path: Path) -> None:
    settings = Settings.from_env({"CAREER_COACH_TRACKER_URL": "postgresql://coach@db:5432/conversations",
                                  "CAREER_COACH_TRACKER_PASSWORD": "x" * 8, "SLACK_BOT_TOKEN": "t",
                                  "SLACK_SIGNING_SECRET": "s"}, state_dir=tmp_path, web_port=8001)
    tracker = endpoints_config(settings)["tracker_store"]
    assert (tracker["url"], tracker["password"]) == ("db", "${CAREER_COACH_TRACKER_PASSWORD}")
    credentials = channel_credentials(settings)
    assert credentials[SLACK_INPUT]["slack_token"] == "${SLACK_BOT_TOKEN}"
    assert credentials[SOCKETIO_CHANNEL]["cors_allowed_origins"] == ["http://localhost:8001", "http://127.0.0.1:8001"]


def test_every_variable_is_in_the_readme_table_once() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([A-Z_]+)` \|", table, re.M)
    assert len(rows) == len(set(rows))
    assert set(rows) == VARIABLES


# A package may import the ones listed for it (and itself); settings.py imports none of them.
LAYERS = {"settings": set(), "knowledge": {"settings"}, "actions": {"settings", "knowledge"},
          "bot": {"settings"}, "ops": {"settings", "bot"}}


def imported_packages(path: Path) -> Set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found & (set(LAYERS) | {"tests", "bench"})


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_no_module_imports_from_a_layer_above_it(layer: str) -> None:
    paths = [ROOT / "settings.py"] if layer == "settings" else sorted((ROOT / layer).rglob("*.py"))
    wrong = {str(path.relative_to(ROOT)): imported_packages(path) - LAYERS[layer] - {layer} for path in paths}
    assert not {path: names for path, names in wrong.items() if names}
