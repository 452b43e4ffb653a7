"""The path planner: a form that collects current role, experience and goal, then plans the steps.

It asks only for what the profile does not hold yet, validates every answer against the KB
(offering the closest roles as buttons), and plans from the KB's progression edges, giving the
article's durations where it has them and saying so where it has none.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rapidfuzz import fuzz, process
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import path_payload
from actions.clarify import suggestions
from actions.context import Context, echo
from actions.render import Reply, article, button, figure, join, path_text, role_label, title
from actions.roles import route_text, untimed
from actions.skill_gap import duties_of, needs_of
from knowledge.queries import kb
from knowledge.records import Role, Step

ROLE_SLOTS = ("current_role", "goal_role")
# Intents whose message can be an answer to the planner's question (others interrupt it).
ANSWER_INTENTS = {"inform", "plan_path", "state_goal", "skill_gap", "nlu_fallback", "affirm"}
NUMBER_WORDS = {word: n for n, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
NO_EXPERIENCE = re.compile(r"\b(none|no experience|just (started|graduated)|fresh grad|new grad|student)\b", re.I)
YEARS = re.compile(r"\b(\d{1,2}|" + "|".join(NUMBER_WORDS) + r")\b", re.I)
MAX_YEARS = 60


def closest_roles(text: str, limit: int = 3) -> List[str]:
    names = [role.name for role in kb().roles()]
    return [name for name, _, _ in process.extract(text, names, scorer=fuzz.WRatio, limit=limit)]


def years_in(text: str) -> Optional[int]:
    if NO_EXPERIENCE.search(text):
        return 0
    match = YEARS.search(text)
    if not match:
        return None
    word = match.group(1).lower()
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


class ValidatePathPlanForm(FormValidationAction):
    """Fills the planner's slots from what the user says, and checks them against the KB."""

    def name(self) -> str:
        return "validate_path_plan_form"

    async def extract_current_role(self, dispatcher, tracker: Tracker, domain) -> Dict[str, Any]:
        return role_answer("current_role", Context.from_tracker(tracker), tracker.get_slot("requested_slot"))

    async def extract_goal_role(self, dispatcher, tracker: Tracker, domain) -> Dict[str, Any]:
        return role_answer("goal_role", Context.from_tracker(tracker), tracker.get_slot("requested_slot"))

    async def extract_years_experience(self, dispatcher, tracker: Tracker, domain) -> Dict[str, Any]:
        requested = tracker.get_slot("requested_slot")
        text = (tracker.latest_message or {}).get("text") or ""
        if requested != "years_experience" and not re.search(r"\b(years?|yrs?)\b", text, re.I):
            return {}
        years = years_in(text)
        return {} if years is None else {"years_experience": years}

    def validate_current_role(self, value: Any, dispatcher, tracker: Tracker, domain) -> Dict[str, Any]:
        return checked_role("current_role", value, dispatcher, tracker)

    def validate_goal_role(self, value: Any, dispatcher, tracker: Tracker, domain) -> Dict[str, Any]:
        return checked_role("goal_role", value, dispatcher, tracker)

    def validate_years_experience(self, value: Any, dispatcher, tracker: Tracker, domain) -> Dict[str, Any]:
        if isinstance(value, int) and 0 <= value <= MAX_YEARS:
            return {"years_experience": value}
        dispatcher.utter_message(text=f"Please give your years of experience as a number from 0 to {MAX_YEARS}.")
        return {"years_experience": None}


def role_answer(slot: str, ctx: Context, requested: Optional[str]) -> Dict[str, Any]:
    """The role this message gives for ``slot``; {} when it gives none (or asks something else)."""
    answering = requested == slot
    if ctx.intent not in ANSWER_INTENTS and not (answering and len(ctx.text.split()) <= 4):
        return {}
    roles = ctx.mentioned_roles()
    if len(roles) >= 2:  # "from project engineer to director"
        current = ctx.self_described_role() or roles[0]
        goal = next((r for r in reversed(roles) if r != current), roles[-1])
        return {slot: (current if slot == "current_role" else goal).name}
    if len(roles) == 1 and (answering or requested is None):
        is_current = ctx.describes_self if requested is None else slot == "current_role"
        return {slot: roles[0].name} if is_current == (slot == "current_role") else {}
    unknown = ctx.role_mention(remembered=False)
    if answering and (unknown.unknown or unknown.ambiguous or ctx.intent in {"inform", "nlu_fallback"}):
        return {slot: unknown.unknown or unknown.ambiguous or echo(ctx.text)}
    return {}


def checked_role(slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[str, Any]:
    role = kb().find_role(str(value or ""))
    current = tracker.get_slot("current_role")
    if role and not (slot == "goal_role" and role.name == current):
        return {slot: role.name}
    if role:
        already = f"You're already {article(role_label(role.name))}."
        dispatcher.utter_message(text=f"{already} Which role are you aiming for?")
    else:
        options = closest_roles(str(value or ""))
        dispatcher.utter_message(
            text=f"The article doesn't cover “{echo(value)}”. Did you mean one of these?",
            buttons=[button(title(role_label(name)), "inform", role=name) for name in options],
        )
    return {slot: None}


class ActionAskCurrentRole(Action):
    def name(self) -> str:
        return "action_ask_current_role"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[EventType]:
        names = list(dict.fromkeys(kb().stage("entry").roles + kb().stage("mid").roles))
        dispatcher.utter_message(
            text="What's your current role? (Type it, or pick one. Say “stop” to leave the planner.)",
            buttons=[button(title(role_label(name)), "inform", role=name) for name in names[:6]])
        return []


class ActionAskGoalRole(Action):
    def name(self) -> str:
        return "action_ask_goal_role"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[EventType]:
        current = tracker.get_slot("current_role")
        names = kb().typical_ladder() + list(kb().stage("executive").roles)
        names = [name for name in dict.fromkeys(names) if name != current]
        dispatcher.utter_message(text="Which role are you aiming for?",
                                 buttons=[button(title(role_label(name)), "inform", role=name) for name in names[:6]])
        return []


def plan_answer(ctx: Context) -> Reply:
    """The plan from the profile's current role to its goal (asked for first when missing)."""
    current = kb().find_role(ctx.slot("current_role") or "")
    goal = ctx.mentioned_roles()[-1] if ctx.mentioned_roles() else kb().find_role(ctx.slot("goal_role") or "")
    if not current or not goal:
        return Reply("Tell me your current role and the role you're aiming for, and I'll plan the steps.",
                     buttons=[button("Plan my career", "plan_path")])
    return plan(current, goal, ctx.slot("years_experience"))


def plan(current: Role, goal: Role, years: Optional[int]) -> Reply:
    slots = {"goal_role": goal.name, "role": goal.name, "subject_kind": "role"}
    if current == goal:
        return Reply(f"You're already {article(role_label(goal.name))}.", slots=slots)
    steps = kb().path_between(current.name, goal.name)
    if not steps:
        text = (f"The article's ladder doesn't lead from {role_label(current.name)} to {role_label(goal.name)}. "
                f"Its typical progression is {path_text(kb().typical_ladder())}.")
        return Reply(text, sections=(kb().typical_ladder_section(),), slots=slots,
                     gap=f"path: {current.name} -> {goal.name}")
    experience = f" You have {years} year{'s' if years != 1 else ''} of experience." if years is not None else ""
    details = {step.to_role: step_detail(step) for step in steps}
    notes = [f"The article gives no time for {untimed(steps)}."] if untimed(steps) else []
    mem = kb().degree("mem")
    mba = kb().degree("mba")
    notes.append(f"{title(article(mem.value))} ({figure(mem.duration)}) or {article(mba.name)} can speed the way.")
    lines = [f"Your path: {route_text(steps)}.{experience}"]
    lines += [f"{number}. {title(role_label(step.to_role))}: {details[step.to_role]}"
              for number, step in enumerate(steps, start=1)]
    sections = [s.section for s in steps] + [kb().role(s.to_role).section for s in steps] + [mem.section]
    return Reply("\n".join(lines + notes), sections=tuple(sections), slots=slots, personal=True,
                 path=path_payload.chain(steps, current.name, goal.name, details, notes),
                 buttons=suggestions(goal.name, "ask_salary", "ask_reports_to")
                 + [button("What am I missing?", "skill_gap", role=[current.name, goal.name])])


def step_detail(step: Step) -> str:
    """What a step asks: "build …; responsibilities: …; certifications that help: … (… to get there)."."""
    role = kb().role(step.to_role)
    certs = [c.acronym for c in kb().certifications_for(role.name)]
    parts = [f"build {join(needs_of(role)[:5])}"] if needs_of(role) else []
    parts += [f"responsibilities: {join(d.lower() for d in duties_of(role))}"] if duties_of(role) else []
    parts += [f"certifications that help: {join(certs)}"] if certs else []
    text = "; ".join(parts) or "the article lists no skills or duties for it"
    return text + (f" ({figure(step.duration)} to get there)." if step.duration else ".")
