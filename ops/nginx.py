"""Debian's nginx running the cluster recipe's own deploy/nginx.conf, for the tests and the bench.

The configuration is deploy/nginx.conf as the compose recipe ships it, with exactly three changes
made to a copy in a temporary folder (each must match, or the start fails naming it):

- in every ``upstream`` block, the ``server`` lines (``rasa-1:5005`` ...) become one line per given
  address, with the first line's parameters (``max_fails=... fail_timeout=...``);
- ``listen 8080;`` becomes ``listen 127.0.0.1:<port>;``;
- at the top of ``http {``, the paths a non-root, non-daemon nginx can write: the access log
  (``<settings.log_dir>/nginx-access.log``, one JSON object a request: :data:`LOG_FORMAT`) and the
  temporary-file folders. The pid file and the error log (``nginx.log``) are set on the command line
  (``-g``/``-e``).
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Optional, Sequence, Union

from ops.servers import free_port, last_line, start, stop
from settings import ROOT, Settings

CONF = ROOT / "deploy" / "nginx.conf"
ACCESS_LOG = "nginx-access.log"
INSTALL_HINT = "apt-get install nginx-light"
# $conversation is deploy/nginx.conf's REST routing key; $upstream_addr lists every replica tried.
LOG_FORMAT = ('escape=json \'{"client":"$remote_addr","key":"$conversation","request":"$request",'
              '"status":$status,"upstream":"$upstream_addr","upstream_status":"$upstream_status",'
              '"seconds":$request_time}\'')
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
START_TIMEOUT_S = 10.0


def binary() -> Optional[str]:
    """Debian's nginx (/usr/sbin is not on every user's PATH), or None."""
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if os.access(found, os.X_OK) else None


def _replace(pattern: str, replacement: Union[str, Callable[[re.Match], str]], text: str, what: str,
             count: int = 1) -> str:
    new, made = re.subn(pattern, replacement, text, flags=re.M | re.S)
    if made != count:
        raise RuntimeError(f"{CONF}: expected {count} {what}, found {made}; update ops/nginx.py")
    return new


SERVER = r"^([ \t]*)server \S+([^;\n]*);\n"


def _servers(block: re.Match, upstreams: Sequence[str]) -> str:
    """One upstream block, its server lines replaced by ``upstreams`` where the first one was."""
    head, body = block.group(1), block.group(2)
    first = re.search(SERVER, body, re.M)
    if first is None:
        raise RuntimeError(f"{CONF}: no server line in {head.strip()}")
    indent, parameters = first.groups()
    ours = "".join(f"{indent}server {address}{parameters};\n" for address in upstreams)
    return head + body[:first.start()] + ours + re.sub(SERVER, "", body[first.end():], flags=re.M)


def config(upstreams: Sequence[str], port: int, folder: Path, log_dir: Path) -> str:
    """deploy/nginx.conf with the changes of the module docstring."""
    text = CONF.read_text(encoding="utf-8")
    blocks = len(re.findall(r"^\s*upstream \w+ \{", text, re.M))
    text = _replace(r"^(\s*upstream \w+ \{\n)(.*?)(?=^\s*\})", lambda m: _servers(m, upstreams), text,
                    "upstream blocks", blocks)
    text = _replace(r"^(\s*)listen \d+;", rf"\1listen 127.0.0.1:{port};", text, "'listen <port>;' line")
    local = [f"    log_format career_coach {LOG_FORMAT};",
             f'    access_log "{log_dir / ACCESS_LOG}" career_coach;',
             *(f'    {name}_temp_path "{folder / name}";' for name in TEMP_PATHS)]
    return _replace(r"^http \{\n", lambda m: m.group(0) + "\n".join(local) + "\n", text, "'http {' line")


def _wait_listening(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited with code {process.returncode}: {last_line(log)}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen on port {port} within {START_TIMEOUT_S:.0f} s")


@contextmanager
def nginx(upstreams: Sequence[str], settings: Settings, port: Optional[int] = None) -> Iterator[str]:
    """nginx (Debian's binary) running deploy/nginx.conf with its upstream servers replaced by
    ``upstreams`` ("127.0.0.1:5005" each), listening on ``port`` (a free one if None), logs in
    settings.log_dir; yields its base URL "http://127.0.0.1:<port>". Stops nginx on exit."""
    executable = binary()
    if executable is None:
        raise RuntimeError(f"nginx not found: {INSTALL_HINT}")
    if not upstreams:
        raise ValueError("nginx needs at least one upstream")
    port = port or free_port()
    folder = Path(tempfile.mkdtemp(prefix="career-coach-nginx-"))
    folder.chmod(0o755)  # as root, the workers run as `nobody` and write the temporary files here
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    conf = folder / "nginx.conf"
    conf.write_text(config(upstreams, port, folder, settings.log_dir.resolve()), encoding="utf-8")
    process = start([executable, "-p", str(folder), "-c", str(conf), "-e", "stderr",
                     "-g", f"daemon off; pid {folder / 'nginx.pid'};"], settings, "nginx")
    try:
        _wait_listening(port, process, settings.log_dir / "nginx.log")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)
