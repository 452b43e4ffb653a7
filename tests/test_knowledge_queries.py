"""Facts from each article section, as the query API returns them."""
from __future__ import annotations

import pytest

from knowledge import queries
from knowledge.errors import UnknownSubject
from knowledge.loader import SECTIONS

EDUCATION = "Education & Early Steps"
ENTRY_MID = "Entry-Level Roles & Mid-Level Growth"
ADVANCED = "Advanced Leadership Roles (Engineering Manager to Director)"
SPECIALIZATIONS = "Specializations & Industries"
LANDSCAPE = "Engineering Management Landscape Overview: Salary, Outlook & ROI"
SUMMARY = "A Summary: The Progression of an Engineering Management Career"


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
def test_find_role_by_name_alias_or_acronym(text: str, name: str) -> None:
    assert queries.find_role(text).name == name


@pytest.mark.parametrize("text", ["manager", "surgeon", "", "engineering"])
def test_find_role_returns_none_for_unknown_or_ambiguous_text(text: str) -> None:
    assert queries.find_role(text) is None


def test_role_raises_unknown_subject() -> None:
    with pytest.raises(UnknownSubject):
        queries.role("astronaut")


def test_roles_are_ordered_by_stage_then_ladder() -> None:
    names = [r.name for r in queries.roles()]
    assert names[:3] == ["staff engineer", "project engineer", "junior project manager"]
    assert names.index("engineering manager") < names.index("engineering director") < names.index(
        "vp of engineering")
    assert len(names) == len(set(names)) == 24


def test_roles_with_head_lists_every_manager_role() -> None:
    managers = {r.name for r in queries.roles_with_head("managers")}
    assert {"engineering manager", "project manager", "product manager", "r&d manager"} <= managers
    assert all(name.endswith("manager") for name in managers)


# Key Takeaways ----------------------------------------------------------------------------------

def test_key_takeaways_has_five_points() -> None:
    takeaways = queries.topic("key_takeaways")
    assert takeaways.section == "Key Takeaways"
    assert len(takeaways.items) == 5


def test_six_figure_salaries_are_a_stated_figure() -> None:
    assert queries.figure("six_figures").section == "Key Takeaways"


# Education & Early Steps -------------------------------------------------------------------------

def test_mem_and_mba_teach_the_six_management_skills() -> None:
    skills = ("project planning", "operations", "finance", "problem-solving", "decision-making",
              "leadership")
    for key in ("mem", "mba"):
        assert queries.degree(key).teaches == skills


@pytest.mark.parametrize("text, key", [
    ("MEM", "mem"), ("masters in engineering management", "mem"),
    ("Master's in Engineering Management", "mem"),
    ("technical MBA", "mba"), ("bachelor's", "bachelor"), ("BSc", "bachelor"),
])
def test_degree_aliases(text: str, key: str) -> None:
    assert queries.find_degree(text).key == key


def test_bachelor_disciplines_and_tools() -> None:
    assert "mechanical, electrical, civil or industrial" in queries.degree("bachelor").summary
    assert queries.topic("tools").items == ("Gantt charts", "Agile methodologies")
    assert queries.topic("tools").section == EDUCATION


def test_early_stage_skills_are_the_ones_the_degrees_teach() -> None:
    # "These skills are useful in the early stages": budgeting, scheduling and conflict resolution
    # are what successful engineering managers are proficient in, not early-stage skills.
    assert queries.stage("foundation").skills == queries.degree("MEM").teaches
    assert "conflict resolution" in queries.topic("management_skills").items


def test_mba_premium_is_for_mba_graduates_from_the_salary_section() -> None:
    mba = queries.degree("technical MBA")
    assert mba.name == "MBA" and "$" not in mba.summary
    assert mba.premium.section == LANDSCAPE


def test_lean_six_sigma_is_an_early_step() -> None:
    lss = queries.certification("six sigma")
    assert (lss.acronym, lss.section, lss.stage) == ("Lean Six Sigma", EDUCATION, "foundation")


def test_ethics_topic_names_safety_and_stakeholders() -> None:
    assert queries.topic("ethics").items == ("safety regulations", "stakeholder management")


# Entry-Level Roles & Mid-Level Growth ------------------------------------------------------------

def test_entry_and_mid_stage_roles() -> None:
    assert queries.stage("entry").roles == ("staff engineer", "project engineer", "junior project manager")
    assert queries.stage("mid").roles == (
        "project engineer", "project manager", "engineering project manager")


def test_mid_level_transition_takes_five_to_eight_years() -> None:
    duration = queries.stage("mid").duration
    assert (duration.amount, duration.upper, duration.unit) == (5, 8, "years")
    assert duration.section == ENTRY_MID


def test_certifications_for_mid_level_project_manager_include_pmp() -> None:
    acronyms = [c.acronym for c in queries.certifications_for("project manager")]
    assert acronyms == ["PMP", "EIT", "CPE", "CSM"]
    assert [c.acronym for c in queries.certifications_for("mid-level")] == acronyms
    assert queries.certifications_for("junior project manager") == []  # the article names no role for PMP


@pytest.mark.parametrize("text, acronym", [
    ("pmp", "PMP"), ("Project Management Professional", "PMP"), ("engineer in training", "EIT"),
    ("planning engineer cert", "CPE"), ("scrum master", "CSM"), ("Certified ScrumMaster", "CSM"),
    ("LSS", "Lean Six Sigma"),
])
def test_certification_aliases(text: str, acronym: str) -> None:
    assert queries.certification(text).acronym == acronym


@pytest.mark.parametrize("text, key", [
    ("entry level", "entry"), ("junior", "entry"), ("mid-level", "mid"), ("mid career", "mid"),
    ("senior", "advanced"), ("leadership", "advanced"), ("executive", "executive"), ("c-suite", "executive"),
])
def test_find_stage(text: str, key: str) -> None:
    assert queries.find_stage(text).key == key


# Advanced Leadership Roles -----------------------------------------------------------------------

def test_executive_stage_holds_only_the_c_suite_roles_the_article_names() -> None:
    assert queries.stage("executive").roles == ("chief technology officer", "vp of engineering")
    assert queries.stage("unranked").roles == (
        "construction manager", "senior engineering director", "chief executive officer")
    assert queries.stages()[-2].key == "specialized"


def test_director_reports_to_vp_cto_or_ceo() -> None:
    assert queries.reports_to("director of engineering") == [
        "vp of engineering", "chief technology officer", "chief executive officer"]
    assert queries.next_steps("engineering director") == ["vp of engineering", "chief technology officer"]


def test_engineering_manager_reports_and_next_steps() -> None:
    assert queries.reports_to("EM") == ["engineering director", "vp of engineering"]
    assert set(queries.next_steps("EM")) == {
        "senior engineering manager", "engineering director", "senior engineering director"}
    assert len(queries.role("EM").responsibilities) == 4
    assert len(queries.role("engineering director").responsibilities) == 5


def test_roles_without_article_reporting_lines_stay_empty() -> None:
    assert queries.reports_to("staff engineer") == []
    assert queries.next_steps("innovation consultant") == []


def test_path_from_project_engineer_to_director_goes_through_em() -> None:
    steps = queries.path_between("project engineer", "engineering director")
    assert [(s.from_role, s.to_role) for s in steps] == [
        ("project engineer", "engineering manager"), ("engineering manager", "engineering director")]
    assert steps[0].section == SUMMARY


def test_path_edge_cases() -> None:
    assert queries.path_between("EM", "engineering manager") == []
    assert queries.path_between("cto", "staff engineer") is None
    entry_step = queries.path_between("staff engineer", "project manager")[0]
    assert entry_step.duration == queries.stage("mid").duration and entry_step.implied
    stated = queries.path_between("project engineer", "engineering manager")[0]
    assert (stated.implied, stated.duration) == (False, None)
    with pytest.raises(UnknownSubject):
        queries.path_between("astronaut", "cto")


def test_typical_ladder() -> None:
    assert queries.typical_ladder() == ["project engineer", "engineering manager", "engineering director"]
    assert queries.typical_ladder_section() == SUMMARY


@pytest.mark.parametrize("a, b", [("EM", "director"), ("engineering director", "engineering manager")])
def test_manager_vs_director_has_seven_dimensions(a: str, b: str) -> None:
    comparison = queries.compare_roles(a, b)
    assert [row.dimension for row in comparison.rows] == [
        "scope", "decision-making", "focus", "collaborators", "budgets", "technology",
        "reporting & next steps"]
    assert comparison.left == queries.role(a).name
    focus = comparison.rows[2]
    manager_side = focus.left if comparison.left == "engineering manager" else focus.right
    assert "tactical" in manager_side
    assert comparison.section == ADVANCED


def test_compare_without_article_table_is_none() -> None:
    assert queries.compare_roles("PM", "EM") is None


# Specializations & Industries ---------------------------------------------------------------------

def test_four_mem_specializations_and_their_roles() -> None:
    assert {s.name: s.roles for s in queries.specializations()} == {
        "project management": ("project manager", "engineering project manager", "program manager"),
        "operations and supply chain management": ("operations manager", "supply chain analyst",
                                                   "logistic engineer"),
        "systems engineering and integration": ("systems engineer", "integration manager", "r&d engineer"),
        "product and innovation management": ("product manager", "r&d manager", "innovation consultant"),
    }
    assert queries.specialization_for_role("R&D manager").name == "product and innovation management"
    assert queries.specialization_for_role("EM") is None


@pytest.mark.parametrize("text, moves", [
    ("civil", ("construction management",)), ("civil engineers", ("construction management",)),
    ("mechanical engineer", ("manufacturing management",)),
    ("SWE", ("software project management", "technology consulting")), ("EE", ()), ("industrial", ()),
])
def test_discipline_moves(text: str, moves: tuple) -> None:
    assert queries.discipline_move(text).moves_to == moves


def test_industries_named_in_specializations_section() -> None:
    names = {i.name for i in queries.industries()}
    assert {"healthcare technology", "automotive", "defense", "manufacturing", "aerospace"} <= names


# Salary, Outlook & ROI -----------------------------------------------------------------------------

def test_salary_range_and_average() -> None:
    low, high, average = queries.salary_figures()
    assert (low.amount, low.text) == (90000, "$90,000")
    assert (high.amount, high.text, high.open_ended) == (150000, "$150,000+", True)
    assert (average.amount, average.year, average.citation.key) == (121560, 2025, "payscale")
    assert average.citation.publisher == "Payscale"


def test_mba_premium_cited_to_gmac() -> None:
    premium = queries.degree("MBA").premium
    assert (premium.amount, premium.text) == (30000, "around $30,000")
    assert premium.citation == queries.citation("gmac")
    assert "2024" in premium.citation.title and premium.citation.url.endswith(".pdf")


def test_mem_takes_one_to_two_years() -> None:
    duration = queries.degree("MEM").duration
    assert (duration.amount, duration.upper, duration.unit, duration.section) == (1, 2, "years", LANDSCAPE)


def test_industry_pay() -> None:
    assert [i.name for i in queries.industries(pay="high")] == ["software development", "aerospace",
                                                               "pharmaceuticals"]
    assert [i.name for i in queries.industries(pay="competitive")] == ["construction", "manufacturing"]


def test_employers_outlook_and_roi() -> None:
    assert queries.employers() == ["Deloitte", "Actalent", "Black & Veatch"]
    assert queries.topic("outlook").items == ("operations management", "technology leadership", "consulting")
    assert queries.topic("roi").section == LANDSCAPE


# Summary --------------------------------------------------------------------------------------------

def test_continuous_learning_in_summary() -> None:
    assert queries.topic("continuous_learning").section == SUMMARY


# Whole KB -------------------------------------------------------------------------------------------

def test_every_record_names_an_article_heading() -> None:
    records = [*queries.roles(), *queries.stages(), *queries.certifications(), *queries.degrees(),
               *queries.specializations(), *queries.industries(), *queries.discipline_moves(),
               *queries.topics(), *queries.figures()]
    assert {r.section for r in records} == set(SECTIONS)


@pytest.mark.parametrize("text, expected", [
    ("surgeon", ("profession", "surgeon")), ("How much do doctors earn?", ("profession", "doctor")),
    ("engineering manager salary in Germany", ("place", "Germany")), ("UK", ("place", "United Kingdom")),
    ("salary in €", ("currency", "euro")), ("in pounds", ("currency", "pound")),
    ("engineering manager salary", None),
])
def test_not_covered(text: str, expected: object) -> None:
    assert queries.not_covered(text) == expected


def test_vocabulary_marks_acronyms_exact_only() -> None:
    entries = queries.vocabulary()
    exact = {p for e in entries if not e.fuzzy for p in e.patterns}
    fuzzy = {p for e in entries if e.fuzzy for p in e.patterns}
    assert {"EM", "PMP", "CTO", "VPE", "MEM", "€"} <= exact
    assert {"engineering manager", "Gantt chart", "Black & Veatch"} <= fuzzy
    labels = {e.label for e in entries}
    assert labels == {"role", "certification", "degree", "discipline", "industry", "specialization",
                      "stage", "tool", "employer", "not_covered"}
    assert ("not_covered", "place:Germany") in {(e.label, e.value) for e in entries}


def test_the_article_and_the_sources_it_cites() -> None:
    article = queries.citation(queries.ARTICLE)
    assert "How to Advance in Engineering" in article.title and "Mar 27, 2025" in article.title
    assert {c.publisher for c in queries.cited_sources()} == {"Payscale", "GMAC"}
