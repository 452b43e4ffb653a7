"""`make run` / `make shell`: start the action server and the Rasa server, say where to talk.

SIGINT (Ctrl+C), SIGTERM and SIGHUP (the terminal closed) stop every server started here, then
the launcher (exit code 0); one ignored when the launcher starts (``nohup``) stays ignored. If the
launcher dies without stopping them, they die with it (ops.servers). Ports already taken stop it
before anything starts: one line naming the port and its process, exit code 1.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import termios
from contextlib import contextmanager
from typing import Callable, Dict, Iterator, List, Optional

from ops.preflight import PortTaken
from ops.servers import action_server, check_ports, last_line, rasa_command, runtime_endpoints, stack, start, stop
from settings import Settings, SettingsError

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
SHELL_LOG = "shell"  # rasa shell's stderr: Rasa's log lines, library warnings


class Stopped(Exception):
    """A stop signal arrived; raised once, in the main thread, to leave every ``with`` block."""


def say(text: str) -> None:
    """Print ``text``, unless the terminal is gone (SIGHUP)."""
    try:
        print(text, flush=True)
    except OSError:
        pass


def serve(settings: Settings) -> int:
    with stack(settings) as running:
        say(f"Career Coach is up.\n  REST: curl -s -XPOST {running.rasa_url}/webhooks/rest/webhook "
            "-d '{\"sender\": \"me\", \"message\": \"how much do engineering managers make?\"}'\n"
            + (f"  web chat: {running.web_url}/\n" if running.web_port else "")
            + ("  Slack: /webhooks/slack/webhook\n" if running.slack_enabled else "")
            + f"  logs: {running.log_dir}\nPress Ctrl+C to stop.")
        while True:
            signal.pause()


@contextmanager
def terminal_restored() -> Iterator[None]:
    """The terminal's modes as they were, even after a shell stopped in the middle of a prompt."""
    try:
        saved: Optional[List] = termios.tcgetattr(sys.stdin.fileno())
    except (termios.error, OSError, ValueError):
        saved = None  # not a terminal
    try:
        yield
    finally:
        if saved is not None:
            try:
                termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, saved)
            except (termios.error, OSError):
                pass  # the terminal is gone


def shell(settings: Settings) -> int:
    check_ports(settings, "actions", "rasa")
    say(f"Career Coach: starting the action server and loading the bot (Rasa's messages and warnings "
        f"go to {settings.log_dir / SHELL_LOG}.log) ...")
    with action_server(settings), terminal_restored():
        command = [*rasa_command("shell"), "--model", str(settings.model),
                   "--endpoints", str(runtime_endpoints(settings)),
                   "--interface", settings.host, "--port", str(settings.rasa_port)]
        process = start(command, settings, SHELL_LOG, terminal=True)
        try:
            code = process.wait()
        finally:
            stop(process)
    if code:
        said = last_line(settings.log_dir / f"{SHELL_LOG}.log")
        raise RuntimeError(f"the Rasa shell exited with code {code}" + (f": {said}" if said else ""))
    return 0


def stop_on_signals() -> Callable[[], None]:
    """Make the stop signals raise :class:`Stopped` (once); returns what puts the old handlers back."""
    stopping: List[int] = []

    def handle(signum: int, _frame: object) -> None:
        if not stopping:  # a second signal must not interrupt the stopping
            stopping.append(signum)
            raise Stopped

    previous: Dict[int, object] = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    for signum, handler in previous.items():
        if handler is not signal.SIG_IGN:
            signal.signal(signum, handle)

    def restore() -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return restore


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shell", action="store_true", help="talk to the bot in this terminal")
    args = parser.parse_args(argv)
    restore = stop_on_signals()
    try:
        settings = Settings.from_env(os.environ)
        return shell(settings) if args.shell else serve(settings)
    except Stopped:
        say("Career Coach stopped.")
        return 0
    except (SettingsError, PortTaken) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except RuntimeError as error:
        print(f"error: {error} (see {settings.log_dir}/)", file=sys.stderr)
        return 1
    finally:
        restore()


if __name__ == "__main__":
    sys.exit(main())
