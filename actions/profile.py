"""The user's profile: current role, goal, discipline and experience, kept in slots.

Slots live in the tracker, so the profile is stored with the conversation (tracker store) and
carried into new sessions; "forget my profile" clears it.
"""
from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import CURRENT, Context
from actions.render import article, role_label

PROFILE_SLOTS = ("current_role", "goal_role", "discipline", "years_experience")


def profile_from(ctx: Context) -> Dict[str, Any]:
    """What this message tells of the user: the role they hold, the one they aim for, their years
    and discipline, as the NLU marked them (entity roles "current" and "goal", years_experience)."""
    profile: Dict[str, Any] = {}
    current, goal = ctx.self_described_role(), ctx.goal_role()
    if current:
        profile["current_role"] = current.name
    if goal and goal != current:
        profile["goal_role"] = goal.name
    years = ctx.years_experience()
    if years is not None:
        profile["years_experience"] = years
    move = ctx.discipline(remembered=False)
    if move and (ctx.describes_self or f"discipline:{ctx.entity('discipline')}" in ctx.with_role(CURRENT)):
        profile["discipline"] = move.discipline
    return profile


def profile_opening(ctx: Context) -> str:
    """"As a project engineer aiming for engineering director:", or "" when nothing is known."""
    current, goal = ctx.slot("current_role"), ctx.slot("goal_role")
    if current and goal and current != goal:
        return f"As {article(role_label(current))} aiming for {role_label(goal)}:"
    if current:
        return f"As {article(role_label(current))}:"
    if goal:
        return f"Aiming for {role_label(goal)}:"
    return ""


class ActionForgetProfile(Action):
    def name(self) -> str:
        return "action_forget_profile"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        known = [slot for slot in PROFILE_SLOTS if tracker.get_slot(slot) is not None]
        text = ("Done: I've forgotten your current role, goal, discipline and experience."
                if known else "I don't have a profile for you: you haven't told me your role or goal yet.")
        dispatcher.utter_message(text=text)
        return [SlotSet(slot, None) for slot in PROFILE_SLOTS]
