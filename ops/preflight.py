"""Checks before the servers start: are the conversation stores reachable, are the ports free?

Rasa retries an unreachable tracker store for minutes; :func:`check_stores` fails within seconds
instead, with one line naming the store and the problem (``RuntimeError``, which ``make run``
prints). Passwords are never part of the message. A server whose port is taken would die on
"address already in use" while whatever holds the port answers in its place: :func:`check_port`
refuses to start it, and :func:`check_owner` refuses to call a server up when another process
answers on its port; both raise :class:`PortTaken` naming the port and what holds it (from /proc).
"""
from __future__ import annotations

import errno
import os
import socket
from pathlib import Path
from typing import List, Optional, Set
from urllib.parse import urlparse

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from settings import Settings

CONNECT_TIMEOUT = 5  # seconds


def _first_line(error: BaseException) -> str:
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


def _connect(url: URL) -> None:
    connect_args = {"connect_timeout": CONNECT_TIMEOUT} if url.get_backend_name() == "postgresql" else {}
    engine = create_engine(url, future=True, connect_args=connect_args)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    finally:
        engine.dispose()


def tracker_store_problem(settings: Settings) -> Optional[str]:
    """Why the SQL tracker store named by CAREER_COACH_TRACKER_URL is unusable; None if it is fine."""
    if not settings.tracker_url:
        return None  # SQLite under the state folder, created by Rasa
    url = make_url(settings.tracker_url)  # checked by Settings
    if settings.tracker_password:
        url = url.set(password=settings.tracker_password)
    shown = url.render_as_string(hide_password=True)
    try:
        _connect(url)
    except Exception as error:
        problem = _first_line(error)
        if "does not exist" in problem and url.get_backend_name() == "postgresql":
            try:  # Rasa creates a missing database itself, through the server's default database
                _connect(url.set(database="postgres"))
                return None
            except Exception:
                pass
        return f"conversation store not reachable at {shown}: {problem}"
    return None


def lock_store_problem(settings: Settings) -> Optional[str]:
    """Why the Redis lock store named by CAREER_COACH_REDIS_URL cannot be reached; None if it can."""
    if not settings.redis_url:
        return None
    parsed = urlparse(settings.redis_url)
    host, port = parsed.hostname or "localhost", parsed.port or 6379
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT):
            return None
    except OSError as error:
        return f"lock store not reachable at redis://{host}:{port}: {error.strerror or error}"


def check_stores(settings: Settings) -> None:
    """Raise ``RuntimeError`` with one clear line if a configured store cannot be reached."""
    for problem in (tracker_store_problem(settings), lock_store_problem(settings)):
        if problem:
            raise RuntimeError(problem)


class PortTaken(RuntimeError):
    """A port a server needs is held by another process; the message names the port and the process."""


def port_taken(host: str, port: int) -> bool:
    """Whether something listens where a server would listen (``host``:``port``); as the servers
    do, the probe reuses addresses, so connections closing in TIME_WAIT do not count."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror:
        return False  # the server reports an unusable host itself
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            return error.errno == errno.EADDRINUSE
    return False


def _listening_sockets(port: int) -> Optional[Set[str]]:
    """The ``socket:[inode]`` names of the TCP sockets listening on ``port``; None without /proc."""
    found: Optional[Set[str]] = None
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        try:
            rows = table.read_text().splitlines()[1:]
        except OSError:
            continue
        found = set() if found is None else found
        for row in rows:  # sl local_address rem_address st ... inode
            fields = row.split()
            if fields[3] == "0A" and int(fields[1].rpartition(":")[2], 16) == port:  # 0A: LISTEN
                found.add(f"socket:[{fields[9]}]")
    return found


def _holds(pid: str, sockets: Set[str]) -> bool:
    try:
        descriptors = os.listdir(f"/proc/{pid}/fd")
    except OSError:  # gone, or another user's
        return False
    for descriptor in descriptors:
        try:
            if os.readlink(f"/proc/{pid}/fd/{descriptor}") in sockets:
                return True
        except OSError:
            continue
    return False


def listening_pids(port: int) -> Optional[List[int]]:
    """This user's processes holding a socket that listens on ``port`` (None: /proc cannot tell)."""
    sockets = _listening_sockets(port)
    if sockets is None:
        return None
    if not sockets:
        return []
    return [int(pid) for pid in os.listdir("/proc") if pid.isdigit() and _holds(pid, sockets)]


def describe(pid: int) -> str:
    """``pid 123 (python -m ops.rasa_server run ...)``: a process as ``ps`` would show it, shortened."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return f"pid {pid}"
    command = " ".join(" ".join([os.path.basename(argv[0]), *argv[1:]]).split())  # one line
    return f"pid {pid} ({command[:97] + '...' if len(command) > 100 else command})"


def holder(port: int) -> str:
    """What listens on ``port``, for a message: its processes, or as much as can be told."""
    pids = listening_pids(port)
    if pids:
        return ", ".join(describe(pid) for pid in sorted(pids)[:3])
    return "a process this user cannot see" if pids == [] else "another process"


def check_port(host: str, port: int, variable: str, what: str) -> None:
    """Raise :class:`PortTaken` if ``what`` could not listen on ``port`` (set by ``variable``)."""
    if port_taken(host, port):
        raise PortTaken(f"port {port} ({what}, {variable}) is taken by {holder(port)}: "
                        f"stop it or set {variable} to a free port")


def check_owner(port: int, group: int, variable: str, what: str) -> None:
    """Raise :class:`PortTaken` unless a process of the process group ``group`` is what listens on
    ``port``: the server started there, not one left over, answers."""
    pids = listening_pids(port)
    if pids is None:
        return  # no /proc: the free port before the start is all that can be checked
    if not any(_group(pid) == group for pid in pids):
        raise PortTaken(f"port {port} ({what}, {variable}) is answered by {holder(port)}, not by the "
                        f"server started here: stop it or set {variable} to a free port")


def _group(pid: int) -> int:
    try:
        return os.getpgid(pid)
    except OSError:
        return -1
