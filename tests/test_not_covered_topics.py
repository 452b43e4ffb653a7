"""Career topics the article leaves open: valid data, found in what users type, never in-domain."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import List

import pytest

from bot.components.matcher import KnowledgeMatcher
from knowledge.build import build
from knowledge.errors import KnowledgeError, UnknownSubject
from knowledge.loader import NEAREST_INTENTS, TOPIC
from knowledge.queries import kb
from tests.test_knowledge_build import ARTICLE, _edit, data_copy  # noqa: F401 (data_copy: a fixture)

VOCABULARY = Path(__file__).resolve().parent.parent / "data" / "generated" / "kb_vocabulary.json"


@pytest.fixture(scope="module")
def matcher() -> KnowledgeMatcher:
    return KnowledgeMatcher(json.loads(VOCABULARY.read_text(encoding="utf-8")))


def topics_in(matcher: KnowledgeMatcher, text: str) -> List[str]:
    return [match.value for match in matcher.find(text)
            if match.label == "not_covered" and match.value.startswith(f"{TOPIC}:")]


def test_every_topic_has_aliases_and_a_valid_nearest_intent() -> None:
    topics = kb().not_covered_topics()
    assert len(topics) >= 55
    for topic in topics:
        assert topic.aliases, topic.term
        assert topic.nearest in NEAREST_INTENTS, topic.term


def test_topics_flow_into_the_vocabulary_as_not_covered_entries() -> None:
    entries = json.loads(VOCABULARY.read_text(encoding="utf-8"))["entries"]
    values = {entry["value"] for entry in entries if entry["label"] == "not_covered"}
    assert {f"{TOPIC}:{topic.term}" for topic in kb().not_covered_topics()} <= values


@pytest.mark.parametrize("name", ["interviews", "interview preparation", "topic:interview preparation"])
def test_a_topic_is_found_by_alias_term_or_entity_value(name: str) -> None:
    assert kb().not_covered_topic(name) == kb().not_covered_topic("interview prep")
    assert kb().not_covered_topic(name).nearest == "ask_requirements"


@pytest.mark.parametrize("name", ["surgeon", "engineering manager", "topic:knitting"])
def test_other_names_are_not_topics(name: str) -> None:
    with pytest.raises(UnknownSubject):
        kb().not_covered_topic(name)


INTERVIEW = "kind: topic, nearest: ask_requirements, aliases: [interview,"
# name -> (text to replace in not_covered.yml, replacement, parts of the message)
BREAKAGES = {
    "unknown nearest": (INTERVIEW, INTERVIEW.replace("ask_requirements", "ask_weather"),
                        ("'interview preparation'", "field 'nearest' is 'ask_weather'; expected one of")),
    "topic without nearest": (INTERVIEW, INTERVIEW.replace(" nearest: ask_requirements,", ""),
                              ("'interview preparation'", "missing required field 'nearest'")),
    "nearest on a profession": ("{term: surgeon, kind: profession}",
                                "{term: surgeon, kind: profession, nearest: ask_salary}",
                                ("'surgeon'", "field 'nearest' is only allowed when kind is 'topic'")),
    "alias of a covered name": (INTERVIEW, INTERVIEW.replace("[interview,", "[project manager, interview,"),
                                ("'interview preparation'",
                                 "alias 'project manager' already names role 'project manager'")),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_bad_topic_data_stops_the_build(breakage: str, data_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    old, new, expected = BREAKAGES[breakage]
    _edit(data_copy / "not_covered.yml", old, new)
    with pytest.raises(KnowledgeError) as raised:
        build(data_copy, f"sqlite:///{tmp_path / 'knowledge.db'}")
    message = str(raised.value)
    for part in ("not_covered.yml", *expected):
        assert part in message, f"{part!r} not in {message!r}"
    assert not (tmp_path / "knowledge.db").exists()


@pytest.mark.parametrize("text, term", [
    ("how do I prepare for an engineering manager interview", "interview preparation"),
    ("what interview questions do directors get asked?", "interview preparation"),
    ("how much is the tuition for an MEM", "tuition and cost"),
    ("what are the fees for the MEM program?", "tuition and cost"),
    ("can I afford an MBA", "tuition and cost"),
    ("is there a scholarship for the MEM", "scholarships and financial aid"),
    ("how many hours a week do engineering managers work", "working hours"),
    ("do EMs work overtime?", "working hours"),
    ("how is the work-life balance for an EM", "work-life balance"),
    ("how much vacation do directors get", "paid time off"),
    ("can engineering managers work remotely", "remote work"),
    ("is WFH common for directors", "remote work"),
    ("do I need a visa to work as an engineering manager in the US", "visas and immigration"),
    ("how do I negotiate my salary as an EM", "salary negotiation"),
    ("how do I ask for a raise", "salary negotiation"),
    ("do engineering managers get stock options", "bonuses and equity"),
    ("what about bonuses for directors?", "bonuses and equity"),
    ("does the job come with health insurance", "employee benefits"),
    ("what is the take home pay of an EM", "taxes"),
    ("should I put my PMP on my resume", "resume writing"),
    ("how should I write my CV", "resume writing"),
    ("how do I optimize my LinkedIn profile", "LinkedIn and personal branding"),
    ("are engineering managers at risk of layoffs", "layoffs"),
    ("am I too old to become an engineering manager at 45", "age"),
    ("are there many women in engineering management", "gender and diversity"),
    ("which job board lists engineering manager jobs", "job search"),
    ("how hard is the PMP exam", "certification exams"),
    ("what is the pass rate for the PMP", "certification exams"),
    ("how do I renew my PMP", "certification renewal"),
    ("is the CAPM worth it", "CAPM, ITIL and other certifications"),
    ("do I need a PE license to be an engineering manager", "professional engineer license"),
    ("what GPA do I need for an MEM", "GPA and grades"),
    ("what are the admission requirements for an MEM", "admissions"),
    ("do I need the GRE for an MEM", "entrance exams"),
    ("is an online MEM from Coursera worth it", "online courses"),
    ("which university has the best MEM program", "university rankings"),
    ("is Duke good for an MEM", "specific universities"),
    ("can I freelance as an engineering manager", "freelancing"),
    ("should I join a startup as a CTO", "startups"),
    ("do engineering managers join unions", "unions"),
    ("should I relocate for an engineering manager job", "relocation"),
    ("how do I write a performance review", "performance reviews"),
    ("how do I fire someone on my team", "firing employees"),
    ("how do I deal with burnout as an EM", "burnout and stress"),
    ("what books should a new engineering manager read", "books and podcasts"),
    ("will AI replace engineering managers", "AI and automation"),
    ("how important is networking for engineering managers", "networking"),
    ("when can engineering managers retire", "retirement"),
    ("do EMs use Jira", "project management software"),
    ("should engineering managers know Python", "programming languages"),
    ("how much do engineering managers earn at Google", "big tech companies"),
    ("engineering manager jobs in the energy sector", "energy sector"),
    ("can I go back to being an individual contributor", "individual contributor track"),
    ("how many direct reports does an EM have", "team size"),
    ("how do I handle imposter syndrome as a new manager", "imposter syndrome"),
    ("how do I find an internship in engineering", "internships"),
    ("do engineering managers travel a lot", "business travel"),
    ("what is the notice period for a director", "employment contracts"),
])
def test_what_users_type_names_the_topic(matcher: KnowledgeMatcher, text: str, term: str) -> None:
    assert list(dict.fromkeys(topics_in(matcher, text))) == [f"{TOPIC}:{term}"]


IN_DOMAIN = """
how long does it take to become an engineering manager
how long does it take to go from staff engineer to project manager
what skills does a director need
how much do EMs make
is an MEM worth it
what does an engineering manager do
who does an engineering director report to
what comes after senior engineering manager
which certifications should a project manager get
is the PMP certification worth it
how long does an MEM take
what is the average salary of an engineering manager
which industries pay the most
what is the job outlook for engineering managers
should I get an MBA or an MEM
what is the difference between an engineering manager and a director
I'm a civil engineer, how do I move into management
what does a mechanical engineer transition into
what are the MEM specializations
what roles are there at the entry level
how do I become a CTO
what tools do engineering managers use
do engineering managers use Agile
what experience do I need to become a project manager
what degree do I need
do I need a master's degree
which companies hire engineering managers
what is the return on investment of an engineering management degree
how many years of experience do I need to be a director
I have 3 years of experience as a software engineer
what does a VP of engineering do
what is Lean Six Sigma
how do I get promoted to engineering director
what should I learn to become a manager
is engineering management a good career
how much more does an MBA graduate earn
what leadership skills do I need
what does the operations and supply chain management specialization lead to
do engineering managers manage budgets
how do engineering managers control costs
how do managers balance workloads
what training do I need
what course should I take
where does the salary data come from
what is the pay like in construction
how do I handle stakeholder communication
what are the key takeaways
""".strip().splitlines()


@pytest.mark.parametrize("text", IN_DOMAIN)
def test_in_domain_questions_name_no_topic(matcher: KnowledgeMatcher, text: str) -> None:
    assert topics_in(matcher, text) == []


@pytest.mark.skipif(not ARTICLE.exists(), reason="the source article is not beside the repo")
def test_no_sentence_or_word_of_the_article_names_a_topic(matcher: KnowledgeMatcher) -> None:
    """What the article says is, by definition, covered: none of its words may name a topic."""
    article = ARTICLE.read_text(encoding="utf-8")
    pieces = re.split(r"[\n.!?]+", article) + sorted(set(re.findall(r"[A-Za-z][\w'’&-]*", article)))
    found = {piece.strip(): topics_in(matcher, piece) for piece in pieces}
    assert {piece: topics for piece, topics in found.items() if topics} == {}
