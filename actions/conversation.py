"""Turns that lean on the conversation so far: "source?" and "what about X?" follow-ups."""
from __future__ import annotations

from typing import List, Optional

from actions.base import ANSWERS, KnowledgeAction, answer_as
from actions.clarify import SUBJECT_QUESTIONS
from actions.context import Context
from actions.render import Reply, article, button, join, role_label, unique
from knowledge import queries
from knowledge.errors import UnknownSubject
from knowledge.records import Citation

NOT_REPEATABLE = {"ask_source", "state_goal"}
PENDING_ON_PROFILE = {"skill_gap", "plan_path"}  # questions that wait for the user's current role
# Entities that name what a follow-up is about ("what about X?"), and the subject kind each is.
SUBJECT_LABELS = tuple(SUBJECT_QUESTIONS) + ("ambiguous_role", "unknown_role", "not_covered")
KIND_OF_LABEL = {"ambiguous_role": "role", "unknown_role": "role", "not_covered": "role"}


def known_citations(keys: List[str]) -> List[Citation]:
    """The citations with these keys, skipping any the KB no longer has (a conversation kept from
    before a rebuild may remember them)."""
    found = []
    for key in unique(keys):
        try:
            found.append(queries.citation(key))
        except UnknownSubject:
            continue
    return found


class ActionAnswerSource(KnowledgeAction):
    action_name = "action_answer_source"
    question = "ask_source"

    def answer(self, ctx: Context) -> Reply:
        sections = ctx.slot("last_sections") or []
        citations = known_citations(ctx.slot("last_citations") or [])
        article = queries.citation(queries.ARTICLE).title
        if not sections:
            text = (f"Everything I say comes from the article “{article}”. Its figures cite "
                    + join(f"{c.publisher} ({c.title}, {c.url})" for c in queries.cited_sources()) + ".")
            return Reply(text, question=ctx.slot("last_question"))
        text = f"That answer comes from the article “{article}”, section " + join(f"“{s}”" for s in sections) + "."
        if citations:
            text += " The figures are the article's, citing " + join(
                f"{c.publisher}: {c.title} ({c.url})" for c in citations) + "."
        return Reply(text, question=ctx.slot("last_question"))


class ActionAnswerFollowUp(KnowledgeAction):
    """A bare subject, "what about X?", or a message the NLU was unsure of.

    Re-asks the last question about the subject it names when the subject fits that question,
    else answers the subject's own question; when it names nothing, asks the user to rephrase.
    """

    action_name = "action_answer_follow_up"
    question = "inform"

    def answer(self, ctx: Context) -> Reply:
        if ctx.describes_self:
            introduced = self._introduction(ctx)
            if introduced:
                return introduced
        named = [KIND_OF_LABEL.get(label, label) for label in SUBJECT_LABELS if ctx.entities.get(label)]
        if ctx.not_covered("degree"):
            named.insert(0, "degree")
        last = ctx.slot("last_question")
        if last in ANSWERS and last not in NOT_REPEATABLE and set(named) & set(ANSWERS[last].subjects):
            return answer_as(last, ctx)
        if named:
            return answer_as(SUBJECT_QUESTIONS[named[0]], ctx)
        return Reply(
            "Sorry, I didn't quite get that. I can help with engineering-management careers: "
            "try one of these, or rephrase your question.",
            buttons=[button("What's the typical career path?", "ask_progression"),
                     button("What certifications help?", "ask_certification"),
                     button("How much do engineering managers make?", "ask_salary", role="engineering manager"),
                     button("What can you do?", "ask_capabilities")],
        )

    @staticmethod
    def _introduction(ctx: Context) -> Optional[Reply]:
        """"I'm a project engineer" / "I'm a civil engineer": remember it and point the way."""
        roles = ctx.mentioned_roles()
        pending = ctx.slot("last_question")
        if roles and pending in PENDING_ON_PROFILE:  # "what am I missing…?" … "I'm a project manager"
            ctx.slots["current_role"] = roles[0].name
            reply = answer_as(pending, ctx)
            reply.slots.setdefault("current_role", roles[0].name)
            return reply
        if roles:
            role = roles[0]
            steps = queries.next_steps(role.name)
            text = f"Got it: you're {article(role_label(role.name))}."
            if steps:
                text += f" Common next steps from there are {join([role_label(s) for s in steps], 'or')}."
            return Reply(text, sections=(role.section,),
                         slots={"current_role": role.name, "role": role.name, "subject_kind": "role"},
                         buttons=[button(f"How do I become {article(role_label(s))}?", "state_goal", role=s)
                                  for s in steps[:2]])
        if ctx.discipline(remembered=False):
            return answer_as("ask_discipline_move", ctx)
        return None
