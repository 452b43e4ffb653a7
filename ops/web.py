"""Serve the demo page: `python -m ops.web --port 8000 --rasa-port 5005 [--socket-url URL]`.

Static files come from bot/web/static (the chat widget); /config.js tells the widget where the
Rasa socket.io channel listens: ``--socket-url`` (the launcher passes CAREER_COACH_SOCKET_URL), or,
when empty, the page's own host on the Rasa port.
"""
from __future__ import annotations

import argparse
import json
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from settings import ROOT

STATIC = ROOT / "bot" / "web" / "static"


class PageHandler(SimpleHTTPRequestHandler):
    """Static files, plus a generated /config.js; no directory listings."""

    rasa_port: int = 5005
    socket_url: str = ""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path.split("?")[0] == "/config.js":
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

    def list_directory(self, path):  # type: ignore[override]
        self.send_error(404)
        return None

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # quiet: the Rasa log tells the story
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--rasa-port", type=int, default=5005)
    parser.add_argument("--socket-url", default="", help="where the widget finds Rasa (default: this host)")
    args = parser.parse_args()
    handler = type("Handler", (PageHandler,), {"rasa_port": args.rasa_port, "socket_url": args.socket_url})
    server = ThreadingHTTPServer((args.host, args.port), partial(handler, directory=str(STATIC)))
    server.serve_forever()


if __name__ == "__main__":
    main()
