"""Serve the demo page: `python -m ops.web --port 8000 --rasa-port 5005 [--socket-url URL]`.

Static files come from bot/web/static (the chat widget); /config.js tells the widget where the
Rasa socket.io channel listens: ``--socket-url`` (the launcher passes CAREER_COACH_SOCKET_URL), or,
when empty, the page's own host on the Rasa port. /report is the curator dashboard (ops/dashboard.py)
over the tracker store of ``--endpoints``, on when CAREER_COACH_REPORT_TOKEN is set.

Every page is served with a Content-Security-Policy: scripts and styles only from this server (the
page has no inline script), connections only to it and to the Rasa server's socket.io channel.
"""
from __future__ import annotations

import argparse
import json
import os
import re
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional
from urllib.parse import urlparse

from ops.dashboard import Dashboard, Response, handles
from settings import ROOT, Settings

STATIC = ROOT / "bot" / "web" / "static"
HOSTNAME = re.compile(r"[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]")
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self' {rasa}; object-src 'none'; base-uri 'none'; form-action 'self'")


def socket_origins(socket_url: str, host_header: Optional[str], rasa_port: int) -> str:
    """Where the widget opens its socket.io connection (polling and WebSocket), for connect-src."""
    if socket_url:
        parsed = urlparse(socket_url)
        hostport = parsed.netloc.rpartition("@")[2]
        secure = parsed.scheme == "https"
        return f"{parsed.scheme}://{hostport} {'wss' if secure else 'ws'}://{hostport}"
    hostname = urlparse(f"//{host_header or ''}").hostname or ""
    hostname = f"[{hostname}]" if ":" in hostname else hostname
    if not HOSTNAME.fullmatch(hostname):
        return ""  # a Host header we would not repeat: the page's own origin only
    return " ".join(f"{scheme}://{hostname}:{rasa_port}" for scheme in ("http", "https", "ws", "wss"))


class PageHandler(SimpleHTTPRequestHandler):
    """Static files, plus a generated /config.js and the dashboard; no directory listings."""

    rasa_port: int = 5005
    socket_url: str = ""
    dashboard: Dashboard = Dashboard("", Path())

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path, _, query = self.path.partition("?")
        if handles(path):
            self.send(self.dashboard.respond(path, query, self.headers))
            return
        if path == "/config.js":
            config = {"socketUrl": self.socket_url, "rasaPort": self.rasa_port}
            body = f"window.CAREER_COACH = {json.dumps(config)};\n".encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/javascript; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def send(self, response: Response) -> None:
        self.send_response(response.status)
        for name, value in {"Content-Type": response.content_type, "Content-Length": str(len(response.body)),
                            **response.headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(response.body)

    def list_directory(self, path):  # type: ignore[override]
        self.send_error(404)
        return None

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        if not handles(getattr(self, "path", "").partition("?")[0]):  # the dashboard sends its own policy
            headers = getattr(self, "headers", None)  # none yet when the request line was unreadable
            rasa = socket_origins(self.socket_url, headers.get("Host") if headers else None, self.rasa_port)
            self.send_header("Content-Security-Policy", PAGE_POLICY.format(rasa=rasa))
            self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # quiet: the Rasa log tells the story
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--rasa-port", type=int, default=5005)
    parser.add_argument("--socket-url", default="", help="where the widget finds Rasa (default: this host)")
    parser.add_argument("--endpoints", type=Path, default=ROOT / "var" / "endpoints.yml",
                        help="the completed endpoints file whose tracker store the dashboard reads")
    args = parser.parse_args()
    dashboard = Dashboard(Settings.from_env(os.environ).report_token, args.endpoints)
    handler = type("Handler", (PageHandler,), {"rasa_port": args.rasa_port, "socket_url": args.socket_url,
                                               "dashboard": dashboard})
    server = ThreadingHTTPServer((args.host, args.port), partial(handler, directory=str(STATIC)))
    server.serve_forever()


if __name__ == "__main__":
    main()
