"""Split a message into the questions it asks: "what does an EM do and who do they report to?".

A clause boundary is sentence punctuation, or a comma or coordinating word ("and", "also", "plus",
a dash) right before a question word. Each clause keeps its character span in the message, so entities can
be assigned to the clause they sit in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Sequence

QUESTION_WORDS = (
    "what", "whats", "what's", "who", "whom", "whose", "how", "hows", "how's", "which", "when", "where",
    "why", "is", "are", "was", "do", "does", "did", "can", "could", "should", "would", "will", "tell",
    "give", "list", "explain", "any",
)
COORDINATORS = ("and", "also", "plus", "but", "&", "then")
MIN_CLAUSE_WORDS = 2  # a shorter piece joins its neighbour ("and?", "ok.")


@dataclass(frozen=True)
class Clause:
    text: str
    start: int
    end: int


def _boundary_pattern(coordinators: Sequence[str], question_words: Sequence[str]) -> re.Pattern:
    coordinator = "|".join(re.escape(word) for word in coordinators)
    question = "|".join(re.escape(word) for word in question_words if word not in coordinators)
    return re.compile(
        rf"(?<=[?!.;])\s+"  # after sentence punctuation
        rf"|\s*(?:,\s*|\s+)(?:{coordinator})\s+(?=(?:{question})\b)"  # "… and who …"
        rf"|\s*,\s*(?=(?:{question})\b)"  # "what does X do, how much do they make"
        rf"|\s+[-–—]+\s+(?=(?:{question})\b)",  # "… — is a CSM worth it?"
        re.IGNORECASE,
    )


BOUNDARY = _boundary_pattern(COORDINATORS, QUESTION_WORDS)


def split_clauses(text: str) -> List[Clause]:
    """The clauses of ``text`` in order; one clause (the whole text) when it asks one thing."""
    pieces: List[Clause] = []
    position = 0
    for boundary in BOUNDARY.finditer(text):
        pieces.append(Clause(text[position:boundary.start()], position, boundary.start()))
        position = boundary.end()
    pieces.append(Clause(text[position:], position, len(text)))
    merged: List[Clause] = []
    for piece in pieces:
        if not piece.text.strip():
            continue
        if merged and len(piece.text.split()) < MIN_CLAUSE_WORDS:
            last = merged.pop()
            piece = Clause(text[last.start:piece.end], last.start, piece.end)
        elif merged and len(merged[-1].text.split()) < MIN_CLAUSE_WORDS:
            last = merged.pop()
            piece = Clause(text[last.start:piece.end], last.start, piece.end)
        merged.append(piece)
    return merged or [Clause(text, 0, len(text))]
