"""Questions about the wider field: MEM specializations, industries, discipline moves, tools."""
from __future__ import annotations

from actions.context import Context
from actions.money import salary_button
from actions.render import Reply, article, bullets, button, join, path_text, role_label, title
from actions.roles import route_text
from knowledge.queries import kb


def specializations(ctx: Context) -> Reply:
    specs = kb().specializations()
    named = ctx.entity("specialization")
    role = ctx.mentioned_roles()[-1] if ctx.mentioned_roles() else None
    chosen = [s for s in specs if s.name == named] or (
        [kb().specialization_for_role(role.name)] if role and kb().specialization_for_role(role.name) else []
    )
    shown = chosen or specs
    opening = "" if chosen else "Common MEM specializations and where they lead:\n"
    text = opening + bullets(
        f"{title(s.name)}: {s.focus}. Roles: {join([role_label(r) for r in s.roles])}." for s in shown
    )
    return Reply(text, sections=tuple(s.section for s in shown),
                 buttons=[button("What is an MEM?", "ask_education", degree="MEM")])


def industries(ctx: Context) -> Reply:
    industries = kb().industries()
    high = [i.name for i in industries if i.pay == "high"]
    text = (
        f"Engineering managers work across {join(i.name for i in industries)}. "
        f"The best-paying include {join(high)}. "
        f"Companies that keep posting engineering management roles include {join(kb().employers())}."
    )
    return Reply(text, sections=tuple(i.section for i in industries),
                 buttons=[salary_button()])


def discipline_move(ctx: Context) -> Reply:
    move = ctx.discipline()
    if move:
        text = move.summary
        if move.moves_to:
            text += f" In short: {move.engineer} → {join(move.moves_to, 'or')}."
        target = ctx.mentioned_roles()[-1] if ctx.mentioned_roles() else None
        steps = kb().path_between(kb().typical_ladder()[0], target.name) if target else None
        if steps:  # "can a mechanical engineer become a CTO?"
            text += f" The usual route to {role_label(target.name)}: {route_text(steps)}."
        else:
            text += f" The general ladder then applies: {path_text(kb().typical_ladder())}."
        return Reply(text, sections=(move.section, kb().typical_ladder_section()),
                     slots={"discipline": move.discipline, "subject_kind": "discipline"},
                     buttons=[button("Which certifications help?", "ask_certification"),
                              button("What degree should I get?", "ask_education")])
    moves = [m for m in kb().discipline_moves() if m.moves_to]
    text = "From an engineering discipline, the article describes these moves into management:\n" + bullets(
        f"{title(m.engineer)} → {join(m.moves_to, 'or')}" for m in moves
    )
    return Reply(text, sections=tuple(m.section for m in moves),
                 buttons=[button(f"I'm {article(m.engineer)}", "ask_discipline_move", discipline=m.discipline)
                          for m in moves])


def tools(ctx: Context) -> Reply:
    """What the article says of the tool asked about (its topic), else of tools and methods."""
    named = ctx.entity("tool")
    tools = kb().topic(kb().tool(named).topic if named else "tools")
    skills = kb().topic("management_skills")
    return Reply(f"{tools.text} {skills.text}", sections=(tools.section, skills.section))
