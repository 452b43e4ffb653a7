"""Rating an answer in the web widget (Chromium through Playwright, the real stack): two small
buttons under a knowledge answer, an optional comment box after "not helpful", the rating stored
with the conversation, and a comment's HTML never rendered.
"""
from __future__ import annotations

from typing import List

import pytest
from playwright.sync_api import Page, expect

from actions import feedback
from settings import Settings
from tests.test_channel_web import (  # noqa: F401
    ask,
    bot_texts,
    browser,
    page,
    page_url,
    user_texts,
    wait_for_reply,
    web_stack,
)
from tests.test_feedback import QUESTION, stored_feedback

pytestmark = pytest.mark.stack
ATTACK = "<img src=x onerror=alert(1)> the CSM part"


def test_an_answer_is_rated_with_an_optional_comment(page: Page, web_stack: Settings) -> None:  # noqa: F811
    dialogs: List[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    ask(page, "hi", "Career Coach")
    expect(page.locator(".cc-feedback")).to_have_count(0)  # a greeting is not a knowledge answer
    ask(page, QUESTION, "PMP")
    rating = page.get_by_role("group", name="Rate this answer")
    expect(rating).to_have_count(1)  # one bar, under the answer's last paragraph
    expect(page.locator(".cc-row-bot").last.locator(".cc-feedback")).to_be_visible()
    expect(page.get_by_label("What was wrong? (optional)")).to_have_count(0)

    said, before = user_texts(page), len(bot_texts(page))
    rating.get_by_role("button", name="Not helpful").click()
    wait_for_reply(page, before, feedback.THANKS["not_helpful"])
    assert user_texts(page) == said, "a rating is not shown as a message of the user's"
    expect(rating.get_by_role("button", name="Helpful", exact=True)).to_be_disabled()
    box = page.get_by_label("What was wrong? (optional)")
    expect(box).to_be_visible()

    before = len(bot_texts(page))
    box.fill(ATTACK)
    rating.get_by_role("button", name="Send").click()
    wait_for_reply(page, before, feedback.THANKS_COMMENT)
    expect(box).to_have_count(0)
    assert dialogs == [] and page.locator(".cc-log img").count() == 0

    session = page.locator("#career-coach").get_attribute("data-session-id")
    stored = stored_feedback(web_stack.state_dir / "conversations.db", session)
    assert [(s["rating"], s["comment"], s["question"]) for s in stored] == [
        ("not_helpful", None, QUESTION), ("not_helpful", ATTACK, QUESTION)]
    assert "PMP" in stored[-1]["answer"]

    # The rating did not disturb the conversation, and a reload shows it as given.
    ask(page, "and how much do they earn?", "no salary figure for a project manager")
    page.reload()
    expect(page.locator("#career-coach")).to_have_attribute("data-session-id", session)
    rated, follow_up = page.get_by_role("group", name="Rate this answer").all()
    expect(rated.get_by_role("button", name="Not helpful")).to_have_attribute("aria-pressed", "true")
    expect(follow_up.get_by_role("button", name="Not helpful")).to_be_enabled()
    expect(page.get_by_label("What was wrong? (optional)")).to_have_count(0)
    assert dialogs == [] and page.locator(".cc-log img").count() == 0
