"""The curators' knowledge-gap report: what people asked that the bot could not answer.

Reads every conversation from the tracker store configured in endpoints.yml (through Rasa's own
tracker-store API) and lists, grouped and counted, most frequent first:

* "not in the article": an answer set the ``knowledge_gap`` slot ("salary: Germany"), grouped by it;
* "unsure": the message's intent was ``nlu_fallback``, grouped by its normalised text;
* "off-topic": the message's intent was ``out_of_scope`` (listed last, fewer details).

    python -m ops.report [--endpoints endpoints.yml] [--top N] [--json]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import unicodedata
import warnings
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from ops.endpoints import TRACKER_STORE_TYPE, write_endpoints
from settings import Settings, SettingsError

UNKNOWN, UNSURE, OFF_TOPIC = "not in the article", "unsure", "off-topic"
KINDS = (UNKNOWN, UNSURE, OFF_TOPIC)  # the order of the report
GAP_SLOT = "knowledge_gap"
MAX_TEXT = 100


class ReportError(Exception):
    """A problem the user can fix, reported as one error line."""


@dataclass(frozen=True)
class Gap:
    """One unanswered question: its kind, its group key, the user's words, the conversation."""

    kind: str
    key: str
    text: str
    conversation: str


@dataclass
class Group:
    kind: str
    key: str
    count: int
    conversations: int
    examples: List[str]


def clean(text: Any) -> str:
    """User text made safe to print: control characters dropped, one line, at most MAX_TEXT chars."""
    chars = (" " if ch.isspace() else ch for ch in str(text or ""))
    text = " ".join("".join(ch for ch in chars if not unicodedata.category(ch).startswith("C")).split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1].rstrip() + "…"


def normalise(text: str) -> str:
    """Lower case, punctuation stripped, spaces collapsed: "How long?!" == "how  long"."""
    kept = ("" if unicodedata.category(ch)[0] in "PS" else ch for ch in text.lower())
    return " ".join("".join(kept).split())


def intent_of(event: Dict[str, Any]) -> Optional[str]:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name")


def gaps_in(events: Iterable[Dict[str, Any]], conversation: str = "") -> List[Gap]:
    """The gaps in one conversation's events (dicts as stored), each tied to the user message before it.

    A session start forgets the last message, so slots carried over into a new session are not
    counted again; a slot set twice to the same value after one message counts once.
    """
    gaps: List[Gap] = []
    text: Optional[str] = None
    seen: set = set()
    for event in events:
        kind = event.get("event")
        if kind in ("session_started", "restart"):
            text = None
        elif kind == "user":
            text, seen = clean(event.get("text")), set()
            marker = {"nlu_fallback": UNSURE, "out_of_scope": OFF_TOPIC}.get(intent_of(event) or "")
            if marker and normalise(text):  # an empty message or "???" teaches curators nothing
                gaps.append(Gap(marker, normalise(text), text, conversation))
        elif kind == "slot" and event.get("name") == GAP_SLOT and event.get("value") and text is not None:
            value = clean(event["value"])
            if value not in seen:
                seen.add(value)
                gaps.append(Gap(UNKNOWN, value, text, conversation))
    return gaps


def group(gaps: Sequence[Gap]) -> List[Group]:
    """Gaps grouped by kind and key: kinds in report order, then most frequent first."""
    by_key: Dict[tuple, List[Gap]] = {}
    for gap in gaps:
        by_key.setdefault((gap.kind, gap.key), []).append(gap)
    groups = []
    for (kind, key), members in by_key.items():
        phrasings = Counter(g.text for g in members if g.text)
        examples = [text for text, _ in phrasings.most_common(3)]  # ties: the earliest seen first
        groups.append(Group(kind, key, len(members), len({g.conversation for g in members}), examples))
    return sorted(groups, key=lambda g: (KINDS.index(g.kind), -g.count, -g.conversations, g.key))


def top(groups: List[Group], limit: int) -> List[Group]:
    """At most ``limit`` groups of each kind (0: all)."""
    ranks: Counter = Counter()
    kept = []
    for g in groups:
        ranks[g.kind] += 1
        if limit <= 0 or ranks[g.kind] <= limit:
            kept.append(g)
    return kept


def shown_as(g: Group) -> Tuple[str, List[str]]:
    """A group's label and the phrasings listed under it: a gap with its phrasings; a message with
    its other phrasings (none if off-topic)."""
    label = g.key if g.kind == UNKNOWN or not g.examples else g.examples[0]
    return label, g.examples if g.kind == UNKNOWN else g.examples[1:] if g.kind == UNSURE else []


def render(groups: Sequence[Group], conversations: int = 0, hidden: int = 0) -> str:
    """The plain-text report (``hidden``: groups left out by --top)."""
    if not groups:
        return f"No knowledge gaps found in {conversations} conversation(s)."
    lines = [f"Knowledge gaps in {conversations} conversation(s)"]
    for kind in KINDS:
        members = [g for g in groups if g.kind == kind]
        if not members:
            continue
        lines += ["", f"{kind.upper()} ({len(members)} group(s))", f"{'count':>7} {'convs':>6}  what"]
        for g in members:
            label, more = shown_as(g)
            lines += [f"{g.count:>7} {g.conversations:>6}  {label}"] + [f"{'':>16}- {text}" for text in more]
    if hidden:
        lines += ["", f"({hidden} smaller group(s) not shown; --top 0 shows all)"]
    return "\n".join(lines)


def endpoints_file(given: Optional[Path]) -> Path:
    """``given``, or endpoints.yml completed from this process's settings (as ``make run`` writes it)."""
    return given if given is not None else write_endpoints(Settings.from_env(os.environ))


def open_store(endpoints: Path):
    """Rasa's tracker store configured in ``endpoints``; a missing SQLite file is an error, not created."""
    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import read_endpoint_config

    if not endpoints.is_file():
        raise ReportError(f"no endpoints file at {endpoints}")
    config = read_endpoint_config(str(endpoints), "tracker_store")
    if config is None or not config.type:
        raise ReportError(f"{endpoints} configures no tracker_store: conversations are not kept")
    kwargs = config.kwargs
    if config.type.lower() in ("sql", TRACKER_STORE_TYPE.lower()) and kwargs.get("dialect", "sqlite") == "sqlite":
        db = kwargs.get("db", "rasa.db")
        if db != ":memory:" and not Path(db).is_file():  # relative to the working directory, as for Rasa
            raise ReportError(f"no conversation store at {Path(db).absolute()} (tracker_store in {endpoints}): "
                              "nobody has talked to the bot yet, or the path is wrong")
    try:
        return TrackerStore.create(config)
    except Exception as error:  # connection problems: one line, not a traceback
        raise ReportError(f"cannot open the tracker store from {endpoints}: {clean(error)}") from error


@dataclass(frozen=True)
class StoredConversation:
    """One conversation of the tracker store: its sender id and every event of every session, as
    stored (dicts)."""

    sender: str
    events: List[Dict[str, Any]]


async def load_conversations(store) -> List[StoredConversation]:
    """Every conversation in ``store``, through Rasa's tracker-store API (the one reader of
    ``make report``, the dashboard and ``make purge``)."""
    logging.getLogger("rasa.shared.core.trackers").setLevel(logging.CRITICAL)  # slots not in the domain
    conversations = []
    for sender in list(await store.keys()):
        tracker = await store.retrieve_full_tracker(sender)
        if tracker is not None:
            conversations.append(StoredConversation(sender, [event.as_dict() for event in tracker.events]))
    return conversations


def read_conversations(store) -> List[StoredConversation]:
    """:func:`load_conversations` for synchronous callers."""
    return asyncio.run(load_conversations(store))


def gaps_of(conversations: Iterable[StoredConversation]) -> List[Gap]:
    return [gap for conversation in conversations for gap in gaps_in(conversation.events, conversation.sender)]


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoints", type=Path, default=None,
                        help="a complete endpoints file (default: endpoints.yml completed from the settings)")
    parser.add_argument("--top", type=int, default=20, help="groups per kind (0: all; default 20)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    try:
        with warnings.catch_warnings(record=True):  # third-party deprecations, re-enabled by their imports
            stored = read_conversations(open_store(endpoints_file(args.endpoints)))
    except (ReportError, SettingsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    conversations = len(stored)
    everything = group(gaps_of(stored))
    groups = top(everything, args.top)
    if args.json:
        print(json.dumps({"conversations": conversations, "groups": [asdict(g) for g in groups]},
                         ensure_ascii=False, indent=2))
    else:
        print(render(groups, conversations, hidden=len(everything) - len(groups)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
