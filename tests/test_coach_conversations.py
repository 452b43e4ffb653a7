"""Talking like a coach, over REST: the user's background is context, self-descriptions are
acknowledged with where they stand and a next step, short follow-ups and corrections are taken,
nothing is said twice word for word, and every answer offers a way forward.

Every turn also checks what each conversation must never do: end in a dead end (a reply with no
question and no button) or repeat an earlier reply verbatim; and every figure is the KB's.
"""
from __future__ import annotations

from typing import Dict, List

import pytest

from tests.support.figures import AVERAGE_SALARY, MID_LEVEL_YEARS
from tests.support.stack import Conversation, Turn, play, turn

pytestmark = pytest.mark.speedups_on_and_off  # and once more on Rasa's own code (conftest.py)

CONVERSATIONS: Dict[str, List[Turn]] = {
    "background is context: salary": [
        turn("As a software engineer, how much could I earn as an engineering manager?", AVERAGE_SALARY)],
    "background is context: a certification": [
        turn("I'm an industrial engineer and I wonder if the PMP is worth it", "PMP", "credibility")],
    "background kept for the next step": [
        turn("I'm an industrial engineer and I wonder if the PMP is worth it", "PMP"),
        turn("what should I do first?", "industrial engineer", "1.")],
    "self-description acknowledged with where it stands": [
        turn("I'm a project manager with 2 years experience", "project manager", "mid-level", MID_LEVEL_YEARS,
             "Your next step", "implies"),  # the article implies the move to engineering manager
        turn("what should I focus on?", "PMP", never=["specializations and where they lead"])],
    "the question waiting for the profile is answered": [
        turn("what should I do first?", "current role"),
        turn("I'm a staff engineer", "staff engineer", "Your next step")],
    "why after a degree answer": [
        turn("do I need a master's degree?", "bachelor"),
        turn("why?", "teaches", never=["I can tell you about"])],
    "why after a certification": [
        turn("what is the PMP?", "Project Management Professional"),
        turn("why?", "Because", "credibility")],
    "why with nothing said before": [
        turn("why?", "doesn't give a reason")],
    "and for a principal?": [
        turn("what does an engineering manager do?", "engineering manager"),
        turn("and for a principal?", "principal engineer", never=["didn't quite get that"])],
    "ok what next": [
        turn("I'm a project engineer", "project engineer"),
        turn("ok what next", "engineering manager")],
    "which one first?": [
        turn("what comes after engineering manager?", "senior engineering manager"),
        turn("which one first?", "Aim for", never=["didn't quite get that"])],
    "a corrected subject is re-answered": [
        turn("how much do project managers make?", "no salary figure for a project manager"),
        turn("no, I meant engineering managers", AVERAGE_SALARY, never=["no salary figure for a project manager"])],
    "a corrected profile replaces the wrong one": [
        turn("I'm a project manager", "project manager"),
        turn("I'm not a project manager, I'm a staff engineer", "Got it: you're a staff engineer",
             never=["Project manager vs"]),
        turn("what should I do first?", "staff engineer", never=["A project manager is"])],
    "a wrong profile is forgotten": [
        turn("I'm a project manager", "project manager"),
        turn("I'm not a project manager", "my mistake", "current role")],
    "the same question twice gets a short reminder": [
        turn("how much do engineering managers make?", AVERAGE_SALARY),
        turn("how much do engineering managers make?", "As I said above", AVERAGE_SALARY)],
    "no question asked whose answer is known": [
        turn("I'm a project engineer", "project engineer"),
        turn("plan my career", "?", never=["current role"])],
    "the next step uses the stated years": [
        turn("I'm a staff engineer with 3 years of experience", "staff engineer"),
        turn("what should I do this year?", "3 years", MID_LEVEL_YEARS, "hands-on")],
    "the next step uses the discipline": [
        turn("I'm a civil engineer, what should I do first?", "civil engineer", "1.")],
    "a long table shows its biggest differences first": [
        turn("EM vs director?", "Scope", "It also compares", never=["Mostly tactical on budgets"])],
    "an answer does not offer itself again": [
        turn("what is an MEM?", "Master's in Engineering Management")],
    "an acknowledgement is no dead end": [
        turn("I'm a junior project manager", "junior project manager", "Your next step")],
    "the next step later in a career": [
        turn("I'm an engineering manager, what should I do next?", "Aim for")],
    "why after the next step": [
        turn("I'm a project manager", "project manager"),
        turn("what should I do first?", "PMP"),
        turn("why?", "project manager", never=["I can tell you about"])],
    "a certification follow-up about a new role": [
        turn("what certs do I need for project manager?", "PMP"),
        turn("and for a principal engineer?", "principal engineer")],
    "a question while planning is answered, then the planner asks on": [
        turn("plan my career", "current role"),
        turn("why?", "doesn't give a reason", "current role")],
}


def coach(conversation: Conversation, turns: List[Turn]) -> None:
    """:func:`play`, plus: every reply asks something or offers a button, none repeats an earlier one."""
    replies: List[str] = []

    def moves_forward(text: str, reply: str) -> None:
        assert conversation.buttons or "?" in reply, f"dead end after {text!r}:\n{reply}"
        assert reply not in replies, f"verbatim repeat after {text!r}:\n{reply}"
        replies.append(reply)

    play(conversation, turns, after=moves_forward)


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_coach_conversation(conversation: Conversation, name: str) -> None:
    coach(conversation, CONVERSATIONS[name])


def test_show_all_gives_the_whole_table(conversation: Conversation) -> None:
    conversation.say("EM vs director?")
    [show_all] = [b for b in conversation.buttons if b["title"].startswith("Show all")]
    whole = conversation.say(show_all["payload"])
    assert "Budgets" in whole and "Scope" in whole
    assert not any(b["title"].startswith("Show all") for b in conversation.buttons)


def test_buttons_never_offer_the_question_just_answered(conversation: Conversation) -> None:
    conversation.say("what is an MEM?")
    titles = [b["title"] for b in conversation.buttons]
    assert titles and "What is an MEM?" not in titles
