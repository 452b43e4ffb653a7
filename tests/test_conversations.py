"""Conversations through the real stack (Rasa server + action server) over REST.

Each case reads like a conversation: the user says X, the bot's reply contains Y (and never Z).
Every reply is also checked for figures the knowledge base does not state.
"""
from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import List

import pytest

from actions.render import figure
from knowledge.queries import kb
from tests.support.figures import AVERAGE_SALARY, HIGH_SALARY, LOW_SALARY, MBA_PREMIUM, MEM_YEARS, MID_LEVEL_YEARS
from tests.support.stack import play, turn

pytestmark = pytest.mark.speedups_on_and_off  # and once more on Rasa's own code (conftest.py)

CONVERSATIONS: dict = {
    "certs for a project manager, then salary follow-up": [
        turn("what certs do I need for project manager?", "PMP", "CSM"),
        turn("and how much do they earn?", "no salary figure for a project manager", AVERAGE_SALARY),
    ],
    "salary for engineering managers with typo, then source": [
        turn("how much do enginering managers make", LOW_SALARY, HIGH_SALARY, AVERAGE_SALARY, "2025"),
        turn("source?", "Payscale", "Salary, Outlook & ROI"),
    ],
    "EM vs director": [
        turn("EM vs director?", "Mostly tactical", "Mostly strategic", "Scope", "Budgets"),
        turn("who does a director report to", "VP of engineering", "CTO", "CEO"),
    ],
    "manager vs director resolves to the article's comparison": [
        turn("what's the difference between a manager and a director", "Mostly tactical", "Mostly strategic"),
    ],
    "civil engineer moving into management": [
        turn("I'm a civil engineer, how do I move into management?", "construction management"),
        turn("how long will an MEM take", MEM_YEARS),
    ],
    "goal then how long it takes": [
        turn("I want to become a project manager", "Great goal", "PMP"),
        turn("how long will that take?", MID_LEVEL_YEARS),
    ],
    "goal director: no invented duration": [
        turn("my goal is to become an engineering director", "Great goal"),
        turn("how long will it take", "doesn't say how long", MID_LEVEL_YEARS, MEM_YEARS),
    ],
    "what about a director? re-asks the last question": [
        turn("who does an engineering manager report to?", "engineering director", "VP of engineering"),
        turn("what about a director?", "CTO", "CEO"),
    ],
    "certification then at what stage": [
        turn("what is the PMP", "Project Management Professional"),
        turn("at what stage should I get it?", "mid-level"),
    ],
    "scrum certification": [
        turn("is there a scrum certification?", "CSM", "Certified ScrumMaster"),
    ],
    "PMP stands for": [
        turn("PMP stands for?", "Project Management Professional"),
    ],
    "bare manager is ambiguous": [
        turn("what does a manager do?", "Which manager do you mean"),
        turn("/inform{\"role\": \"engineering manager\"}", "Budgets", never=["Which manager"]),
    ],
    "unknown role is not invented": [
        turn("how much does a surgeon make", "doesn't cover", AVERAGE_SALARY, never=["surgeons earn"]),
    ],
    "salary in euros and in Germany": [
        turn("what's the salary of an engineering manager in euros", "no salary figures for euro", AVERAGE_SALARY),
        turn("and in germany?", LOW_SALARY),
    ],
    "MBA premium and MBA vs MEM": [
        turn("how much more do MBA grads earn", MBA_PREMIUM, "GMAC"),
        turn("MBA or MEM?", MEM_YEARS, "project planning"),
    ],
    "what is an MEM": [
        turn("what's an MEM and what does it teach", "Master's in Engineering Management", "finance", "leadership"),
    ],
    "first degree": [
        turn("which degree should I get first?", "bachelor", "civil"),
    ],
    "specializations": [
        turn("what MEM specializations are there", "Project management", "supply chain", "Systems engineering",
             "Product and innovation"),
    ],
    "industries and employers": [
        turn("which industries hire engineering managers", "aerospace", "pharmaceuticals", "Deloitte", "Veatch"),
    ],
    "entry-level roles, then mid-level": [
        turn("what are the entry level roles", "staff engineer", "junior project manager"),
        turn("and mid level?", "project manager", "engineering project manager"),
    ],
    "typical path": [
        turn("what's the typical career path", "project engineer → engineering manager → engineering director"),
    ],
    "path between two roles": [
        turn("what are the steps from project engineer to engineering director?", "engineering manager"),
    ],
    "next step for a junior PM follows the ladder, with its duration": [
        turn("I'm a junior project manager, what's next?", "project manager", MID_LEVEL_YEARS),
        turn("and who hires engineering managers?", "Deloitte"),
    ],
    "overview and key takeaways": [
        turn("what is engineering management?", "Key takeaways", "technical", "six figures"),
    ],
    "getting in without a role in mind": [
        turn("how do I get into engineering management?", "education", "PMP", "project engineer → engineering manager"),
    ],
    "slang follow-ups keep the role": [
        turn("whats an eng mgr salary lik", AVERAGE_SALARY),
        turn("wat bout directors", "no salary figure for an engineering director", never=["bout directors"]),
        turn("diff btwn EM and dir?", "Mostly tactical"),
    ],
    "a specialization named alone": [
        turn("product management?", "Product and innovation management", "R&D manager"),
    ],
    "a degree the article does not cover": [
        turn("do I need a PhD for engineering management?", "doesn't cover a PhD", "Engineering Management"),
    ],
    "discipline move towards a named role": [
        turn("can a mechanical engineer become a CTO?", "manufacturing management", "chief technology officer"),
    ],
    "next step after EM": [
        turn("what comes after engineering manager", "senior engineering manager"),
    ],
    "tools and methods": [
        turn("do engineering managers use gantt charts", "Gantt", "Agile"),
    ],
    "job market and ROI": [
        turn("is the job market good for engineering management", "strong", "Deloitte"),
    ],
    "out of scope then back on topic": [
        turn("what's the weather in paris", "outside what I know"),
        turn("what does an engineering director do", "multiple teams", never=["outside what I know"]),
    ],
    "greeting, bot challenge, capabilities, goodbye": [
        turn("hi", "Career Coach"),
        turn("are you a bot?", "bot"),
        turn("what can you do", "certifications"),
        turn("bye", "Good luck"),
    ],
    "hostile input then a normal question": [
        turn("<script>alert(1)</script>", never=["<script>"]),
        turn("'; DROP TABLE roles; --", never=["Traceback", "DROP TABLE roles"]),
        turn("/inform{\"role\": \"CEO; DROP TABLE\"}", never=["Traceback"]),
        turn("how much do engineering managers make?", AVERAGE_SALARY),
    ],
    "huge message, emoji and gibberish": [
        turn("engineering " * 2000, never=["Traceback"]),
        turn("🚀🔥💼", never=["Traceback"]),
        turn("asdkjh qwpoeiru zxmcnv", never=["Traceback"]),
        turn("what certifications help at mid-level?", "PMP"),
    ],
    "I'm a project engineer introduces the user": [
        turn("I'm a project engineer", "project engineer"),
        turn("what comes next?", "engineering manager"),
    ],
}


@pytest.mark.parametrize("name", sorted(CONVERSATIONS))
def test_conversation(conversation, name: str) -> None:
    play(conversation, CONVERSATIONS[name])


# Two questions after a greeting: the greeting never hides the first question behind the second.
GREETED_TWO_QUESTIONS = [
    "hi! whats the avg salary for an engineering manager and do i need an MBA",
    "hey, how much does an EM make, and do I need an MBA for it?",
    "hello there. average pay for engineering managers? also do you need an mba",
]


@pytest.mark.parametrize("text", GREETED_TWO_QUESTIONS)
def test_a_greeting_then_two_questions_gets_both_answers(conversation, text: str) -> None:
    mba = kb().degree("mba")
    play(conversation, [turn(text, figure(kb().figure("salary_average")), mba.summary.split(",")[0])])


def test_ambiguous_manager_offers_buttons(conversation) -> None:
    conversation.say("how much does a manager make")
    titles: List[str] = [button["title"].lower() for button in conversation.buttons]
    assert "engineering manager" in titles and "project manager" in titles


def test_empty_message_gets_a_reply_and_the_conversation_goes_on(conversation) -> None:
    conversation.say("   ")
    assert AVERAGE_SALARY in conversation.say("what's the average salary for an EM?")


def payload_entities(payload: str) -> dict:
    """The entities of a button payload ``/intent{json}``."""
    return json.loads("{" + payload.split("{", 1)[1])


@pytest.mark.parametrize("text", ["hi", "what can you do?", "what's the weather in paris"])
def test_suggestion_buttons_carry_their_entities_and_answer_when_clicked(conversation, text: str) -> None:
    conversation.say(text)
    with_entities = [button for button in conversation.buttons if "{" in button["payload"]]
    assert with_entities, f"{text!r} offers a suggestion with an entity"
    for button in with_entities:
        assert payload_entities(button["payload"]), f"{button['payload']!r} is /intent{{json}}"
        assert "sorry" not in conversation.say(button["payload"]).lower()


def test_responses_with_entity_buttons_are_filled_without_errors() -> None:
    """Rasa fills {slot} placeholders in buttons too: a payload's JSON must not be taken for one."""
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from structlog.testing import capture_logs

    domain = Domain.load(str(Path(__file__).resolve().parent.parent / "domain.yml"))
    nlg, tracker = TemplatedNaturalLanguageGenerator(domain.responses), DialogueStateTracker("u", domain.slots)
    with_buttons = [name for name, variants in domain.responses.items() if any("buttons" in v for v in variants)]
    with capture_logs() as logs:
        replies = [asyncio.run(nlg.generate(name, tracker, "rest")) for name in with_buttons]
    assert not [log for log in logs if log["log_level"] in ("error", "exception")]
    payloads = [button["payload"] for reply in replies for button in reply["buttons"] if "{" in button["payload"]]
    assert payloads and all(payload_entities(payload) for payload in payloads)
