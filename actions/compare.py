"""Side-by-side comparisons: EM vs director (the article's table), other roles, certs, degrees."""
from __future__ import annotations

from typing import Any, List, Optional, Sequence, Tuple

from actions.context import Context
from actions.education import value_of
from actions.render import Reply, Table, button, figure, join, role_label, title
from knowledge import queries
from knowledge.records import Certification, Degree, Role

Row = Tuple[str, str, str]


def table(left: str, right: str, rows: Sequence[Row], **reply: Any) -> Reply:
    """Short table-like text (a dimension, then each side on its own line), and the table itself."""
    lines = [f"{title(left)} vs {right}:"]
    for dimension, left_text, right_text in rows:
        lines += [f"• {title(dimension)}", f"   {title(left)}: {left_text}", f"   {title(right)}: {right_text}"]
    return Reply("\n".join(lines), table=Table(left, right, tuple(rows)), **reply)


def or_none(items: Sequence[str], conjunction: str = "or") -> str:
    return join(items, conjunction) if items else "not stated in the article"


def compare_roles(left: Role, right: Role) -> Reply:
    comparison = queries.compare_roles(left.name, right.name)
    if comparison:
        rows = [(r.dimension, r.left, r.right) for r in comparison.rows]
        return table(role_label(left.name), role_label(right.name), rows, sections=(comparison.section,))
    rows = [
        ("stage", queries.stage(left.stage).name, queries.stage(right.stage).name),
        ("skills", or_none(left.skills, "and"), or_none(right.skills, "and")),
        ("reports to", or_none([role_label(r) for r in left.reports_to]),
         or_none([role_label(r) for r in right.reports_to])),
        ("next steps", or_none([role_label(r) for r in left.next_steps]),
         or_none([role_label(r) for r in right.next_steps])),
    ]
    return table(role_label(left.name), role_label(right.name), rows, sections=(left.section, right.section))


def compare_certifications(left: Certification, right: Certification) -> Reply:
    def stage_of(cert: Certification) -> str:
        return queries.stage(cert.stage).name if cert.stage else "not stated"
    rows = [
        ("full name", left.name, right.name),
        ("stage", stage_of(left), stage_of(right)),
        ("what it does for you", or_none(left.benefits, "and"), or_none(right.benefits, "and")),
    ]
    return table(left.acronym, right.acronym, rows, sections=(left.section, right.section))


def compare_degrees(left: Degree, right: Degree) -> Reply:
    def length(degree: Degree) -> str:
        return figure(degree.duration) if degree.duration else "not stated in the article"

    def pay(degree: Degree) -> str:
        if degree.premium:
            source = degree.premium.citation.publisher if degree.premium.citation else "the article"
            return f"about {figure(degree.premium)} more than other experienced hires ({source})"
        return "no figure in the article"
    rows = [
        ("length", length(left), length(right)),
        ("teaches", or_none(left.teaches, "and"), or_none(right.teaches, "and")),
        ("pay", pay(left), pay(right)),
    ]
    figures = [f for d in (left, right) for f in (d.duration, d.premium) if f]
    return table(left.name, right.name, rows,
                 sections=(left.section, right.section) + tuple(f.section for f in figures),
                 citations=tuple(f.citation for f in figures if f.citation))


def comparison(ctx: Context) -> Reply:
    """Two roles, certifications or degrees side by side; remembered as the pair for "which one?"."""
    certs = pair(ctx.entities.get("certification", []), queries.find_certification, ctx.slot("certification"))
    if certs:
        return remembered_pair(compare_certifications(*certs), "certification", [c.acronym for c in certs])
    degrees = pair(ctx.entities.get("degree", []), queries.find_degree, ctx.slot("degree"))
    if degrees:
        return remembered_pair(compare_degrees(*degrees), "degree", [value_of(d) for d in degrees])
    roles = role_pair(ctx)
    if roles:
        return remembered_pair(compare_roles(*roles), "role", [r.name for r in roles])
    return Reply(
        "Which two would you like to compare? For example an engineering manager and a director, "
        "PMP and CSM, or an MBA and an MEM.",
        buttons=[button("EM vs director", "compare", role=["engineering manager", "engineering director"]),
                 button("MBA or MEM?", "compare", degree=["MBA", "MEM"]),
                 button("PMP or CSM?", "compare", certification=["PMP", "CSM"])],
    )


def remembered_pair(reply: Reply, kind: str, values: List[str]) -> Reply:
    reply.slots["last_pair"] = [f"{kind}:{value}" for value in values]
    return reply


def pair(values: List[str], find, remembered: Optional[str]) -> Optional[tuple]:
    """Two distinct KB records from this message, or one plus the one under discussion."""
    found = []
    for value in values + ([remembered] if remembered else []):
        record = find(value)
        if record and record not in found:
            found.append(record)
    return tuple(found[:2]) if len(found) >= 2 and values else None


def role_pair(ctx: Context) -> Optional[Tuple[Role, Role]]:
    roles = ctx.mentioned_roles()
    head = ctx.entity("ambiguous_role")
    if len(roles) == 1 and head:  # "manager vs director": the manager the article compares
        for candidate in queries.roles_with_head(head):
            if queries.compare_roles(candidate.name, roles[0].name):
                return candidate, roles[0]
    remembered = queries.find_role(ctx.slot("role") or "")
    if len(roles) == 1 and remembered and remembered != roles[0]:
        return remembered, roles[0]
    return (roles[0], roles[1]) if len(roles) >= 2 else None
