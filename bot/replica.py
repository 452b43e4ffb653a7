"""`python -m bot.replica`: one Rasa server replica, for containers (deploy/docker-compose.yml, k8s).

Exactly the Rasa server ``make run`` starts (bot.servers.rasa_server_command: the same guards,
channels, endpoints completed by bot/stores.py), in the foreground (exec, so signals reach Rasa),
with one addition: the action server may live elsewhere, ``CAREER_COACH_ACTION_URL`` (e.g.
``http://actions:5055``; default ``http://127.0.0.1:$CAREER_COACH_ACTION_PORT``).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import List

from bot.servers import ROOT, Settings, rasa_server_command

ACTION_URL = "CAREER_COACH_ACTION_URL"


@dataclass
class ReplicaSettings(Settings):
    """Settings whose action server URL can point at another host."""

    @property
    def action_url(self) -> str:
        return os.environ.get(ACTION_URL, "").rstrip("/") or super().action_url


def replica_command() -> List[str]:
    """The Rasa server's command line (from os.environ); writes the completed endpoints and credentials."""
    return rasa_server_command(ReplicaSettings())


def main() -> None:
    command = replica_command()
    os.chdir(ROOT)
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
