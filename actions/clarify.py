"""Replies for when the subject is missing, ambiguous or outside the article."""
from __future__ import annotations

from typing import List, Optional

from actions.context import Context, RoleMention
from actions.render import Reply, button, join, title
from knowledge.queries import kb

MAX_BUTTONS = 6


def which_role(mention: RoleMention, question: str) -> Reply:
    """Ask which role a bare "manager" (or no role at all) means, with buttons."""
    head = mention.ambiguous
    candidates = kb().roles_with_head(head) if head else []
    if not candidates:
        candidates = [kb().role(name) for name in kb().typical_ladder()]
        text = "Which role do you mean?"
    else:
        text = f"Which {head} do you mean? The article covers several."
    buttons = [button(title(role.name), "inform", role=role.name) for role in candidates[:MAX_BUTTONS]]
    return Reply(text=text, buttons=buttons, question=question)


def role_not_covered(name: str, question: str) -> Reply:
    """The article says nothing about this role: say so and list what it does cover."""
    ladder = join(kb().typical_ladder(), "and")
    covered = join(sorted(role.name for role in kb().roles() if role.stage != "specialized"))
    return Reply(
        text=(
            f"The article doesn't cover “{name}”. It is about the engineering-management path: "
            f"{covered}. Its typical ladder is {ladder.replace(' and ', ', then ')}."
        ),
        buttons=[button("What's the typical career path?", "ask_progression")],
        question=question,
        gap=f"role: {name}",
    )


def role_or_clarify(ctx: Context, question: str, own: bool = False) -> tuple:
    """(role, None) when the question's role is known, else (None, a clarifying reply)."""
    mention = ctx.role_mention(own=own)
    if mention.role:
        return mention.role, None
    if mention.unknown:
        return None, role_not_covered(mention.unknown, question)
    return None, which_role(mention, question)


def suggestions(role_name: Optional[str], *questions: str) -> List[dict]:
    """Next-question buttons about a role, in the order given."""
    labels = {
        "ask_salary": "How much do they earn?",
        "ask_certification": "Which certifications help?",
        "ask_duration": "How long does it take?",
        "ask_requirements": "What does it take to get there?",
        "ask_next_step": "What comes next?",
        "ask_reports_to": "Who do they report to?",
        "ask_role_info": "What do they do?",
    }
    entities = {"role": role_name} if role_name else {}
    return [button(labels[question], question, **entities) for question in questions]
