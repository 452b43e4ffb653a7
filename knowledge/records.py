"""Plain, immutable records returned by :mod:`knowledge.queries`.

They are the contract between the knowledge base and everything that reads it
(actions, vocabulary generator, tests): no SQLAlchemy object leaves `knowledge/`.
Every record names the article section it comes from in ``section``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Tuple


@dataclass(frozen=True)
class Citation:
    """An outside source the article cites for a figure (e.g. Payscale, GMAC)."""

    key: str  # "payscale", "gmac"
    publisher: str  # "Payscale"
    title: str  # "Engineering Manager Salary"
    url: str


@dataclass(frozen=True)
class Figure:
    """One number the article states: an amount of money or a span of years."""

    key: str  # "salary_low", "salary_high", "salary_average", "mba_premium", ...
    label: str  # "typical low end of engineering manager salaries"
    amount: float  # 90000, 121560, 5 ...
    unit: str  # "USD" or "years"
    text: str  # how the article puts it: "$90,000", "$150,000+", "five to eight years"
    section: str
    year: Optional[int] = None
    upper: Optional[float] = None  # for spans: 5..8 years -> amount=5, upper=8
    open_ended: bool = False  # "$150,000+"
    citation: Optional[Citation] = None


@dataclass(frozen=True)
class Role:
    name: str  # canonical, lower case: "engineering manager"
    stage: str  # stage key: "entry", "mid", "advanced", "executive", "specialized"
    summary: str
    section: str
    aliases: Tuple[str, ...] = ()  # "EM", "eng mgr", ...
    responsibilities: Tuple[str, ...] = ()
    skills: Tuple[str, ...] = ()
    reports_to: Tuple[str, ...] = ()  # canonical role names (or "CEO")
    next_steps: Tuple[str, ...] = ()  # canonical role names
    specialization: Optional[str] = None  # MEM specialization that leads to it


@dataclass(frozen=True)
class Stage:
    key: str  # "foundation", "entry", "mid", "advanced", "executive"
    name: str  # "Mid-level"
    summary: str
    section: str
    order: int
    roles: Tuple[str, ...] = ()
    skills: Tuple[str, ...] = ()
    duration: Optional[Figure] = None  # mid: 5-8 years to get there


@dataclass(frozen=True)
class Step:
    """One edge of the progression ladder."""

    from_role: str
    to_role: str
    section: str
    duration: Optional[Figure] = None  # the duration of the stage the step moves into, if any
    implied: bool = False  # the article does not state this step; the KB infers it


@dataclass(frozen=True)
class Certification:
    acronym: str  # "PMP"
    name: str  # "Project Management Professional"
    summary: str
    section: str
    stage: Optional[str] = None  # stage key
    aliases: Tuple[str, ...] = ()
    benefits: Tuple[str, ...] = ()
    fits_roles: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Degree:
    key: str  # "mem", "mba", "bachelor_civil"
    name: str  # "Master's in Engineering Management"
    level: str  # "bachelor" or "master"
    summary: str
    section: str
    aliases: Tuple[str, ...] = ()
    teaches: Tuple[str, ...] = ()
    duration: Optional[Figure] = None
    premium: Optional[Figure] = None


@dataclass(frozen=True)
class Specialization:
    name: str
    focus: str
    section: str
    roles: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Industry:
    name: str
    section: str
    pay: Optional[str] = None  # "high", "competitive" or None
    notes: str = ""


@dataclass(frozen=True)
class DisciplineMove:
    discipline: str  # "civil"
    engineer: str  # "civil engineer"
    moves_to: Tuple[str, ...]  # "construction management", ...
    summary: str
    section: str
    aliases: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    """A free-standing statement: tools and methods, outlook, ROI, key takeaways."""

    key: str  # "tools", "outlook", "roi", "ethics", ...
    title: str
    text: str
    section: str
    items: Tuple[str, ...] = ()


@dataclass(frozen=True)
class ComparisonRow:
    dimension: str
    left: str
    right: str


@dataclass(frozen=True)
class Comparison:
    left: str
    right: str
    section: str
    rows: Tuple[ComparisonRow, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class NotCoveredTopic:
    """A career topic the article leaves open, and where its closest answer is."""

    term: str  # "interview preparation"
    nearest: str  # question intent whose answer is the closest thing the article says
    aliases: Tuple[str, ...] = ()


@dataclass(frozen=True)
class VocabularyEntry:
    """One KB name with its surface forms, for the NLU entity extractor."""

    label: str  # entity type: "role", "certification", "degree", ...
    value: str  # canonical value the entity carries
    patterns: Tuple[str, ...]  # names, acronyms, aliases as users type them
    fuzzy: bool = True  # acronyms and very short forms are matched exactly only
