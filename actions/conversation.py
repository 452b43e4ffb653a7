"""Turns about the conversation itself: "source?" and "what can you do?"."""
from __future__ import annotations

from typing import List

from actions.compare import comparison_buttons
from actions.context import Context
from actions.render import Reply, article, button, join, role_label, unique
from knowledge.errors import UnknownSubject
from knowledge.queries import kb
from knowledge.records import Citation


def known_citations(keys: List[str]) -> List[Citation]:
    """The citations with these keys, skipping any the KB no longer has (a conversation kept from
    before a rebuild may remember them)."""
    found = []
    for key in unique(keys):
        try:
            found.append(kb().citation(key))
        except UnknownSubject:
            continue
    return found


def source(ctx: Context) -> Reply:
    """Where the last answer came from: its sections, and the surveys its figures cite."""
    sections = ctx.slot("last_sections") or []
    citations = known_citations(ctx.slot("last_citations") or [])
    title = kb().article().title
    if not sections:
        text = (f"Everything I say comes from the article “{title}”. Its figures cite "
                + join(f"{c.publisher} ({c.title}, {c.url})" for c in kb().cited_sources()) + ".")
        return Reply(text, question=ctx.slot("last_question"))
    text = f"That answer comes from the article “{title}”, section " + join(f"“{s}”" for s in sections) + "."
    if citations:
        text += " The figures are the article's, citing " + join(
            f"{c.publisher}: {c.title} ({c.url})" for c in citations) + "."
    return Reply(text, question=ctx.slot("last_question"))


def capabilities(ctx: Context) -> Reply:
    """What the bot can answer, naming the KB's own certifications and degrees."""
    certs = join([c.acronym for c in kb().certifications()], "and")
    degrees = join([d.value for d in kb().degrees()][::-1], "and")
    compared = kb().comparisons()[0]
    text = ("I can tell you about the engineering-management path: what each role does and who it reports to, "
            f"the typical progression and how long steps take, certifications ({certs}), degrees ({degrees}), "
            "MEM specializations, industries and employers, salaries, and how to move from your engineering "
            f"discipline into management. I can also compare {article(role_label(compared.left))} "
            f"with {article(role_label(compared.right))}.")
    master = next(d for d in kb().degrees() if d.level == "master")
    entry = next(stage for stage in kb().stages() if stage.roles)
    return Reply(text, buttons=[*comparison_buttons()[:1],
                                button(f"What is {article(master.value)}?", "ask_education", degree=master.value),
                                button(f"{entry.name} roles", "ask_roles_by_stage", stage=entry.key)])
