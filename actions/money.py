"""Questions about pay and prospects: salary figures, the MBA premium, outlook and ROI."""
from __future__ import annotations

from typing import Dict, Optional

from actions.clarify import which_role
from actions.context import Context
from actions.render import Reply, article, button, figure, join, role_label, title
from knowledge.queries import kb
from knowledge.records import Degree, Industry, Role


def salary_role() -> Role:
    """The role the article's salary figures are about."""
    return kb().role(kb().figure("salary_average").role)


def salary_button() -> Dict[str, str]:
    """ "How much do engineering managers make?" """
    role = salary_role()
    return button(f"How much do {role.title}s make?", "ask_salary", role=role.name)


def salary_summary() -> Reply:
    low, high, average = (kb().figure(key) for key in ("salary_low", "salary_high", "salary_average"))
    high_paying = [i.name for i in kb().industries(pay="high")]
    competitive = [i.name for i in kb().industries(pay="competitive")]
    text = (
        f"{title(salary_role().title)}s typically earn about {figure(low)} to {figure(high)} a year, "
        f"with an average of {figure(average)} in {average.year}. "
        f"Pay varies by industry and experience: {join(high_paying)} pay best, "
        f"and {join(competitive)} can also be competitive."
    )
    citations = tuple(f.citation for f in (low, high, average) if f.citation)
    return Reply(text, sections=(average.section,), citations=citations,
                 buttons=[button("How much more with an MBA?", "ask_salary", degree="MBA"),
                          button("Where do these figures come from?", "ask_source")])


def degree_premium(degree: Degree) -> Reply:
    mba = kb().degree("mba")
    premium = mba.premium
    text = (f"MBA graduates earn on average {figure(premium)} more than other experienced hires "
            f"who come straight from industry ({premium.citation.publisher} survey).")
    gap = None
    if degree.key != mba.key:
        text = (f"The article gives no salary figure for {article(degree.name)} itself; it says an "
                f"engineering management degree can greatly enhance earning potential. {text}")
        gap = f"salary: {degree.name}"
    return Reply(text, sections=(premium.section,), citations=(premium.citation,), gap=gap,
                 slots={"degree": degree.value, "subject_kind": "degree"})


def labelled(opening: str, reply: Reply, gap: str) -> Reply:
    """The nearest thing the article knows, clearly labelled as such."""
    reply.text = (f"{opening} What it does give, for US {salary_role().title}s: "
                  f"{reply.text[:1].lower()}{reply.text[1:]}")
    reply.gap = f"salary: {gap}"
    return reply


def salary(ctx: Context) -> Reply:
    """The article's salary figures, labelled when the question asks about something else."""
    degree = ctx.degree(remembered=False) or _remembered_degree(ctx)
    if degree:
        return degree_premium(degree)
    industry = next((i for i in kb().industries() if i.name in ctx.entities.get("industry", [])), None)
    if industry:  # "and in aerospace?" after a salary answer
        return labelled(industry_pay(industry), salary_summary(), industry.name)
    employer = next((e for e in kb().employers() if e in ctx.entities.get("employer", [])), None)
    if employer:  # "how much does Deloitte pay?": the article names employers, not their pay
        return labelled(f"The article gives no salary figure for {employer}.", salary_summary(), employer)
    for kind in ("currency", "place"):
        term = ctx.not_covered(kind)
        if term:
            return labelled(f"The article gives no salary figures for {term}.", salary_summary(), term)
    mention = ctx.role_mention()
    if mention.ambiguous:
        return which_role(mention, "ask_salary")
    if mention.unknown:
        return labelled(f"The article doesn't cover salaries for {mention.unknown}.", salary_summary(),
                        mention.unknown)
    reply = salary_summary()
    if mention.role and mention.role != salary_role():
        reply = labelled(f"The article gives no salary figure for {article(role_label(mention.role.name))}.",
                         reply, mention.role.name)
    if mention.role:
        reply.slots.update({"role": mention.role.name, "subject_kind": "role"})
    return reply


def industry_pay(industry: Industry) -> str:
    """What the article says of pay in one industry: only whether it is among the best-paying."""
    standing = {"high": "among the best-paying industries", "competitive": "among those that can also pay well"}
    said = f" It names {industry.name} {standing[industry.pay]}." if industry.pay in standing else ""
    return f"The article gives no salary figure for {industry.name} on its own.{said}"


def _remembered_degree(ctx: Context) -> Optional[Degree]:
    """"How much more do they earn?" right after talking about a degree."""
    if ctx.entities.get("role") or ctx.slot("subject_kind") != "degree":
        return None
    return ctx.degree()


def outlook(ctx: Context) -> Reply:
    """The job market and the return on the investment, as the article sees them."""
    market, roi = kb().topic("outlook"), kb().topic("roi")
    return Reply(f"{market.text} {roi.text}", sections=(market.section, roi.section),
                 buttons=[salary_button(), button("What is an MEM?", "ask_education", degree="MEM")])
