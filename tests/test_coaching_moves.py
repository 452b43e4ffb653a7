"""The one next step (actions/coaching.py), built from the KB and the profile, for every role."""
from __future__ import annotations

import pytest

from actions import coaching
from actions.context import Context
from knowledge.queries import kb


def ctx(**slots: object) -> Context:
    return Context(intent="ask_advice", text="what should I do first?", slots=dict(slots))


def test_without_a_role_it_asks_for_one() -> None:
    reply = coaching.next_move(ctx())
    assert reply.text.endswith("current role?") and reply.question == "ask_advice" and reply.buttons


@pytest.mark.parametrize("stage, first", [("entry", "Build hands-on experience"), ("mid", "Get the "),
                                          ("advanced", "Aim for ")])
def test_the_first_move_fits_the_stage(stage: str, first: str) -> None:
    later = stage == "advanced"  # a later role with no next step gets the degree first
    for role in (r for r in kb().roles() if r.stage == stage and (not later or kb().steps_from(r.name))):
        moves = coaching.moves_for(role)
        assert moves[0].text.startswith(first), (role.name, moves[0].text)


def test_every_role_gets_a_next_step_that_cites_the_article() -> None:
    for role in kb().roles():
        reply = coaching.next_move(ctx(current_role=role.name))
        assert "1." in reply.text and reply.sections, role.name
        assert reply.slots["current_role"] == role.name


def test_the_stated_years_are_set_beside_the_articles_duration() -> None:
    entry = kb().role(kb().stage("entry").roles[0])
    duration = kb().stage("mid").duration
    reply = coaching.next_move(ctx(current_role=entry.name, years_experience=3))
    assert "3 years in" in reply.text and f"{duration.amount:g}–{duration.upper:g} years" in reply.text


def test_the_discipline_shapes_the_experience_to_build() -> None:
    move = kb().discipline_moves()[0]
    reply = coaching.next_move(ctx(discipline=move.discipline))
    assert move.engineer in reply.text


def test_why_after_a_certification_gives_its_benefits() -> None:
    cert = next(c for c in kb().certifications() if c.benefits)
    reply = coaching.reason(ctx(subject_kind="certification", certification=cert.acronym))
    assert cert.benefits[0] in reply.text and reply.sections == (cert.section,)


def test_why_with_nothing_to_explain_says_so() -> None:
    assert "doesn't give a reason" in coaching.reason(ctx()).text
