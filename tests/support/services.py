"""Throwaway PostgreSQL and Redis servers from Debian's packages, for the scale-out tests.

Each server listens on 127.0.0.1 and a free port, keeps its files in a temporary folder and is
stopped (and its folder removed) when the ``with`` block ends; ``stopped()`` takes one down and
starts it again on the same port and data (tests/test_faults_running.py). When a binary is missing
the tests are skipped with a loud reason: ``apt-get install postgresql redis-server`` (CI's .ci/run does).
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import ContextManager, Iterator, List, Mapping, Optional, Sequence

import pytest

from ops.servers import free_port

INSTALL_HINT = "apt-get install postgresql redis-server"
# The tracker store logs in as this role with a password (scram), so the ${VAR} password path of
# ops/endpoints.py is exercised; every other role is trusted on 127.0.0.1.
TRACKER_USER = "coach"
TRACKER_PASSWORD = "coach-secret"
DATABASES = ("conversations", "knowledge")


def _skip(what: str) -> None:
    pytest.skip(f"!!! {what} not found: the scale-out tests did NOT run. Install it with `{INSTALL_HINT}` "
                "(CI's .ci/run does) !!!")


def postgres_bin() -> Optional[Path]:
    """The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/<version>/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def _as_postgres(command: List[str]) -> List[str]:
    """initdb and postgres refuse root: run them as the `postgres` system user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@dataclass(frozen=True)
class Postgres:
    """A running throwaway PostgreSQL server."""

    host: str
    port: int

    def url(self, database: str = "postgres", user: str = "postgres", password: str = "") -> str:
        secret = f":{password}" if password else ""
        return f"postgresql://{user}{secret}@{self.host}:{self.port}/{database}"

    def execute(self, sql: str, database: str = "postgres", params: tuple = ()) -> List[tuple]:
        """Run one statement as the superuser (autocommit); return the rows, if any."""
        import psycopg2

        connection = psycopg2.connect(host=self.host, port=self.port, user="postgres", dbname=database)
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()

    @contextmanager
    def stopped(self) -> Iterator[None]:
        """The server shut down (fast: its connections are closed) inside the block, then started again
        on the same data folder, port and options (`pg_ctl restart` reads them from postmaster.opts)."""
        data, bin_dir = Path(self.execute("SHOW data_directory")[0][0]), postgres_bin()
        assert bin_dir is not None  # it runs
        pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-t", "60"]
        subprocess.run(_as_postgres([*pg_ctl, "-m", "fast", "stop"]), check=True, capture_output=True, timeout=90)
        try:
            yield
        finally:
            subprocess.run(_as_postgres([*pg_ctl, "-l", str(data.parent / "log"), "restart"]),
                           check=True, capture_output=True, timeout=90)


@contextmanager
def postgres() -> Iterator[Postgres]:
    """initdb + pg_ctl in a temporary folder; the databases in DATABASES owned by TRACKER_USER."""
    bin_dir = postgres_bin()
    if bin_dir is None or (shutil.which("runuser") is None and os.geteuid() == 0):
        _skip("PostgreSQL (/usr/lib/postgresql/*/bin/initdb)")
    folder = Path(tempfile.mkdtemp(prefix="career-coach-pg-"))  # /tmp: reachable by `postgres`
    data, port = folder / "data", free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    try:
        subprocess.run(_as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres",
                                     "--auth=trust", "--no-sync"]),
                       check=True, capture_output=True, timeout=120)
        (data / "pg_hba.conf").write_text(
            "local all all trust\n"
            f"host all {TRACKER_USER} 127.0.0.1/32 scram-sha-256\n"
            "host all all 127.0.0.1/32 trust\n", encoding="utf-8")
        options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c max_connections=300 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        subprocess.run(_as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"),
                                     "-o", options, "-w", "-t", "60", "start"]),
                       check=True, capture_output=True, timeout=90)
        server = Postgres("127.0.0.1", port)
        try:
            server.execute(f"CREATE ROLE {TRACKER_USER} LOGIN PASSWORD '{TRACKER_PASSWORD}'")
            for database in DATABASES:
                server.execute(f"CREATE DATABASE {database} OWNER {TRACKER_USER}")
            yield server
        finally:
            subprocess.run(_as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                         "-w", "stop"]), capture_output=True, timeout=60)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class RedisServer:
    """redis-server without persistence on 127.0.0.1:``port``, its files in ``folder``."""

    binary: str
    folder: Path
    port: int = field(default_factory=free_port)
    process: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server; return once it answers PING."""
        import redis as redis_client

        with open(self.folder / "log", "ab") as log:
            self.process = subprocess.Popen([self.binary, "--port", str(self.port), "--save", "", "--appendonly",
                                             "no", "--bind", "127.0.0.1", "--dir", str(self.folder)],
                                            stdout=log, stderr=subprocess.STDOUT)
        client = redis_client.Redis(host="127.0.0.1", port=self.port, socket_timeout=1)
        deadline = time.monotonic() + 20
        try:
            while True:
                try:
                    client.ping()
                    return
                except redis_client.ConnectionError:
                    if self.process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"redis-server did not start: {(self.folder / 'log').read_text()}"
                                           ) from None
                    time.sleep(0.1)
        finally:
            client.close()

    def stop(self) -> None:
        """Stop the server (SIGTERM; SIGKILL after 10 s), if it runs."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    @contextmanager
    def stopped(self) -> Iterator[None]:
        """The server stopped inside the block, started again on the same port after it."""
        self.stop()
        try:
            yield
        finally:
            self.start()


@contextmanager
def redis_server() -> Iterator[RedisServer]:
    """A running :class:`RedisServer` on a free port, stopped and its folder removed afterwards."""
    binary = shutil.which("redis-server")
    if binary is None:
        _skip("redis-server")
    server = RedisServer(binary, Path(tempfile.mkdtemp(prefix="career-coach-redis-")))
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.folder, ignore_errors=True)


@contextmanager
def redis() -> Iterator[str]:
    """redis-server without persistence on a free port; yields its redis:// URL."""
    with redis_server() as server:
        yield server.url


def require_nginx() -> None:
    """Skip loudly, as for the servers above, when Debian's nginx (ops/nginx.py) is not installed."""
    from ops.nginx import INSTALL_HINT as NGINX_HINT
    from ops.nginx import binary

    if binary() is None:
        pytest.skip(f"!!! nginx not found: the scale-out tests did NOT run. Install it with `{NGINX_HINT}` "
                    "(CI's .ci/run does) !!!")


@contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """``values`` in os.environ while servers start (children copy it); restored afterwards."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def enter_together(stack: ExitStack, managers: Sequence[ContextManager]) -> List:
    """Enter context managers in parallel (Rasa replicas load their model at the same time)."""
    with ThreadPoolExecutor(len(managers)) as pool:
        futures = [pool.submit(manager.__enter__) for manager in managers]
    for manager, future in zip(managers, futures, strict=True):
        if future.exception() is None:
            stack.push(manager.__exit__)
    return [future.result() for future in futures]
