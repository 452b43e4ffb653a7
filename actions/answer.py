"""The action server's answering actions: read the context, let the dialogue layer decide, reply.

``action_answer`` answers every knowledge question (data/rules.yml maps each question intent to
it); ``action_plan_path`` ends the path planner's form. Both render through :func:`respond`, so
every reply is formatted, personalised and remembered the same way.
"""
from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import Context
from actions.dialogue import ASPECTS, Step, decide
from actions.profile import profile_from, profile_opening
from actions.render import LOOKUP_FAILED, Reply, button, render_text, slack_message, unique

logger = logging.getLogger(__name__)
# Next questions offered after an answer that brings none of its own.
DEFAULT_SUGGESTIONS = [
    button("What's the typical career path?", "ask_progression"),
    button("Which certifications help?", "ask_certification"),
    button("EM vs director", "compare", role=["engineering manager", "engineering director"]),
    button("Plan my career", "plan_path"),
]


def answer_steps(steps: List[Step]) -> Reply:
    """Each step answered in order; later steps see the slots earlier ones set ("and who do they
    report to?" after "what does an EM do")."""
    replies = []
    for step in steps:
        reply = ASPECTS[step.aspect].answer(step.ctx)
        reply.question = reply.question or step.aspect
        step.ctx.slots.update(reply.slots)
        if step.label and reply.text:
            reply.text = f"{step.label} {reply.text}"
        replies.append(reply)
    return combined(replies)


def combined(replies: List[Reply]) -> Reply:
    """One reply from several, in order, without repeating a part."""
    if len(replies) == 1:
        return replies[0]
    texts = unique(reply.text for reply in replies if reply.text)
    merged = Reply("\n\n".join(texts))
    for reply in replies:
        merged.sections = tuple(unique(merged.sections + reply.sections))
        merged.citations = tuple(unique(merged.citations + reply.citations))
        merged.buttons = reply.buttons or merged.buttons
        merged.slots.update(reply.slots)
        merged.question = reply.question or merged.question
        merged.gap = merged.gap or reply.gap
        merged.personal = merged.personal or reply.personal
    return merged


def respond(dispatcher: CollectingDispatcher, ctx: Context, reply: Reply) -> List[EventType]:
    """Say ``reply`` the way every answer is said, and return the events that remember it."""
    ctx.slots.update(reply.slots)  # the profile as this reply leaves it ("I want to become X")
    if reply.response:
        dispatcher.utter_message(response=reply.response)
        return [SlotSet("last_question", reply.question)] if reply.question else []
    opening = profile_opening(ctx) if reply.personal else ""
    if opening:
        reply.text = f"{opening}\n{reply.text}"
    if reply.sections and not reply.buttons:
        reply.buttons = [b for b in DEFAULT_SUGGESTIONS if b["payload"] != f"/{reply.question}"][:3]
    if reply.table and ctx.channel == "slack":
        dispatcher.utter_message(json_message=slack_message(reply))
    else:
        dispatcher.utter_message(text=render_text(reply), buttons=reply.buttons or None)
    return remember(reply)


def remember(reply: Reply) -> List[EventType]:
    """Slots that keep the context for the next turn."""
    events: List[EventType] = [SlotSet(name, value) for name, value in reply.slots.items()]
    events.append(SlotSet("last_question", reply.question))
    if reply.gap:
        events.append(SlotSet("knowledge_gap", reply.gap))
    if reply.sections:
        events.append(SlotSet("last_sections", list(reply.sections)))
        events.append(SlotSet("last_citations", unique(c.key for c in reply.citations)))
    return events


class AnsweringAction(Action, ABC):
    """Runs :meth:`reply_to` safely: a failure gives the user a polite line and the log the trace."""

    @abstractmethod
    def reply_to(self, ctx: Context) -> Reply:
        """The reply in this context."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[EventType]:
        ctx = Context.from_tracker(tracker)
        back_to_form = [FollowupAction(loop) for loop in [(tracker.active_loop or {}).get("name")] if loop]
        profile = profile_from(ctx)  # "I'm a PM with 3 years in, …": the NLU's entity roles
        ctx.slots.update(profile)
        try:
            reply = self.reply_to(ctx)
        except Exception:
            logger.exception("%s failed for sender %s", self.name(), tracker.sender_id)
            dispatcher.utter_message(text=LOOKUP_FAILED)
            return back_to_form
        reply.slots = {**profile, **reply.slots}
        return respond(dispatcher, ctx, reply) + back_to_form


class ActionAnswer(AnsweringAction):
    def name(self) -> str:
        return "action_answer"

    def reply_to(self, ctx: Context) -> Reply:
        return answer_steps(decide(ctx))


class ActionPlanPath(AnsweringAction):
    def name(self) -> str:
        return "action_plan_path"

    def reply_to(self, ctx: Context) -> Reply:
        return answer_steps([Step("plan_path", ctx)])
