"""What the user is talking about: entities of the latest message first, then remembered slots.

Every value is resolved through the knowledge base, so a forged or misspelt value never reaches a
query unchecked; what the KB does not know comes back as ``unknown``.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

from knowledge import queries
from knowledge.records import Certification, Degree, DisciplineMove, Role, Stage

MAX_ECHO = 60  # at most this much of a user's own words is ever repeated back
SELF_DESCRIPTION = re.compile(r"\b(i'?m|i am|im|currently|i work as|i'?ve been)\b", re.IGNORECASE)
ABOUT_USER = re.compile(r"\b(me|my|myself)\b|\bi\b(?!'?m)", re.IGNORECASE)
LIST_SLOTS = ("last_sections", "last_citations")
SELF_DESCRIPTION_GAP = 8  # characters between "I'm" and the role: " a ", " an ", " now a "


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

    @classmethod
    def from_tracker(cls, tracker: Tracker) -> Context:
        message = tracker.latest_message or {}
        entities: Dict[str, List[str]] = {}
        starts: Dict[str, int] = {}
        for entity in message.get("entities") or []:
            values = entity.get("value")
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, (str, int, float)) and str(value).strip():
                    entities.setdefault(str(entity.get("entity")), []).append(str(value))
                    if isinstance(entity.get("start"), int):
                        starts.setdefault(f"{entity.get('entity')}:{value}", entity["start"])
        return cls(
            intent=((message.get("intent") or {}).get("name") or ""),
            text=str(message.get("text") or ""),
            entities=entities,
            slots=clean_slots(tracker.slots),
            starts=starts,
            channel=tracker.get_latest_input_channel() or "",
        )

    def entity(self, label: str) -> Optional[str]:
        values = self.entities.get(label)
        return values[0] if values else None

    def slot(self, name: str) -> Any:
        return self.slots.get(name)

    @property
    def describes_self(self) -> bool:
        """"I'm a project engineer" rather than "what about a project engineer?"."""
        return bool(SELF_DESCRIPTION.search(self.text))

    # --- roles -------------------------------------------------------------------------------
    def mentioned_roles(self) -> List[Role]:
        """KB roles named in this message, in order, without repeats."""
        found: List[Role] = []
        for value in self.entities.get("role", []):
            role = queries.find_role(value)
            if role and role not in found:
                found.append(role)
        return found

    def self_described_role(self) -> Optional[Role]:
        """The role in "I'm a project manager" / "currently a PM", wherever it sits in the text."""
        ends = [match.end() for match in SELF_DESCRIPTION.finditer(self.text)]
        for value in self.entities.get("role", []):
            start = self.starts.get(f"role:{value}")
            if start is not None and any(0 <= start - end <= SELF_DESCRIPTION_GAP for end in ends):
                return queries.find_role(value)
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
                role = queries.find_role(self.slot(slot) or "")
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
        return self._resolve("certification", queries.find_certification, remembered)

    def degree(self, remembered: bool = True) -> Optional[Degree]:
        return self._resolve("degree", queries.find_degree, remembered)

    def stage(self) -> Optional[Stage]:
        value = self.entity("stage")
        return queries.find_stage(value) if value else None

    def discipline(self, remembered: bool = True) -> Optional[DisciplineMove]:
        for value in self.entities.get("discipline", []):
            move = queries.discipline_move(value)
            if move:
                return move
        remembered_value = self.slot("discipline") if remembered else None
        return queries.discipline_move(remembered_value) if remembered_value else None

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


def echo(text: Optional[str]) -> str:
    """A user's words made safe to repeat: printable, one line, short."""
    cleaned = "".join(ch for ch in str(text or "") if ch.isprintable()).strip()
    cleaned = re.sub(r"[<>`*_{}\[\]]", "", cleaned)
    return cleaned[:MAX_ECHO].strip()
