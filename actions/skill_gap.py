""""What am I missing to become X?": what the target role asks for that the current one doesn't."""
from __future__ import annotations

from typing import List, Optional, Tuple

from actions.context import Context
from actions.render import Reply, article, button, join, role_label, title
from knowledge.queries import kb
from knowledge.records import Role


def needs_of(role: Role) -> List[str]:
    """Skills and duties a role asks for: its own, else its stage's."""
    return list(role.skills or kb().stage(role.stage).skills)


def duties_of(role: Role) -> List[str]:
    """Responsibility headings ("Budgets" from "Budgets: manage project budgets…")."""
    return [duty.split(":")[0].strip() for duty in role.responsibilities]


def missing(target: List[str], current: List[str]) -> List[str]:
    have = {item.lower() for item in current}
    return [item for item in target if item.lower() not in have]


def skill_gap(ctx: Context) -> Reply:
    current, target = _roles(ctx)
    if target and not current:
        names = list(dict.fromkeys(kb().stage("entry").roles + kb().stage("mid").roles))
        return Reply(f"To find your gap for {role_label(target.name)}, what's your current role?",
                     slots={"goal_role": target.name},
                     buttons=[button(title(role_label(n)), "skill_gap", role=[n, target.name]) for n in names[:6]])
    if not target:
        return Reply("Which role are you aiming for? For example: “what am I missing to become an "
                     "engineering director? I'm a project manager”.",
                     buttons=[button(f"Gap to {role_label(name)}", "skill_gap", role=name)
                              for name in kb().typical_ladder()[1:]])
    return gap_between(current, target)


def _roles(ctx: Context) -> Tuple[Optional[Role], Optional[Role]]:
    named = ctx.mentioned_roles()
    current = ctx.self_described_role() or (named[0] if len(named) >= 2 else None)
    current = current or kb().find_role(ctx.slot("current_role") or "")
    others = [role for role in named if role != current]
    target = others[-1] if others else kb().find_role(ctx.slot("goal_role") or "")
    return current, (target if target != current else None)


def gap_between(current: Role, target: Role) -> Reply:
    skills = missing(needs_of(target), needs_of(current))
    duties = missing(duties_of(target), duties_of(current))
    certs = missing([c.acronym for c in kb().certifications_for(target.name)],
                    [c.acronym for c in kb().certifications_for(current.name)])
    lines = [f"From {article(role_label(current.name))} to {role_label(target.name)}, the article adds:"]
    if skills:
        lines.append(f"• Skills: {join(skills)}")
    if duties:
        lines.append(f"• New responsibilities: {join(duties)}")
    if certs:
        lines.append(f"• Certifications: {join(certs)}")
    if len(lines) == 1:
        lines = [f"The article lists no skills for {article(role_label(target.name))} beyond those of "
                 f"{article(role_label(current.name))}."]
    slots = {"current_role": current.name, "goal_role": target.name, "role": target.name, "subject_kind": "role"}
    sections = (current.section, target.section, kb().stage(target.stage).section)
    return Reply("\n".join(lines), sections=sections, slots=slots,
                 buttons=[button("Plan my path", "plan_path"),
                          button(f"What does {article(role_label(target.name))} do?", "ask_role_info",
                                 role=target.name)])

