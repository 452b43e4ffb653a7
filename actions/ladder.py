"""Questions about the ladder as a whole: stages, the typical progression, how long steps take."""
from __future__ import annotations

from typing import List

from actions.context import Context
from actions.education import value_of
from actions.render import Reply, article, button, figure, join, path_text, role_label, title
from actions.roles import role_slots, route_text, untimed
from knowledge import queries

LADDER_STAGES = ("entry", "mid", "advanced", "executive")


def roles_at(stage_key: str) -> List[str]:
    return [role_label(name) for name in queries.stage(stage_key).roles]


def roles_by_stage(ctx: Context) -> Reply:
    stage = ctx.stage()
    if stage:
        text = f"{stage.name} roles: {join(roles_at(stage.key))}. {stage.summary}"
        return Reply(text, sections=(stage.section,), slots={"stage": stage.key})
    stages = [queries.stage(key) for key in LADDER_STAGES]
    text = "Roles by career stage:\n" + "\n".join(
        f"• {stage.name}: {join(roles_at(stage.key))}" for stage in stages
    )
    buttons = [button(f"{s.name} roles", "ask_roles_by_stage", stage=s.key) for s in stages[:3]]
    return Reply(text, sections=tuple(s.section for s in stages), buttons=buttons)


def progression(ctx: Context) -> Reply:
    named = ctx.mentioned_roles()
    origin = named[0].name if len(named) > 1 else ctx.slot("current_role")
    target = named[-1] if named else queries.find_role(ctx.slot("goal_role") or "")
    if origin and target and origin != target.name:
        steps = queries.path_between(origin, target.name)
        if steps:
            text = f"From {article(role_label(origin))} to {role_label(target.name)}: {route_text(steps)}."
            return Reply(text, sections=tuple(s.section for s in steps), slots=role_slots(target))
    ladder = queries.typical_ladder()
    mid = queries.stage("mid")
    text = (
        f"The typical progression is {path_text(ladder)}, and on to executive roles such as "
        f"{join(roles_at('executive'), 'or')}.\n"
        + "\n".join(f"• {queries.stage(k).name}: {join(roles_at(k))}" for k in LADDER_STAGES)
        + f"\nMoving from entry-level to mid-level roles takes about {figure(mid.duration)}, "
        "depending on the industry."
    )
    sections = (queries.typical_ladder_section(), mid.section, queries.stage("advanced").section)
    return Reply(text, sections=sections)


def duration(ctx: Context) -> Reply:
    kind = ctx.subject_kind
    cert, degree = ctx.certification(), ctx.degree()
    if kind == "certification" and cert:
        stage = queries.stage(cert.stage) if cert.stage else None
        when = f" It places it at the {stage.name.lower()} stage." if stage else ""
        return Reply(f"The article gives no time for earning the {cert.acronym}.{when}",
                     sections=(cert.section,), gap=f"duration: {cert.acronym}")
    if kind == "degree" and degree:
        if degree.duration:
            text = f"{title(degree.name)} typically takes {figure(degree.duration)}, depending on the program."
            return Reply(text, sections=(degree.duration.section,), slots={"degree": value_of(degree)})
        reply = known_durations(f"The article doesn't say how long {article(degree.name)} takes.")
        reply.gap = f"duration: {degree.name}"
        return reply
    mention = ctx.role_mention()
    if mention.role:
        return role_duration(mention.role, ctx.slot("current_role"))
    return known_durations("")


def role_duration(role, current_role) -> Reply:
    stage = queries.stage(role.stage)
    steps = queries.path_between(current_role, role.name) if current_role else None
    if steps and any(step.duration for step in steps):
        text = f"Your route: {route_text(steps)}."
        if untimed(steps):
            text += f" The article gives no time for {untimed(steps)}."
        return Reply(text, sections=tuple(s.section for s in steps), slots=role_slots(role), personal=True)
    if stage.duration:
        text = (f"Reaching a {stage.name.lower()} role such as {article(role_label(role.name))} typically "
                f"takes {figure(stage.duration)} from an entry-level start, depending on the industry.")
        return Reply(text, sections=(stage.section,), slots=role_slots(role), personal=True)
    reply = known_durations(f"The article doesn't say how long it takes to become "
                            f"{article(role_label(role.name))}.")
    reply.slots.update(role_slots(role))
    reply.gap = f"duration: {role.name}"
    reply.personal = True
    return reply


def known_durations(opening: str) -> Reply:
    """The only durations the article states, labelled as such."""
    mid, mem = queries.stage("mid"), queries.degree("mem")
    text = (f"{opening} The durations it does give: moving from entry-level to mid-level roles takes "
            f"{figure(mid.duration)}, and a master's in engineering management takes {figure(mem.duration)}.")
    return Reply(text.strip(), sections=(mid.section, mem.duration.section))
