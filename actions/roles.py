"""Questions about one role: what it does, who it reports to, what comes next, what it takes."""
from __future__ import annotations

import re
from typing import Dict, List, Optional

from actions.clarify import role_or_clarify, suggestions
from actions.context import Context, RoleMention
from actions.overview import general_path
from actions.render import Reply, article, bullets, figure, join, path_text, role_label, title
from knowledge.queries import kb
from knowledge.records import Figure, Role, Step

EDUCATION = "Education & Early Steps"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def role_slots(role: Role) -> Dict[str, str]:
    return {"role": role.name, "subject_kind": "role"}


def route_to(role: Role, start: Optional[str]) -> Optional[List[Step]]:
    """The ladder steps to ``role`` from the user's current role, else from the ladder's start."""
    for origin in (start, kb().typical_ladder()[0]):
        if origin and origin != role.name:
            steps = kb().path_between(origin, role.name)
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
    if len(steps) == 1 and steps[0].duration:  # "project engineer → project manager (5–8 years)"
        return f"{text} ({figure(steps[0].duration)})"
    return f"{text} ({'; '.join(timed)})" if timed else text


def role_info(ctx: Context) -> Reply:
    """What a role is and does."""
    role, clarify = role_or_clarify(ctx, "ask_role_info")
    if clarify:
        return clarify
    text = role.summary + specialization_note(role)  # the KB's answer: what the role is, where it stands
    if role.responsibilities:
        text += "\n\nWhat they do:\n" + bullets(role.responsibilities)
    return Reply(text, sections=(role.section,), slots=role_slots(role),
                 buttons=suggestions(role.name, "ask_requirements", "ask_reports_to", "ask_next_step"))


def specialization_note(role: Role) -> str:
    """" The project management specialization focuses on …": what the MEM specialization leading
    to the role is about (and that it leads there, unless the summary says so)."""
    spec = kb().specialization_for_role(role.name)
    if spec is None:
        return ""
    if spec.name in SENTENCE_END.split(role.summary)[-1]:  # the sentence just said names it
        return f" That specialization focuses on {spec.focus}."
    if spec.name in role.summary:
        return f" The {spec.name} specialization focuses on {spec.focus}."
    return f" The MEM specialization in {spec.name} can lead to it too; it focuses on {spec.focus}."


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
        known = [r for r in kb().roles() if r.reports_to]
        gap = f"reports to: {role.name}"
        text = (f"The article doesn't say who {article(role_label(role.name))} reports to. "
                "It gives reporting lines only for: "
                + "; ".join(f"{role_label(r.name)} → {join([role_label(b) for b in r.reports_to], 'or')}"
                            for r in known) + ".")
    return Reply(text, sections=(role.section,), slots=role_slots(role), gap=gap,
                 buttons=suggestions(role.name, "ask_next_step", "ask_role_info"))


def article_for(names: str) -> str:
    """"the VP of engineering", "the chief technology officer": a title takes "the"."""
    return f"the {names}" if names[:1].isupper() or names.startswith("chief") else article(names)


def next_step(ctx: Context) -> Reply:
    """The steps the article names after a role."""
    role, clarify = role_or_clarify(ctx, "ask_next_step", own=True)
    if clarify:
        return clarify
    named = kb().next_steps(role.name)
    edges = [step for step in kb().steps_from(role.name) if step.to_role not in named]
    if not named and not edges:
        text = (f"The article doesn't name a step after {article(role_label(role.name))}. "
                f"Its typical ladder is {path_text(kb().typical_ladder())}.")
        return Reply(text, sections=(role.section,), slots=role_slots(role), personal=True,
                     gap=f"next step: {role.name}")
    options = [role_label(name) for name in named] + [role_label(s.to_role) for s in edges]
    steps = "the common next step is" if len(options) == 1 else "common next steps are"
    text = f"After {article(role_label(role.name))}, {steps} {join(options, 'or')}." + timing(edges)
    sections = (role.section,) + tuple(s.section for s in edges)
    next_role = named[0] if named else edges[0].to_role
    return Reply(text, sections=sections, slots=role_slots(role), personal=True,
                 buttons=suggestions(next_role, "ask_requirements", "ask_role_info"))


def timing(edges: List[Step]) -> str:
    """" Moving on to project manager or engineering project manager can take 5–8 years, depending on
    the industry.": each duration said once, for the steps it is given for."""
    timed: Dict[Figure, List[str]] = {}
    for step in edges:
        if step.duration:
            timed.setdefault(step.duration, []).append(role_label(step.to_role))
    return "".join(f" Moving on to {join(names, 'or')} can take {figure(duration)}, depending on the industry."
                   for duration, names in timed.items())


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
    stage = kb().stage(role.stage)
    skills = role.skills or stage.skills
    lines = [f"What it takes to become {article(role_label(role.name))}:"]
    if skills:
        lines.append(f"• Skills: {join(skills)}")
    certs = kb().certifications_for(role.name)
    if certs:
        lines.append(f"• Certifications that help: {join(c.acronym for c in certs)}")
    mem, mba = kb().degree("mem"), kb().degree("mba")
    lines.append(f"• Education: an engineering bachelor's first; {article(mem.value)} ({figure(mem.duration)}) "
                 f"or {article(mba.name)} can speed the way")
    spec = kb().specialization_for_role(role.name)
    if spec:
        lines.append(f"• MEM specialization that leads there: {spec.name} ({spec.focus})")
    steps = route_to(role, current_role)
    if steps:
        lines.append(f"• Usual route: {route_text(steps)}")
    sections = [role.section, stage.section, EDUCATION] + ([spec.section] if spec else [])
    sections += [s.section for s in steps or []]
    return Reply("\n".join(lines), sections=tuple(sections), slots=role_slots(role), personal=True,
                 buttons=suggestions(role.name, "ask_duration", "ask_certification", "ask_salary"))


def stage_requirements(stage_key: str, question: str) -> Reply:
    stage = kb().stage(stage_key)
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
