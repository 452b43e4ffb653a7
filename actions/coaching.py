"""Coaching turns: where the user stands, the one or two next moves for them, and why an answer holds.

Every move is built from the KB (the role's stage, its skills, the certifications for the next
role, the MEM, the next role itself) and the profile in slots (current role, discipline, years);
each says why, in the article's words, and cites where it says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

from actions.context import Context
from actions.render import Reply, article, button, figure, join, role_label, stage_kind, title
from knowledge.queries import kb
from knowledge.records import Role, Stage

MOVES_SHOWN = 2
UNRANKED = "unranked"  # the KB's stage of roles the article names without placing them


@dataclass(frozen=True)
class Move:
    text: str  # "Get the PMP: it enhances credibility …"
    section: str


def where_you_stand(role: Role, years: Optional[float]) -> str:
    """"A project manager is a mid-level role in the article; you're 2 years in, and it puts the move
    from entry-level to mid-level roles at 5–8 years." (the time into this stage or the next)."""
    stage = kb().stage(role.stage)
    if stage.key == UNRANKED:
        return f"The article names {article(role_label(role.name))} without placing it at a career stage."
    text = f"{title(article(role_label(role.name)))} is {article(stage_kind(stage))} role in the article"
    timed = next((s for s in (stage, next_stage(stage)) if s is not None and s.duration is not None), None)
    if years is not None and timed is not None:
        text += (f"; you're {years:g} year{'s' if years != 1 else ''} in, and it puts the move from "
                 f"{stage_kind(_stage_before(timed))} to {stage_kind(timed)} roles at {figure(timed.duration)}")
    return text + "."


def next_move(ctx: Context) -> Reply:
    """"What should I do first?": the one or two most relevant moves for this user, and why; "which
    one first?" right after the steps from a role: the moves from that role."""
    role = _current_role(ctx)
    slots = {"current_role": role.name} if role else {}
    standing = where_you_stand(role, ctx.slot("years_experience")) if role else ""
    if role is None and ctx.slot("last_question") in ("ask_next_step", "ask_progression"):
        role = kb().find_role(ctx.slot("role") or "")
        standing = where_you_stand(role, None) if role else ""
    move = ctx.discipline()
    if role is None and move is not None:  # an engineer of a discipline starts where the ladder starts
        entry = kb().stage("entry")
        role = kb().role(entry.roles[0])
        standing = (f"As {article(move.engineer)}, you start where the article's ladder starts: "
                    f"{stage_kind(entry)} roles such as {join([role_label(r) for r in entry.roles], 'or')}.")
    if role is None:
        return Reply("To suggest your next step I need to know where you stand: what's your current role?",
                     question="ask_advice",
                     buttons=[button(f"I'm {article(role_label(r))}", "inform", role=r) for r in kb().typical_ladder()])
    moves = moves_for(role, ctx.slot("discipline"))[:MOVES_SHOWN]
    lines = [standing, "Your next step, from the article:"]
    lines += [f"{number}. {move.text}" for number, move in enumerate(moves, start=1)]
    return Reply("\n".join(lines), sections=tuple(m.section for m in moves) + (role.section,),
                 slots={"role": role.name, "subject_kind": "role", **slots}, question="ask_advice",
                 buttons=_follow_ups(role))


def acknowledge(ctx: Context) -> Reply:
    """"I'm a project manager with 2 years' experience": where that stands, the article's next
    roles, and the first move ("what should I do first?" then gives the moves in full)."""
    role = ctx.self_described_role() or ctx.role_mention().role
    lines = [f"Got it: you're {article(role_label(role.name))}. {where_you_stand(role, ctx.slot('years_experience'))}"]
    steps = kb().steps_from(role.name)
    stated = [role_label(s.to_role) for s in steps if not s.implied]
    implied = [role_label(s.to_role) for s in steps if s.implied]
    if stated:
        lines.append(f"Common next steps from there: {join(stated, 'or')}.")
    if implied:
        lines.append(f"The article implies {'a move' if stated else 'moves'} to {join(implied, 'or')} "
                     "without stating it.")
    moves = moves_for(role, ctx.slot("discipline"))[:1]
    lines += [f"Your next step, from the article: {move.text}" for move in moves]
    sections = tuple(m.section for m in moves) + (role.section,)
    return Reply("\n".join(lines), sections=sections, question="introduce",
                 slots={"current_role": role.name, "role": role.name, "subject_kind": "role"},
                 buttons=[button("What should I do first?", "ask_advice"), *_follow_ups(role)[1:]])


def not_me(ctx: Context) -> Reply:
    """"I'm not a project manager": forget the wrong current role and ask for the right one."""
    wrong = kb().find_role(ctx.slot("current_role") or "")
    named = next(iter(ctx.mentioned_roles()), wrong)
    said = f"you're not {article(role_label(named.name))}" if named else "I had your role wrong"
    return Reply(f"Sorry, my mistake: {said}. What's your current role?", question="ask_advice",
                 slots={"current_role": None} if wrong and (named is None or named == wrong) else {},
                 buttons=[button(f"I'm {article(role_label(r))}", "inform", role=r) for r in kb().typical_ladder()])


def moves_for(role: Role, discipline: Optional[str] = None) -> List[Move]:
    """The moves for someone in ``role``, most relevant first: early on, hands-on experience and a
    certification for the next stage; in mid-career, a certification and the MEM; later, the next
    role and the MBA."""
    experience, certification, degree, promotion = (
        _experience(role, discipline), _certification(role), _degree(role), _promotion(role))
    stage_rank = kb().stage(role.stage).order - kb().stage("mid").order
    if stage_rank < 0:
        ordered = [experience, certification, promotion, degree]
    elif stage_rank == 0:
        ordered = [certification, degree, promotion, experience]
    else:
        ordered = [promotion, degree, certification, experience]
    return [move for move in ordered if move is not None]


def reason(ctx: Context) -> Reply:
    """"Why?": the article's reason for the last answer's subject, or an honest "it doesn't say"."""
    kind = ctx.slot("subject_kind")
    cert = ctx.certification() if kind == "certification" else None
    if cert and cert.benefits:
        return Reply(f"Because, the article says, the {cert.acronym} {join(cert.benefits)}.",
                     sections=(cert.section,), slots={"subject_kind": "certification"})
    degree = ctx.degree() if kind == "degree" else None
    if degree is None and ctx.slot("last_question") == "ask_education":
        degree = kb().degree("mem")
    if degree is not None:
        said = f"Because, the article says, {article(degree.value)} teaches {join(degree.teaches)}"
        said += f", and {degree.summary[0].lower()}{degree.summary[1:]}" if degree.summary else "."
        return Reply(said, sections=(degree.section,))
    role = kb().find_role(ctx.slot("role") or "") if kind == "role" else None
    if role is not None:
        return Reply(f"What the article says of {article(role_label(role.name))}: {role.summary}",
                     sections=(role.section,))
    return Reply("The article doesn't give a reason beyond what I said. Ask me where an answer comes from "
                 "and I'll name its section.", buttons=[button("Where does that come from?", "ask_source")])


def next_stage(stage: Stage) -> Optional[Stage]:
    ordered = kb().stages()
    index = ordered.index(stage)
    return ordered[index + 1] if index + 1 < len(ordered) else None


def _stage_before(stage: Stage) -> Stage:
    ordered = kb().stages()
    return ordered[max(ordered.index(stage) - 1, 0)]


def _current_role(ctx: Context) -> Optional[Role]:
    """The user's role: said now, the answer to "what's your current role?", or remembered."""
    answered = ctx.mentioned_roles() if ctx.slot("last_question") == "ask_advice" else []
    role = ctx.self_described_role() or next(iter(answered), None) or kb().find_role(ctx.slot("current_role") or "")
    return role


def _experience(role: Role, discipline: Optional[str]) -> Optional[Move]:
    if not role.skills:
        return None
    move = kb().discipline_move(discipline) if discipline else None
    where = f" in {move.engineer} work" if move else ""
    return Move(f"Build hands-on experience{where}: {join(role.skills[:3])}, which the article names for "
                f"{article(role_label(role.name))}.", role.section)


def _next_role(role: Role) -> Optional[Role]:
    steps = kb().steps_from(role.name)
    stated = [s for s in steps if not s.implied] or steps
    return kb().role(stated[0].to_role) if stated else None


def _promotion(role: Role) -> Optional[Move]:
    steps = kb().steps_from(role.name)
    if not steps:
        return None
    step = next((s for s in steps if not s.implied), steps[0])
    says = "implies" if step.implied else "names"
    took = f" ({figure(step.duration)} for that move)" if step.duration else ""
    return Move(f"Aim for {role_label(step.to_role)}: the article {says} it as a next step from "
                f"{role_label(role.name)}{took}.", step.section)


def _certification(role: Role) -> Optional[Move]:
    target = _next_role(role) or role
    certs = kb().certifications_for(target.name) or kb().certifications_for(role.name)
    if not certs:
        return None
    cert = certs[0]
    benefit = f": it {cert.benefits[0]}" if cert.benefits else ""
    return Move(f"Get the {cert.acronym} ({cert.name}){benefit}.", cert.section)


def _degree(role: Role) -> Optional[Move]:
    mem = kb().degree("mem")
    if not mem.duration:
        return None
    return Move(f"Consider {article(mem.value)} ({figure(mem.duration)}): it teaches {join(mem.teaches[:3])}, "
                "and the article says it can accelerate your path.", mem.section)


def _follow_ups(role: Role) -> List[dict]:
    follow = [button("Why?", "ask_reason")]
    nxt = _next_role(role)
    if nxt:
        follow.append(button(f"Plan my path to {role_label(nxt.name)}", "plan_path", role=nxt.name))
    return follow
