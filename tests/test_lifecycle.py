"""`make run` / `make shell` start and stop like a well-behaved service: the real launcher
(``python -m ops.launcher``) with real servers, each on its own free ports and in its own state folder.

- SIGHUP (the terminal closed), SIGTERM, SIGINT (Ctrl+C) stop every process it started, within
  seconds, with no traceback; SIGKILL of the launcher takes them with it; the ports are free after;
- ports already taken: it stops at once with one line naming the port and its process, exit code 1;
- logs are appended to, not replaced;
- `make shell` shows the banner and the prompt, Rasa's messages and library warnings go to its log.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Sequence

import pexpect
import pytest

from ops.preflight import PortTaken, check_owner
from ops.servers import action_server, free_port
from settings import ACTION_PORT, PORT, ROOT, STATE_DIR, WEB_PORT
from tests.support.stack import private_stack_settings
from tests.test_channel_shell import TERMINAL

STOP_WITHIN = 12  # seconds from the signal until nothing is left (a server gets 5 s before SIGKILL)
START_WITHIN = 240  # seconds; about 20 on an idle machine
EARLIER = "a line from an earlier run"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

needs_stack = pytest.mark.usefixtures("trained_model", "knowledge_db")


def launcher_env(folder: Path, web: bool = True) -> Dict[str, str]:
    """The environment of a launcher with its own free ports and its own state folder."""
    return dict(os.environ, **{PORT: str(free_port()), ACTION_PORT: str(free_port()),
                               WEB_PORT: str(free_port()) if web else "0", STATE_DIR: str(folder)})


def ports(env: Dict[str, str]) -> List[int]:
    return [int(env[name]) for name in (PORT, ACTION_PORT, WEB_PORT) if env[name] != "0"]


def ours(folder: Path) -> Dict[int, str]:
    """The live processes (pid: command line) whose environment names ``folder`` as the state folder:
    the launcher and everything it started, down to their own children."""
    marker = f"{STATE_DIR}={folder}".encode()
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # gone meanwhile
        if marker in environ and state != "Z":
            found[int(pid)] = command
    return found


def until(condition: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.2)


def assert_all_gone(folder: Path, env: Dict[str, str]) -> None:
    until(lambda: not ours(folder), STOP_WITHIN, f"processes left behind: {ours(folder)}")
    for port in ports(env):
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()


def seed_logs(folder: Path, names: Sequence[str]) -> None:
    (folder / "log").mkdir(parents=True)
    for name in names:
        (folder / "log" / f"{name}.log").write_text(f"{EARLIER}\n")


def assert_appended(folder: Path, names: Sequence[str]) -> None:
    for name in names:
        text = (folder / "log" / f"{name}.log").read_text()
        assert text.startswith(f"{EARLIER}\n") and "\n--- " in text and " starting " in text, name


def launch(env: Dict[str, str], folder: Path) -> subprocess.Popen:
    """`make run` in the background, its output in files in ``folder``."""
    ignored = signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    if ignored:  # inherited, the launcher would keep ignoring Ctrl+C (as any signal ignored when it starts)
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with open(folder / "launcher.out", "w") as out, open(folder / "launcher.err", "w") as err:
            return subprocess.Popen([sys.executable, "-m", "ops.launcher"], cwd=ROOT, env=env, stdout=out, stderr=err,
                                    start_new_session=True)
    finally:
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


def said(folder: Path, stream: str) -> str:
    return (folder / f"launcher.{stream}").read_text()


def wait_up(launcher: subprocess.Popen, folder: Path) -> None:
    until(lambda: "Career Coach is up." in said(folder, "out") or launcher.poll() is not None, START_WITHIN,
          "the launcher says it is up")
    assert launcher.poll() is None, said(folder, "err")


@pytest.mark.stack
@needs_stack
@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGKILL], ids=["SIGHUP", "SIGKILL"])
def test_a_running_stack_stops_entirely(tmp_path: Path, signum: int) -> None:
    env = launcher_env(tmp_path)
    seed_logs(tmp_path, ["actions", "rasa", "web"])
    launcher = launch(env, tmp_path)
    try:
        wait_up(launcher, tmp_path)
        started = ours(tmp_path)
        for server in ("-m actions", "-m ops.rasa_server run", "-m ops.web", "-m ops.launcher"):
            assert any(server in command for command in started.values()), started
        launcher.send_signal(signum)
        assert_all_gone(tmp_path, env)
    finally:
        launcher.kill()
    if signum == signal.SIGKILL:
        assert launcher.wait() == -signal.SIGKILL
    else:
        assert launcher.wait() == 0 and said(tmp_path, "err") == ""
        assert said(tmp_path, "out").endswith("Career Coach stopped.\n")
    assert_appended(tmp_path, ["actions", "rasa", "web"])


@pytest.mark.stack
@needs_stack
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stack_stops_while_starting(tmp_path: Path, signum: int) -> None:
    """Stopped with the action server up and the Rasa server still loading its model."""
    env = launcher_env(tmp_path, web=False)
    launcher = launch(env, tmp_path)
    try:
        until(lambda: any("ops.rasa_server" in command for command in ours(tmp_path).values()), START_WITHIN,
              "the Rasa server starts")
        launcher.send_signal(signum)
        assert_all_gone(tmp_path, env)
    finally:
        launcher.kill()
    assert launcher.wait() == 0
    assert said(tmp_path, "err") == ""  # no traceback
    assert said(tmp_path, "out") == "Career Coach stopped.\n"


@pytest.mark.stack
@needs_stack
def test_taken_ports_stop_the_launcher_at_once(tmp_path: Path) -> None:
    """An action server left over on the port: named, nothing else started, its log untouched."""
    earlier = private_stack_settings(tmp_path / "earlier", web_port=0)
    env = launcher_env(tmp_path)
    env[ACTION_PORT] = str(earlier.action_port)
    with action_server(earlier) as leftover:
        log_before = (earlier.log_dir / "actions.log").read_bytes()
        started = time.monotonic()
        launcher = launch(env, tmp_path)
        try:
            assert launcher.wait(timeout=30) == 1
        finally:
            launcher.kill()
        assert time.monotonic() - started < 15
        lines = said(tmp_path, "err").splitlines()
        assert len(lines) == 1, lines
        assert lines[0].startswith(f"error: port {earlier.action_port} (the action server, {ACTION_PORT}) "
                                   f"is taken by pid {leftover.pid} (python -m actions --actions actions")
        assert "is up" not in said(tmp_path, "out")
        assert not ours(tmp_path) and not (tmp_path / "log").exists()
        assert (earlier.log_dir / "actions.log").read_bytes() == log_before


FAMILY = """
import os, time
from ops.servers import start
from settings import Settings
start(["sh", "-c", "sleep 300 & sleep 300"], Settings.from_env(os.environ), "family")
print("started", flush=True)
time.sleep(300)
"""


def test_what_a_server_started_dies_with_the_launcher(tmp_path: Path) -> None:
    """A server's own children (nginx's workers; a server's subprocess) go too when whatever started
    the server is killed without a chance to stop it."""
    env = dict(os.environ, **{STATE_DIR: str(tmp_path)})
    starter = subprocess.Popen([sys.executable, "-c", FAMILY], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert starter.stdout.readline() == "started\n"
        until(lambda: sum(command.startswith("sleep") for command in ours(tmp_path).values()) == 2, 30,
              f"a server and its child run: {ours(tmp_path)}")
        starter.kill()
        until(lambda: not ours(tmp_path), STOP_WITHIN, f"processes left behind: {ours(tmp_path)}")
    finally:
        starter.kill()
        starter.wait()


def test_a_server_answering_in_place_of_ours_is_named() -> None:
    """Up means the process started here listens: not a leftover that answers on its port."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        check_owner(port, os.getpgid(0), PORT, "the Rasa server")  # this process listens: ours
        with pytest.raises(PortTaken, match=rf"port {port} \(the Rasa server, {PORT}\) is answered by "
                                            rf"pid {os.getpid()} \(.*python"):
            check_owner(port, os.getpgid(0) + 100_000, PORT, "the Rasa server")


@pytest.mark.stack
@needs_stack
def test_shell_shows_only_the_bot_and_stops_with_its_terminal(tmp_path: Path) -> None:
    env = dict(launcher_env(tmp_path, web=False), **TERMINAL)
    seed_logs(tmp_path, ["actions", "shell"])
    shell = pexpect.spawn(sys.executable, ["-m", "ops.launcher", "--shell"], cwd=str(ROOT), env=env,
                          encoding="utf-8", timeout=START_WITHIN, dimensions=(50, 160))
    try:
        shell.expect_exact("Your input ->")
        screen = ANSI.sub("", shell.before)
        assert screen.lstrip().startswith("Career Coach: starting the action server and loading the bot")
        assert "Bot loaded. Type a message" in screen
        for noise in ("Warning", "tensorflow", "INFO", "Traceback"):
            assert noise not in screen, screen
        shell.ptyproc.fileobj.close()  # the terminal closes: SIGHUP
        assert_all_gone(tmp_path, env)
    finally:
        shell.close(force=True)
    log = (tmp_path / "log" / "shell.log").read_text()
    assert "Starting Rasa server" in log  # Rasa's log lines (stderr), kept off the terminal
    assert_appended(tmp_path, ["actions", "shell"])
