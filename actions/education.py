"""Questions about degrees: which to take first, what an MEM or MBA is and teaches."""
from __future__ import annotations

from actions.context import Context
from actions.render import Reply, article, button, figure, join, title
from knowledge.queries import kb
from knowledge.records import Degree


def describe(degree: Degree) -> Reply:
    text = f"{title(degree.name)}: {degree.summary}"
    if degree.teaches:
        text += f"\nIt teaches {join(degree.teaches)}."
    citations = (degree.premium.citation,) if degree.premium and degree.premium.citation else ()
    sections = [degree.section] + [f.section for f in (degree.duration, degree.premium) if f]
    return Reply(text, sections=tuple(sections), citations=citations,
                 slots={"degree": degree.value, "subject_kind": "degree"},
                 buttons=[button("MBA or MEM?", "compare", degree=["MBA", "MEM"]),
                          button("MEM specializations", "ask_specializations")])


def education(ctx: Context) -> Reply:
    """The degrees the article discusses; one of them; or a degree it does not cover, said first."""
    degree = ctx.degree(remembered=False)
    missing = ctx.not_covered("degree")
    if degree and missing:  # "PhD or MEM?"
        reply = describe(degree)
        reply.text = (f"The article doesn't cover {article(missing)}. "
                      f"What it says of {article(degree.value)}: {reply.text}")
        reply.gap = f"degree: {missing}"
        return reply
    if degree:
        return describe(degree)
    degrees = kb().degrees()
    if missing:
        names = join(title(d.name) for d in degrees)
        return Reply(f"The article doesn't cover {article(missing)}. The degrees it discusses are {names}.",
                     sections=tuple(d.section for d in degrees), gap=f"degree: {missing}",
                     buttons=[button("What is an MEM?", "ask_education", degree="MEM"),
                              button("MBA or MEM?", "compare", degree=["MBA", "MEM"])])
    bachelor = next(d for d in degrees if d.level == "bachelor")
    masters = [d for d in degrees if d.level == "master"]
    mem = next(d for d in masters if d.duration)
    text = (
        f"Start with {article(bachelor.name[:1].lower() + bachelor.name[1:])}: {bachelor.summary}\n"
        f"To move into management faster, many take {join((article(d.name) for d in masters), 'or')}, "
        f"which teach {join(mem.teaches)}. An MEM typically takes {figure(mem.duration)}."
    )
    sections = [bachelor.section] + [d.section for d in masters] + [mem.duration.section]
    return Reply(text, sections=tuple(sections),
                 buttons=[button("What is an MEM?", "ask_education", degree="MEM"),
                          button("MBA or MEM?", "compare", degree=["MBA", "MEM"])])
