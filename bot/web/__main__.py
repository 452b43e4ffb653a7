"""Serve the demo page: `python -m bot.web --port 8000 --rasa-port 5005`.

Static files come from bot/web/static; /config.js tells the widget where the Rasa socket.io
channel listens (same host as the page, the Rasa port, unless CAREER_COACH_SOCKET_URL is set).
"""
from __future__ import annotations

import argparse
import json
import os
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"


class PageHandler(SimpleHTTPRequestHandler):
    """Static files, plus a generated /config.js; no directory listings."""

    rasa_port: int = 5005

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path.split("?")[0] == "/config.js":
            config = {"socketUrl": os.environ.get("CAREER_COACH_SOCKET_URL", ""), "rasaPort": self.rasa_port}
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
    args = parser.parse_args()
    handler = type("Handler", (PageHandler,), {"rasa_port": args.rasa_port})
    server = ThreadingHTTPServer((args.host, args.port), partial(handler, directory=str(STATIC)))
    server.serve_forever()


if __name__ == "__main__":
    main()
