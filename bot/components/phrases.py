"""Word-list matching on spaCy tokens: case-insensitive, leading apostrophes dropped ("I'm" = "im")."""
from __future__ import annotations

from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

from spacy.tokens import Doc, Token

Tokenize = Callable[[str], Doc]


def word(token: Token) -> str:
    """How word lists see a token: "I'm" -> "i", "m"; "’ve" -> "ve"."""
    return token.lower_.lstrip("'’") or token.lower_


def words(doc: Doc) -> List[str]:
    return [word(token) for token in doc]


def word_set(entries: Iterable[str], tokenize: Tokenize) -> FrozenSet[str]:
    """Single words of a config list, normalised like the text."""
    return frozenset(w for entry in entries for w in words(tokenize(entry)))


class PhraseSet:
    """Phrases of a config list, found by where they end."""

    def __init__(self, phrases: Iterable[str], tokenize: Tokenize) -> None:
        self._by_last: Dict[str, List[Tuple[str, ...]]] = {}
        for phrase in phrases:
            sequence = tuple(words(tokenize(phrase)))
            if sequence:
                self._by_last.setdefault(sequence[-1], []).append(sequence)
        for sequences in self._by_last.values():
            sequences.sort(key=len, reverse=True)

    def length_ending_at(self, text_words: Sequence[str], end: int) -> Optional[int]:
        """Length of the longest phrase that ends right before index ``end``, if any."""
        if end <= 0:
            return None
        for sequence in self._by_last.get(text_words[end - 1], ()):
            start = end - len(sequence)
            if start >= 0 and tuple(text_words[start:end]) == sequence:
                return len(sequence)
        return None
