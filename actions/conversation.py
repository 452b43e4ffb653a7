"""Turns that lean on the conversation so far: "source?" and the user introducing themselves."""
from __future__ import annotations

from typing import List

from actions.context import Context
from actions.render import Reply, article, button, join, role_label, unique
from knowledge import queries
from knowledge.errors import UnknownSubject
from knowledge.records import Citation


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


def source(ctx: Context) -> Reply:
    """Where the last answer came from: its sections, and the surveys its figures cite."""
    sections = ctx.slot("last_sections") or []
    citations = known_citations(ctx.slot("last_citations") or [])
    title = queries.citation(queries.ARTICLE).title
    if not sections:
        text = (f"Everything I say comes from the article “{title}”. Its figures cite "
                + join(f"{c.publisher} ({c.title}, {c.url})" for c in queries.cited_sources()) + ".")
        return Reply(text, question=ctx.slot("last_question"))
    text = f"That answer comes from the article “{title}”, section " + join(f"“{s}”" for s in sections) + "."
    if citations:
        text += " The figures are the article's, citing " + join(
            f"{c.publisher}: {c.title} ({c.url})" for c in citations) + "."
    return Reply(text, question=ctx.slot("last_question"))


def introduce(ctx: Context) -> Reply:
    """"I'm a project engineer": remember it and point the way."""
    role = ctx.self_described_role() or ctx.role_mention().role
    steps = queries.next_steps(role.name)
    text = f"Got it: you're {article(role_label(role.name))}."
    if steps:
        text += f" Common next steps from there are {join([role_label(s) for s in steps], 'or')}."
    return Reply(text, sections=(role.section,),
                 slots={"current_role": role.name, "role": role.name, "subject_kind": "role"},
                 buttons=[button(f"How do I become {article(role_label(s))}?", "state_goal", role=s)
                          for s in steps[:2]])
