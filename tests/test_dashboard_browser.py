"""The curator dashboard in Chromium (Playwright), over the conversations people had with the shared
stack over REST (questions the article leaves open, gibberish, markup, a not-helpful rating with a
comment; a copy of its tracker store with only those): counts, charts, transcript links, user text
shown as text, the token, the headers, the exports (Rasa reads the NLU file back), WCAG 2.1 AA
(axe-core) on the dashboard and the widget. The screenshot goes to tests/artifacts/dashboard.png
(git-ignored); the README's, docs/dashboard.png, is a copy of one, made when the page changes."""
from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from ops.report import clean
from ops.servers import web_server
from settings import REPORT_TOKEN, ROOT, Settings
from tests.support.axe import serious_violations
from tests.support.stack import Conversation, conversations_of
from tests.support.validate import validate, with_files
from tests.test_channel_web import browser, open_chat  # noqa: F401 (the module's Chromium fixture)
from tests.test_report import fallback_texts

pytestmark = pytest.mark.stack
expect.set_options(timeout=10_000)

TOKEN = "dashboard-test-token-0123456789"
ATTACK = "<img src=x onerror=alert(1)><script>alert(2)</script>"
CTO = "duration: chief technology officer"
TALKS: List[List[str]] = [["how long to become a CTO"], ["How long to become a CTO?", "asdf qwerty zxcv"], [ATTACK]]
RATED = "how much do engineering managers make?"
COMMENT = '<b>old</b> figure "<script>alert(3)</script>"'
SCREENSHOT = ROOT / "tests" / "artifacts" / "dashboard.png"


@dataclasses.dataclass
class Seeded:
    settings: Settings
    web: str
    senders: Dict[str, str]  # what was said first -> the conversation's sender id


def rate(conversation: Conversation, question: str) -> None:
    """Ask ``question``, rate its answer not helpful, then add a comment (the feedback contract)."""
    conversation.say(question)
    [answer_id] = {m["answer_id"] for m in conversation.last if m.get("answer_id")}
    conversation.say("/feedback" + json.dumps({"answer_id": answer_id, "rating": "not_helpful"}))
    conversation.say("/feedback" + json.dumps({"answer_id": answer_id, "comment": COMMENT}))


@pytest.fixture(scope="module")
def seeded(bot_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """People talk to the shared stack; then the demo page and dashboard (ops/web.py, with the token)
    over a copy of its tracker store holding exactly their conversations."""
    senders = {}
    for lines in TALKS:
        conversation = Conversation(bot_settings.rasa_url)
        for line in lines:
            conversation.say(line)
        senders[lines[0]] = conversation.sender
    rated = Conversation(bot_settings.rasa_url)
    rate(rated, RATED)
    senders[RATED] = rated.sender
    settings = conversations_of(bot_settings, list(senders.values()), tmp_path_factory.mktemp("dashboard-store"))
    with pytest.MonkeyPatch.context() as env:
        env.setenv(REPORT_TOKEN, TOKEN)  # read by the web server process
        with web_server(settings):
            yield Seeded(settings, settings.web_url, senders)


@pytest.fixture
def page(browser: Browser, seeded: Seeded) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.dialogs = []  # type: ignore[attr-defined]
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore
    tab.csp = []  # type: ignore[attr-defined]
    tab.on("console", lambda m: "Content Security Policy" in m.text and tab.csp.append(m.text))  # type: ignore
    yield tab
    context.close()


def test_dashboard_shows_counts_charts_and_transcripts(page: Page, seeded: Seeded) -> None:
    page.goto(f"{seeded.web}/report?token={TOKEN}")
    expect(page).to_have_url(f"{seeded.web}/report")  # the token left the address bar for a cookie
    expect(page.get_by_role("heading", level=1)).to_have_text("What people asked")
    expect(page.locator(".since")).to_contain_text(f"Data since {datetime.now(timezone.utc):%Y-%m-%d}")

    messages = sum(len(lines) for lines in TALKS) + 1  # the ratings are not messages
    fallbacks = len(fallback_texts(seeded.settings))
    today = page.locator("table.days tbody tr").first
    conversations = len(TALKS) + 1
    expect(today.locator("td")).to_have_text([str(conversations), str(messages), f"{fallbacks / messages:.0%}", "100%"])
    expect(page.locator("figure.chart svg[role=img]")).to_have_count(4)
    day = datetime.now(timezone.utc).date().isoformat()
    expect(page.locator("figure.chart").first.locator("rect.bar title").last).to_have_text(f"{day}: {conversations}")
    assert float(page.locator("figure.chart").first.locator("rect.bar").last.get_attribute("height") or 0) > 50

    cto = page.locator("table.gaps tr", has_text=CTO)
    expect(cto.locator("td.num")).to_have_text(["2", "2"])
    expect(cto.locator(".examples li")).to_have_text(["how long to become a CTO", "How long to become a CTO?"])
    rated = page.locator("table.rated tbody tr", has_text=RATED)
    expect(rated.locator("td").nth(2)).to_have_text(COMMENT)
    expect(rated.locator("td").nth(1)).not_to_be_empty()
    assert page.locator("main img, main script, main b").count() == 0
    assert serious_violations(page) == []
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    cto.get_by_role("link").click()
    expect(page.locator("section.transcript")).to_have_count(2)
    expect(page.locator(".line.marked .text")).to_have_text(["how long to become a CTO", "How long to become a CTO?"])
    page.go_back()
    rated.get_by_role("link", name="transcript").click()
    expect(page.locator(".line-user.marked .text")).to_have_text([RATED])
    expect(page.locator(".line-rating .text")).to_have_text(["not helpful", f"not helpful: {COMMENT}"])
    assert serious_violations(page) == []

    page.goto(f"{seeded.web}/report/conversation?id={seeded.senders[ATTACK]}")
    expect(page.locator(".line-user .text")).to_have_text([ATTACK])
    page.wait_for_timeout(300)
    assert page.locator("main img, main script").count() == 0
    assert page.dialogs == [] and page.csp == []  # type: ignore[attr-defined]


def test_widget_page_meets_wcag_21_aa_under_its_csp(page: Page, bot_settings: Settings) -> None:
    open_chat(page, f"{bot_settings.web_url}/")  # the shared stack's page: its socket.io connection passes connect-src
    assert serious_violations(page) == []
    assert page.csp == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-the-token-0123456789"}])
def test_without_the_token_nothing_is_served(seeded: Seeded, headers: Dict[str, str]) -> None:
    for path in ("/report", f"/report/conversation?id={seeded.senders[RATED]}", "/report/candidates.yml"):
        response = requests.get(seeded.web + path, headers=headers, timeout=10, allow_redirects=False)
        assert response.status_code == 401
        assert RATED not in response.text and "CTO" not in response.text
    assert requests.get(f"{seeded.web}/report?token=wrong", timeout=10, allow_redirects=False).status_code == 401


def test_headers_of_both_pages(seeded: Seeded) -> None:
    report = requests.get(f"{seeded.web}/report", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    assert report.status_code == 200
    assert "frame-ancestors 'none'" in report.headers["Content-Security-Policy"]
    assert (report.headers["Cache-Control"], report.headers["Referrer-Policy"]) == ("no-store", "no-referrer")
    demo = requests.get(f"{seeded.web}/", timeout=10).headers
    assert f"ws://127.0.0.1:{seeded.settings.rasa_port}" in demo["Content-Security-Policy"]
    assert "script-src 'self';" in demo["Content-Security-Policy"] and demo["Referrer-Policy"] == "no-referrer"


def test_exports_load_in_rasa(seeded: Seeded, project_data, tmp_path: Path) -> None:
    from rasa.shared.nlu.training_data.loading import load_data

    auth = {"Authorization": f"Bearer {TOKEN}"}
    gaps = requests.get(f"{seeded.web}/report/gaps.csv", headers=auth, timeout=10)
    assert gaps.headers["Content-Type"].startswith("text/csv") and f"not in the article,{CTO},2,2," in gaps.text
    exported = tmp_path / "candidates.yml"
    exported.write_text(requests.get(f"{seeded.web}/report/candidates.yml", headers=auth, timeout=10).text,
                        encoding="utf-8")
    texts = {m.get("text") for m in load_data(str(exported)).training_examples}
    assert RATED in texts and {clean(t) for t in fallback_texts(seeded.settings)} <= texts
    validate(with_files(project_data, exported))  # `rasa data validate` with the candidates among data/
