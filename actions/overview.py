"""The article as a whole: what engineering management is, and its key takeaways."""
from __future__ import annotations

from actions.context import Context
from actions.money import salary_button
from actions.render import Reply, bullets, button
from knowledge.queries import kb


def overview(ctx: Context) -> Reply:
    overview, takeaways = kb().topic("overview"), kb().topic("key_takeaways")
    text = f"{overview.text}\n\nKey takeaways:\n{bullets(takeaways.items)}"
    return Reply(text, sections=(overview.section, takeaways.section),
                 buttons=[button("What's the typical career path?", "ask_progression"),
                          salary_button(),
                          button("Plan my career", "plan_path")])


def general_path() -> Reply:
    """How to get into engineering management when no particular role is named."""
    steps = [kb().topic(key) for key in ("education_path", "hands_on_experience", "leadership_skills")]
    ladder = " → ".join(kb().typical_ladder())
    text = "\n\n".join(topic.text for topic in steps) + f"\n\nThe typical ladder: {ladder}."
    return Reply(text, sections=tuple(t.section for t in steps) + (kb().typical_ladder_section(),),
                 buttons=[button("Plan my career", "plan_path"),
                          button("Which certifications help?", "ask_certification"),
                          button("What is an MEM?", "ask_education", degree="MEM")])
