"""The action server's answering actions: read the context, let the dialogue layer decide, reply.

``action_answer`` answers every knowledge question (data/rules.yml maps each question intent to
it); ``action_plan_path`` ends the path planner's form. Both render through :func:`respond`, so
every reply is formatted, personalised and remembered the same way.
"""
from __future__ import annotations

import json
import logging
import re
from abc import ABC, abstractmethod
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.aspects import ASPECTS
from actions.compare import comparison_buttons
from actions.context import Context
from actions.dialogue import Step, decide
from actions.feedback import answer_id_for
from actions.path_payload import slack_message as slack_path_message
from actions.profile import profile_from, profile_opening
from actions.render import LOOKUP_FAILED, Reply, button, render_text, slack_message, unique
from knowledge.retrieval import tokenize

logger = logging.getLogger(__name__)
REMINDER_LINES = 3  # an answer said again is shown this short, when no part of it matches the question


def default_suggestions() -> List[Dict[str, str]]:
    """Next questions offered after an answer that brings none of its own."""
    return [button("What's the typical career path?", "ask_progression"),
            button("Which certifications help?", "ask_certification"),
            *comparison_buttons()[:1], button("Plan my career", "plan_path")]


def answer_steps(steps: List[Step]) -> Reply:
    """Each step answered in order; later steps see the slots earlier ones set ("and who do they
    report to?" after "what does an EM do")."""
    replies, said = [], set()
    for step in steps:
        reply = ASPECTS[step.aspect].answer(step.ctx)
        reply.question = reply.question or step.aspect
        step.ctx.slots.update(reply.slots)
        text = reply.text
        if step.label and text and text not in said:  # said already: left unlabelled, combined drops it
            reply.text = f"{step.label} {text}"
        said.add(text)
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
        merged.path = merged.path or reply.path
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
    reply.buttons = [b for b in reply.buttons if not offers_the_same(b, reply, ctx)]
    if reply.sections and not reply.buttons:  # a knowledge answer always offers a next question
        reply.buttons = [b for b in default_suggestions() if not offers_the_same(b, reply, ctx)][:3]
    rating = answer_id_for(reply)  # a knowledge answer can be rated (actions/feedback.py)
    if reply.path and ctx.channel == "slack":
        dispatcher.utter_message(json_message=slack_path_message(reply, reply.path), **rating)
    elif reply.table and ctx.channel == "slack":
        dispatcher.utter_message(json_message=slack_message(reply), **rating)
    else:
        dispatcher.utter_message(text=unrepeated(render_text(reply), reply, ctx), buttons=reply.buttons or None,
                                 **rating)
        if reply.path and ctx.channel != "cmdline":  # the widget draws it (widget/path.js); a terminal can't
            dispatcher.utter_message(json_message={"path": reply.path})
    return remember(reply)


def offers_the_same(offered: Dict[str, str], reply: Reply, ctx: Context) -> bool:
    """A button that would ask the question just answered, about the subjects just answered."""
    intent, _, entities = offered["payload"].lstrip("/").partition("{")
    if intent != reply.question:
        return False
    try:
        asked = json.loads("{" + entities) if entities else {}
    except ValueError:
        return False
    answered = {v for values in ctx.entities.values() for v in values}
    answered |= {v for v in reply.slots.values() if isinstance(v, str)}
    values = [v for value in asked.values() for v in (value if isinstance(value, list) else [value])]
    if not values:  # "All certifications" after the PMP is another question; after all of them, the same
        return not ctx.entities
    return all(str(v) in answered for v in values)


def unrepeated(text: str, reply: Reply, ctx: Context) -> str:
    """``text``, unless this session already heard it (alone or within an earlier reply): then a
    short reminder, the sentence or line that shares the most words with the question ("at what
    stage should I get it?" -> "Stage: mid-level."), or the first lines when none does."""
    body = reply.text.strip()
    if not body or not any(body in earlier for earlier in ctx.said):
        return text
    parts = [part for line in body.splitlines() for part in re.split(r"(?<=[a-z)][.!?])\s+", line) if part]
    asked, *words = (set(tokens) for tokens in tokenize([ctx.text, *parts]))  # content words, stemmed
    best = max(range(len(parts)), key=lambda i: len(asked & words[i]))  # the first of equals
    shown = parts[best] if asked & words[best] else "\n".join(parts[:REMINDER_LINES])
    return f"As I said above: {shown}"


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
        profile = profile_from(ctx)  # "I'm a PM with 3 years in, …": the NLU's entity roles
        ctx.slots.update(profile)
        try:
            reply = self.reply_to(ctx)
        except Exception:
            logger.exception("%s failed for sender %s", self.name(), tracker.sender_id)
            dispatcher.utter_message(text=LOOKUP_FAILED)
            return []
        reply.slots = {**profile, **reply.slots}
        return respond(dispatcher, ctx, reply)


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
