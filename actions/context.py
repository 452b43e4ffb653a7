"""What the user is talking about: entities of the latest message first, then remembered slots.

Every value is resolved through the knowledge base, so a forged or misspelt value never reaches a
query unchecked; what the KB does not know comes back as ``unknown``.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Tracker

from knowledge.queries import kb
from knowledge.records import Certification, Degree, DisciplineMove, Role, Stage

MAX_ECHO = 60  # at most this much of a user's own words is ever repeated back
ABOUT_USER = re.compile(r"\b(me|my|myself)\b|\bi\b(?!'?m)", re.IGNORECASE)
LIST_SLOTS = ("last_sections", "last_citations", "last_pair")
CURRENT, GOAL = "current", "goal"  # entity roles the NLU gives a role: the user's own, or a target


@dataclass(frozen=True)
class RoleMention:
    """The role a question is about, or why there is none."""

    role: Optional[Role] = None
    ambiguous: Optional[str] = None  # a bare "manager"
    unknown: Optional[str] = None  # "marketing manager", "surgeon", a value the KB lacks


@dataclass
class Context:
    intent: str
    text: str
    entities: Dict[str, List[str]] = field(default_factory=dict)
    slots: Dict[str, Any] = field(default_factory=dict)
    starts: Dict[str, int] = field(default_factory=dict)  # "label:value" -> where it starts in text
    channel: str = ""  # "rest", "socketio", "slack", "cmdline"
    entity_roles: Dict[str, str] = field(default_factory=dict)  # "label:value" -> "current" | "goal"
    clauses: List[Dict[str, Any]] = field(default_factory=list)  # the NLU's parts of a compound message
    in_domain: bool = True  # the NLU's domain gate: False when the message is about something else
    confidence: float = 1.0  # the NLU's confidence in ``intent``
    best_guess: str = ""  # the classifier's best-ranked intent, under a fallback too
    own_words: Tuple[str, ...] = ()  # the NLU's domain gate: words only the domain uses ("ladder")
    said: Tuple[str, ...] = ()  # the bot's replies earlier in this session, oldest first

    @classmethod
    def from_tracker(cls, tracker: Tracker) -> Context:
        ctx = cls.from_parse(tracker.latest_message or {}, tracker.slots,
                             tracker.get_latest_input_channel() or "")
        ctx.said = said_in_session(tracker.events or [])
        return ctx

    @classmethod
    def from_parse(cls, message: Dict[str, Any], slots: Dict[str, Any], channel: str = "") -> Context:
        """The context of one parsed message (Rasa's parse data) with these slots."""
        entities: Dict[str, List[str]] = {}
        starts: Dict[str, int] = {}
        roles: Dict[str, str] = {}
        for entity in message.get("entities") or []:
            values = entity.get("value")
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, (str, int, float)) and str(value).strip():
                    key = f"{entity.get('entity')}:{value}"
                    entities.setdefault(str(entity.get("entity")), []).append(str(value))
                    if isinstance(entity.get("start"), int):
                        starts.setdefault(key, entity["start"])
                    if entity.get("role") in (CURRENT, GOAL):
                        roles.setdefault(key, entity["role"])
        clauses = message.get("clauses")
        domain = message.get("domain")
        return cls(
            intent=((message.get("intent") or {}).get("name") or ""),
            text=str(message.get("text") or ""),
            entities=entities,
            slots=clean_slots(slots),
            starts=starts,
            channel=channel,
            entity_roles=roles,
            clauses=[c for c in clauses if isinstance(c, dict)] if isinstance(clauses, list) else [],
            in_domain=not (isinstance(domain, dict) and domain.get("in_domain") is False),
            confidence=confidence_of(message.get("intent")),
            best_guess=best_guess(message.get("intent_ranking")),
            own_words=tuple(str(w) for w in domain.get("own_words") or ()) if isinstance(domain, dict) else (),
        )

    def part(self, clause: Dict[str, Any]) -> Context:
        """This context narrowed to one clause of the message: its words, intent and entities."""
        start, end = clause.get("start", 0), clause.get("end", len(self.text))
        inside = {key for key, at in self.starts.items() if start <= at < end}
        entities: Dict[str, List[str]] = {}
        for label, values in self.entities.items():
            kept = [v for v in values if f"{label}:{v}" in inside]
            if kept:
                entities[label] = kept
        return Context(intent=str(clause.get("intent") or self.intent), text=self.text[start:end],
                       confidence=confidence_of(clause),
                       entities=entities, slots=self.slots,
                       starts={k: at - start for k, at in self.starts.items() if k in inside},
                       channel=self.channel,
                       entity_roles={k: r for k, r in self.entity_roles.items() if k in inside},
                       in_domain=self.in_domain, said=self.said, best_guess=self.best_guess,
                       own_words=self.own_words)

    def entity(self, label: str) -> Optional[str]:
        values = self.entities.get(label)
        return values[0] if values else None

    def slot(self, name: str) -> Any:
        return self.slots.get(name)

    def with_role(self, entity_role: str) -> List[str]:
        """Entity values the NLU marked as the user's own position or as their target."""
        return [key for key, role in self.entity_roles.items() if role == entity_role]

    @property
    def describes_self(self) -> bool:
        """"I'm a project engineer" rather than "what about a project engineer?"."""
        return bool(self.with_role(CURRENT) or self.entities.get("years_experience"))

    # --- roles -------------------------------------------------------------------------------
    def mentioned_roles(self) -> List[Role]:
        """KB roles named in this message, in order, without repeats."""
        found: List[Role] = []
        for value in self.entities.get("role", []):
            role = kb().find_role(value)
            if role and role not in found:
                found.append(role)
        return found

    def self_described_role(self) -> Optional[Role]:
        """The KB role the user says is theirs ("I'm a project manager", "currently a PM")."""
        return self._marked_role(CURRENT)

    def goal_role(self) -> Optional[Role]:
        """The KB role the user says they are aiming for ("I want to become a director")."""
        return self._marked_role(GOAL)

    def _marked_role(self, entity_role: str) -> Optional[Role]:
        values = [key.partition(":")[2] for key in self.with_role(entity_role) if key.startswith("role:")]
        return kb().find_role(values[0]) if values else None

    def years_experience(self) -> Optional[float]:
        """The user's own years of experience, when the NLU found them in this message."""
        for value in self.entities.get("years_experience", []):
            try:
                years = float(value)
            except ValueError:
                continue
            if 0 <= years <= 60:
                return int(years) if years.is_integer() else years
        return None

    def role_mention(self, remembered: bool = True, own: bool = False) -> RoleMention:
        """The role this message asks about; falls back to the one under discussion.

        ``own``: a question that, said about the user ("what's next for me?"), means their
        current role rather than the goal under discussion.
        """
        named = self.mentioned_roles()
        if named:
            return RoleMention(role=named[-1])
        unknown = self._unknown_role()
        if unknown:
            return RoleMention(unknown=unknown)
        if self.entity("ambiguous_role"):
            return RoleMention(ambiguous=self.entity("ambiguous_role"))
        if remembered:
            order = ("role", "goal_role", "current_role")
            if own and ABOUT_USER.search(self.text):
                order = ("current_role", "role", "goal_role")
            for slot in order:
                role = kb().find_role(self.slot(slot) or "")
                if role:
                    return RoleMention(role=role)
        return RoleMention()

    def _unknown_role(self) -> Optional[str]:
        for value in self.entities.get("role", []):  # a payload value the KB does not know
            return echo(value)
        for value in self.entities.get("not_covered", []):
            kind, _, term = value.partition(":")
            if kind == "profession":
                return echo(term)
        return echo(self.entity("unknown_role")) if self.entity("unknown_role") else None

    def not_covered(self, kind: str) -> Optional[str]:
        """A place, currency or profession the article does not cover, named in this message."""
        for value in self.entities.get("not_covered", []):
            found_kind, _, term = value.partition(":")
            if found_kind == kind:
                return echo(term)
        return None

    # --- other subjects ----------------------------------------------------------------------
    def certification(self, remembered: bool = True) -> Optional[Certification]:
        return self._resolve("certification", kb().find_certification, remembered)

    def degree(self, remembered: bool = True) -> Optional[Degree]:
        return self._resolve("degree", kb().find_degree, remembered)

    def stage(self) -> Optional[Stage]:
        value = self.entity("stage")
        return kb().find_stage(value) if value else None

    def discipline(self, remembered: bool = True) -> Optional[DisciplineMove]:
        for value in self.entities.get("discipline", []):
            move = kb().discipline_move(value)
            if move:
                return move
        remembered_value = self.slot("discipline") if remembered else None
        return kb().discipline_move(remembered_value) if remembered_value else None

    def _resolve(self, label: str, find: Any, remembered: bool) -> Any:
        for value in self.entities.get(label, []):
            found = find(value)
            if found:
                return found
        if remembered and self.slot(label):
            return find(self.slot(label))
        return None

    @property
    def subject_kind(self) -> Optional[str]:
        """What this message is about, else what the conversation was about."""
        for kind in ("certification", "degree", "role", "discipline", "stage"):
            if self.entities.get(kind):
                return kind
        return self.slot("subject_kind")


def said_in_session(events: List[Dict[str, Any]]) -> Tuple[str, ...]:
    """The texts the bot said since the session started."""
    texts: List[str] = []
    for event in events:
        if event.get("event") == "session_started":
            texts = []
        elif event.get("event") == "bot" and isinstance(event.get("text"), str):
            texts.append(event["text"])
    return tuple(texts)


def clean_slots(slots: Dict[str, Any]) -> Dict[str, Any]:
    """Slot values of the shapes the actions use; anything else (all slots are typed ``any``: a
    tracker kept from an older version, or one edited through Rasa's HTTP API, may hold a list or
    an object anywhere) becomes None.

    The remembered sections and citations are lists of text, years of experience a number, every
    other slot text.
    """
    cleaned: Dict[str, Any] = {}
    for name, value in (slots or {}).items():
        if name in LIST_SLOTS:
            value = [item for item in value if isinstance(item, str)] if isinstance(value, list) else None
        elif name == "years_experience":
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            value = value if number and math.isfinite(value) else None
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        elif not isinstance(value, str):
            value = None
        cleaned[name] = value
    return cleaned


def best_guess(ranking: Any) -> str:
    """The best-ranked intent that is not the fallback ("nlu_fallback" replaces an unsure reading)."""
    names = [r.get("name") for r in ranking if isinstance(r, dict)] if isinstance(ranking, list) else []
    return next((str(name) for name in names if name and name != "nlu_fallback"), "")


def confidence_of(scored: Any) -> float:
    """The ``confidence`` of an intent or clause the NLU scored; 0 when it has none."""
    value = scored.get("confidence") if isinstance(scored, dict) else None
    number = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    return float(value) if number else 0.0


def echo(text: Optional[str]) -> str:
    """A user's words made safe to repeat: printable, one line, short."""
    cleaned = "".join(ch for ch in str(text or "") if ch.isprintable()).strip()
    cleaned = re.sub(r"[<>`*_{}\[\]]", "", cleaned)
    return cleaned[:MAX_ECHO].strip()
