"""Start, wait for and stop Career Coach's two servers: the action server and the Rasa server.

Used by ``make run`` / ``make shell`` (through :mod:`bot.launcher`) and by the conversation tests,
so they exercise exactly what users run.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import ContextManager, Dict, Iterator, List, Optional

from bot.channels import write_credentials
from bot.preflight import check_stores
from bot.stores import write_endpoints

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "career-coach.tar.gz"


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass
class Settings:
    """Where the servers listen; every value can come from the environment."""

    host: str = field(default_factory=lambda: os.environ.get("CAREER_COACH_HOST", "127.0.0.1"))
    rasa_port: int = field(default_factory=lambda: _env_int("CAREER_COACH_PORT", 5005))
    action_port: int = field(default_factory=lambda: _env_int("CAREER_COACH_ACTION_PORT", 5055))
    web_port: int = field(default_factory=lambda: _env_int("CAREER_COACH_WEB_PORT", 8000))  # 0: no page
    cors: str = field(default_factory=lambda: os.environ.get("CAREER_COACH_CORS", ""))
    endpoints: Path = ROOT / "endpoints.yml"  # completed from the environment by bot.stores
    credentials: Path = ROOT / "credentials.yml"
    model: Path = MODEL
    # logs, the generated endpoints and credentials, and the default SQLite conversation store
    state_dir: Path = field(default_factory=lambda: Path(os.environ.get("CAREER_COACH_STATE_DIR", ROOT / "var")))

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.web_port}"

    @property
    def log_dir(self) -> Path:
        return self.state_dir / "log"

    @property
    def cors_origins(self) -> List[str]:
        """Origins allowed to open the socket.io channel: the demo page unless configured."""
        if self.cors:
            return self.cors.split()
        return [f"http://localhost:{self.web_port}", f"http://127.0.0.1:{self.web_port}"]


def action_server_command(settings: Settings) -> List[str]:
    """rasa_sdk's server, started by actions/__main__.py only once the knowledge base reads."""
    return [str(BIN / "python"), "-m", "actions", "--actions", "actions", "--port", str(settings.action_port)]


def runtime_endpoints(settings: Settings) -> Path:
    """endpoints.yml completed from the environment (stores, action server URL)."""
    return write_endpoints(settings.endpoints, settings.state_dir / "endpoints.yml", os.environ, settings.action_url)


def rasa_command(*arguments: str) -> List[str]:
    """``rasa <arguments>`` with Career Coach's guards installed (bot/rasa_server.py)."""
    return [str(BIN / "python"), "-m", "bot.rasa_server", *arguments]


def rasa_server_command(settings: Settings) -> List[str]:
    credentials = write_credentials(settings.credentials, settings.state_dir / "credentials.yml", os.environ,
                                    settings.cors_origins)
    return [*rasa_command("run"), "--model", str(settings.model),
            "--endpoints", str(runtime_endpoints(settings)), "--credentials", str(credentials),
            "--interface", settings.host, "--port", str(settings.rasa_port),
            "--cors", *settings.cors_origins]


def web_server_command(settings: Settings) -> List[str]:
    return [str(BIN / "python"), "-m", "bot.web", "--host", settings.host,
            "--port", str(settings.web_port), "--rasa-port", str(settings.rasa_port)]


def child_environment(settings: Settings) -> Dict[str, str]:
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
    check_stores(os.environ)  # seconds, not Rasa's minutes of retries
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
    settings = settings or Settings()
    check_stores(os.environ)  # before starting anything
    with action_server(settings), rasa_server(settings), web_server(settings):
        yield settings
