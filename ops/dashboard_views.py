"""The dashboard's HTML: Jinja2 templates in ops/templates/report, autoescaped (user text is only
ever shown as text), charts as server-drawn SVG (ops/charts.py)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, List, Optional, Sequence, Set
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ops.charts import Chart, bar_chart, shown
from ops.dashboard_data import FEEDBACK_SLOT, Overview, is_message, utc
from ops.report import KINDS, OFF_TOPIC, UNSURE, Group, StoredConversation, clean, group, intent_of, shown_as
from settings import ROOT

TEMPLATES = ROOT / "ops" / "templates" / "report"
NOTES = {"nlu_fallback": UNSURE, "out_of_scope": OFF_TOPIC}


@dataclass(frozen=True)
class Line:
    """One line of a transcript."""

    who: str  # user, bot or rating
    when: str
    text: str
    note: str = ""
    marked: bool = False  # one of the messages the page is about


@dataclass(frozen=True)
class Transcript:
    sender: str
    lines: List[Line]


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(group_url=group_url, conversation_url=conversation_url, shown_as=shown_as,
                       percent=lambda rate: shown(rate, percent=True))
    return env


def group_url(g: Group) -> str:
    return "/report/group?" + urlencode({"kind": g.kind, "key": g.key})


def conversation_url(sender: str) -> str:
    return "/report/conversation?" + urlencode({"id": sender})


def charts(data: Overview) -> List[Chart]:
    labels = [d.day.isoformat() for d in data.days]
    return [
        bar_chart("conversations", "Conversations per day", labels, [d.conversations for d in data.days]),
        bar_chart("messages", "Messages per day", labels, [d.messages for d in data.days]),
        bar_chart("fallback", "Fallback rate per day", labels, [d.fallback_rate for d in data.days], percent=True),
        bar_chart("not-helpful", "Not-helpful rate per day (of the answers rated)", labels,
                  [d.not_helpful_rate for d in data.days], percent=True),
    ]


def render_overview(data: Overview, notice: str = "") -> str:
    groups = group(data.gaps)
    kinds = [(kind, [g for g in groups if g.kind == kind]) for kind in KINDS]
    return environment().get_template("overview.html").render(
        title="What people asked", data=data, charts=charts(data), kinds=kinds, notice=notice)


def line_of(event: Dict[str, Any], marked: Set[str]) -> Optional[Line]:
    when = utc(event.get("timestamp"))
    stamp = when.strftime("%Y-%m-%d %H:%M:%S") if when else ""
    kind = event.get("event")
    if kind == "user" and is_message(event):
        text = str(event.get("text") or "")
        return Line("user", stamp, text, NOTES.get(intent_of(event) or "", ""), bool({text, clean(text)} & marked))
    if kind == "bot" and event.get("text"):
        return Line("bot", stamp, str(event["text"]))
    value = event.get("value")
    if kind == "slot" and event.get("name") == FEEDBACK_SLOT and isinstance(value, dict):
        comment = f": {value['comment']}" if value.get("comment") else ""
        return Line("rating", stamp, f"{str(value.get('rating')).replace('_', ' ')}{comment}", marked=True)
    return None


def transcript(conversation: StoredConversation, marked: Set[str]) -> Transcript:
    lines = [line_of(event, marked) for event in conversation.events]
    return Transcript(conversation.sender, [line for line in lines if line])


def render_transcripts(title: str, conversations: Sequence[StoredConversation], marked: Set[str]) -> str:
    """The transcripts of ``conversations``; user messages in ``marked`` (raw texts) highlighted."""
    return environment().get_template("transcripts.html").render(
        title=title, transcripts=[transcript(c, marked) for c in conversations])
