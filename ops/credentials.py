"""Which channels the Rasa server opens: credentials.yml completed from the settings.

REST and socket.io are always on (credentials.yml: Career Coach's subclasses in bot/channels/rest.py
and bot/channels/socketio.py, at Rasa's usual paths); the socket.io channel gets the origins allowed
to open it. Slack is added only when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set; the
generated file refers to them as ${VAR}, which Rasa expands when it reads the file, so no secret is
ever written to disk.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import yaml

from ops.endpoints import write_state_file
from settings import SLACK_API_URL, SLACK_BOT_TOKEN, SLACK_CHANNEL, SLACK_SIGNING_SECRET, Settings

SLACK_INPUT = "bot.channels.slack.CareerCoachSlackInput"
SOCKETIO_CHANNEL = "bot.channels.socketio.CareerCoachSocketIOInput"


def _placeholder(name: str) -> str:
    return "${" + name + "}"


def channel_credentials(settings: Settings) -> Dict[str, Any]:
    """credentials.yml's channels, with the socket.io origins, plus Slack when it is configured."""
    credentials = yaml.safe_load(settings.credentials.read_text(encoding="utf-8")) or {}
    if SOCKETIO_CHANNEL in credentials:
        credentials[SOCKETIO_CHANNEL] = {**(credentials[SOCKETIO_CHANNEL] or {}),
                                         "cors_allowed_origins": settings.cors_origins}
    if settings.slack_enabled:
        slack: Dict[str, Any] = {
            "slack_token": _placeholder(SLACK_BOT_TOKEN),
            "slack_signing_secret": _placeholder(SLACK_SIGNING_SECRET),
            "use_threads": True,
        }
        if settings.slack_channel:
            slack["slack_channel"] = _placeholder(SLACK_CHANNEL)
        if settings.slack_api_url:
            slack["slack_api_url"] = _placeholder(SLACK_API_URL)
        credentials[SLACK_INPUT] = slack
    return credentials


def write_credentials(settings: Settings) -> Path:
    """The completed credentials, written to ``<state folder>/credentials.yml``."""
    return write_state_file(settings, "credentials.yml", channel_credentials(settings))
