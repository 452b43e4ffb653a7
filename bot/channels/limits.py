"""What every public channel accepts: message size, clean text, and a per-sender rate limit.

Limits (this process's settings, :func:`settings.process_settings`: Rasa builds the channels
from credentials.yml, so they cannot be handed the launcher's settings):

- ``CAREER_COACH_MAX_MESSAGE`` (default 5000): longer messages are answered with :data:`TOO_LONG`
  and not processed;
- ``CAREER_COACH_MAX_BODY`` (bytes, default 2 MiB): larger REST bodies get 413, larger socket.io
  packets are refused by the socket.io server;
- ``CAREER_COACH_RATE_LIMIT`` (messages per minute per sender, default 30; 0 turns it off): a
  token bucket holding one minute's worth; beyond it the sender gets :data:`RATE_LIMITED`.
"""
from __future__ import annotations

import time
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Optional, Tuple

from settings import process_settings

TOO_LONG = ("That message is too long for me. Please ask your question in fewer than "
            "{limit:,} characters.")
EMPTY = ("I didn't get a question there. Ask me about engineering roles, certifications, degrees, "
         "salaries or planning your path.")
UNREADABLE = "I couldn't read that message. Please send your question as plain text."
RATE_LIMITED = "You're sending messages faster than I can answer. Please wait a moment and try again."
MAX_SENDER_LENGTH = 128
_REMEMBERED_SENDERS = 10_000


def max_message_chars() -> int:
    return process_settings().max_message


def max_body_bytes() -> int:
    return process_settings().max_body


def rate_per_minute() -> int:
    return process_settings().rate_limit


def clean_text(text: str) -> str:
    """``text`` without control characters (tab and newline become spaces) or lone surrogates.

    Such characters cannot be stored by every tracker store (PostgreSQL refuses NUL) and mean
    nothing to the NLU; letters, emoji and direction marks of any script are kept.
    """
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cs" or (category == "Cc" and ch not in "\t\n\r"):
            continue
        kept.append(" " if ch in "\t\n\r" else ch)
    return "".join(kept)


def valid_sender(sender: object) -> bool:
    """A conversation id: a short printable string."""
    return (isinstance(sender, str) and 0 < len(sender) <= MAX_SENDER_LENGTH
            and sender.isprintable() and bool(sender.strip()))


def refusal(text: str) -> Optional[str]:
    """The polite reply for a message the bot will not process (empty or too long); None to process."""
    if len(text) > max_message_chars():
        return TOO_LONG.format(limit=max_message_chars())
    if not text.strip():
        return EMPTY
    return None


@dataclass
class RateLimiter:
    """A token bucket per sender: ``per_minute`` messages a minute, bursts up to ``per_minute``."""

    per_minute: int = field(default_factory=rate_per_minute)
    buckets: OrderedDict[str, Tuple[float, float]] = field(default_factory=OrderedDict)

    def allow(self, sender: str, now: Optional[float] = None) -> bool:
        """Take one token for ``sender``; False when the bucket is empty (or always True when off)."""
        if self.per_minute <= 0:
            return True
        now = time.monotonic() if now is None else now
        tokens, last = self.buckets.pop(sender, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - last) * self.per_minute / 60.0)
        allowed = tokens >= 1.0
        self.buckets[sender] = (tokens - 1.0 if allowed else tokens, now)
        while len(self.buckets) > _REMEMBERED_SENDERS:
            self.buckets.popitem(last=False)
        return allowed
