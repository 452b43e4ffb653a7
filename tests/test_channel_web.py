"""The website chat widget in a real browser (Debian's Chromium through Playwright), against the real
stack the session shares (tests/conftest.py): the demo page (bot/web) talking to the Rasa server's socket.io channel.

A failing test leaves a screenshot in tests/artifacts/.
"""
from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Iterator, List

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from settings import ROOT, Settings
from tests.support.figures import AVERAGE_SALARY, MID_LEVEL_YEARS

pytestmark = pytest.mark.stack
expect.set_options(timeout=10_000)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SOCKET_IO = ROOT / "bot" / "web" / "static" / "vendor" / "socket.io.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"
REPLY_TIMEOUT = 30.0  # seconds
INPUT_LABEL = "Your question for Career Coach"


@pytest.fixture(scope="module")
def web_stack(bot_settings: Settings) -> Settings:
    """The shared stack (tests/conftest.py): its demo page, whose origin alone may open socket.io."""
    if not SOCKET_IO.exists():
        pytest.fail(f"{SOCKET_IO.relative_to(ROOT)} is missing: run `make setup` (it runs npm ci in bot/web)")
    return bot_settings


@pytest.fixture(scope="module")
def page_url(web_stack: Settings) -> str:
    return f"{web_stack.web_url}/"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"no browser at {CHROMIUM}: the widget test needs Debian's Chromium "
                    "(`apt-get install chromium`; .ci/run installs it)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    except Exception:  # noqa: BLE001 - the test's own failure is the one to report
        pass


@pytest.fixture
def page(browser: Browser, page_url: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh visitor (own storage, so own conversation) on the demo page, connected."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(REPLY_TIMEOUT * 1000)
    tab = context.new_page()
    errors: List[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    failed_before = request.session.testsfailed
    try:
        open_chat(tab, page_url)
        yield tab
        if request.session.testsfailed > failed_before:  # the test body failed (reported before teardown)
            screenshot(tab, request.node.name)
        assert not errors, f"JavaScript errors on the page: {errors}"
    except BaseException:
        screenshot(tab, request.node.name)
        raise
    finally:
        context.close()


def open_chat(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#career-coach")).to_have_attribute("data-session-id", re.compile(r"\w+"), timeout=20_000)
    expect(page.locator(".cc-status")).to_have_text("Online")


def bot_texts(page: Page) -> List[str]:
    return page.locator(".cc-row-bot .cc-bubble").all_inner_texts()


def user_texts(page: Page) -> List[str]:
    return page.locator(".cc-row-user .cc-text").all_inner_texts()


def wait_for_reply(page: Page, before: int, *expected: str) -> str:
    """The bot's messages after the first ``before`` ones, once they contain every expected fact."""
    deadline = time.monotonic() + REPLY_TIMEOUT
    reply = ""
    while time.monotonic() < deadline:
        reply = "\n".join(bot_texts(page)[before:])
        if reply and all(fact in reply for fact in expected):
            page.wait_for_timeout(300)  # let the rest of a multi-part reply arrive
            return "\n".join(bot_texts(page)[before:])
        page.wait_for_timeout(100)
    missing = [fact for fact in expected if fact not in reply]
    raise AssertionError(f"no reply with {missing} within {REPLY_TIMEOUT:.0f} s; the bot said:\n{reply or '(nothing)'}")


def ask(page: Page, text: str, *expected: str) -> str:
    before = len(bot_texts(page))
    box = page.get_by_label(INPUT_LABEL)
    box.fill(text)
    box.press("Enter")
    expect(page.locator(".cc-row-user .cc-text").last).to_have_text(text)
    return wait_for_reply(page, before, *expected)


def test_conversation_with_buttons_survives_a_reload(page: Page) -> None:
    ask(page, "how much do engineering managers make?", AVERAGE_SALARY)
    reply = ask(page, "what certs do I need for project manager?", "PMP")
    assert "\n• PMP" in reply, f"bullets should stay on their own lines:\n{reply}"
    expect(page.locator(".cc-source").last).to_contain_text("Source:")

    # The bot offers suggestions as buttons: clicking one shows its title and sends its payload.
    earn = page.get_by_role("button", name="How much do they earn?")
    expect(earn).to_be_visible()
    expect(page.get_by_role("button", name="How long does it take?")).to_be_visible()
    before = len(bot_texts(page))
    earn.click()
    assert user_texts(page)[-1] == "How much do they earn?"
    reply = wait_for_reply(page, before, "no salary figure for a project manager", AVERAGE_SALARY)
    assert "/ask_salary" not in page.locator(".cc-log").inner_text()
    expect(page.get_by_role("button", name="How much do they earn?")).to_have_count(0)  # used up

    session = page.locator("#career-coach").get_attribute("data-session-id")
    shown_before = page.locator(".cc-log").inner_text()
    page.reload()
    open_chat(page, page.url)
    assert page.locator("#career-coach").get_attribute("data-session-id") == session
    shown = page.locator(".cc-log").inner_text()
    assert shown == shown_before, "the transcript should be re-rendered as it was"
    for earlier in ("how much do engineering managers make?", AVERAGE_SALARY, "PMP", "How much do they earn?",
                    "no salary figure for a project manager"):
        assert earlier in shown, f"after the reload the chat lost {earlier!r}"

    # Same sender id on the server: the follow-up resolves against the project manager (a new
    # conversation would answer with the article's general durations instead).
    reply = ask(page, "and how long does that take?", MID_LEVEL_YEARS)
    assert "project manager" in reply and "durations it does give" not in reply, reply


def test_messages_are_never_rendered_as_html(page: Page) -> None:
    dialogs: List[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    attack = "<img src=x onerror=alert(1)>"
    ask(page, attack)
    page.wait_for_timeout(500)
    assert dialogs == [], f"a dialog fired: {dialogs}"
    assert page.locator(".cc-log img, .cc-log script").count() == 0
    assert attack in user_texts(page)
    page.reload()
    open_chat(page, page.url)
    page.wait_for_timeout(300)
    assert dialogs == [] and page.locator(".cc-log img").count() == 0
    assert attack in user_texts(page)


def test_phone_width(page: Page) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    widget, box = page.locator("#career-coach"), page.get_by_label(INPUT_LABEL)
    widget.scroll_into_view_if_needed()
    expect(widget).to_be_visible()
    bounds = widget.bounding_box()
    assert bounds and bounds["x"] >= 0 and bounds["x"] + bounds["width"] <= 375, bounds
    assert bounds["height"] >= 300, bounds
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375, f"the page scrolls sideways at 375 px ({scroll_width} px wide)"
    send = page.get_by_role("button", name="Send")
    expect(send).to_be_in_viewport()
    box.click()
    expect(box).to_be_focused()
    ask(page, "EM vs director?", "Mostly tactical")
    expect(box).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
