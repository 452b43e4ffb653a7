"""The knowledge base's records: one frozen dataclass per kind of thing the article names.

Each class is the one declaration of its kind. :mod:`knowledge.spec` reads its fields to check the
YAML (types, required fields, choices, references), to lay out its table, to write the rows and to
read them back into these records; adding a field is one edit here (and the data). No SQLAlchemy
object leaves ``knowledge/``; every record of the article names the section it comes from.

Field markers: :func:`key` (the record's unique name; several form one key together), :func:`ref`
(a value, or each value of a list, names a record of another kind by its key), ``yaml=`` (the
field's name in the file when it differs), ``choices=``, ``only_when=`` (allowed, and required,
only when another field has a value) and :func:`derived` (filled in by the knowledge base at load
time: not in the files, not stored).
"""
from __future__ import annotations

from dataclasses import MISSING, dataclass, field
from typing import Any, Optional, Tuple

NEAREST_INTENTS = (  # question intents whose answer a not-covered topic may point to
    "ask_role_info", "ask_requirements", "ask_salary", "ask_duration", "ask_certification",
    "ask_education", "ask_next_step", "ask_progression", "ask_industries", "ask_outlook",
    "ask_overview", "ask_discipline_move", "ask_tools",
)
TOPIC = "topic"  # the not_covered kind of career topics the article leaves open


def key(*, yaml: Optional[str] = None, ref: Optional[str] = None) -> Any:
    """A (part of the) unique key; ``ref`` when it also names a record of another kind."""
    return field(metadata={"key": True, "yaml": yaml, "ref": ref})


def ref(kind: str, default: Any = MISSING, *, yaml: Optional[str] = None) -> Any:
    """A value naming a record of ``kind`` (a list of names when the field is a tuple)."""
    return field(default=default, metadata={"ref": kind, "yaml": yaml})


def opt(default: Any = None, **metadata: Any) -> Any:
    """An optional field (``choices=``, ``only_when=`` allowed)."""
    return field(default=default, metadata=metadata)


def derived(default: Any = None) -> Any:
    """Computed from other records when the knowledge base loads."""
    return field(default=default, metadata={"derived": True})


@dataclass(frozen=True)
class Citation:
    """An outside source the article cites for a figure (e.g. Payscale, GMAC)."""

    key: str = key()  # "payscale", "gmac"
    publisher: str = field()  # "Payscale"
    title: str = field()  # "Engineering Manager Salary"
    url: str = field()
    section: str = field()


@dataclass(frozen=True)
class Figure:
    """One number the article states: an amount of money or a span of years."""

    key: str = key()  # "salary_low", "salary_high", "salary_average", "mba_premium", ...
    label: str = field()  # "typical low end of engineering manager salaries"
    amount: float = field()  # 90000, 121560, 5 ...
    unit: str = field(metadata={"choices": ("USD", "years")})
    text: str = field()  # how the article puts it: "$90,000", "$150,000+", "five to eight years"
    section: str = field()
    year: Optional[int] = opt()
    upper: Optional[float] = opt()  # for spans: 5..8 years -> amount=5, upper=8
    open_ended: bool = opt(False)  # "$150,000+"
    citation: Optional[Citation] = ref("citations", None)
    role: Optional[str] = ref("roles", None)  # the role whose pay it is, for salaries


@dataclass(frozen=True)
class Stage:
    key: str = key()  # "foundation", "entry", "mid", "advanced", "executive", ...
    name: str = field()  # "Mid-level"
    order: int = field(metadata={"unique": True})
    summary: str = field()
    section: str = field()
    aliases: Tuple[str, ...] = opt(())
    skills: Tuple[str, ...] = opt(())
    also_roles: Tuple[str, ...] = ref("roles", ())  # placed here too, though their stage is another
    duration: Optional[Figure] = ref("figures", None)  # the time to move into this stage
    roles: Tuple[str, ...] = derived(())  # also_roles first, then the roles whose stage this is


@dataclass(frozen=True)
class Role:
    name: str = key()  # canonical, lower case: "engineering manager"
    stage: str = ref("stages")
    ladder: int = field()  # order within its stage, as the article lists them
    summary: str = field()
    section: str = field()
    aliases: Tuple[str, ...] = opt(())  # "EM", "eng mgr", ...
    responsibilities: Tuple[str, ...] = opt(())
    skills: Tuple[str, ...] = opt(())
    reports_to: Tuple[str, ...] = ref("roles", ())
    next_steps: Tuple[str, ...] = ref("roles", ())
    label: Optional[str] = opt()  # how replies write the name, when not in lower case: "VP of engineering"
    specialization: Optional[str] = derived()  # the MEM specialization that leads to it

    @property
    def title(self) -> str:
        """The name as replies write it: its label, else its name."""
        return self.label or self.name

    @property
    def short_name(self) -> Optional[str]:
        """The role's abbreviation in the KB ("EM", "CTO"), if it has one: its first all-capital alias."""
        return next((alias for alias in self.aliases if alias.isupper() and alias.isalpha()), None)


@dataclass(frozen=True)
class Step:
    """One edge of the progression ladder."""

    from_role: str = key(yaml="from", ref="roles")
    to_role: str = key(yaml="to", ref="roles")
    section: str = field()
    implied: bool = opt(False)  # the article does not state this step; the KB infers it
    duration: Optional[Figure] = derived()  # the duration of the stage the step moves into


@dataclass(frozen=True)
class Ladder:
    """The typical ladder the summary gives, in order."""

    roles: Tuple[str, ...] = ref("roles")
    section: str = field()


@dataclass(frozen=True)
class Certification:
    acronym: str = key()  # "PMP"
    name: str = field()  # "Project Management Professional"
    summary: str = field()
    section: str = field()
    stage: Optional[str] = ref("stages", None)
    aliases: Tuple[str, ...] = opt(())
    benefits: Tuple[str, ...] = opt(())
    fits_roles: Tuple[str, ...] = ref("roles", ())


@dataclass(frozen=True)
class Degree:
    key: str = key()  # "mem", "mba", "bachelor_civil"
    name: str = field()  # "Master's in Engineering Management"
    level: str = field(metadata={"choices": ("bachelor", "master")})
    summary: str = field()
    section: str = field()
    aliases: Tuple[str, ...] = opt(())
    teaches: Tuple[str, ...] = opt(())
    duration: Optional[Figure] = ref("figures", None)
    premium: Optional[Figure] = ref("figures", None)

    @property
    def value(self) -> str:
        """The NLU entity value naming it: "MEM", "MBA", "bachelor's degree"."""
        return degree_value(self.key, self.level)


def degree_value(key_: str, level: str) -> str:
    """The entity value of a degree with ``key_`` and ``level`` (see :attr:`Degree.value`)."""
    return key_.upper() if level == "master" else f"{level}'s degree"


@dataclass(frozen=True)
class Specialization:
    name: str = key()
    focus: str = field()
    section: str = field()
    aliases: Tuple[str, ...] = opt(())
    roles: Tuple[str, ...] = ref("roles", ())


@dataclass(frozen=True)
class Industry:
    name: str = key()
    section: str = field()
    pay: Optional[str] = opt(choices=("high", "competitive"))
    notes: str = opt("")  # what the article says of it
    aliases: Tuple[str, ...] = opt(())


@dataclass(frozen=True)
class Employer:
    """A company the article says keeps posting engineering management roles."""

    name: str = key()
    section: str = field()
    aliases: Tuple[str, ...] = opt(())


@dataclass(frozen=True)
class DisciplineMove:
    discipline: str = key(yaml="key")  # "civil"
    engineer: str = field()  # "civil engineer"
    moves_to: Tuple[str, ...] = field()  # "construction management", ...
    summary: str = field()
    section: str = field()
    aliases: Tuple[str, ...] = opt(())


@dataclass(frozen=True)
class Topic:
    """A free-standing statement: tools and methods, outlook, ROI, key takeaways."""

    key: str = key()  # "tools", "outlook", "roi", "ethics", ...
    title: str = field()
    text: str = field()
    section: str = field()
    items: Tuple[str, ...] = opt(())


@dataclass(frozen=True)
class Tool:
    """A tool or method users may name; its topic holds what the article says of it."""

    name: str = key()
    topic: str = ref("topics")
    section: str = field()
    aliases: Tuple[str, ...] = opt(())


@dataclass(frozen=True)
class ComparisonRow:
    dimension: str
    left: str
    right: str


@dataclass(frozen=True)
class Comparison:
    left: str = key(ref="roles")
    right: str = key(ref="roles")
    section: str = field()
    rows: Tuple[ComparisonRow, ...] = field()


@dataclass(frozen=True)
class NotCovered:
    """Something users ask about that the article does not cover; a career topic also says where
    its closest answer is."""

    term: str = key()  # "interview preparation", "nurse", "london"
    kind: str = field(metadata={"choices": ("profession", "place", "currency", "degree", TOPIC)})
    aliases: Tuple[str, ...] = opt(())
    nearest: Optional[str] = opt(choices=NEAREST_INTENTS, only_when=("kind", TOPIC))


@dataclass(frozen=True)
class VocabularyEntry:
    """One KB name with its surface forms, for the NLU entity extractor (not a kind of record)."""

    label: str  # entity type: "role", "certification", "degree", ...
    value: str  # canonical value the entity carries
    patterns: Tuple[str, ...]  # names, acronyms, aliases as users type them
    fuzzy: bool = True  # acronyms and very short forms are matched exactly only
