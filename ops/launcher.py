"""`make run` / `make shell`: start the action server and the Rasa server, say where to talk."""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys

from ops.servers import ROOT, action_server, child_environment, rasa_command, runtime_endpoints, stack
from settings import Settings, SettingsError


def serve(settings: Settings) -> int:
    with stack(settings) as running:
        print(f"Career Coach is up.\n  REST: curl -s -XPOST {running.rasa_url}/webhooks/rest/webhook "
              "-d '{\"sender\": \"me\", \"message\": \"how much do engineering managers make?\"}'\n"
              + (f"  web chat: {running.web_url}/\n" if running.web_port else "")
              + ("  Slack: /webhooks/slack/webhook\n" if running.slack_enabled else "")
              + f"  logs: {running.log_dir}\nPress Ctrl+C to stop.", flush=True)
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass
    return 0


def shell(settings: Settings) -> int:
    with action_server(settings):
        command = [*rasa_command("shell"), "--model", str(settings.model),
                   "--endpoints", str(runtime_endpoints(settings)),
                   "--interface", settings.host, "--port", str(settings.rasa_port)]
        return subprocess.call(command, cwd=ROOT, env=child_environment(settings))


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shell", action="store_true", help="talk to the bot in this terminal")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # leave the `with` blocks: stop children
    try:
        settings = Settings.from_env(os.environ)
        return shell(settings) if args.shell else serve(settings)
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except RuntimeError as error:
        print(f"error: {error} (see {settings.log_dir}/)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
