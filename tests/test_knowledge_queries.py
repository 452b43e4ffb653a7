"""Facts from each article section, as the query API returns them, read from SQLite and from
PostgreSQL (the `kb` fixture: each test runs on both)."""
from __future__ import annotations

from typing import Iterator

import pytest

from knowledge.build import build
from knowledge.errors import UnknownSubject
from knowledge.loader import DATA_DIR, SECTIONS, load_file
from knowledge.queries import KnowledgeBase
from knowledge.records import Figure
from tests.support.services import TRACKER_PASSWORD, TRACKER_USER, postgres

EDUCATION = "Education & Early Steps"
ENTRY_MID = "Entry-Level Roles & Mid-Level Growth"
ADVANCED = "Advanced Leadership Roles (Engineering Manager to Director)"
SPECIALIZATIONS = "Specializations & Industries"
LANDSCAPE = "Engineering Management Landscape Overview: Salary, Outlook & ROI"
SUMMARY = "A Summary: The Progression of an Engineering Management Career"


@pytest.fixture(scope="module")
def postgres_knowledge_db() -> Iterator[str]:
    """The URL of the same KB built into a throwaway PostgreSQL (Debian's; skipped loudly without it)."""
    with postgres() as server:
        yield build(db_url=server.url("knowledge", TRACKER_USER, TRACKER_PASSWORD))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def kb(request: pytest.FixtureRequest, knowledge_db: str) -> KnowledgeBase:
    """The session's knowledge base, loaded from its SQLite file or from its PostgreSQL copy."""
    url = knowledge_db if request.param == "sqlite" else request.getfixturevalue("postgres_knowledge_db")
    return KnowledgeBase.load(url)


# Name resolution -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, name", [
    ("EM", "engineering manager"), ("em", "engineering manager"), ("eng mgr", "engineering manager"),
    ("Engineering Managers", "engineering manager"), ("an EM", "engineering manager"),
    ("  the   engineering   manager ", "engineering manager"), ("PM", "project manager"),
    ("director of engineering", "engineering director"), ("Director", "engineering director"),
    ("VP eng", "vp of engineering"), ("vice president of engineering", "vp of engineering"),
    ("cto", "chief technology officer"), ("CEO", "chief executive officer"),
    ("sr. EM", "senior engineering manager"), ("R&D engineer", "r&d engineer"),
    ("logistics engineers", "logistic engineer"),
])
def test_find_role_by_name_alias_or_acronym(kb: KnowledgeBase, text: str, name: str) -> None:
    assert kb.find_role(text).name == name


@pytest.mark.parametrize("text", ["manager", "surgeon", "", "engineering"])
def test_find_role_returns_none_for_unknown_or_ambiguous_text(kb: KnowledgeBase, text: str) -> None:
    assert kb.find_role(text) is None


def test_role_raises_unknown_subject(kb: KnowledgeBase) -> None:
    with pytest.raises(UnknownSubject):
        kb.role("astronaut")


def test_roles_are_ordered_by_stage_then_ladder(kb: KnowledgeBase) -> None:
    names = [r.name for r in kb.roles()]
    assert names[:3] == ["staff engineer", "project engineer", "junior project manager"]
    assert names.index("engineering manager") < names.index("engineering director") < names.index(
        "vp of engineering")
    assert len(names) == len(set(names)) == 24


def test_roles_with_head_lists_every_manager_role(kb: KnowledgeBase) -> None:
    managers = {r.name for r in kb.roles_with_head("managers")}
    assert {"engineering manager", "project manager", "product manager", "r&d manager"} <= managers
    assert all(name.endswith("manager") for name in managers)


# Key Takeaways ----------------------------------------------------------------------------------

def test_key_takeaways_has_five_points(kb: KnowledgeBase) -> None:
    takeaways = kb.topic("key_takeaways")
    assert takeaways.section == "Key Takeaways"
    assert len(takeaways.items) == 5


def test_six_figure_salaries_are_a_stated_figure(kb: KnowledgeBase) -> None:
    assert kb.figure("six_figures").section == "Key Takeaways"


# Education & Early Steps -------------------------------------------------------------------------

def test_mem_and_mba_teach_the_six_management_skills(kb: KnowledgeBase) -> None:
    skills = ("project planning", "operations", "finance", "problem-solving", "decision-making",
              "leadership")
    for key in ("mem", "mba"):
        assert kb.degree(key).teaches == skills


@pytest.mark.parametrize("text, key", [
    ("MEM", "mem"), ("masters in engineering management", "mem"),
    ("Master's in Engineering Management", "mem"),
    ("technical MBA", "mba"), ("bachelor's", "bachelor"), ("BSc", "bachelor"),
])
def test_degree_aliases(kb: KnowledgeBase, text: str, key: str) -> None:
    assert kb.find_degree(text).key == key


def test_bachelor_disciplines_and_tools(kb: KnowledgeBase) -> None:
    assert "mechanical, electrical, civil or industrial" in kb.degree("bachelor").summary
    assert kb.topic("tools").items == ("Gantt charts", "Agile methodologies")
    assert kb.topic("tools").section == EDUCATION


def test_early_stage_skills_are_the_ones_the_degrees_teach(kb: KnowledgeBase) -> None:
    # "These skills are useful in the early stages": budgeting, scheduling and conflict resolution
    # are what successful engineering managers are proficient in, not early-stage skills.
    assert kb.stage("foundation").skills == kb.degree("MEM").teaches
    assert "conflict resolution" in kb.topic("management_skills").items


def test_mba_premium_is_for_mba_graduates_from_the_salary_section(kb: KnowledgeBase) -> None:
    mba = kb.degree("technical MBA")
    assert mba.name == "MBA" and "$" not in mba.summary
    assert mba.premium.section == LANDSCAPE


def test_lean_six_sigma_is_an_early_step(kb: KnowledgeBase) -> None:
    lss = kb.certification("six sigma")
    assert (lss.acronym, lss.section, lss.stage) == ("Lean Six Sigma", EDUCATION, "foundation")


def test_ethics_topic_names_safety_and_stakeholders(kb: KnowledgeBase) -> None:
    assert kb.topic("ethics").items == ("safety regulations", "stakeholder management")


# Entry-Level Roles & Mid-Level Growth ------------------------------------------------------------

def test_entry_and_mid_stage_roles(kb: KnowledgeBase) -> None:
    assert kb.stage("entry").roles == ("staff engineer", "project engineer", "junior project manager")
    assert kb.stage("mid").roles == (
        "project engineer", "project manager", "engineering project manager")


def test_mid_level_transition_takes_five_to_eight_years(kb: KnowledgeBase) -> None:
    duration = kb.stage("mid").duration
    assert (duration.amount, duration.upper, duration.unit) == (5, 8, "years")
    assert duration.section == ENTRY_MID


def test_certifications_for_mid_level_project_manager_include_pmp(kb: KnowledgeBase) -> None:
    acronyms = [c.acronym for c in kb.certifications_for("project manager")]
    assert acronyms == ["PMP", "EIT", "CPE", "CSM"]
    assert [c.acronym for c in kb.certifications_for("mid-level")] == acronyms
    assert kb.certifications_for("junior project manager") == []  # the article names no role for PMP


@pytest.mark.parametrize("text, acronym", [
    ("pmp", "PMP"), ("Project Management Professional", "PMP"), ("engineer in training", "EIT"),
    ("planning engineer cert", "CPE"), ("scrum master", "CSM"), ("Certified ScrumMaster", "CSM"),
    ("LSS", "Lean Six Sigma"),
])
def test_certification_aliases(kb: KnowledgeBase, text: str, acronym: str) -> None:
    assert kb.certification(text).acronym == acronym


@pytest.mark.parametrize("text, key", [
    ("entry level", "entry"), ("junior", "entry"), ("mid-level", "mid"), ("mid career", "mid"),
    ("senior", "advanced"), ("leadership", "advanced"), ("executive", "executive"), ("c-suite", "executive"),
])
def test_find_stage(kb: KnowledgeBase, text: str, key: str) -> None:
    assert kb.find_stage(text).key == key


# Advanced Leadership Roles -----------------------------------------------------------------------

def test_executive_stage_holds_only_the_c_suite_roles_the_article_names(kb: KnowledgeBase) -> None:
    assert kb.stage("executive").roles == ("chief technology officer", "vp of engineering")
    assert kb.stage("unranked").roles == (
        "construction manager", "senior engineering director", "chief executive officer")
    assert kb.stages()[-2].key == "specialized"


def test_director_reports_to_vp_cto_or_ceo(kb: KnowledgeBase) -> None:
    assert kb.reports_to("director of engineering") == [
        "vp of engineering", "chief technology officer", "chief executive officer"]
    assert kb.next_steps("engineering director") == ["vp of engineering", "chief technology officer"]


def test_engineering_manager_reports_and_next_steps(kb: KnowledgeBase) -> None:
    assert kb.reports_to("EM") == ["engineering director", "vp of engineering"]
    assert set(kb.next_steps("EM")) == {
        "senior engineering manager", "engineering director", "senior engineering director"}
    assert len(kb.role("EM").responsibilities) == 4
    assert len(kb.role("engineering director").responsibilities) == 5


def test_roles_without_article_reporting_lines_stay_empty(kb: KnowledgeBase) -> None:
    assert kb.reports_to("staff engineer") == []
    assert kb.next_steps("innovation consultant") == []


def test_path_from_project_engineer_to_director_goes_through_em(kb: KnowledgeBase) -> None:
    steps = kb.path_between("project engineer", "engineering director")
    assert [(s.from_role, s.to_role) for s in steps] == [
        ("project engineer", "engineering manager"), ("engineering manager", "engineering director")]
    assert steps[0].section == SUMMARY


def test_path_edge_cases(kb: KnowledgeBase) -> None:
    assert kb.path_between("EM", "engineering manager") == []
    assert kb.path_between("cto", "staff engineer") is None
    entry_step = kb.path_between("staff engineer", "project manager")[0]
    assert entry_step.duration == kb.stage("mid").duration and entry_step.implied
    stated = kb.path_between("project engineer", "engineering manager")[0]
    assert (stated.implied, stated.duration) == (False, None)
    with pytest.raises(UnknownSubject):
        kb.path_between("astronaut", "cto")


def test_typical_ladder(kb: KnowledgeBase) -> None:
    assert kb.typical_ladder() == ["project engineer", "engineering manager", "engineering director"]
    assert kb.typical_ladder_section() == SUMMARY


@pytest.mark.parametrize("a, b", [("EM", "director"), ("engineering director", "engineering manager")])
def test_manager_vs_director_has_seven_dimensions(kb: KnowledgeBase, a: str, b: str) -> None:
    comparison = kb.compare_roles(a, b)
    assert [row.dimension for row in comparison.rows] == [
        "scope", "decision-making", "focus", "collaborators", "budgets", "technology",
        "reporting & next steps"]
    assert comparison.left == kb.role(a).name
    focus = comparison.rows[2]
    manager_side = focus.left if comparison.left == "engineering manager" else focus.right
    assert "tactical" in manager_side
    assert comparison.section == ADVANCED


def test_compare_without_article_table_is_none(kb: KnowledgeBase) -> None:
    assert kb.compare_roles("PM", "EM") is None


# Specializations & Industries ---------------------------------------------------------------------

def test_four_mem_specializations_and_their_roles(kb: KnowledgeBase) -> None:
    assert {s.name: s.roles for s in kb.specializations()} == {
        "project management": ("project manager", "engineering project manager", "program manager"),
        "operations and supply chain management": ("operations manager", "supply chain analyst",
                                                   "logistic engineer"),
        "systems engineering and integration": ("systems engineer", "integration manager", "r&d engineer"),
        "product and innovation management": ("product manager", "r&d manager", "innovation consultant"),
    }
    assert kb.specialization_for_role("R&D manager").name == "product and innovation management"
    assert kb.specialization_for_role("EM") is None


@pytest.mark.parametrize("text, moves", [
    ("civil", ("construction management",)), ("civil engineers", ("construction management",)),
    ("mechanical engineer", ("manufacturing management",)),
    ("SWE", ("software project management", "technology consulting")), ("EE", ()), ("industrial", ()),
])
def test_discipline_moves(kb: KnowledgeBase, text: str, moves: tuple) -> None:
    assert kb.discipline_move(text).moves_to == moves


def test_industries_named_in_specializations_section(kb: KnowledgeBase) -> None:
    names = {i.name for i in kb.industries()}
    assert {"healthcare technology", "automotive", "defense", "manufacturing", "aerospace"} <= names


# Salary, Outlook & ROI -----------------------------------------------------------------------------

def _as_in_the_data(kb: KnowledgeBase, figure: Figure) -> None:
    """A figure reads back from the database as its data file states it, its citation resolved."""
    stated = {f.key: f for f in load_file(DATA_DIR, "figures")}[figure.key]
    assert (figure.amount, figure.text, figure.year, figure.upper, figure.open_ended) == (
        stated.amount, stated.text, stated.year, stated.upper, stated.open_ended)
    assert figure.citation == (kb.citation(stated.citation) if stated.citation else None)


def test_salary_range_and_average(kb: KnowledgeBase) -> None:
    low, high, average = kb.salary_figures()
    for figure in (low, high, average):
        _as_in_the_data(kb, figure)
    assert low.amount < average.amount < high.amount and high.open_ended and average.year
    assert average.citation.publisher == "Payscale"


def test_mba_premium_cited_to_gmac(kb: KnowledgeBase) -> None:
    premium = kb.degree("MBA").premium
    _as_in_the_data(kb, premium)
    assert premium.citation == kb.citation("gmac")
    assert "2024" in premium.citation.title and premium.citation.url.endswith(".pdf")


def test_mem_takes_one_to_two_years(kb: KnowledgeBase) -> None:
    duration = kb.degree("MEM").duration
    assert (duration.amount, duration.upper, duration.unit, duration.section) == (1, 2, "years", LANDSCAPE)


def test_industry_pay(kb: KnowledgeBase) -> None:
    assert [i.name for i in kb.industries(pay="high")] == ["software development", "aerospace",
                                                               "pharmaceuticals"]
    assert [i.name for i in kb.industries(pay="competitive")] == ["construction", "manufacturing"]


def test_employers_outlook_and_roi(kb: KnowledgeBase) -> None:
    assert kb.employers() == ["Deloitte", "Actalent", "Black & Veatch"]
    assert kb.topic("outlook").items == ("operations management", "technology leadership", "consulting")
    assert kb.topic("roi").section == LANDSCAPE


# Summary --------------------------------------------------------------------------------------------

def test_continuous_learning_in_summary(kb: KnowledgeBase) -> None:
    assert kb.topic("continuous_learning").section == SUMMARY


# Whole KB -------------------------------------------------------------------------------------------

def test_every_record_names_an_article_heading(kb: KnowledgeBase) -> None:
    records = [*kb.roles(), *kb.stages(), *kb.certifications(), *kb.degrees(),
               *kb.specializations(), *kb.industries(), *kb.discipline_moves(),
               *kb.topics(), *kb.figures()]
    assert {r.section for r in records} == set(SECTIONS)


@pytest.mark.parametrize("text, expected", [
    ("surgeon", ("profession", "surgeon")), ("How much do doctors earn?", ("profession", "doctor")),
    ("engineering manager salary in Germany", ("place", "Germany")), ("UK", ("place", "United Kingdom")),
    ("salary in €", ("currency", "euro")), ("in pounds", ("currency", "pound")),
    ("engineering manager salary", None),
])
def test_not_covered(kb: KnowledgeBase, text: str, expected: object) -> None:
    assert kb.not_covered(text) == expected


def test_vocabulary_marks_acronyms_exact_only(kb: KnowledgeBase) -> None:
    entries = kb.names.vocabulary()
    exact = {p for e in entries if not e.fuzzy for p in e.patterns}
    fuzzy = {p for e in entries if e.fuzzy for p in e.patterns}
    assert {"EM", "PMP", "CTO", "VPE", "MEM", "€"} <= exact
    assert {"engineering manager", "Gantt chart", "Black & Veatch"} <= fuzzy
    labels = {e.label for e in entries}
    assert labels == {"role", "certification", "degree", "discipline", "industry", "specialization",
                      "stage", "tool", "employer", "not_covered"}
    assert ("not_covered", "place:Germany") in {(e.label, e.value) for e in entries}


def test_the_article_and_the_sources_it_cites(kb: KnowledgeBase) -> None:
    article = kb.article()
    assert "How to Advance in Engineering" in article.title and "Mar 27, 2025" in article.title
    assert {c.publisher for c in kb.cited_sources()} == {"Payscale", "GMAC"}
