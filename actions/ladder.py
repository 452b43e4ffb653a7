"""Questions about the ladder as a whole: stages, the typical progression, how long steps take."""
from __future__ import annotations

from typing import List

from actions import path_payload
from actions.context import Context
from actions.render import Reply, article, button, figure, join, path_text, role_label, stage_kind, title
from actions.roles import role_slots, route_text, untimed
from knowledge.queries import kb

LADDER_STAGES = ("entry", "mid", "advanced", "executive")


def roles_at(stage_key: str) -> List[str]:
    return [role_label(name) for name in kb().stage(stage_key).roles]


def roles_by_stage(ctx: Context) -> Reply:
    stage = ctx.stage()
    if stage:
        named = roles_at(stage.key)
        listed = (f"{title(stage_kind(stage))} roles: {join(named)}. " if named
                  else f"The article names no roles for {stage_kind(stage)}. ")
        text = listed + stage.summary
        return Reply(text, sections=(stage.section,), slots={"stage": stage.key})
    stages = [kb().stage(key) for key in LADDER_STAGES]
    text = "Roles by career stage:\n" + "\n".join(
        f"• {stage.name}: {join(roles_at(stage.key))}" for stage in stages
    )
    buttons = [button(f"{s.name} roles", "ask_roles_by_stage", stage=s.key) for s in stages[:3]]
    return Reply(text, sections=tuple(s.section for s in stages), buttons=buttons)


def progression(ctx: Context) -> Reply:
    named = ctx.mentioned_roles()
    origin = named[0].name if len(named) > 1 else ctx.slot("current_role")
    target = named[-1] if named else kb().find_role(ctx.slot("goal_role") or "")
    if origin and target and origin != target.name:
        steps = kb().path_between(origin, target.name)
        if steps:
            text = f"From {article(role_label(origin))} to {role_label(target.name)}: {route_text(steps)}."
            return Reply(text, sections=tuple(s.section for s in steps), slots=role_slots(target),
                         path=path_payload.chain(steps, origin, target.name))
    ladder = kb().typical_ladder()
    mid = kb().stage("mid")
    text = (
        f"The typical progression is {path_text(ladder)}, and on to executive roles such as "
        f"{join(roles_at('executive'), 'or')}.\n"
        + "\n".join(f"• {kb().stage(k).name}: {join(roles_at(k))}" for k in LADDER_STAGES)
        + f"\nMoving from entry-level to mid-level roles takes about {figure(mid.duration)}, "
        "depending on the industry."
    )
    sections = (kb().typical_ladder_section(), mid.section, kb().stage("advanced").section)
    return Reply(text, sections=sections, path=path_payload.ladder(ctx.slot("current_role"), ctx.slot("goal_role")))


def duration(ctx: Context) -> Reply:
    kind = ctx.subject_kind
    cert, degree = ctx.certification(), ctx.degree()
    if kind == "certification" and cert:
        stage = kb().stage(cert.stage) if cert.stage else None
        when = f" It places it at the {stage.name.lower()} stage." if stage else ""
        return Reply(f"The article gives no time for earning the {cert.acronym}.{when}",
                     sections=(cert.section,), gap=f"duration: {cert.acronym}")
    if kind == "degree" and degree:
        if degree.duration:
            text = f"{title(degree.name)} typically takes {figure(degree.duration)}, depending on the program."
            return Reply(text, sections=(degree.duration.section,), slots={"degree": degree.value})
        reply = known_durations(f"The article doesn't say how long {article(degree.name)} takes.")
        reply.gap = f"duration: {degree.name}"
        return reply
    mention = ctx.role_mention()
    if mention.role:
        return role_duration(mention.role, ctx.slot("current_role"))
    return known_durations("")


def role_duration(role, current_role) -> Reply:
    stage = kb().stage(role.stage)
    steps = kb().path_between(current_role, role.name) if current_role else None
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
    mid, mem = kb().stage("mid"), kb().degree("mem")
    text = (f"{opening} The durations it does give: moving from entry-level to mid-level roles takes "
            f"{figure(mid.duration)}, and a master's in engineering management takes {figure(mem.duration)}.")
    return Reply(text.strip(), sections=(mid.section, mem.duration.section))
