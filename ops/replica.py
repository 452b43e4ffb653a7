"""`python -m ops.replica`: one Rasa server replica, for containers (deploy/docker-compose.yml, k8s).

Exactly the Rasa server ``make run`` starts (ops.servers.rasa_server_command: the same guards,
channels, endpoints completed by ops/endpoints.py), in the foreground (exec, so signals reach Rasa).
The action server may live elsewhere: ``CAREER_COACH_ACTION_URL`` (e.g. ``http://actions:5055``).
"""
from __future__ import annotations

import os
import sys

from ops.servers import ROOT, rasa_server_command
from settings import Settings, SettingsError


def main() -> None:
    try:
        command = rasa_server_command(Settings.from_env(os.environ))
    except SettingsError as error:
        sys.exit(f"error: {error}")
    os.chdir(ROOT)
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
