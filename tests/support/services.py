"""Throwaway PostgreSQL and Redis servers from Debian's packages, for the scale-out tests.

Each server listens on 127.0.0.1 and a free port, keeps its files in a temporary folder and is
stopped (and its folder removed) when the ``with`` block ends. When a binary is missing the tests
are skipped with a loud reason: ``apt-get install postgresql redis-server`` (CI's .ci/run does).
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List, Optional

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


@contextmanager
def redis() -> Iterator[str]:
    """redis-server without persistence on a free port; yields its redis:// URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        _skip("redis-server")
    import redis as redis_client

    folder = Path(tempfile.mkdtemp(prefix="career-coach-redis-"))
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--save", "", "--appendonly", "no",
                                "--bind", "127.0.0.1", "--dir", str(folder)],
                               stdout=open(folder / "log", "wb"), stderr=subprocess.STDOUT)
    try:
        client = redis_client.Redis(host="127.0.0.1", port=port, socket_timeout=1)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis_client.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start: {(folder / 'log').read_text()}") from None
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)
