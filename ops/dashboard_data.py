"""What the curator dashboard shows, computed from the stored conversations (ops/report.py reads them).

* ratings: the ``SlotSet("feedback", {...})`` events of the feedback contract (team brief), one per
  rated answer (a later comment for the same answer completes it);
* per day (UTC): conversations, user messages, the fallback rate (messages Rasa classified as
  ``nlu_fallback``) and the not-helpful rate (not-helpful ratings among the ratings given that day);
* which conversations are behind each group of the knowledge-gap report.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from ops.report import Gap, StoredConversation, clean, gaps_of, intent_of

FEEDBACK_SLOT, FEEDBACK_INTENT = "feedback", "feedback"
HELPFUL, NOT_HELPFUL = "helpful", "not_helpful"
FALLBACK_INTENT = "nlu_fallback"
MAX_DAYS = 90  # days shown in the charts, ending with the latest day that has data


@dataclass
class Rating:
    """One rated answer: what was asked, what the bot answered, the verdict and the comment."""

    conversation: str
    answer_id: str
    rating: str
    question: str
    answer: str
    comment: str = ""
    timestamp: float = 0.0


@dataclass
class Day:
    """The numbers of one UTC day."""

    day: date
    conversations: int = 0
    messages: int = 0
    fallbacks: int = 0
    ratings: int = 0
    not_helpful: int = 0

    @property
    def fallback_rate(self) -> Optional[float]:
        return self.fallbacks / self.messages if self.messages else None

    @property
    def not_helpful_rate(self) -> Optional[float]:
        return self.not_helpful / self.ratings if self.ratings else None


@dataclass
class Overview:
    """Everything the dashboard's front page needs."""

    conversations: List[StoredConversation]
    gaps: List[Gap]
    ratings: List[Rating]
    days: List[Day]
    since: Optional[datetime]  # the oldest event kept
    behind: Dict[Tuple[str, str], List[str]] = field(default_factory=dict)  # (kind, key) -> conversations

    @property
    def not_helpful(self) -> List[Rating]:
        return [r for r in self.ratings if r.rating == NOT_HELPFUL]


def utc(timestamp: Any) -> Optional[datetime]:
    try:
        return datetime.fromtimestamp(float(timestamp), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def is_message(event: Dict[str, Any]) -> bool:
    """A user message (a rating payload is not one)."""
    return event.get("event") == "user" and intent_of(event) != FEEDBACK_INTENT


def ratings_in(events: Iterable[Dict[str, Any]], conversation: str = "") -> List[Rating]:
    """The rated answers in one conversation's events, in the order they were first rated."""
    rated: Dict[str, Rating] = {}
    for event in events:
        value = event.get("value")
        if event.get("event") != "slot" or event.get("name") != FEEDBACK_SLOT or not isinstance(value, dict):
            continue
        answer_id, verdict = str(value.get("answer_id") or ""), value.get("rating")
        if not answer_id or verdict not in (HELPFUL, NOT_HELPFUL):
            continue
        comment = clean(value.get("comment") or "")
        if answer_id in rated:  # the comment that may follow a not-helpful rating
            rated[answer_id].comment = comment or rated[answer_id].comment
            continue
        rated[answer_id] = Rating(conversation, answer_id, verdict, str(value.get("question") or ""),
                                  str(value.get("answer") or ""), comment, float(event.get("timestamp") or 0))
    return list(rated.values())


def per_day(conversations: Sequence[StoredConversation], ratings: Sequence[Rating]) -> List[Day]:
    """One :class:`Day` for each day from the first with data to the last (at most MAX_DAYS)."""
    days: Dict[date, Day] = {}
    talkers: Dict[date, Set[str]] = defaultdict(set)
    for conversation in conversations:
        for event in conversation.events:
            when = utc(event.get("timestamp"))
            if when is None or not is_message(event):
                continue
            day = days.setdefault(when.date(), Day(when.date()))
            day.messages += 1
            day.fallbacks += intent_of(event) == FALLBACK_INTENT
            talkers[when.date()].add(conversation.sender)
    for rating in ratings:
        when = utc(rating.timestamp)
        if when is not None:
            day = days.setdefault(when.date(), Day(when.date()))
            day.ratings += 1
            day.not_helpful += rating.rating == NOT_HELPFUL
    if not days:
        return []
    last = max(days)
    first = max(min(days), last - timedelta(days=MAX_DAYS - 1))
    span = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    for when in span:
        days.setdefault(when, Day(when)).conversations = len(talkers[when])
    return [days[when] for when in span]


def oldest(conversations: Iterable[StoredConversation]) -> Optional[datetime]:
    stamps = [event["timestamp"] for c in conversations for event in c.events if event.get("timestamp")]
    return utc(min(stamps)) if stamps else None


def overview(conversations: List[StoredConversation]) -> Overview:
    gaps = gaps_of(conversations)
    ratings = [r for c in conversations for r in ratings_in(c.events, c.sender)]
    behind: Dict[Tuple[str, str], List[str]] = {}
    for gap in gaps:
        senders = behind.setdefault((gap.kind, gap.key), [])
        if gap.conversation not in senders:
            senders.append(gap.conversation)
    return Overview(conversations, gaps, ratings, per_day(conversations, ratings), oldest(conversations), behind)
