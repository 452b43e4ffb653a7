"""Start, wait for and stop Career Coach's servers: the action server, the Rasa server, the demo page.

Used by ``make run`` / ``make shell`` (through :mod:`ops.launcher`), the benchmark and the tests,
so they exercise exactly what users run. Each server gets what it needs from the launcher's
:class:`~settings.Settings` on its command line and in generated files; the environment is passed
on unchanged (secrets reach Rasa only that way), and each process reads it once for itself.

Each server runs in a process group of its own, stopped as a whole (SIGTERM, then SIGKILL), and
dies with the process that started it even when that one cannot stop it: the kernel sends it
SIGTERM when its parent dies (``PR_SET_PDEATHSIG``), and :mod:`ops.watchdog` ends its whole group.
A server is started only on a free port, and called up only once its own process answers there
(:mod:`ops.preflight`). Its output is appended to ``<state>/log/<name>.log``, after a line saying
when and what started.
"""
from __future__ import annotations

import ctypes
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Callable, ContextManager, Dict, Iterator, List, Optional, Set

from ops.credentials import write_credentials
from ops.endpoints import write_endpoints
from ops.preflight import check_owner, check_port, check_stores
from ops.watchdog import GRACE
from settings import ACTION_PORT, PORT, ROOT, SPEEDUPS, WEB_PORT, Settings

BIN = Path(sys.executable).parent
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_prctl = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None)  # Linux's
_watchdog: Optional[subprocess.Popen] = None
_groups: Set[int] = set()  # the process groups of the servers started here and not yet stopped


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
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")  # no usage reports (and no re-read of the model) unless asked
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env[SPEEDUPS] = "on" if settings.speedups else "off"  # settings given in code reach the servers too
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


def _dies_with(parent: int) -> Callable[[], None]:
    """What a child runs before its command: SIGTERM to it when ``parent`` (this thread) dies."""
    def arrange() -> None:
        _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # it died before the request
            os.kill(os.getpid(), signal.SIGTERM)
    return arrange


def _watch(group: int, watched: bool) -> None:
    """Tell this process's watchdog (started on first use) that ``group`` runs, or has stopped."""
    global _watchdog
    (_groups.add if watched else _groups.discard)(group)
    news = [f"{'+' if watched else '-'}{group}"]
    if watched and (_watchdog is None or _watchdog.poll() is not None):
        _watchdog = subprocess.Popen([str(BIN / "python"), "-m", "ops.watchdog"], cwd=ROOT, stdin=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        news = [f"+{running}" for running in _groups]  # a new watchdog: all that runs
    if _watchdog is not None:
        try:
            os.write(_watchdog.stdin.fileno(), "".join(f"{line}\n" for line in news).encode())
        except OSError:
            pass  # gone: the parent-death signal still stops the server itself


def start(command: List[str], settings: Settings, log_name: str, terminal: bool = False) -> subprocess.Popen:
    """``command`` as a server, its output appended to its log. With ``terminal`` it keeps this
    terminal for input and output (``rasa shell``) and only its stderr (warnings) goes to the log;
    otherwise it runs in a session of its own, out of reach of the terminal's signals."""
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    # The parent-death signal follows the thread that starts the child: only the main thread's is asked for.
    dies_with = _prctl and threading.current_thread() is threading.main_thread()
    with open(settings.log_dir / f"{log_name}.log", "ab") as log:
        log.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} starting {shlex.join(command)}\n".encode())
        log.flush()
        process = subprocess.Popen(command, cwd=ROOT, env=child_environment(settings),
                                   stdin=None if terminal else subprocess.DEVNULL,
                                   stdout=None if terminal else log, stderr=log if terminal else subprocess.STDOUT,
                                   start_new_session=not terminal,
                                   preexec_fn=_dies_with(os.getpid()) if dies_with else None)
    if not terminal:
        _watch(process.pid, True)
    return process


def _signal(pid: int, signum: int, group: bool) -> None:
    try:
        (os.killpg if group else os.kill)(pid, signum)
    except ProcessLookupError:
        pass


def stop(process: Optional[subprocess.Popen]) -> None:
    """Stop the server and all it started: SIGTERM, then SIGKILL after GRACE seconds."""
    if process is None:
        return
    group = process.pid in _groups
    if process.poll() is None:
        _signal(process.pid, signal.SIGTERM, group)
        try:
            process.wait(timeout=GRACE)
        except subprocess.TimeoutExpired:
            _signal(process.pid, signal.SIGKILL, group)
            process.wait()
    if group:
        _signal(process.pid, signal.SIGKILL, group)  # what it started and left behind
        _watch(process.pid, False)


# What each server listens on, by log name: the port's setting, the variable that sets it, what it is.
PORTS = {"actions": ("action_port", ACTION_PORT, "the action server"),
         "rasa": ("rasa_port", PORT, "the Rasa server"),
         "web": ("web_port", WEB_PORT, "the web page server")}


def check_ports(settings: Settings, *names: str) -> None:
    """Raise :class:`~ops.preflight.PortTaken` for the first of these servers' ports that is taken."""
    for name in names:
        setting, variable, what = PORTS[name]
        check_port(settings.host, getattr(settings, setting), variable, what)


@contextmanager
def running(command: List[str], settings: Settings, name: str, url: str, timeout: float) -> Iterator[subprocess.Popen]:
    """The server ``name`` (a key of PORTS), answering at ``url``, for the duration of the ``with`` block."""
    setting, variable, what = PORTS[name]
    check_ports(settings, name)
    process = start(command, settings, name)
    try:
        wait_until_up(url, process, timeout, what, settings.log_dir / f"{name}.log")
        check_owner(getattr(settings, setting), process.pid, variable, what)
        yield process
    finally:
        stop(process)


def action_server(settings: Settings) -> ContextManager[subprocess.Popen]:
    """The action server on this host (the one started here, even when the Rasa server is told of another)."""
    return running(action_server_command(settings), settings, "actions",
                   f"http://127.0.0.1:{settings.action_port}/health", 60)


def rasa_server(settings: Settings) -> ContextManager[subprocess.Popen]:
    if not settings.model.exists():
        raise RuntimeError(f"no trained model at {settings.model}: run `make train`")
    check_stores(settings)  # seconds, not Rasa's minutes of retries
    return running(rasa_server_command(settings), settings, "rasa", f"{settings.rasa_url}/", 180)


def web_server(settings: Settings) -> ContextManager[Optional[subprocess.Popen]]:
    """The demo page with the chat widget, unless web_port is 0."""
    if not settings.web_port:
        return nullcontext()
    return running(web_server_command(settings), settings, "web", f"{settings.web_url}/", 30)


@contextmanager
def stack(settings: Optional[Settings] = None) -> Iterator[Settings]:
    """The servers, up and answering, for the duration of the ``with`` block."""
    settings = settings or Settings.from_env(os.environ)
    check_stores(settings)  # before starting anything
    check_ports(settings, "actions", "rasa", *(["web"] if settings.web_port else []))
    with action_server(settings), rasa_server(settings), web_server(settings):
        yield settings
