"""Questions about certifications: which ones fit a role or stage, and what one is."""
from __future__ import annotations

from typing import List

from actions.clarify import suggestions
from actions.context import Context
from actions.render import Reply, article, button, join, role_label
from knowledge.queries import kb
from knowledge.records import Certification


def describe(cert: Certification) -> Reply:
    """What one certification is, when it fits, and what it does for you."""
    full = f" ({cert.name})" if cert.name.lower() != cert.acronym.lower() else ""
    text = f"{cert.acronym}{full}: {cert.summary}"
    if cert.stage:
        text += f"\nStage: {kb().stage(cert.stage).name.lower()}."
    if cert.benefits:
        text += f"\nWhat it does for you: {join(cert.benefits)}."
    if cert.fits_roles:
        text += f"\nFits roles such as {join([role_label(r) for r in cert.fits_roles])}."
    return Reply(text, sections=(cert.section,),
                 slots={"certification": cert.acronym, "subject_kind": "certification"},
                 buttons=[button("When should I get it?", "ask_duration", certification=cert.acronym),
                          button("All certifications", "ask_certification")])


def listing(certs: List[Certification], opening: str) -> str:
    return opening + "\n" + "\n".join(
        f"• {c.acronym}" + (f" ({c.name})" if c.name.lower() != c.acronym.lower() else "")
        for c in certs
    )


def certification(ctx: Context) -> Reply:
    cert = ctx.certification(remembered=False)
    if cert:
        return describe(cert)
    stage = ctx.stage()
    mention = ctx.role_mention(remembered=not ctx.slot("subject_kind") == "certification")
    if not stage and not mention.role and ctx.certification():
        return describe(ctx.certification())  # "at what stage should I get it?"
    if mention.role:
        return for_role(mention.role.name)
    if stage:
        certs = kb().certifications_for(stage.key)
        if certs:
            return Reply(listing(certs, f"Certifications for the {stage.name.lower()} stage:"),
                         sections=tuple(c.section for c in certs), slots={"stage": stage.key})
    all_certs = kb().certifications()
    opening = "The article names these certifications:"
    gap = f"role: {mention.unknown}" if mention.unknown else None
    if mention.unknown:
        opening = f"The article doesn't cover “{mention.unknown}”. " + opening
    return Reply(listing(all_certs, opening), sections=tuple(c.section for c in all_certs), gap=gap,
                 buttons=[button(f"What is {c.acronym}?", "ask_certification", certification=c.acronym)
                          for c in all_certs[:3]])


def for_role(role_name: str) -> Reply:
    role = kb().role(role_name)
    certs = kb().certifications_for(role_name)
    slots = {"role": role.name, "subject_kind": "role"}
    if not certs:
        all_certs = kb().certifications()
        text = (f"The article names no certification specifically for {article(role_label(role.name))}. "
                f"The ones it lists for moving up are {join(c.acronym for c in all_certs)}.")
        return Reply(text, sections=(role.section,) + tuple(c.section for c in all_certs), slots=slots,
                     gap=f"certifications: {role.name}", personal=True)
    text = listing(certs, f"For {article(role_label(role.name))}, the article points to:")
    return Reply(text, sections=tuple(c.section for c in certs), slots=slots, personal=True,
                 buttons=suggestions(role.name, "ask_duration", "ask_salary"))
