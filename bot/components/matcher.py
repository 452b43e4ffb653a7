"""Find knowledge-base names in user text: exact (spaCy EntityRuler) first, then fuzzy for typos.

Built from the generated vocabulary (``bot/generated/kb_vocabulary.json``), so every name, acronym
and alias the matcher knows comes from the knowledge base.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import spacy
from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.tokens import Doc

# Words that, put before a role head ("a good manager"), do not name a different role.
PLAIN_MODIFIERS = frozenset(
    "good great better best new first successful effective top real strong future next typical "
    "average experienced aspiring ideal young old technical engineering any some every each this "
    "that which what whose a an the my your our their his her senior junior sr jr vs versus v "
    "compared become becoming hire hiring promoted bout abt wat wut wot u ur da tha dem cuz like just "
    "also even n & other more most all".split()
)


TOKEN_TYPO_RATIO = 75.0  # each word of a fuzzy match must itself look like a typo of its pattern word
LONGER_SPAN_BONUS = 3.0  # per token: "seniour engineering manger" beats "engineering manger"


@dataclass(frozen=True)
class Match:
    label: str
    value: str
    start: int  # character offsets in the text
    end: int
    text: str
    score: float  # 100 for an exact match

    def as_entity(self, extractor: str) -> Dict[str, Any]:
        return {
            "entity": self.label,
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "confidence_entity": round(self.score / 100, 3),
            "extractor": extractor,
        }


@dataclass(frozen=True)
class FuzzySettings:
    threshold: float = 87.0  # minimum rapidfuzz ratio for a typo'd span
    min_length: int = 5  # shorter surface forms match exactly only
    max_tokens: int = 5


class KnowledgeMatcher:
    """Matches vocabulary entries in text; one instance serves every message."""

    def __init__(self, vocabulary: Dict[str, Any], fuzzy: FuzzySettings = FuzzySettings()) -> None:
        self.vocabulary = vocabulary
        self.fuzzy = fuzzy
        self.role_heads = frozenset(vocabulary.get("role_heads", ()))
        self.nlp = self._build_pipeline(vocabulary["entries"])
        self._fuzzy_forms = self._fuzzy_forms_by_length(vocabulary["entries"])

    def _build_pipeline(self, entries: Iterable[Dict[str, Any]]) -> Language:
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
        patterns = []
        for entry in entries:
            for form in _surface_forms(entry["patterns"]):
                patterns.append(
                    {"label": entry["label"], "pattern": form, "id": entry["value"]}
                )
        ruler.add_patterns(patterns)
        return nlp

    def _fuzzy_forms_by_length(
        self, entries: Iterable[Dict[str, Any]]
    ) -> Dict[int, Dict[str, Tuple[str, str]]]:
        """Token count -> {lower-case surface form: (label, value)} for fuzzy-eligible forms."""
        by_length: Dict[int, Dict[str, Tuple[str, str]]] = {}
        for entry in entries:
            if not entry.get("fuzzy", True):
                continue
            for form in entry["patterns"]:
                lowered = form.lower()
                if len(lowered) < self.fuzzy.min_length:
                    continue
                n_tokens = len(self.nlp.make_doc(lowered))
                by_length.setdefault(n_tokens, {})[lowered] = (entry["label"], entry["value"])
        return by_length

    def find(self, text: str) -> List[Match]:
        """Every KB mention in ``text``, in order, without overlaps."""
        doc = self.nlp(text)
        exact = [ent for ent in doc.ents if not self._is_bare_head(doc, ent)]
        matches = [
            Match(ent.label_, ent.ent_id_, ent.start_char, ent.end_char, ent.text, 100.0)
            for ent in exact
        ]
        taken = {i for ent in exact for i in range(ent.start, ent.end)}
        bare_heads = {ent.start for ent in doc.ents if ent not in exact}
        blocked = taken | bare_heads  # fuzzy matching must not bring "sales director" back
        matches += self._fuzzy_matches(doc, blocked)
        matches += self._role_head_mentions(doc, blocked - bare_heads)
        return sorted(matches, key=lambda match: match.start)

    def _fuzzy_matches(self, doc: Doc, taken: set) -> List[Match]:
        """Best-scoring typo'd spans first, none overlapping an earlier match."""
        candidates = sorted(
            self._fuzzy_candidates(doc, taken),
            key=lambda c: (-(c[0].score + LONGER_SPAN_BONUS * (c[2] - c[1])), c[1]),
        )
        found: List[Match] = []
        for match, start, end in candidates:
            span_ids = set(range(start, end))
            if not span_ids & taken:
                found.append(match)
                taken.update(span_ids)
        return found

    def _fuzzy_candidates(self, doc: Doc, taken: set) -> Iterable[Tuple[Match, int, int]]:
        for n_tokens, forms in self._fuzzy_forms.items():
            if n_tokens > self.fuzzy.max_tokens:
                continue
            for start in range(0, len(doc) - n_tokens + 1):
                span = doc[start : start + n_tokens]
                if set(range(start, start + n_tokens)) & taken or not _worth_matching(span):
                    continue
                candidate = span.text.lower()
                if len(candidate) < self.fuzzy.min_length:
                    continue
                best = process.extractOne(
                    candidate, forms.keys(), scorer=fuzz.ratio, score_cutoff=self.fuzzy.threshold
                )
                if best is None or _is_other_word(candidate, best[0]):
                    continue
                label, value = forms[best[0]]
                match = Match(label, value, span.start_char, span.end_char, span.text, best[1])
                yield match, start, start + n_tokens

    def _is_bare_head(self, doc: Doc, ent: Any) -> bool:
        """"director" alone names a KB role, but "sales director" does not."""
        return (
            len(ent) == 1
            and _singular(ent[0].lower_) in self.role_heads
            and _modifier_before(doc, ent.start, set()) is not None
        )

    def _role_head_mentions(self, doc: Doc, taken: set) -> List[Match]:
        """A bare "manager" is ambiguous; "marketing manager" names a role the KB lacks."""
        found: List[Match] = []
        for token in doc:
            if token.i in taken or _singular(token.lower_) not in self.role_heads:
                continue
            modifier = _modifier_before(doc, token.i, taken)
            if modifier is None:
                found.append(
                    Match("ambiguous_role", _singular(token.lower_), token.idx,
                          token.idx + len(token.text), token.text, 100.0)
                )
            else:
                span = doc[modifier.i : token.i + 1]
                found.append(
                    Match("unknown_role", span.text.lower(), span.start_char, span.end_char,
                          span.text, 100.0)
                )
        return found


def _modifier_before(doc: Doc, index: int, taken: set) -> Optional[Any]:
    """The word naming a kind of role right before ``index``, if any."""
    if index == 0:
        return None
    previous = doc[index - 1]
    if (
        previous.i in taken
        or not previous.is_alpha
        or previous.is_stop
        or previous.lower_ in PLAIN_MODIFIERS
    ):
        return None
    return previous


def _worth_matching(span: Any) -> bool:
    """A span that could name something: no stop word or punctuation at either end."""
    first, last = span[0], span[-1]
    return first.is_alpha and last.is_alpha and not first.is_stop and not last.is_stop


def _is_other_word(candidate: str, form: str) -> bool:
    """Not a typo but another word: "directory" for "director", "management" for "manager"."""
    if candidate == form:
        return False
    words = zip(candidate.split(), form.split(), strict=False)
    pairs = [(_singular(mine), _singular(theirs)) for mine, theirs in words]
    return len(pairs) != len(form.split()) or any(
        mine != theirs
        and (mine.startswith(theirs) or theirs.startswith(mine) or fuzz.ratio(mine, theirs) < TOKEN_TYPO_RATIO)
        for mine, theirs in pairs
    )


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _surface_forms(patterns: Sequence[str]) -> List[str]:
    """Each pattern plus its plural, so "engineering managers" and "CTOs" match too."""
    forms: List[str] = []
    for pattern in patterns:
        forms.append(pattern)
        if pattern[-1:].isalpha() and not pattern.endswith("s") and (len(pattern) > 3 or pattern.isupper()):
            forms.append(pattern + "s")
    return forms
