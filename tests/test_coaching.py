"""Coaching over REST through the real servers: compare, plan a path, skill gaps, sources, profile.

Every reply is checked for figures the knowledge base does not state (tests.support.stack.play).
"""
from __future__ import annotations

import pytest

from tests.support.figures import AVERAGE_SALARY, MBA_PREMIUM, MEM_YEARS
from tests.support.stack import play, turn

COACHING = {
    # Compare
    "compare EM and director": [
        turn("engineering manager vs engineering director", "Scope", "Mostly tactical", "Mostly strategic"),
    ],
    "compare two certifications": [
        turn("PMP or CSM?", "Project Management Professional", "ScrumMaster", "Stage"),
    ],
    "compare two degrees": [
        turn("MBA or MEM, which is better?", MEM_YEARS, MBA_PREMIUM, "GMAC"),
    ],
    "compare project manager and engineering manager": [
        turn("project manager vs engineering manager", "Mid-level", "Advanced leadership"),
    ],
    # Path planner (a form)
    "planner asks only what it lacks": [
        turn("how do I get from project engineer to engineering director? help me plan my career",
             "years of experience"),
        turn("3 years", "Your path", "engineering manager", "engineering director", "3 years of experience",
             "no time for"),
    ],
    "planner from scratch with an invalid role": [
        turn("help me plan my career", "current role"),
        turn("astronaut", "doesn't cover", "Did you mean"),
        turn("project manager", "years of experience"),
        turn("about five years", "aiming for"),
        turn("CTO", "Your path", "chief technology officer"),
    ],
    "planner cancelled": [
        turn("make me a career plan", "current role"),
        turn("stop", "stopped planning"),
        turn("how much do engineering managers make?", AVERAGE_SALARY, never=["current role"]),
    ],
    "planner interrupted by an off-topic and a KB question": [
        turn("plan my path", "current role"),
        turn("what's the weather in paris?", "outside what I know", "current role"),
        turn("how much do engineering managers make?", AVERAGE_SALARY, "current role"),
        turn("staff engineer", "years of experience"),
        turn("2 years", "aiming for"),
        turn("engineering manager", "Your path", "Staff engineer"),
    ],
    # Skill gap
    "skill gap, both roles in one message": [
        turn("what am I missing to become an engineering director? I'm a project manager",
             "From a project manager to engineering director", "Resource allocation"),
    ],
    "skill gap asks for the current role": [
        turn("what skills am I missing to be an engineering manager?", "current role"),
        turn("I'm a project engineer", "From a project engineer to engineering manager"),
    ],
    # Sources after different answers
    "source after salary, certifications and EM vs director": [
        turn("what's the average salary of an EM?", AVERAGE_SALARY),
        turn("where does that come from?", "Payscale", "payscale.com"),
        turn("what certifications help a project manager?", "PMP"),
        turn("source?", "Entry-Level Roles & Mid-Level Growth"),
        turn("EM vs director", "Mostly tactical"),
        turn("says who?", "Advanced Leadership Roles"),
    ],
    # Profile: remembered, reused, forgotten
    "profile reused across later questions, then forgotten": [
        turn("I'm a project engineer", "Got it"),
        turn("I want to become an engineering director", "As a project engineer aiming for engineering director"),
        turn("how long will that take?", "As a project engineer aiming for engineering director"),
        turn("what comes next for me?", "As a project engineer", "engineering manager"),
        turn("which certifications should I get?", "As a project engineer"),
        turn("forget my profile", "forgotten"),
        turn("what does it take to become a CTO?", "chief technology officer", never=["As a project engineer"]),
    ],
}


@pytest.mark.parametrize("name", sorted(COACHING))
def test_coaching(conversation, name: str) -> None:
    play(conversation, COACHING[name])
