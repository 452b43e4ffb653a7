"""What people really ask, over REST through the real stack: compound questions, comparisons buried
in a sentence, self-descriptions, elliptical follow-ups, paragraphs, questions the article leaves
open, and long-tail facts found by retrieval. Expected facts are read from the knowledge base.
"""
from __future__ import annotations

from typing import Callable, Dict, List

import pytest

from actions.render import figure, role_label
from knowledge.queries import kb
from tests.support.stack import Turn, play, turn


def em() -> str:
    return role_label("engineering manager")


def duty(role: str, index: int = 0) -> str:
    """A few words of one of the role's duties, as the KB states it."""
    return kb().role(role).responsibilities[index].split(":")[0]


def boss(role: str) -> str:
    return role_label(kb().role(role).reports_to[0])


def salary_average() -> str:
    return figure(kb().figure("salary_average"))


def mem_duration() -> str:
    return figure(kb().degree("mem").duration)


# Built lazily: the KB is only there once the session fixture has built it.
CONVERSATIONS: Dict[str, Callable[[], List[Turn]]] = {
    "compound: duties and reporting line, in the order asked": lambda: [
        turn("what does an EM do and who do they report to?", duty("engineering manager"), boss("engineering manager")),
    ],
    "compound of three: duties, pay and boss of a director": lambda: [
        turn("what does an engineering director do, how much do they make, and who do they report to",
             duty("engineering director"), "no salary figure for an engineering director",
             boss("engineering director")),
    ],
    "a comparison buried in a sentence": lambda: [
        turn("is an MEM better than an MBA for someone in software?", "vs", "MBA", "teaches"),
    ],
    "an unknown role described is never taken for the goal": lambda: [
        turn("I'm a scrum master, can I become an engineering manager?", em(),
             never=["you're an engineering manager", "As an engineering manager"]),
        turn("how long would it take me?", never=["As an engineering manager"]),
    ],
    "elliptical: salary, then an industry": lambda: [
        turn("how much do engineering managers make?", salary_average()),
        turn("and in aerospace?", "aerospace", "no salary figure for aerospace", salary_average()),
    ],
    "elliptical: a role, then who they report to": lambda: [
        turn("what does an engineering director do", duty("engineering director")),
        turn("and who do they report to?", boss("engineering director")),
    ],
    "elliptical: a comparison, then which of them pays more": lambda: [
        turn("EM vs director?", "Scope"),
        turn("which one of them pays more?", salary_average(), "no salary figure for an engineering director"),
    ],
    "elliptical: a degree's length, then another degree": lambda: [
        turn("how long does an MEM take?", mem_duration()),
        turn("and an MBA?", "MBA", never=["Which role"]),
    ],
    "a paragraph: background first, then the question": lambda: [
        turn("I work in electrical engineering and want to lead a team one day. Is a CSM worth it?",
             kb().certification("CSM").name, never=["Moves the article describes"]),
    ],
    "a long paragraph with years and a goal": lambda: [
        turn("So I've been a project engineer for 3 years at a mid-size construction firm. My manager keeps "
             "telling me I should aim higher and I'd love to be an engineering director one day. "
             "What do I need to get there?", role_label("engineering director"),
             never=["you're an engineering director"]),
    ],
    "the article does not cover costs: said first, then the closest it comes, labelled": lambda: [
        turn("how much does an MEM cost?", "doesn't cover", "closest the article comes", mem_duration()),
    ],
    "the article does not cover interviews": lambda: [
        turn("what's the interview like for an engineering manager job?", "doesn't cover interview"),
    ],
    "a salary the article does not give": lambda: [
        turn("what's the CTO salary?", "no salary figure for a chief technology officer", salary_average()),
    ],
    "long tail: a fact no intent answers, found by retrieval": lambda: [
        turn("does the article say anything about ethics and safety regulations?", "safety"),
    ],
    "a place after a question that is not about pay: said first, then what it does say": lambda: [
        turn("what does an EM earn and who do they report to?", salary_average(), boss("engineering manager")),
        turn("what about in germany?", "doesn't say anything specific to Germany", boss("engineering manager")),
    ],
    "a discipline the article has no path from is named as such before the paths it has": lambda: [
        turn("been a chemical engineer 4 yrs, wanna get into management, what do i do",
             "doesn't cover a move from “chemical engineer”", kb().discipline_moves()[0].moves_to[0]),
    ],
    "two questions, one about the article: the background is taken and the other is answered": lambda: [
        turn("my boss says i should do an MBA, i'm a project engineer with 2 years. thoughts? also what do PMs make",
             role_label("project engineer"), "no salary figure for a project manager", salary_average()),
    ],
    "off-topic after a career answer still gets no career fact": lambda: [
        turn("how long does it take to become an engineering manager?", "years"),
        turn("how long should I boil an egg", "outside what I know", never=["Source:"]),
    ],
}


@pytest.mark.parametrize("name", list(CONVERSATIONS))
def test_understanding(conversation, name: str) -> None:
    play(conversation, CONVERSATIONS[name]())
