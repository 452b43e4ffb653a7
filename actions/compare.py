"""Side-by-side comparisons: the article's table of two roles, other roles, certifications, degrees."""
from __future__ import annotations

from typing import Any, List, Optional, Sequence, Tuple

from actions.context import Context
from actions.render import Reply, Table, article, button, figure, join, role_label, title
from knowledge.queries import kb
from knowledge.records import Certification, Degree, Role

Row = Tuple[str, str, str]


SHOWN_FIRST = 3  # a longer table shows its first rows (the KB lists the biggest differences first)
SHOW_ALL = "all"  # the ``detail`` entity of the "show all" payload: /compare{"role": [...], "detail": "all"}


def table(left: str, right: str, rows: Sequence[Row], show_all: Optional[dict] = None, **reply: Any) -> Reply:
    """Short table-like text (a dimension, then each side on its own line), and the table itself;
    with ``show_all`` (its button), only the first rows of a long table."""
    shown = list(rows[:SHOWN_FIRST]) if show_all and len(rows) > SHOWN_FIRST else list(rows)
    lines = [f"{title(left)} vs {right}:"]
    for dimension, left_text, right_text in shown:
        lines += [f"• {title(dimension)}", f"   {title(left)}: {left_text}", f"   {title(right)}: {right_text}"]
    buttons = list(reply.pop("buttons", []))
    if len(shown) < len(rows):
        lines.append(f"It also compares {join([row[0] for row in rows[len(shown):]])}.")
        buttons.insert(0, show_all)
    return Reply("\n".join(lines), table=Table(left, right, tuple(shown)), buttons=buttons, **reply)


def or_none(items: Sequence[str], conjunction: str = "or") -> str:
    return join(items, conjunction) if items else "not stated in the article"


def compare_roles(left: Role, right: Role, full: bool = False) -> Reply:
    comparison = kb().compare_roles(left.name, right.name)
    if comparison:
        rows = [(r.dimension, r.left, r.right) for r in comparison.rows]
        every_row = None if full else button(
            f"Show all {len(rows)} differences", "compare", role=[left.name, right.name], detail=SHOW_ALL)
        return table(role_label(left.name), role_label(right.name), rows, show_all=every_row,
                     sections=(comparison.section,))
    rows = [
        ("stage", kb().stage(left.stage).name, kb().stage(right.stage).name),
        ("skills", or_none(left.skills, "and"), or_none(right.skills, "and")),
        ("reports to", or_none([role_label(r) for r in left.reports_to]),
         or_none([role_label(r) for r in right.reports_to])),
        ("next steps", or_none([role_label(r) for r in left.next_steps]),
         or_none([role_label(r) for r in right.next_steps])),
    ]
    return table(role_label(left.name), role_label(right.name), rows, sections=(left.section, right.section))


def compare_certifications(left: Certification, right: Certification) -> Reply:
    def stage_of(cert: Certification) -> str:
        return kb().stage(cert.stage).name if cert.stage else "not stated"
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
    certs = pair(ctx.entities.get("certification", []), kb().find_certification, ctx.slot("certification"))
    if certs:
        return remembered_pair(compare_certifications(*certs), "certification", [c.acronym for c in certs])
    degrees = pair(ctx.entities.get("degree", []), kb().find_degree, ctx.slot("degree"))
    if degrees:
        return remembered_pair(compare_degrees(*degrees), "degree", [d.value for d in degrees])
    roles = role_pair(ctx)
    if roles:
        full = SHOW_ALL in ctx.entities.get("detail", [])
        return remembered_pair(compare_roles(*roles, full=full), "role", [r.name for r in roles])
    return which_two()


def which_two() -> Reply:
    """Ask what to compare, with the KB's own examples: its role comparison, two certifications,
    two master's degrees."""
    roles_compared = kb().comparisons()[0]
    certs = [c.acronym for c in kb().certifications()[:2]]
    degrees = [d.value for d in kb().degrees() if d.level == "master"][:2][::-1]
    examples = join([" and ".join(article(role_label(r)) for r in (roles_compared.left, roles_compared.right)),
                     " and ".join(certs), " and ".join(article(d) for d in degrees)], "or")
    return Reply(f"Which two would you like to compare? For example {examples}.",
                 buttons=[*comparison_buttons(), button(f"{' or '.join(degrees)}?", "compare", degree=degrees),
                          button(f"{' or '.join(certs)}?", "compare", certification=certs)])


def comparison_buttons() -> List[dict]:
    """A button per role comparison the article makes: "EM vs engineering director"."""
    def short(name: str) -> str:
        role = kb().role(name)
        return role.short_name or role.title
    return [button(f"{short(c.left)} vs {short(c.right)}", "compare", role=[c.left, c.right])
            for c in kb().comparisons()]


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
        for candidate in kb().roles_with_head(head):
            if kb().compare_roles(candidate.name, roles[0].name):
                return candidate, roles[0]
    remembered = kb().find_role(ctx.slot("role") or "")
    if len(roles) == 1 and remembered and remembered != roles[0]:
        return remembered, roles[0]
    return (roles[0], roles[1]) if len(roles) >= 2 else None
