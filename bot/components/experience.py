"""The user's own years of experience: "3 years of experience", "I've been a PM for 4 years".

A duration counts when an experience noun follows it ("5 yrs experience", "a decade of experience"),
when it ends in "in" at the end of a clause ("2 years in, what next?"), or when its clause has an
experience verb before it ("been doing this 6 years"). It does not when it is asked about: right
after a guard word ("in 10 years", "5-8 years") or in a clause with a question word before it or a
question mark after it ("how long, 5 years?").
"""
from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

from spacy.tokens import Doc, Span

from bot.components.entity_settings import EntitySettings
from bot.components.phrases import Tokenize, word_set

CLAUSE_ENDS = frozenset(",.?!;:")


class ExperienceFinder:
    def __init__(self, settings: EntitySettings, tokenize: Tokenize) -> None:
        self._numbers = {number: index + 1 for index, number in enumerate(settings.number_words)}
        self._units = {**dict.fromkeys(word_set(settings.year_units, tokenize), 1),
                       **dict.fromkeys(word_set(settings.decade_units, tokenize), 10)}
        self._nouns = word_set(settings.experience_nouns, tokenize)
        self._verbs = word_set(settings.experience_verbs, tokenize)
        self._duration_guards = frozenset(settings.duration_guards)
        self._question_guards = word_set(settings.question_guards, tokenize)
        self._fillers = frozenset(settings.duration_fillers)

    def find(self, doc: Doc, words: Sequence[str]) -> List[Tuple[str, Span]]:
        """(years as text, "3", "2.5", "10"; the span "3 years") for each of the user's durations."""
        found: List[Tuple[str, Span]] = []
        for index in range(len(doc)):
            duration = self._duration(doc, words, index)
            if duration is None:
                continue
            years, unit = duration
            if self._is_own(words, index, unit) and not self._is_asked(words, index):
                found.append((f"{years:g}", doc[index : unit + 1]))
        return found

    def _duration(self, doc: Doc, words: Sequence[str], index: int) -> Optional[Tuple[float, int]]:
        """(years, index of the unit word) for "3 years", "2.5 yrs", "five years", "3+ years", "a decade"."""
        unit = index + 1
        while unit < len(doc) and words[unit] == "+":
            unit += 1
        if unit >= len(doc) or words[unit] not in self._units:
            return None
        amount = self._amount(words[index], words[unit])
        return (amount * self._units[words[unit]], unit) if amount else None

    def _amount(self, text_word: str, unit_word: str) -> Optional[float]:
        if text_word in ("a", "an") and not unit_word.endswith("s"):
            return 1.0
        if text_word in self._numbers:
            return float(self._numbers[text_word])
        try:
            amount = float(text_word)
        except ValueError:
            return None
        return amount if 0 < amount < 100 else None

    def _is_own(self, words: Sequence[str], index: int, unit: int) -> bool:
        after = [w for w in words[unit + 1 : unit + 4] if w not in ("'", "of")]
        if after and after[0] in self._nouns:
            return True
        if after[:1] == ["in"] and (len(after) == 1 or after[1] in CLAUSE_ENDS):
            return True
        after = _clause_after(words, unit)
        return any(w in self._verbs for w in (*_clause_before(words, index), *after)) and "?" not in after

    def _is_asked(self, words: Sequence[str], index: int) -> bool:
        before = index - 1
        while before >= 0 and words[before] in self._fillers:
            before -= 1
        if before >= 0 and words[before] in self._duration_guards:
            return True
        return any(w in self._question_guards for w in _clause_before(words, index))


def _clause_before(words: Sequence[str], index: int) -> Sequence[str]:
    start = index
    while start > 0 and words[start - 1] not in CLAUSE_ENDS:
        start -= 1
    return words[start:index]


def _clause_after(words: Sequence[str], index: int) -> Sequence[str]:
    """The rest of the clause, with the punctuation that ends it."""
    end = index + 1
    while end < len(words) and words[end] not in CLAUSE_ENDS:
        end += 1
    return words[index + 1 : end + 1]
