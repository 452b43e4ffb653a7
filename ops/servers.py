"""Start, wait for and stop Career Coach's servers: the action server, the Rasa server, the demo page.

Used by ``make run`` / ``make shell`` (through :mod:`ops.launcher`), the benchmark and the tests,
so they exercise exactly what users run. Each server gets what it needs from the launcher's
:class:`~settings.Settings` on its command line and in generated files; the environment is passed
on unchanged (secrets reach Rasa only that way), and each process reads it once for itself.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import ContextManager, Dict, Iterator, List, Optional

from ops.credentials import write_credentials
from ops.endpoints import write_endpoints
from ops.preflight import check_stores
from settings import ROOT, Settings

BIN = Path(sys.executable).parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def action_server_command(settings: Settings) -> List[str]:
    """rasa_sdk's server, started by actions/__main__.py only once the knowledge base reads."""
    return [str(BIN / "python"), "-m", "actions", "--actions", "actions", "--port", str(settings.action_port)]


def runtime_endpoints(settings: Settings) -> Path:
    """endpoints.yml completed from the settings (stores, action server URL), in the state folder."""
    return write_endpoints(settings)


def rasa_command(*arguments: str) -> List[str]:
    """``rasa <arguments>`` with Career Coach's guards installed (ops/rasa_server.py)."""
    return [str(BIN / "python"), "-m", "ops.rasa_server", *arguments]


def rasa_server_command(settings: Settings) -> List[str]:
    credentials = write_credentials(settings)
    return [*rasa_command("run"), "--model", str(settings.model),
            "--endpoints", str(runtime_endpoints(settings)), "--credentials", str(credentials),
            "--interface", settings.host, "--port", str(settings.rasa_port),
            "--cors", *settings.cors_origins]


def web_server_command(settings: Settings) -> List[str]:
    return [str(BIN / "python"), "-m", "ops.web", "--host", settings.host, "--port", str(settings.web_port),
            "--rasa-port", str(settings.rasa_port), "--socket-url", settings.socket_url,
            "--endpoints", str(settings.state_dir / "endpoints.yml")]


def child_environment(settings: Settings) -> Dict[str, str]:
    """This process's environment for a child server, plus what every child needs."""
    env = dict(os.environ)
    env.setdefault("SANIC_HOST", "127.0.0.1")  # the action server only talks to the Rasa server
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def last_line(log: Optional[Path]) -> str:
    """The last non-empty line of ``log`` ("" if none)."""
    try:
        lines = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    except (OSError, AttributeError):
        return ""
    return lines[-1].strip() if lines else ""


def wait_until_up(url: str, process: subprocess.Popen, timeout: float, name: str,
                  log: Optional[Path] = None) -> None:
    """Poll ``url`` until it answers; fail early with the log's last line if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            said = last_line(log)
            raise RuntimeError(f"{name} exited with code {process.returncode} before it was ready"
                               + (f": {said}" if said else ""))
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"{name} did not answer at {url} within {timeout:.0f} s")


def start(command: List[str], settings: Settings, log_name: str) -> subprocess.Popen:
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    log = open(settings.log_dir / f"{log_name}.log", "ab")
    return subprocess.Popen(command, cwd=ROOT, env=child_environment(settings), stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: Optional[subprocess.Popen]) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextmanager
def running(command: List[str], settings: Settings, name: str, url: str, timeout: float,
            what: str) -> Iterator[subprocess.Popen]:
    """One server process, answering at ``url``, for the duration of the ``with`` block."""
    process = start(command, settings, name)
    try:
        wait_until_up(url, process, timeout, what, settings.log_dir / f"{name}.log")
        yield process
    finally:
        stop(process)


def action_server(settings: Settings) -> ContextManager[subprocess.Popen]:
    return running(action_server_command(settings), settings, "actions", f"{settings.action_url}/health", 60,
                   "the action server")


def rasa_server(settings: Settings) -> ContextManager[subprocess.Popen]:
    if not settings.model.exists():
        raise RuntimeError(f"no trained model at {settings.model}: run `make train`")
    check_stores(settings)  # seconds, not Rasa's minutes of retries
    return running(rasa_server_command(settings), settings, "rasa", f"{settings.rasa_url}/", 180,
                   "the Rasa server")


def web_server(settings: Settings) -> ContextManager[Optional[subprocess.Popen]]:
    """The demo page with the chat widget, unless web_port is 0."""
    if not settings.web_port:
        return nullcontext()
    return running(web_server_command(settings), settings, "web", f"{settings.web_url}/", 30,
                   "the web page server")


@contextmanager
def stack(settings: Optional[Settings] = None) -> Iterator[Settings]:
    """The servers, up and answering, for the duration of the ``with`` block."""
    settings = settings or Settings.from_env(os.environ)
    check_stores(settings)  # before starting anything
    with action_server(settings), rasa_server(settings), web_server(settings):
        yield settings
