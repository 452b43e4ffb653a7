"""The curator dashboard without the bot: its token check and headers over a real HTTP server
(ops/web.py in a thread), and what it computes from events built by hand (ratings, days, exports).
The browser test over real conversations is tests/test_dashboard_browser.py."""
from __future__ import annotations

import csv
import io
import threading
import time
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import requests
import yaml

from ops.charts import bar_chart
from ops.dashboard import COOKIE, Dashboard
from ops.dashboard_data import overview, per_day, ratings_in
from ops.dashboard_export import candidates_yaml, gaps_csv
from ops.dashboard_views import render_overview, render_transcripts
from ops.report import UNSURE, StoredConversation, group
from ops.web import STATIC, PageHandler
from settings import REPORT_TOKEN, Settings, SettingsError

TOKEN = "curator-token-0123456789"
NOW = time.time()
ATTACK = "<img src=x onerror=alert(1)>"


def user(text: str, intent: str, at: float = NOW, ranking: List[str] = ()) -> Dict[str, Any]:
    ranked = [{"name": name, "confidence": 0.1} for name in ranking]
    return {"event": "user", "text": text, "timestamp": at,
            "parse_data": {"intent": {"name": intent, "confidence": 0.5}, "intent_ranking": ranked}}


def feedback(rating: str, comment: Any = None, answer_id: str = "a1b2c3d4e5f6", at: float = NOW) -> Dict[str, Any]:
    return {"event": "slot", "name": "feedback", "timestamp": at,
            "value": {"answer_id": answer_id, "rating": rating, "comment": comment,
                      "question": "how much do EMs make", "answer": "EMs earn <b>well</b>."}}


EVENTS: List[Dict[str, Any]] = [
    {"event": "session_started", "timestamp": NOW - 86400},
    user(ATTACK, "nlu_fallback", NOW - 86400, ["nlu_fallback", "ask_salary"]),
    {"event": "bot", "text": "Sorry, could you rephrase?", "timestamp": NOW - 86400},
    user("how much do EMs make", "ask_salary"),
    {"event": "bot", "text": "EMs earn <b>well</b>.", "timestamp": NOW, "metadata": {"answer_id": "a1b2c3d4e5f6"}},
    user('/feedback{"rating": "not_helpful"}', "feedback"), feedback("not_helpful"),
    user('/feedback{"comment": "=HYPERLINK(1)"}', "feedback"), feedback("not_helpful", "=HYPERLINK(1)"),
    user("what's the weather", "out_of_scope"),
    user("and for directors?", "ask_salary"), feedback("helpful", answer_id="0123456789ab"),
]
CONVERSATIONS = [StoredConversation("visitor-1", EVENTS)]


def test_ratings_merge_the_later_comment_into_the_rating() -> None:
    [bad, good] = ratings_in(EVENTS, "visitor-1")
    assert (bad.rating, bad.comment, bad.question, bad.answer) == (
        "not_helpful", "=HYPERLINK(1)", "how much do EMs make", "EMs earn <b>well</b>.")
    assert good.rating == "helpful"
    assert ratings_in([{"event": "slot", "name": "feedback", "value": "junk"}, feedback("meh")]) == []


def test_per_day_counts_messages_fallbacks_and_ratings() -> None:
    yesterday, today = per_day(CONVERSATIONS, ratings_in(EVENTS, "visitor-1"))
    assert (yesterday.conversations, yesterday.messages, yesterday.fallback_rate) == (1, 1, 1.0)
    assert (today.messages, today.fallback_rate) == (3, 0.0)  # the rating payloads are not messages
    assert (today.ratings, today.not_helpful_rate) == (2, 0.5)
    assert yesterday.not_helpful_rate is None


def test_pages_show_user_text_as_text() -> None:
    data = overview(CONVERSATIONS)
    page = render_overview(data)
    assert ATTACK not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>well</b>" not in page and "EMs earn &lt;b&gt;well&lt;/b&gt;." in page
    assert page.count("<svg") == 4 and "Fallback rate per day" in page
    transcript = render_transcripts("t", CONVERSATIONS, {ATTACK})
    assert ATTACK not in transcript and "/feedback" not in transcript and "not helpful: =HYPERLINK(1)" in transcript


def test_exports() -> None:
    data = overview(CONVERSATIONS)
    document = yaml.safe_load(candidates_yaml(data))
    examples = {item["intent"]: item["examples"] for item in document["nlu"]}
    assert examples == {"ask_salary": f"- {ATTACK}\n- how much do EMs make\n"}  # fallback: the next intent ranked
    rows = list(csv.reader(io.StringIO(gaps_csv(group(data.gaps)))))
    assert rows[0][:4] == ["kind", "key", "count", "conversations"]
    assert [UNSURE, "img srcx onerroralert1", "1", "1", ATTACK] in rows
    assert gaps_csv([group(data.gaps)[0].__class__("off-topic", "=cmd", 1, 1, ["@x"])]).splitlines()[1] \
        == "off-topic,'=cmd,1,1,'@x"


def test_chart_scales_bars_and_summarises() -> None:
    chart = bar_chart("c", "Messages", ["d1", "d2", "d3"], [2, 4, None])
    assert [bar.height for bar in chart.bars][2] == 0 and chart.bars[1].height == 2 * chart.bars[0].height
    assert chart.summary == "3 day(s) from d1 to d3; highest 4 on d2." and chart.bars[2].label == "d3: no data"


def test_the_token_setting() -> None:
    assert Settings.from_env({REPORT_TOKEN: TOKEN}).report_token == TOKEN
    assert TOKEN not in repr(Settings.from_env({REPORT_TOKEN: TOKEN}))
    with pytest.raises(SettingsError, match="at least 16") as error:
        Settings.from_env({REPORT_TOKEN: "short"})
    assert "short" not in str(error.value)


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """ops/web.py's handler in this process, with the dashboard over a store nobody has used yet."""
    endpoints = tmp_path_factory.mktemp("dash") / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump({"tracker_store": {"type": "SQL", "dialect": "sqlite",
                                                           "db": str(endpoints.parent / "none.db")}}))
    handler = type("Handler", (PageHandler,), {"rasa_port": 5999, "dashboard": Dashboard(TOKEN, endpoints)})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(STATIC)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("how", [{}, {"params": {"token": TOKEN[:-1] + "x"}},
                                 {"headers": {"Authorization": "Bearer wrong-token-0123456789"}},
                                 {"headers": {"Cookie": f"{COOKIE}=forged"}}, {"headers": {"Authorization": TOKEN}}])
def test_no_or_wrong_token_is_401_and_says_nothing(web: str, how: Dict[str, Any]) -> None:
    for path in ("/report", "/report/gaps.csv", "/report/conversation"):
        response = requests.get(web + path, allow_redirects=False, timeout=5, **how)
        assert response.status_code == 401, (path, how)
        assert "conversation" not in response.text.lower() and "none.db" not in response.text
        assert "Set-Cookie" not in response.headers
        assert response.headers["Cache-Control"] == "no-store"


def test_token_login_sets_a_strict_cookie_and_bearer_works(web: str) -> None:
    session = requests.Session()
    login = session.get(f"{web}/report", params={"token": TOKEN}, allow_redirects=False, timeout=5)
    assert login.status_code == 303 and login.headers["Location"] == "/report"
    cookie = login.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/report" in cookie and TOKEN not in cookie
    page = session.get(f"{web}/report", timeout=5)
    assert page.status_code == 200 and "No conversations kept yet." in page.text
    bearer = requests.get(f"{web}/report/gaps.csv", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5)
    assert bearer.status_code == 200 and bearer.text.startswith("kind,key,count")


def test_security_headers(web: str) -> None:
    dashboard = requests.get(f"{web}/report", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5).headers
    policy = dashboard["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy and "script-src" not in policy
    assert (dashboard["Referrer-Policy"], dashboard["Cache-Control"]) == ("no-referrer", "no-store")
    demo = requests.get(f"{web}/", timeout=5).headers
    policy = demo["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "'unsafe-inline'" not in policy
    assert "connect-src 'self' http://127.0.0.1:5999 https://127.0.0.1:5999 ws://127.0.0.1:5999" in policy
    assert demo["Referrer-Policy"] == "no-referrer"
    odd = requests.get(f"{web}/", headers={"Host": "x.example; script-src *"}, timeout=5).headers
    assert "connect-src 'self' ;" in odd["Content-Security-Policy"]  # a Host it would not repeat


def test_dashboard_off_without_a_token(tmp_path: Path) -> None:
    assert Dashboard("", tmp_path / "endpoints.yml").respond("/report", f"token={TOKEN}", {}).status == 404
