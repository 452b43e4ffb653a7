"""Which channels the Rasa server opens, from credentials.yml plus the environment.

REST and socket.io are always on (credentials.yml: Career Coach's subclasses in bot/channels/rest.py
and bot/channels/socketio.py, at Rasa's usual paths). Slack is added only when SLACK_BOT_TOKEN and
SLACK_SIGNING_SECRET are set; the generated file refers to them as ${VAR}, which Rasa expands when
it reads the file, so no secret is ever written to disk.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Sequence

import yaml

SLACK_CHANNEL = "bot.channels.slack.CareerCoachSlackInput"
SOCKETIO_CHANNEL = "bot.channels.socketio.CareerCoachSocketIOInput"
SLACK_REQUIRED = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")


def slack_enabled(env: Mapping[str, str]) -> bool:
    return all(env.get(name) for name in SLACK_REQUIRED)


def channel_credentials(base: Path, env: Mapping[str, str],
                        origins: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    """credentials.yml's channels, plus Slack when its environment variables are set, plus the
    origins allowed to open the socket.io channel."""
    credentials = yaml.safe_load(base.read_text(encoding="utf-8")) or {}
    if origins is not None and SOCKETIO_CHANNEL in credentials:
        credentials[SOCKETIO_CHANNEL] = {**(credentials[SOCKETIO_CHANNEL] or {}),
                                         "cors_allowed_origins": list(origins)}
    if slack_enabled(env):
        slack: Dict[str, Any] = {
            "slack_token": "${SLACK_BOT_TOKEN}",
            "slack_signing_secret": "${SLACK_SIGNING_SECRET}",
            "use_threads": True,
        }
        if env.get("SLACK_CHANNEL"):
            slack["slack_channel"] = "${SLACK_CHANNEL}"
        if env.get("SLACK_API_URL"):
            slack["slack_api_url"] = "${SLACK_API_URL}"
        credentials[SLACK_CHANNEL] = slack
    return credentials


def write_credentials(base: Path, target: Path, env: Mapping[str, str],
                      origins: Optional[Sequence[str]] = None) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(channel_credentials(base, env, origins), sort_keys=False), encoding="utf-8")
    return target
