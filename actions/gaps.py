"""Honest replies: what the article does not cover, the closest thing it says, and "rephrase"."""
from __future__ import annotations

from typing import Optional

from actions.context import GOAL, Context, echo
from actions.money import salary_button
from actions.render import Reply, article, bullets, button, role_label
from knowledge import retrieval
from knowledge.errors import UnknownSubject
from knowledge.queries import kb

DEFAULT_NEAREST = "ask_overview"  # the closest answer when a topic names none of its own
WHAT_IT_COVERS = "It covers the engineering-management path: roles, certifications, degrees, salaries and progression."


def nearest_aspect(topic: str) -> str:
    """The question whose answer is the closest the article comes to ``topic`` (a KB field)."""
    try:
        return kb().not_covered_topic(topic).nearest
    except UnknownSubject:
        return DEFAULT_NEAREST


def subject_label(ctx: Context) -> Optional[str]:
    """The first subject this message names, as a reply would mention it."""
    role = ctx.mentioned_roles()
    if role:
        return article(role_label(role[0].name))
    cert = ctx.certification(remembered=False)
    if cert:
        return f"the {cert.acronym}"
    degree = ctx.degree(remembered=False)
    if degree:
        return article(degree.key.upper() if degree.level == "master" else degree.name)
    return None


def topic_not_covered(ctx: Context) -> Reply:
    """"How much does an MEM cost?": the article gives no costs; say so before anything else."""
    topic = ctx.not_covered("topic") or "that"
    subject = subject_label(ctx)
    text = f"The article doesn't cover {topic}" + (f" for {subject}." if subject else ".")
    if not subject:
        text += f" {WHAT_IT_COVERS}"
    return Reply(text, gap=f"topic: {topic}", buttons=suggestions())


def closest_statement(ctx: Context) -> Reply:
    """A question no aspect answers: the article's closest statements, labelled as such."""
    hits = retrieval.search(ctx.text)
    if not hits:
        return rephrase(ctx)
    texts = [hit.statement.text for hit in hits]
    texts = [text for text in texts if not any(text != other and text in other for other in texts)]
    statements = texts[0] if len(texts) == 1 else "\n" + bullets(texts)
    return Reply(f"I'm not sure what you're asking, so here is what the article says closest to it: {statements}",
                 sections=tuple(dict.fromkeys(hit.statement.section for hit in hits)))


def unsure(ctx: Context) -> Reply:
    """The NLU could not tell what was asked about a subject it did recognise."""
    subject = subject_label(ctx)
    return Reply(f"I'm not sure the article covers exactly that{' for ' + subject if subject else ''}.")


def role_elsewhere(ctx: Context) -> Optional[str]:
    """A role named in the message that the article does not cover ("scrum master", "accountant")."""
    return echo(ctx.entity("unknown_role")) if ctx.entity("unknown_role") else ctx.not_covered("profession")


def comes_from_elsewhere(part: Context) -> bool:
    """The user comes from a role the article has no path from ("biomedical engineer here", "I'm a
    nurse") and names none it has, rather than aiming for one ("I want to be a data scientist, how do
    I start?")."""
    aims = part.with_role(GOAL) or "state_goal" in [part.intent, *(c.get("intent") for c in part.clauses)]
    return bool(role_elsewhere(part)) and not (aims or part.mentioned_roles() or part.discipline(False))


def place_elsewhere(ctx: Context) -> Optional[str]:
    """A place or currency named in the message: the article's figures and paths are not by country."""
    return ctx.not_covered("place") or ctx.not_covered("currency")


def place_not_covered(ctx: Context) -> Reply:
    """"And in Germany?" about anything but pay (whose answer says so itself)."""
    place = place_elsewhere(ctx)
    return Reply(f"The article doesn't say anything specific to {place}.", gap=f"place: {place}")


def origin_not_covered(ctx: Context) -> Reply:
    """The article's paths start from engineering roles: one from elsewhere is not among them."""
    return Reply(f"The article doesn't cover a move from “{role_elsewhere(ctx)}”.",
                 gap=f"role: {role_elsewhere(ctx)}")


def rephrase(ctx: Context) -> Reply:
    return Reply(
        "Sorry, I didn't quite get that. I can help with engineering-management careers: "
        "try one of these, or rephrase your question.",
        buttons=suggestions() + [button("What can you do?", "ask_capabilities")],
    )


def out_of_scope(ctx: Context) -> Reply:
    """Outside engineering-management careers: the domain's own polite reply, no KB fact."""
    return Reply("", response="utter_out_of_scope")


def suggestions() -> list:
    return [button("What's the typical career path?", "ask_progression"),
            button("What certifications help?", "ask_certification"),
            salary_button()]
