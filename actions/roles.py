"""Questions about one role: what it does, who it reports to, what comes next, what it takes."""
from __future__ import annotations

from typing import Dict, List, Optional

from actions.clarify import role_or_clarify, suggestions
from actions.context import Context, RoleMention
from actions.education import value_of
from actions.overview import general_path
from actions.render import Reply, article, bullets, figure, join, path_text, role_label, title
from knowledge import queries
from knowledge.records import Role, Step

EDUCATION = "Education & Early Steps"


def role_slots(role: Role) -> Dict[str, str]:
    return {"role": role.name, "subject_kind": "role"}


def route_to(role: Role, start: Optional[str]) -> Optional[List[Step]]:
    """The ladder steps to ``role`` from the user's current role, else from the ladder's start."""
    for origin in (start, queries.typical_ladder()[0]):
        if origin and origin != role.name:
            steps = queries.path_between(origin, role.name)
            if steps:
                return steps
    return None


def untimed(steps: List[Step]) -> str:
    """The steps the article gives no duration for: "engineering manager → engineering director"."""
    return join(f"{role_label(s.from_role)} → {role_label(s.to_role)}" for s in steps if not s.duration)


def route_text(steps: List[Step]) -> str:
    names = [steps[0].from_role] + [step.to_role for step in steps]
    timed = [f"{role_label(s.from_role)} → {role_label(s.to_role)}: {figure(s.duration)}"
             for s in steps if s.duration]
    text = path_text(names)
    return f"{text} ({'; '.join(timed)})" if timed else text


def role_info(ctx: Context) -> Reply:
    """What a role is and does."""
    role, clarify = role_or_clarify(ctx, "ask_role_info")
    if clarify:
        return clarify
    stage = queries.stage(role.stage)
    kind = stage.name.lower().removesuffix(" roles")
    text = f"{title(article(role_label(role.name)))} is {article(kind)} role. {role.summary}"
    if role.responsibilities:
        text += "\n\nWhat they do:\n" + bullets(role.responsibilities)
    return Reply(text, sections=(role.section,), slots=role_slots(role),
                 buttons=suggestions(role.name, "ask_requirements", "ask_reports_to", "ask_next_step"))


def reports_to(ctx: Context) -> Reply:
    """Who a role reports to, or the reporting lines the article does give."""
    role, clarify = role_or_clarify(ctx, "ask_reports_to")
    if clarify:
        return clarify
    gap = None
    if role.reports_to:
        bosses = join([role_label(name) for name in role.reports_to], "or")
        text = f"{title(article(role_label(role.name)))} reports to {article_for(bosses)}."
    else:
        known = [r for r in queries.roles() if r.reports_to]
        gap = f"reports to: {role.name}"
        text = (f"The article doesn't say who {article(role_label(role.name))} reports to. "
                "It gives reporting lines only for: "
                + "; ".join(f"{role_label(r.name)} → {join([role_label(b) for b in r.reports_to], 'or')}"
                            for r in known) + ".")
    return Reply(text, sections=(role.section,), slots=role_slots(role), gap=gap,
                 buttons=suggestions(role.name, "ask_next_step", "ask_role_info"))


def article_for(names: str) -> str:
    """"an engineering director or VP of engineering" reads better than a bare list."""
    return f"the {names}" if names.startswith(("VP", "chief")) else article(names)


def next_step(ctx: Context) -> Reply:
    """The steps the article names after a role."""
    role, clarify = role_or_clarify(ctx, "ask_next_step", own=True)
    if clarify:
        return clarify
    named = queries.next_steps(role.name)
    edges = [step for step in queries.steps_from(role.name) if step.to_role not in named]
    if not named and not edges:
        text = (f"The article doesn't name a step after {article(role_label(role.name))}. "
                f"Its typical ladder is {path_text(queries.typical_ladder())}.")
        return Reply(text, sections=(role.section,), slots=role_slots(role), personal=True,
                     gap=f"next step: {role.name}")
    options = [role_label(name) for name in named] + [
        role_label(s.to_role) + (f" ({figure(s.duration)}, depending on the industry)" if s.duration else "")
        for s in edges]
    text = f"After {article(role_label(role.name))}, common next steps are {join(options, 'or')}."
    sections = (role.section,) + tuple(s.section for s in edges)
    next_role = named[0] if named else edges[0].to_role
    return Reply(text, sections=sections, slots=role_slots(role), personal=True,
                 buttons=suggestions(next_role, "ask_requirements", "ask_role_info"))


def what_it_takes(ctx: Context) -> Reply:
    """What it takes to reach a role or a stage; the general path when none is named."""
    stage = ctx.stage()
    if stage and not ctx.mentioned_roles():
        return stage_requirements(stage.key, "ask_requirements")
    if ctx.role_mention() == RoleMention():  # "how do I get into engineering management?"
        return general_path()
    role, clarify = role_or_clarify(ctx, "ask_requirements")
    if clarify:
        return clarify
    return requirements(role, ctx.slot("current_role"))


def requirements(role: Role, current_role: Optional[str]) -> Reply:
    """Skills, certifications, education and route for becoming ``role``."""
    stage = queries.stage(role.stage)
    skills = role.skills or stage.skills
    lines = [f"To become {article(role_label(role.name))} ({stage.name.lower()}):"]
    if skills:
        lines.append(f"• Skills: {join(skills)}")
    certs = queries.certifications_for(role.name)
    if certs:
        lines.append(f"• Certifications that help: {join(c.acronym for c in certs)}")
    mem, mba = queries.degree("mem"), queries.degree("mba")
    lines.append(f"• Education: an engineering bachelor's first; {article(value_of(mem))} ({figure(mem.duration)}) "
                 f"or {article(mba.name)} can speed the way")
    steps = route_to(role, current_role)
    if steps:
        lines.append(f"• Usual route: {route_text(steps)}")
    sections = [role.section, stage.section, EDUCATION]
    sections += [s.section for s in steps or []]
    return Reply("\n".join(lines), sections=tuple(sections), slots=role_slots(role), personal=True,
                 buttons=suggestions(role.name, "ask_duration", "ask_certification", "ask_salary"))


def stage_requirements(stage_key: str, question: str) -> Reply:
    stage = queries.stage(stage_key)
    text = f"{stage.name}: {stage.summary}"
    if stage.skills:
        text += f"\n\nSkills to build: {join(stage.skills)}."
    return Reply(text, sections=(stage.section,), slots={"stage": stage.key}, question=question)


def set_goal(ctx: Context) -> Reply:
    """"I want to become a director": remember the goal and say what it takes."""
    if ctx.role_mention() == RoleMention():  # "I'd like to move into engineering management"
        return general_path()
    role, clarify = role_or_clarify(ctx, "ask_requirements")
    if clarify:
        return clarify
    reply = requirements(role, ctx.slot("current_role"))
    reply.text = f"Great goal! {reply.text}"
    reply.slots["goal_role"] = role.name
    reply.question = "ask_requirements"
    return reply
