"""The knowledge base in memory: :class:`KnowledgeBase`, whose methods are the typed, read-only
questions the bot asks it. Every answer is a frozen record (:mod:`knowledge.records`).

The database is ``$CAREER_COACH_DB_URL`` (default: SQLite at var/knowledge.db), built by
``python -m knowledge.build``; it is read once, when a process first asks (:func:`kb`; the action
server does it at start, as its start-up check), and never again: a database that goes away later
changes nothing.
"""
from __future__ import annotations

from collections import deque
from functools import cache
from typing import Any, Optional

from knowledge.db import default_url
from knowledge.errors import UnknownSubject
from knowledge.names import Names
from knowledge.normalize import candidates
from knowledge.reader import Contents, read
from knowledge.records import (
    TOPIC,
    Certification,
    Citation,
    Comparison,
    ComparisonRow,
    Degree,
    DisciplineMove,
    Figure,
    Industry,
    NotCovered,
    Role,
    Specialization,
    Stage,
    Step,
    Tool,
    Topic,
)

SALARY_FIGURES = ("salary_low", "salary_high", "salary_average")
ARTICLE = "article"  # the citation record of the article itself


def _by(records: tuple[Any, ...], attribute: str) -> dict[str, Any]:
    return {getattr(record, attribute): record for record in records}


class KnowledgeBase:
    """Every record of the KB and every name users may call them by; immutable once loaded."""

    def __init__(self, contents: Contents) -> None:
        r = contents.records
        self.names = Names(contents.forms)
        self._roles: dict[str, Role] = _by(r["roles"], "name")
        self._stages: dict[str, Stage] = _by(r["stages"], "key")
        self._steps: tuple[Step, ...] = r["progression"]
        self._ladder = r["ladder"][0] if r["ladder"] else None
        self._certifications: dict[str, Certification] = _by(r["certifications"], "acronym")
        self._degrees: dict[str, Degree] = _by(r["degrees"], "key")
        self._figures: dict[str, Figure] = _by(r["figures"], "key")
        self._citations: dict[str, Citation] = _by(r["citations"], "key")
        self._industries: tuple[Industry, ...] = r["industries"]
        self._specializations: dict[str, Specialization] = _by(r["specializations"], "name")
        self._employers: tuple[str, ...] = tuple(e.name for e in r["employers"])
        self._disciplines: dict[str, DisciplineMove] = _by(r["disciplines"], "discipline")
        self._topics: dict[str, Topic] = _by(r["topics"], "key")
        self._tools: dict[str, Tool] = _by(r["tools"], "name")
        self._comparisons: tuple[Comparison, ...] = r["comparisons"]
        topics = sorted((n for n in r["not_covered"] if n.kind == TOPIC), key=lambda n: n.term)
        self._not_covered_topics: dict[str, NotCovered] = _by(tuple(topics), "term")

    @classmethod
    def load(cls, url: str) -> KnowledgeBase:
        """Read the database at ``url`` (raises SQLAlchemy's errors when it is unusable)."""
        return cls(read(url))

    # Roles and the ladder --------------------------------------------------------------------

    def find_role(self, text: str) -> Optional[Role]:
        """The role ``text`` names (name, alias or acronym, e.g. "an EM", "engineering managers")."""
        name = self.names.resolve("role", text)
        return self._roles[name] if name else None

    def role(self, name: str) -> Role:
        """The role called ``name`` (any known form); raises :class:`UnknownSubject`."""
        return self._found(self.find_role(name), "role", name)

    def roles(self) -> list[Role]:
        """Every role, by stage order, then ladder position, then name."""
        return list(self._roles.values())

    def roles_with_head(self, word: str) -> list[Role]:
        """Roles whose name ends with ``word`` ("manager" -> every *manager role)."""
        heads = set(candidates(word))
        return [r for r in self.roles() if r.name.split()[-1] in heads]

    def stage(self, key: str) -> Stage:
        """The stage with ``key`` (or any of its names); raises :class:`UnknownSubject`."""
        return self._found(self.find_stage(key), "stage", key)

    def stages(self) -> list[Stage]:
        """Every stage in ladder order."""
        return list(self._stages.values())

    def find_stage(self, text: str) -> Optional[Stage]:
        """The stage ``text`` names ("entry level", "mid career", "senior", "c-suite", ...)."""
        key = self.names.resolve("stage", text)
        return self._stages[key] if key else None

    def path_between(self, from_role: str, to_role: str) -> Optional[list[Step]]:
        """The shortest chain of progression steps; [] for the same role, None when unreachable."""
        start, goal = self.role(from_role).name, self.role(to_role).name
        came_by: dict[str, Optional[Step]] = {start: None}
        queue = deque([start])
        while queue:
            current = queue.popleft()
            if current == goal:
                steps: list[Step] = []
                while (step := came_by[current]) is not None:
                    steps.append(step)
                    current = step.from_role
                return steps[::-1]
            for step in self._steps:
                if step.from_role == current and step.to_role not in came_by:
                    came_by[step.to_role] = step
                    queue.append(step.to_role)
        return None

    def next_steps(self, role: str) -> list[str]:
        """Common next roles the article names for ``role`` (may be empty)."""
        return list(self.role(role).next_steps)

    def steps_from(self, role: str) -> list[Step]:
        """The progression edges out of ``role``, in the KB's order."""
        name = self.role(role).name
        return [step for step in self._steps if step.from_role == name]

    def reports_to(self, role: str) -> list[str]:
        """Whom ``role`` reports to, per the article (may be empty)."""
        return list(self.role(role).reports_to)

    def typical_ladder(self) -> list[str]:
        """The summary's typical progression: project engineer -> engineering manager -> director."""
        return list(self._ladder.roles) if self._ladder else []

    def typical_ladder_section(self) -> str:
        """The article section that states the typical ladder."""
        return self._ladder.section if self._ladder else ""

    def steps(self) -> list[Step]:
        """Every progression step, in the KB's order."""
        return list(self._steps)

    def comparisons(self) -> list[Comparison]:
        """Every side-by-side comparison of two roles the article makes."""
        return list(self._comparisons)

    def compare_roles(self, a: str, b: str) -> Optional[Comparison]:
        """The article's comparison of ``a`` with ``b`` (left = ``a``), or None if it has none."""
        left, right = self.role(a).name, self.role(b).name
        for comparison in self._comparisons:
            if (comparison.left, comparison.right) == (left, right):
                return comparison
            if (comparison.left, comparison.right) == (right, left):
                swapped = tuple(ComparisonRow(row.dimension, row.right, row.left) for row in comparison.rows)
                return Comparison(left, right, comparison.section, swapped)
        return None

    # Certifications and degrees ----------------------------------------------------------------

    def find_certification(self, text: str) -> Optional[Certification]:
        """The certification ``text`` names (acronym, full name or alias), or None."""
        acronym = self.names.resolve("certification", text)
        return self._certifications[acronym] if acronym else None

    def certification(self, name: str) -> Certification:
        """The certification called ``name``; raises :class:`UnknownSubject`."""
        return self._found(self.find_certification(name), "certification", name)

    def certifications(self) -> list[Certification]:
        """Every certification, in the article's order."""
        return list(self._certifications.values())

    def certifications_for(self, role_or_stage: str) -> list[Certification]:
        """Certifications for a role (its stage's, plus those naming it) or for a stage."""
        found_role = self.find_role(role_or_stage)
        if found_role is not None:
            return [c for c in self.certifications()
                    if c.stage == found_role.stage or found_role.name in c.fits_roles]
        found_stage = self.find_stage(role_or_stage)
        if found_stage is not None:
            return [c for c in self.certifications() if c.stage == found_stage.key]
        raise UnknownSubject(f"unknown role or stage: {role_or_stage!r}")

    def find_degree(self, text: str) -> Optional[Degree]:
        """The degree ``text`` names ("MEM", "technical MBA", "bachelor's", ...), or None."""
        if text in self._degrees:
            return self._degrees[text]
        value = self.names.resolve("degree", text)
        return next((d for d in self._degrees.values() if d.value == value), None)

    def degree(self, key_or_alias: str) -> Degree:
        """The degree with that key or name; raises :class:`UnknownSubject`."""
        return self._found(self.find_degree(key_or_alias), "degree", key_or_alias)

    def degrees(self) -> list[Degree]:
        """Every degree (master's first, as in the article)."""
        return list(self._degrees.values())

    # Figures, industries, specializations, topics ----------------------------------------------

    def figure(self, key: str) -> Figure:
        """The figure with ``key``; raises :class:`UnknownSubject`."""
        return self._found(self._figures.get(key), "figure", key)

    def figures(self) -> list[Figure]:
        """Every number the article states."""
        return list(self._figures.values())

    def salary_figures(self) -> list[Figure]:
        """Salary range low, high, and the average."""
        return [self.figure(key) for key in SALARY_FIGURES]

    def cited_sources(self) -> list[Citation]:
        """The outside sources the article cites for its figures (not the article itself)."""
        return [c for key, c in self._citations.items() if key != ARTICLE]

    def citation(self, key: str) -> Citation:
        """The cited source with ``key``; raises :class:`UnknownSubject`."""
        return self._found(self._citations.get(key), "citation", key)

    def article(self) -> Citation:
        """The article itself, as a citation (title, publisher, address)."""
        return self.citation(ARTICLE)

    def industries(self, pay: Optional[str] = None) -> list[Industry]:
        """Industries named by the article, optionally only those with ``pay`` "high"/"competitive"."""
        return [i for i in self._industries if pay is None or i.pay == pay]

    def specializations(self) -> list[Specialization]:
        """The MEM specializations, in the article's order."""
        return list(self._specializations.values())

    def specialization_for_role(self, role: str) -> Optional[Specialization]:
        """The MEM specialization leading to ``role``, if the article names one."""
        name = self.role(role).specialization
        return self._specializations[name] if name else None

    def employers(self) -> list[str]:
        """Companies the article says keep posting engineering management roles."""
        return list(self._employers)

    def discipline_move(self, discipline: str) -> Optional[DisciplineMove]:
        """Where an engineer of ``discipline`` ("civil", "civil engineer", "SWE") may move."""
        key = self.names.resolve("discipline", discipline)
        return self._disciplines[key] if key else None

    def discipline_moves(self) -> list[DisciplineMove]:
        """Every engineering background the article names."""
        return list(self._disciplines.values())

    def topic(self, key: str) -> Topic:
        """The topic with ``key`` ("tools", "outlook", "roi", ...); raises :class:`UnknownSubject`."""
        return self._found(self._topics.get(key), "topic", key)

    def topics(self) -> list[Topic]:
        """Every topic, in the article's order."""
        return list(self._topics.values())

    def tool(self, name: str) -> Tool:
        """The tool or method ``name`` names; raises :class:`UnknownSubject`."""
        return self._found(self._tools.get(self.names.resolve("tool", name) or name), "tool", name)

    # What the article does not cover -----------------------------------------------------------

    def not_covered(self, text: str) -> Optional[tuple[str, str]]:
        """(kind, term) when ``text`` names something the article does not cover, else None."""
        value = self.names.resolve("not_covered", text) or self.names.mention("not_covered", text)
        if value is None:
            return None
        kind, term = value.split(":", 1)
        return kind, term

    def not_covered_topic(self, name: str) -> NotCovered:
        """The topic ``name`` names (term, alias or entity value "topic:<term>"); raises
        :class:`UnknownSubject`."""
        value = self.names.resolve("not_covered", name.removeprefix(f"{TOPIC}:")) or ""
        kind, _, term = value.partition(":")
        if kind != TOPIC:
            raise UnknownSubject(f"unknown not-covered topic: {name!r}")
        return self._not_covered_topics[term]

    def not_covered_topics(self) -> list[NotCovered]:
        """Every career topic the article leaves open, sorted by term."""
        return list(self._not_covered_topics.values())

    @staticmethod
    def _found(record: Any, what: str, name: str) -> Any:
        if record is None:
            raise UnknownSubject(f"unknown {what}: {name!r}")
        return record


@cache
def knowledge_base(url: str) -> KnowledgeBase:
    """The knowledge base at ``url``, loaded on first use and kept."""
    return KnowledgeBase.load(url)


def kb() -> KnowledgeBase:
    """This process's knowledge base (the database of its settings)."""
    return knowledge_base(default_url())


def clear_cache() -> None:
    """Forget every loaded knowledge base (after a rebuild)."""
    knowledge_base.cache_clear()
