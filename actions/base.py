"""The one shape every knowledge action has: read context, ask the KB, render, remember.

Subclasses say which question (intent) they answer and implement :meth:`answer`; a registry of
them lets a follow-up ("what about a director?") re-ask the previous question about a new subject.
"""
from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, ClassVar, Dict, List, Tuple, Type

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import Context
from actions.profile import profile_opening
from actions.render import LOOKUP_FAILED, Reply, button, render_text, slack_message, unique

logger = logging.getLogger(__name__)

ANSWERS: Dict[str, Type[KnowledgeAction]] = {}
# Next questions offered after an answer that brings none of its own.
DEFAULT_SUGGESTIONS = [
    button("What's the typical career path?", "ask_progression"),
    button("Which certifications help?", "ask_certification"),
    button("EM vs director", "compare", role=["engineering manager", "engineering director"]),
    button("Plan my career", "plan_path"),
]


class KnowledgeAction(Action, ABC):
    """Answers one kind of question from the knowledge base."""

    action_name: ClassVar[str]
    question: ClassVar[str]  # the intent this action answers
    # Kinds of subject this question can be asked about, so "what about X?" re-asks it only
    # when X fits ("what about a director?" after a salary question; not "what about PMP?").
    subjects: ClassVar[Tuple[str, ...]] = ("role",)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if getattr(cls, "question", None):
            ANSWERS[cls.question] = cls

    def name(self) -> str:
        return self.action_name

    @abstractmethod
    def answer(self, ctx: Context) -> Reply:
        """The reply to this action's question in this context."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        ctx = Context.from_tracker(tracker)
        back_to_form = [FollowupAction(loop) for loop in [(tracker.active_loop or {}).get("name")] if loop]
        try:
            reply = self.answer(ctx)
        except Exception:  # the user gets a polite line, the log gets the trace
            logger.exception("%s failed for sender %s", self.action_name, tracker.sender_id)
            dispatcher.utter_message(text=LOOKUP_FAILED)
            return back_to_form
        described = ctx.self_described_role()  # "I'm a junior PM, what's next?" tells the profile too
        if described:
            reply.slots.setdefault("current_role", described.name)
        ctx.slots.update(reply.slots)  # the profile as this reply leaves it ("I want to become X")
        if reply.personal and profile_opening(ctx):
            reply.text = f"{profile_opening(ctx)}\n{reply.text}"
        if reply.sections and not reply.buttons:
            reply.buttons = [b for b in DEFAULT_SUGGESTIONS if b["payload"] != f"/{self.question}"][:3]
        if reply.table and ctx.channel == "slack":
            dispatcher.utter_message(json_message=slack_message(reply))
        else:
            dispatcher.utter_message(text=render_text(reply), buttons=reply.buttons or None)
        return remember(reply, reply.question or self.question) + back_to_form


def remember(reply: Reply, question: str) -> List[EventType]:
    """Slots that keep the context for the next turn."""
    events: List[EventType] = [SlotSet(name, value) for name, value in reply.slots.items()]
    events.append(SlotSet("last_question", question))
    if reply.gap:
        events.append(SlotSet("knowledge_gap", reply.gap))
    if reply.sections:
        events.append(SlotSet("last_sections", list(reply.sections)))
        events.append(SlotSet("last_citations", unique(c.key for c in reply.citations)))
    return events


def answer_as(question: str, ctx: Context) -> Reply:
    """Answer ``question`` with this context (used by follow-ups)."""
    reply = ANSWERS[question]().answer(ctx)
    reply.question = reply.question or question
    return reply
