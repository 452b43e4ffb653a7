"""`python -m ops.rasa_server <rasa arguments>`: Rasa's own command line, with Career Coach's guards.

Exactly ``rasa <arguments>`` (``run``, ``shell``, ...), except that :func:`bot.speedups.install`
(cheaper, equivalent versions of Rasa's hot spots; none with ``CAREER_COACH_SPEEDUPS=off``) and
:func:`bot.guards.install` (a custom action that cannot run gets the user a polite reply) run first,
in this process, with this process's settings (the same object the channels read through
:func:`settings.process_settings`).

For ``shell``, the terminal talks to Career Coach's REST channel (bot/channels/rest.py: its checks,
a typed ``/feedback helpful`` as its payload) registered under Rasa's name "cmdline".

Rasa's HTTP API stays off unless ``CAREER_COACH_API_TOKEN`` is set; then ``run`` gets
``--enable-api --auth-token <token>`` here, inside the process, so the token never appears in the
process list, the command line the launcher logs, or a file.
"""
from __future__ import annotations

import gc
import sys
from typing import List

from bot import guards, speedups
from settings import SettingsError, process_settings


def with_api(argv: List[str], token: str) -> List[str]:
    """``argv`` plus the options that open Rasa's HTTP API behind ``token`` (for ``run`` only)."""
    if not token or not argv or argv[0] != "run" or "--enable-api" in argv:
        return argv
    return [*argv, "--enable-api", "--auth-token", token]


def use_career_coach_shell() -> None:
    """Make ``rasa shell`` open Career Coach's REST channel instead of Rasa's plain one."""
    from rasa.core.channels import BUILTIN_CHANNELS

    from bot.channels.rest import CareerCoachCmdlineInput

    BUILTIN_CHANNELS[CareerCoachCmdlineInput.name()] = CareerCoachCmdlineInput


def main() -> None:
    try:
        settings = process_settings()
    except SettingsError as error:
        sys.exit(f"error: {error}")
    speedups.install(enabled=settings.speedups)
    guards.install(settings.action_timeout)
    sys.argv[1:] = with_api(sys.argv[1:], settings.api_token)
    if sys.argv[1:2] == ["shell"]:
        use_career_coach_shell()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()
    gc.freeze()  # Rasa has stopped: no collection at exit (TensorFlow's objects: seconds, on every stop)


if __name__ == "__main__":
    main()
