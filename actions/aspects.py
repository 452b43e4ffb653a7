"""The one table of what answers what: each aspect a question can ask about (the intents: duties,
salary, duration, …) and the dialogue layer's own replies, with the answer function of each and the
subjects a follow-up may re-ask it about. actions/dialogue.py decides which rows answer a message.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple

from actions import (
    certifications,
    coaching,
    compare,
    conversation,
    education,
    gaps,
    ladder,
    landscape,
    money,
    overview,
    planner,
    roles,
    skill_gap,
)
from actions.context import Context
from actions.render import Reply

Answer = Callable[[Context], Reply]


@dataclass(frozen=True)
class Aspect:
    """One row of the table: what answers an aspect, and which subjects it can be asked about."""

    answer: Answer
    subjects: Tuple[str, ...] = ()  # kinds a follow-up ("what about X?") may re-ask it about
    repeatable: bool = True  # may a follow-up re-ask it about a new subject?
    places: bool = False  # does its answer speak to a place or currency the article leaves out?
    origin: bool = False  # is its answer a move from the user's own field (none from a role it lacks)?
    # Asked by someone from a role the article has no path from, the aspect answered instead
    from_elsewhere: Optional[str] = None


ASPECTS: Dict[str, Aspect] = {
    "ask_role_info": Aspect(roles.role_info, ("role",)),
    "ask_reports_to": Aspect(roles.reports_to, ("role",)),
    "ask_next_step": Aspect(roles.next_step, ("role",)),
    "ask_requirements": Aspect(roles.what_it_takes, ("role", "stage")),
    "state_goal": Aspect(roles.set_goal, ("role",), repeatable=False),
    "skill_gap": Aspect(skill_gap.skill_gap, ("role",)),
    "ask_advice": Aspect(coaching.next_move, ("role", "discipline"), repeatable=False,
                         from_elsewhere="ask_discipline_move"),  # "nurse here, how do I start?"
    "ask_reason": Aspect(coaching.reason, repeatable=False),
    "plan_path": Aspect(planner.plan_answer, ("role",), repeatable=False),
    "ask_salary": Aspect(money.salary, ("role", "degree", "industry", "employer"), places=True),
    "ask_outlook": Aspect(money.outlook),
    "ask_certification": Aspect(certifications.certification, ("role", "certification", "stage")),
    "ask_education": Aspect(education.education, ("degree",)),
    "ask_duration": Aspect(ladder.duration, ("role", "certification", "degree")),
    "ask_roles_by_stage": Aspect(ladder.roles_by_stage, ("stage",)),
    "ask_progression": Aspect(ladder.progression, ("role",)),
    "compare": Aspect(compare.comparison, ("role", "certification", "degree")),
    "ask_specializations": Aspect(landscape.specializations, ("role", "specialization")),
    "ask_industries": Aspect(landscape.industries, ("industry", "employer")),
    "ask_discipline_move": Aspect(landscape.discipline_move, ("discipline",), origin=True),
    "ask_tools": Aspect(landscape.tools, ("tool",)),
    "ask_overview": Aspect(overview.overview),
    "ask_source": Aspect(conversation.source, repeatable=False),
    "ask_capabilities": Aspect(conversation.capabilities, repeatable=False),
    # Replies that are not about one aspect.
    "introduce": Aspect(coaching.acknowledge, repeatable=False),
    "not_me": Aspect(coaching.not_me, repeatable=False),
    "not_covered": Aspect(gaps.topic_not_covered, repeatable=False),
    "ask_not_covered": Aspect(gaps.topic_not_covered, repeatable=False),  # the NLU's own class of them
    "retrieve": Aspect(gaps.closest_statement, repeatable=False),
    "unsure": Aspect(gaps.unsure, repeatable=False),
    "origin_not_covered": Aspect(gaps.origin_not_covered, repeatable=False),
    "place_not_covered": Aspect(gaps.place_not_covered, repeatable=False),
    "rephrase": Aspect(gaps.rephrase, repeatable=False),
    "out_of_scope": Aspect(gaps.out_of_scope, repeatable=False),
}
# Rows that are replies of the dialogue layer's own, not aspects a question can ask about.
REPLIES = {"introduce", "not_me", "not_covered", "retrieve", "unsure", "rephrase", "out_of_scope", "origin_not_covered",
           "place_not_covered"}
QUESTIONS = set(ASPECTS) - REPLIES
