"""Find knowledge-base names in user text: exact (spaCy EntityRuler) first, then fuzzy for typos.

Built from the generated vocabulary (``data/generated/kb_vocabulary.json``), so every name, acronym
and alias the matcher knows comes from the knowledge base. Forms the KB tags ``!cased`` ("PM",
"Lean") match only as typed, or in lower case right after an introducing word ("for a pm").
Context is read afterwards (:mod:`bot.components.entity_context`): whose role it is, self-descriptions
and years of experience.
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

import spacy
from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.tokens import Doc, Span

from bot.components.entity_context import EntityContext, Match
from bot.components.entity_settings import EntitySettings
from bot.components.phrases import word_set, words


class KnowledgeMatcher:
    """Matches vocabulary entries in text; one instance serves every message."""

    def __init__(self, vocabulary: Dict[str, Any], settings: EntitySettings = EntitySettings()) -> None:
        self.vocabulary = vocabulary
        self.settings = settings
        self.role_heads = frozenset(vocabulary.get("role_heads", ()))
        # The heads of the disciplines' names ("engineer" of "civil engineer"): a background's head.
        self.background_heads = frozenset(
            _singular(pattern.split()[-1].lower()) for entry in vocabulary["entries"] if entry["label"] == "discipline"
            for pattern in entry["patterns"]) & self.role_heads
        self._field_labels = frozenset(settings.background_field_labels)
        # A !cased form written in lower case ("cost") matches only as written: no plural, since
        # the plural may be another word ("controlling costs").
        self._as_written = {form for forms in vocabulary.get("case_sensitive", {}).values()
                            for form in forms if form.islower()}
        self.nlp = self._build_pipeline(vocabulary["entries"])
        self._fuzzy_forms = self._fuzzy_forms_by_length(vocabulary["entries"])
        self._cased = _cased_forms(vocabulary.get("case_sensitive", {}))
        self._plain = word_set(settings.plain_modifiers, self.nlp.make_doc)
        self._introducers = word_set(settings.lowercase_introducers, self.nlp.make_doc)
        self._time_words = word_set(settings.time_words, self.nlp.make_doc)
        self.context = EntityContext(settings, self.nlp.make_doc)

    def _build_pipeline(self, entries: Iterable[Dict[str, Any]]) -> Language:
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
        patterns = []
        for entry in entries:
            for form in _surface_forms(entry["patterns"], self._as_written):
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
                if len(lowered) < self.settings.fuzzy_min_length:
                    continue
                n_tokens = len(self.nlp.make_doc(lowered))
                by_length.setdefault(n_tokens, {})[lowered] = (entry["label"], entry["value"])
        return by_length

    def find(self, text: str) -> List[Match]:
        """Every KB mention in ``text``, in order, without overlaps."""
        doc = self.nlp(text)
        text_words = words(doc)
        typed = [ent for ent in doc.ents if self._case_fits(doc, text_words, ent)]
        exact = [ent for ent in typed if not self._is_bare_head(doc, ent)]
        matches = [
            Match(ent.label_, ent.ent_id_, ent.start_char, ent.end_char, ent.text, 100.0)
            for ent in exact
        ]
        taken = {i for ent in exact for i in range(ent.start, ent.end)}
        bare_heads = {ent.start for ent in typed if ent not in exact}
        blocked = taken | bare_heads  # fuzzy matching must not bring "sales director" back
        matches += self._fuzzy_matches(doc, blocked)
        matches += self._role_head_mentions(doc, blocked - bare_heads)
        return self.context.apply(doc, text_words, self._backgrounds(doc, matches))

    def _backgrounds(self, doc: Doc, matches: List[Match]) -> List[Match]:
        """"aerospace engineer", "mining engineer": a field (an industry, a topic the article leaves
        out) right before a bare background head is one unknown_role, the user's background."""
        fields = {span.end: match for match in matches if self._names_field(match)
                  for span in [doc.char_span(match.start, match.end)] if span is not None}
        found: List[Match] = []
        merged: Set[Match] = set()
        for match in matches:
            span = doc.char_span(match.start, match.end)
            field = fields.get(span.start) if span is not None and match.label == "ambiguous_role" else None
            if field is None or _singular(match.value) not in self.background_heads:
                found.append(match)
                continue
            merged.add(field)
            found.append(Match("unknown_role", doc.text[field.start:match.end].lower(), field.start, match.end,
                               doc.text[field.start:match.end], 100.0))
        return sorted((match for match in found if match not in merged), key=lambda match: match.start)

    def _names_field(self, match: Match) -> bool:
        kind = f"{match.label}:{match.value.partition(':')[0]}" if ":" in match.value else match.label
        return match.label in self._field_labels or kind in self._field_labels

    def _case_fits(self, doc: Doc, text_words: List[str], ent: Span) -> bool:
        """A !cased form as typed ("PM", not "5 PM"), or in lower case after "a", "for", "my", ..."""
        forms = self._cased.get((ent.label_, ent.text.lower()))
        if forms is None:
            return True
        if ent.label_ == "role" and any(form.istitle() and " " not in form for form in forms):
            # a one-word title ("Principal") names the role only as a bare noun: "and for a principal?",
            # not "a principal staff engineer" or "the principal reason"
            if ent.end < len(doc) and doc[ent.end].is_alpha:
                return False
        before = ent.start - 1
        if ent.text in forms:
            plural = ent.text.endswith("s") and ent.text[:-1] in forms  # "3 PMs", but not "5 PM"
            return plural or before < 0 or not doc[before].like_num
        return (
            before >= 0
            and text_words[before] in self._introducers
            and not (before > 0 and (doc[before - 1].like_num or text_words[before - 1] in self._time_words))
        )

    def _fuzzy_matches(self, doc: Doc, taken: set) -> List[Match]:
        """Best-scoring typo'd spans first, none overlapping an earlier match."""
        candidates = sorted(
            self._fuzzy_candidates(doc, taken),
            key=lambda c: (-(c[0].score + self.settings.longer_span_bonus * (c[2] - c[1])), c[1]),
        )
        found: List[Match] = []
        for match, start, end in candidates:
            span_ids = set(range(start, end))
            if not span_ids & taken:
                found.append(match)
                taken.update(span_ids)
        return found

    def _fuzzy_candidates(self, doc: Doc, taken: set) -> Iterable[Tuple[Match, int, int]]:
        # A span that could name something: no stop word or punctuation at either end.
        edge = [token.is_alpha and not token.is_stop and token.i not in taken for token in doc]
        for n_tokens, forms in self._fuzzy_forms.items():
            if n_tokens > self.settings.fuzzy_max_tokens:
                continue
            for start in range(0, len(doc) - n_tokens + 1):
                end = start + n_tokens
                if not (edge[start] and edge[end - 1]) or any(i in taken for i in range(start + 1, end - 1)):
                    continue
                span = doc[start:end]
                candidate = span.text.lower()
                if len(candidate) < self.settings.fuzzy_min_length:
                    continue
                best = process.extractOne(
                    candidate, forms.keys(), scorer=fuzz.ratio, score_cutoff=self.settings.fuzzy_threshold
                )
                if best is None or _is_other_word(candidate, best[0], self.settings.token_typo_ratio):
                    continue
                label, value = forms[best[0]]
                match = Match(label, value, span.start_char, span.end_char, span.text, best[1])
                yield match, start, end

    def _is_bare_head(self, doc: Doc, ent: Any) -> bool:
        """"director" alone names a KB role, but "sales director" does not."""
        return (
            len(ent) == 1
            and _singular(ent[0].lower_) in self.role_heads
            and self._modifier_before(doc, ent.start, set()) is not None
        )

    def _role_head_mentions(self, doc: Doc, taken: set) -> List[Match]:
        """A bare "manager" is ambiguous; "marketing manager" names a role the KB lacks."""
        found: List[Match] = []
        for token in doc:
            if token.i in taken or _singular(token.lower_) not in self.role_heads:
                continue
            modifier = self._modifier_before(doc, token.i, taken)
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

    def _modifier_before(self, doc: Doc, index: int, taken: Set[int]) -> Optional[Any]:
        """The word naming a kind of role right before ``index``, if any."""
        if index == 0:
            return None
        previous = doc[index - 1]
        if (
            previous.i in taken
            or not previous.is_alpha
            or previous.is_stop
            or previous.lower_ in self._plain
        ):
            return None
        return previous


def _cased_forms(case_sensitive: Dict[str, Sequence[str]]) -> Dict[Tuple[str, str], Set[str]]:
    """(label, lower-case surface form) -> the spellings that match as typed, plural included."""
    cased: Dict[Tuple[str, str], Set[str]] = {}
    for label, forms in case_sensitive.items():
        for form in forms:
            spellings = set(_surface_forms([form], {form} if form.islower() else set()))
            for spelling in spellings:
                cased[(label, spelling.lower())] = spellings
    return cased


def _is_other_word(candidate: str, form: str, token_typo_ratio: float) -> bool:
    """Not a typo but another word: "directory" for "director", "management" for "manager"."""
    if candidate == form:
        return False
    words = zip(candidate.split(), form.split(), strict=False)
    pairs = [(_singular(mine), _singular(theirs)) for mine, theirs in words]
    return len(pairs) != len(form.split()) or any(
        mine != theirs
        and (_contains_at_an_end(mine, theirs) or fuzz.ratio(mine, theirs) < token_typo_ratio)
        for mine, theirs in pairs
    )


def _contains_at_an_end(one: str, other: str) -> bool:
    """One word is the other plus a prefix or suffix: "manage"/"management", "certification"/"recertification"."""
    return one.startswith(other) or other.startswith(one) or one.endswith(other) or other.endswith(one)


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _surface_forms(patterns: Sequence[str], as_written: Set[str] = frozenset()) -> List[str]:
    """Each pattern, spelt also without its apostrophes and hyphens ("masters in engineering
    management", "work life balance": the KB keeps one spelling of forms that normalise alike),
    plus the plural of each, so "engineering managers" and "CTOs" match too."""
    forms: List[str] = []
    for pattern in patterns:
        plain = pattern.replace("'", "").replace("’", "")
        for spelling in dict.fromkeys((pattern, plain, pattern.replace("-", " "), plain.replace("-", " "))):
            forms.append(spelling)
            pluralizable = spelling[-1:].isalpha() and not spelling.endswith("s") and (
                len(spelling) > 3 or spelling.isupper())
            if pluralizable and pattern not in as_written:
                forms.append(spelling + "s")
    return list(dict.fromkeys(forms))
