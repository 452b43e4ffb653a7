"""How replies look: the answer first, then one short source line; buttons for next questions.

All formatting rules live here, so every action's reply reads the same way.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from knowledge.queries import kb
from knowledge.records import Citation, Figure, Stage

LOOKUP_FAILED = (
    "Sorry, I can't look that up right now. Please try again in a moment."
)


@dataclass
class Reply:
    """What an action says, where it comes from, and what it remembers."""

    text: str
    sections: Tuple[str, ...] = ()
    citations: Tuple[Citation, ...] = ()
    buttons: List[Dict[str, str]] = field(default_factory=list)
    slots: Dict[str, Any] = field(default_factory=dict)
    question: Optional[str] = None  # the question answered, for follow-ups ("what about X?")
    gap: Optional[str] = None  # what the article could not answer ("salary: Germany"), for curators
    personal: bool = False  # open with the user's profile ("As a project engineer aiming for …:")
    table: Optional[Table] = None  # a side-by-side comparison, laid out natively where a channel can
    response: Optional[str] = None  # a response of domain.yml to say instead of ``text``
    path: Optional[Dict[str, Any]] = None  # a career path to draw (actions/path_payload.py's schema)


@dataclass(frozen=True)
class Table:
    left: str
    right: str
    rows: Tuple[Tuple[str, str, str], ...]  # (dimension, left value, right value)


def source_line(sections: Sequence[str], citations: Sequence[Citation] = ()) -> str:
    if not sections:
        return ""
    quoted = "; ".join(f"“{section}”" for section in unique(sections))
    line = f"Source: {quoted} ({kb().article().publisher})"
    if citations:
        line += ", citing " + " and ".join(unique(c.publisher for c in citations))
    return line + "."


def render_text(reply: Reply) -> str:
    source = source_line(reply.sections, reply.citations)
    return f"{reply.text}\n\n{source}" if source else reply.text


def figure(value: Figure) -> str:
    """A figure as the bot writes it: "$121,560", "$150,000+", "5–8 years", "1–2 years"."""
    if value.unit == "USD":
        text = f"${value.amount:,.0f}"
        if value.upper is not None:
            text += f"–${value.upper:,.0f}"
        return text + ("+" if value.open_ended else "")
    amount = _number(value.amount)
    span = f"{amount}–{_number(value.upper)}" if value.upper is not None else amount
    unit = value.unit if (value.upper is not None or value.amount != 1) else value.unit.rstrip("s")
    return f"{span} {unit}"


def _number(amount: Optional[float]) -> str:
    return f"{amount:g}" if amount is not None else ""


def join(items: Iterable[str], conjunction: str = "and") -> str:
    """"a", "a and b", "a, b and c"."""
    words = [item for item in items if item]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def bullets(items: Iterable[str]) -> str:
    return "\n".join(f"• {item}" for item in items)


def title(name: str) -> str:
    """"engineering manager" -> "Engineering manager" (acronyms stay as they are)."""
    return name[:1].upper() + name[1:] if name else name


VOWEL_LETTERS = "AEFHILMNORSX"  # letters whose name starts with a vowel sound: "an MBA", "an R&D manager"
SOUNDS_CONSONANT = ("uni", "use", "usu", "eu", "one")  # "a university", "a one-year course"
SOUNDS_VOWEL = ("hour", "honest", "honor", "honour")  # "an hour"


def article(name: str) -> str:
    """"an engineering manager", "a project manager"; an acronym by how its letter sounds: "an MEM",
    "an MBA", "a PMP"; a word by how it sounds where its spelling misleads: "a university", "an hour"."""
    first = name.split(" ")[0] if name else ""
    word = first.lower()
    if first.isupper() and len(first) > 1:
        sounds_like_vowel = first[:1] in VOWEL_LETTERS
    else:
        sounds_like_vowel = (word[:1] in tuple("aeiou") and not word.startswith(SOUNDS_CONSONANT)
                             or word.startswith(SOUNDS_VOWEL))
    return f"{'an' if sounds_like_vowel else 'a'} {name}"


def stage_kind(stage: Stage) -> str:
    """A stage as replies describe its roles: "mid-level", "advanced leadership", "executive",
    "specialized" (the name without its note in brackets or a closing "roles")."""
    name = re.sub(r"\s*\([^)]*\)|\s+roles$", "", stage.name, flags=re.IGNORECASE)
    return name[:1].lower() + name[1:]


def payload(intent: str, **entities: Any) -> str:
    """A button payload Rasa parses without NLU: /intent{"entity": "value"}."""
    return f"/{intent}{json.dumps(entities)}" if entities else f"/{intent}"


def button(title_text: str, intent: str, **entities: Any) -> Dict[str, str]:
    return {"title": title_text, "payload": payload(intent, **entities)}


def unique(items: Iterable[Any]) -> List[Any]:
    seen: List[Any] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def role_label(name: str) -> str:
    """A role as replies write it, from the KB: "VP of engineering", "chief technology officer (CTO)"."""
    role = kb().find_role(name)
    return role.title if role else name


def path_text(names: Sequence[str]) -> str:
    return " → ".join(role_label(name) for name in names)


def slack_message(reply: Reply) -> Dict[str, Any]:
    """A comparison as Slack blocks: a header, one section per dimension with two fields."""
    table = reply.table
    blocks: List[Dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"{title(table.left)} vs {table.right}"[:150]}}
    ]
    for dimension, left, right in table.rows:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"*{title(dimension)}*"},
                       "fields": [{"type": "mrkdwn", "text": f"*{title(table.left)}*\n{left}"[:2000]},
                                  {"type": "mrkdwn", "text": f"*{title(table.right)}*\n{right}"[:2000]}]})
    return {"text": render_text(reply), "blocks": blocks + slack_footer(reply)}


def slack_footer(reply: Reply) -> List[Dict[str, Any]]:
    """The blocks that close a Slack answer: its source line, then its buttons."""
    blocks: List[Dict[str, Any]] = []
    source = source_line(reply.sections, reply.citations)
    if source:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": source}]})
    if reply.buttons:
        blocks.append({"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": b["title"][:75]}, "value": b["payload"]}
            for b in reply.buttons]})
    return blocks
