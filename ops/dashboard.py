"""The curator dashboard at /report on the demo page's server (ops/web.py), on only when
CAREER_COACH_REPORT_TOKEN is set (404 otherwise).

Authentication: ``Authorization: Bearer <token>``, or a browser opens ``/report?token=<token>`` once:
the server answers with a redirect to the same page without the token in the address and a cookie
(HttpOnly, SameSite=Strict, Path=/report) holding an HMAC of the token, never the token itself, which
every link of the dashboard then carries. Anything else gets a 401 that says nothing about the data.
Tokens and cookies are compared with :func:`hmac.compare_digest`.

Pages: ``/report`` (counts, charts, gaps, not-helpful answers), ``/report/group?kind=&key=`` and
``/report/conversation?id=`` (transcripts), ``/report/candidates.yml`` and ``/report/gaps.csv``.
"""
from __future__ import annotations

import hashlib
import hmac
import threading
import warnings
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Set, Tuple
from urllib.parse import parse_qs, urlencode

from ops.dashboard_data import Overview, overview
from ops.dashboard_export import candidates_yaml, gaps_csv
from ops.dashboard_views import render_overview, render_transcripts
from ops.report import ReportError, StoredConversation, clean, group, open_store, read_conversations

PREFIX = "/report"
COOKIE = "cc_report"
COOKIE_LIFETIME = 8 * 3600  # seconds
HTML = "text/html; charset=utf-8"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'none'; "
                               "base-uri 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = HTML
    headers: Dict[str, str] = field(default_factory=dict)


def handles(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def session_value(token: str) -> str:
    """The cookie for ``token``: proves the token was shown, without being it."""
    return hmac.new(token.encode(), b"career-coach report session", hashlib.sha256).hexdigest()


def same(offered: Optional[str], expected: str) -> bool:
    return offered is not None and hmac.compare_digest(offered.encode(), expected.encode())


def cookie_of(header: Optional[str]) -> Optional[str]:
    try:
        morsel = SimpleCookie(header or "").get(COOKIE)
    except CookieError:
        return None
    return morsel.value if morsel else None


def bearer_of(header: Optional[str]) -> Optional[str]:
    scheme, _, credentials = (header or "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else None


def plain(status: int, text: str, **headers: str) -> Response:
    return Response(status, text.encode(), "text/plain; charset=utf-8", headers)


UNAUTHORISED = "401 Unauthorized: the curator dashboard needs its token (README: Curator dashboard).\n"


class Dashboard:
    """The /report pages over the tracker store of one endpoints file, behind one token."""

    def __init__(self, token: str, endpoints: Path) -> None:
        self.token, self.endpoints = token, endpoints
        self._store = None
        self._lock = threading.Lock()
        self.routes: Dict[str, Callable[[Mapping[str, str]], Response]] = {
            PREFIX: self.front, f"{PREFIX}/group": self.group_page, f"{PREFIX}/conversation": self.conversation_page,
            f"{PREFIX}/candidates.yml": self.candidates, f"{PREFIX}/gaps.csv": self.gaps,
        }

    def respond(self, path: str, query: str, headers: Mapping[str, str]) -> Response:
        """The response to ``GET path?query``, security headers included."""
        response = self.route(path, query, headers)
        response.headers = {**SECURITY_HEADERS, **response.headers}
        return response

    def route(self, path: str, query: str, headers: Mapping[str, str]) -> Response:
        if not self.token:
            return plain(404, "404 Not Found\n")
        params = {name: values[0] for name, values in parse_qs(query, keep_blank_values=True).items()}
        if "token" in params:
            if not same(params.pop("token"), self.token):
                return plain(401, UNAUTHORISED, **{"WWW-Authenticate": 'Bearer realm="report"'})
            cookie = (f"{COOKIE}={session_value(self.token)}; Path={PREFIX}; HttpOnly; SameSite=Strict; "
                      f"Max-Age={COOKIE_LIFETIME}")
            location = path + ("?" + urlencode(params) if params else "")
            return plain(303, "303 See Other\n", Location=location, **{"Set-Cookie": cookie})
        if not (same(bearer_of(headers.get("Authorization")), self.token)
                or same(cookie_of(headers.get("Cookie")), session_value(self.token))):
            return plain(401, UNAUTHORISED, **{"WWW-Authenticate": 'Bearer realm="report"'})
        page = self.routes.get(path)
        return page(params) if page else plain(404, "404 Not Found\n")

    def read(self) -> Tuple[List[StoredConversation], str]:
        """Every stored conversation, or none and why (no store yet, cannot connect)."""
        with self._lock, warnings.catch_warnings(record=True):
            try:
                if self._store is None:
                    self._store = open_store(self.endpoints)
                return read_conversations(self._store), ""
            except ReportError as error:
                return [], str(error)
            except Exception as error:  # noqa: BLE001 - a lost connection: say so, reconnect next time
                self._store = None
                return [], f"cannot read the tracker store: {clean(error)}"

    def data(self) -> Tuple[Overview, str]:
        conversations, notice = self.read()
        return overview(conversations), notice

    def front(self, params: Mapping[str, str]) -> Response:
        data, notice = self.data()
        return Response(200, render_overview(data, notice).encode())

    def transcripts(self, title: str, data: Overview, senders: List[str], marked: Set[str]) -> Response:
        chosen = [c for c in data.conversations if c.sender in senders]
        return Response(200 if chosen else 404, render_transcripts(title, chosen, marked).encode())

    def group_page(self, params: Mapping[str, str]) -> Response:
        data, _ = self.data()
        kind, key = params.get("kind", ""), params.get("key", "")
        marked = {gap.text for gap in data.gaps if (gap.kind, gap.key) == (kind, key)}
        return self.transcripts(f"{kind}: {key}", data, data.behind.get((kind, key), []), marked)

    def conversation_page(self, params: Mapping[str, str]) -> Response:
        data, _ = self.data()
        sender = params.get("id", "")
        marked = {r.question for r in data.not_helpful if r.conversation == sender}
        return self.transcripts(f"Conversation {sender}", data, [sender], marked)

    def candidates(self, params: Mapping[str, str]) -> Response:
        data, _ = self.data()
        return Response(200, candidates_yaml(data).encode(), "application/yaml; charset=utf-8",
                        {"Content-Disposition": 'attachment; filename="candidates.yml"'})

    def gaps(self, params: Mapping[str, str]) -> Response:
        data, _ = self.data()
        return Response(200, gaps_csv(group(data.gaps)).encode(), "text/csv; charset=utf-8",
                        {"Content-Disposition": 'attachment; filename="knowledge-gaps.csv"'})
