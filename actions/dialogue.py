"""The dialogue layer: from the understood message and the conversation so far to what to answer.

Every message is read as the SUBJECTS it names (roles, certifications, degrees, …) and the ASPECTS
it asks about (the intents: duties, salary, duration, …), one aspect per clause of a compound
question. :func:`decide` is a pure function of the :class:`~actions.context.Context` (latest
message plus slots): it returns the steps to answer, in the order asked. Each step names a row of
:data:`~actions.aspects.ASPECTS`, the one table of what answers what; the answer functions only answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Dict, List, Optional, Tuple

from actions import gaps
from actions.aspects import ASPECTS, QUESTIONS
from actions.context import Context

# What a bare subject asks about, when there is no earlier question to re-ask about it.
DEFAULT_ASPECT: Dict[str, str] = {
    "certification": "ask_certification",
    "degree": "ask_education",
    "discipline": "ask_discipline_move",
    "stage": "ask_roles_by_stage",
    "specialization": "ask_specializations",
    "industry": "ask_industries",
    "employer": "ask_industries",
    "tool": "ask_tools",
    "role": "ask_role_info",
}
# Aspects about a role (or stage) alone: one that names another subject asks about that instead.
ROLE_SUBJECTS = {"role", "stage"}
SURE_OF_WHOLE = 0.8  # a whole message read as a question this surely keeps its reading over a clause's
# Entities that name a role without naming a KB role.
ROLE_LIKE = {"ambiguous_role": "role", "unknown_role": "role"}
# Questions that wait for the user's current role ("what am I missing…?" … "I'm a project manager").
PENDING_ON_PROFILE = ("skill_gap", "plan_path", "ask_advice")
# Aspects that, given two subjects of one kind, ask which is better: "is an MEM better than an MBA?"
COMPARED_KIND = {"ask_education": ("degree",), "ask_certification": ("certification",),
                 "ask_role_info": ("role", "certification", "degree"),
                 "inform": ("role", "certification", "degree"),
                 "ask_not_covered": ("certification", "degree"),
                 "nlu_fallback": ("certification", "degree")}  # two roles may be a path: "from X to Y"
# ...or, with a word of comparison, any two subjects of one kind: "EM compared with director?"
COMPARISON = re.compile(r"\b(vs\.?|versus|compared?|comparison|differen(ce|t)|better|rather|or)\b", re.IGNORECASE)
CUE_COMPARABLE = ("inform", "nlu_fallback", "ask_not_covered", "ask_role_info", "ask_education", "ask_certification",
                  "ask_requirements", "ask_outlook")
# Aspects answered about one subject kind at a time: a question naming each of these kinds is
# answered about each, in this order ("how much does an EM with an MBA make?": both figures).
EACH_KIND: Dict[str, Tuple[str, ...]] = {"ask_salary": ("role", "degree")}
# "which one of them pays more?": the last pair compared.
THE_PAIR = re.compile(r"\b(which (one|of (them|the two|those|these))|either|both|the two|between them)\b",
                      re.IGNORECASE)
# A question may open with a word of its own ("hi! what …", "hey, how …", "PMP: is it …") or an
# interjection ("yo what …"): the clause splitter leaves a one-word piece with its neighbour.
OPENING = r"(\w+\s*[,!.:;]+\s*|(hi|hey|hello|yo|sup|hiya|heya|um|uh|hmm|well|right|alright)\s+)?"
QUESTION_START = re.compile(
    r"^\W*" + OPENING + r"((and|also|plus|but|so|then|ok|okay)\s+)?"
    r"(what|whats|what's|who|whom|whose|how|which|when|where|why|is|are|do|does|did|can|could|should|would|will|"
    r"tell|give|list|explain|any|and)\b", re.IGNORECASE)
# "I'm not a project manager": the profile was wrong (a negated self-description is never a cue).
NOT_ME = re.compile(r"\b(i'?m|i am)\s+(not|no longer)\b", re.IGNORECASE)
OFF_TOPIC = "out_of_scope"
CLOSEST = "The closest the article comes:"
WHAT_IT_SAYS = "What it does say:"


@dataclass(frozen=True)
class Step:
    """One part of the reply: an :data:`ASPECTS` row answered in a context, maybe labelled."""

    aspect: str
    ctx: Context
    label: Optional[str] = None  # e.g. "The closest the article comes:" before a neighbouring answer


def decide(ctx: Context) -> List[Step]:
    """The steps that answer this message, in the order it asks them."""
    if not ctx.in_domain or ctx.intent == "out_of_scope":  # the NLU's domain gate or classifier
        return [Step("not_covered" if ctx.not_covered("topic") else "out_of_scope", ctx)]
    steps: Dict[tuple, Step] = {}
    for part in questions(ctx):
        for step in route(part):
            subjects = tuple(sorted((label, tuple(values)) for label, values in step.ctx.entities.items()))
            steps.setdefault((step.aspect, step.label, subjects), step)
    return list(steps.values())


def questions(ctx: Context) -> List[Context]:
    """The questions of a message: one per clause the NLU found, background clauses left out.

    A clause that names no subject is about the one before it ("I'm thinking of the MEM. Is it
    worth it?"). A message with one question in it is read whole, background and all ("PMP or CSM,
    which is better?", "I'm a PM with 3 years in. What next?"), with the question's own intent when
    the NLU is surer of it than of the whole message's, unless the whole message is surely a question
    itself ("I've been a civil engineer for 3 years and want to manage, what should I do?" asks how
    a civil engineer moves into management, not for a next step without that background). Several
    questions of which one is about the article: that one, and the others that tell a background.
    """
    parts = [replace(ctx.part(clause), intent=clause_aspect(clause)) for clause in ctx.clauses]
    if len(parts) < 2:
        return [ctx]
    for index in range(1, len(parts)):
        if not named_kinds(parts[index]):
            parts[index] = replace(parts[index], entities={**parts[index - 1].entities, **parts[index].entities},
                                   entity_roles={**parts[index - 1].entity_roles, **parts[index].entity_roles})
    asked = [part for part in parts if is_question(part)] or parts
    answerable = [part for part in asked if part.intent in QUESTIONS]
    if len(asked) > 1 and len(answerable) > 1:
        return answerable
    if len(asked) > 1 and answerable:  # "I'm a project engineer, an MBA: thoughts? also what do PMs make"
        return [part for part in asked if part.intent in QUESTIONS or part.intent == "inform"]
    if len(asked) == 1 < len(parts) and asked[0].intent in QUESTIONS and asked[0].confidence > ctx.confidence \
            and not (ctx.intent in QUESTIONS and ctx.confidence >= SURE_OF_WHOLE):
        return [replace(ctx, intent=asked[0].intent)]  # the question, read with its background
    return [ctx]


def aspects_asked(ctx: Context) -> List[str]:
    """What the message asks, aspect by aspect in order: the understanding the held-out set measures."""
    return list(dict.fromkeys(asked_aspect(part) for part in questions(ctx)))


def clause_aspect(clause: Dict) -> str:
    """A clause's intent; one read as off-topic gets its best-ranked question instead, since a part
    of a question about the domain is seldom off-topic ("how's the job market for EMs, and what do
    they earn?")."""
    intent = str(clause.get("intent") or "")
    if intent != "out_of_scope":
        return intent
    ranking = clause.get("ranking") or []
    return next((r["name"] for r in ranking if r.get("name") in QUESTIONS or r.get("name") == "inform"), intent)


def is_question(part: Context) -> bool:
    """A clause that asks something (rather than tells the user's background)."""
    return part.text.rstrip().endswith("?") or bool(QUESTION_START.match(part.text))


def named_kinds(ctx: Context) -> List[str]:
    """The kinds of subject this message names, in a stable order."""
    kinds = [kind for kind in DEFAULT_ASPECT if ctx.entities.get(kind)]
    kinds += [kind for label, kind in ROLE_LIKE.items() if ctx.entities.get(label) and kind not in kinds]
    elsewhere = [v for v in ctx.entities.get("not_covered", []) if not v.startswith(("topic:", "degree:"))]
    if elsewhere and "role" not in kinds:  # "and in Germany?", "what about a surgeon?"
        kinds.append("role")
    if ctx.not_covered("degree"):
        kinds.insert(0, "degree")
    return kinds


def asked_aspect(part: Context) -> str:
    """The aspect one question asks about, given what it names: the intent, read with its subjects."""
    if part.not_covered("degree") and part.intent in ("ask_requirements", "compare"):
        return "ask_education"  # "do I need a PhD for this?", "PhD or MEM?"
    if compares(part):
        return "compare"
    aspect, kinds = part.intent, named_kinds(part)
    if aspect == "nlu_fallback" and kinds:
        return "inform"  # unsure what was asked, sure of the subject: a follow-up about it
    if aspect == "nlu_fallback" and part.best_guess == OFF_TOPIC and not part.own_words:
        return OFF_TOPIC  # unsure, likeliest from another domain, no word only the domain uses: no KB fact
    accepted = set(ASPECTS[aspect].subjects) if aspect in ASPECTS else set()
    if accepted and accepted <= ROLE_SUBJECTS and kinds and not accepted & set(kinds):
        return DEFAULT_ASPECT[kinds[0]]  # "what is the PMP?" asked as a question about a role
    return aspect


def route(part: Context) -> List[Step]:
    """The step(s) for one question."""
    with_pair(part)
    topic = part.not_covered("topic")
    if topic or part.intent == "ask_not_covered":
        return not_covered(part, topic)
    if NOT_ME.search(part.text):  # "I'm not a PM, I'm a staff engineer": a correction, not a comparison
        return follow_up(part)
    aspect = asked_aspect(part)
    row = ASPECTS.get(aspect, ASPECTS["rephrase"])
    if row.from_elsewhere and gaps.comes_from_elsewhere(part):
        aspect, row = row.from_elsewhere, ASPECTS[row.from_elsewhere]
    steps = follow_up(part) if aspect in ("inform", "nlu_fallback") else [
        Step(aspect if aspect in ASPECTS else "rephrase", narrowed) for narrowed in each_kind(aspect, part)]
    if gaps.role_elsewhere(part) and (part.mentioned_roles() or row.origin):
        # "I'm a scrum master, can I become an EM?", "I'm a chemical engineer, how do I get into
        # management?": the article has no path from there; say so first
        return [Step("origin_not_covered", part)] + said_anyway(steps)
    if gaps.place_elsewhere(part) and not all(ASPECTS[step.aspect].places for step in steps):
        # "and in Germany?" after "who do they report to?": the article says nothing by country
        return [Step("place_not_covered", part)] + said_anyway([s for s in steps if s.aspect in QUESTIONS])
    return steps


def each_kind(aspect: str, part: Context) -> List[Context]:
    """``part``, or, when it names every kind :data:`EACH_KIND` lists for ``aspect``, one copy per kind
    with the others' subjects left out."""
    kinds = EACH_KIND.get(aspect, ())
    if not kinds or not all(part.entities.get(kind) for kind in kinds):
        return [part]
    return [replace(part, entities={label: values for label, values in part.entities.items()
                                    if label == kind or label not in kinds}) for kind in kinds]


def said_anyway(steps: List[Step]) -> List[Step]:
    """``steps`` after a "the article doesn't cover …" reply, labelled as what it does say."""
    return [replace(step, label=step.label or WHAT_IT_SAYS) for step in steps]


def not_covered(part: Context, topic: Optional[str]) -> List[Step]:
    """Say what the article does not cover; then, for a question about a KB subject, the closest it
    does say: the topic's nearest question (KB data), else what a bare subject asks about."""
    steps = [Step("not_covered", part)]
    kinds = named_kinds(part)
    nearest = gaps.nearest_aspect(topic) if topic else DEFAULT_ASPECT[kinds[0]] if kinds else None
    if kinds and nearest in ASPECTS:
        steps.append(Step(nearest, part, label=CLOSEST))
    return steps


def follow_up(part: Context) -> List[Step]:
    """A bare subject, "what about X?", a self-description, or a message the NLU was unsure of.

    Unsure of the question but sure of its subject, the reply says the article may not cover
    exactly that before what it does say about the subject: never a confident neighbouring answer.
    """
    pending = part.slot("last_question")
    if NOT_ME.search(part.text) and not part.self_described_role():
        return [Step("not_me", part)]
    if part.self_described_role():
        return [Step(pending if pending in PENDING_ON_PROFILE else "introduce", part)]
    if pending == "ask_advice" and part.mentioned_roles():  # the answer to "what's your current role?"
        return [Step(pending, part)]
    if part.goal_role():
        return [Step("state_goal", part)]
    kinds = named_kinds(part)
    if not kinds:
        return [Step("retrieve" if part.intent == "nlu_fallback" else "rephrase", part)]
    last = ASPECTS.get(pending or "")
    fits = last and last.repeatable and set(kinds) & set(last.subjects)
    step = Step(pending if fits else DEFAULT_ASPECT[kinds[0]], part)
    if part.intent == "nlu_fallback":
        return [Step("unsure", part), replace(step, label=WHAT_IT_SAYS)]
    return [step]


def compares(part: Context) -> bool:
    """Two subjects of one kind where the question asks about one: "PMP or CSM, which is better?"."""
    if part.intent == "compare":
        return True
    if any(len(set(part.entities.get(kind, []))) >= 2 for kind in COMPARED_KIND.get(part.intent, ())):
        return True
    pairs = any(len(set(part.entities.get(kind, []))) >= 2 for kind in ("role", "certification", "degree"))
    return pairs and part.intent in CUE_COMPARABLE and bool(COMPARISON.search(part.text))


def with_pair(part: Context) -> None:
    """"Which one of them …?" with no subject named: the pair compared last."""
    pair = part.slot("last_pair") or []
    if len(pair) == 2 and not named_kinds(part) and THE_PAIR.search(part.text):
        kind, _, _ = pair[0].partition(":")
        part.entities[kind] = [value.partition(":")[2] for value in pair]
