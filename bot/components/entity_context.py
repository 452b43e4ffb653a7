"""What the words around KB entities say: whose role it is, self-descriptions, years of experience.

- A role, unknown_role, ambiguous_role or discipline right after a cue gets Rasa's entity role "current"
  ("I'm a PM", "I work as an EM") or "goal" ("become a director", "path to CTO").
- "I'm a scrum master": a noun phrase naming a person after "I'm a"/"I work as a"/... that is no
  KB role, discipline or profession is an unknown_role (current), whatever KB words it contains.
- years_experience: "3 years of experience", "I've been an engineer for 4 years" (see
  :mod:`bot.components.experience`).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Dict, List, Optional, Sequence, Tuple

from spacy.tokens import Doc

from bot.components.entity_settings import EntitySettings
from bot.components.experience import ExperienceFinder
from bot.components.phrases import PhraseSet, Tokenize, word_set

ROLE_LABELS = frozenset({"role", "unknown_role", "ambiguous_role"})
CUED_LABELS = ROLE_LABELS | {"discipline"}  # "I'm a civil engineer": the user's own discipline
KNOWN_PERSON_LABELS = frozenset({"role", "discipline"})  # and not_covered professions
CURRENT, GOAL = "current", "goal"
SENTENCE_ENDS = frozenset(".?!;")
ARTICLES = frozenset({"a", "an"})  # "I'm a <phrase>": self-descriptions start after one


@dataclass(frozen=True)
class Match:
    label: str
    value: str
    start: int  # character offsets in the text
    end: int
    text: str
    score: float  # 100 for an exact match
    role: Optional[str] = None  # Rasa entity role: "current" or "goal"

    def as_entity(self, extractor: str) -> Dict[str, Any]:
        entity = {
            "entity": self.label,
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "confidence_entity": round(self.score / 100, 3),
            "extractor": extractor,
        }
        if self.role:
            entity["role"] = self.role
        return entity


class EntityContext:
    """Reads the context of the matches of one message (built once, from the settings)."""

    def __init__(self, settings: EntitySettings, tokenize: Tokenize) -> None:
        self.settings = settings
        self._cues = {CURRENT: PhraseSet(settings.current_role_cues, tokenize),
                      GOAL: PhraseSet(settings.goal_role_cues, tokenize)}
        self._first_person_cues = PhraseSet(settings.first_person_role_cues, tokenize)
        self._first_person = word_set(settings.first_person_words, tokenize)
        self._plain = word_set(settings.plain_modifiers, tokenize)
        self._gap = word_set(settings.cue_gap_words, tokenize) | self._plain
        self._fillers = word_set(settings.self_description_fillers, tokenize)
        self._suffixes = tuple(settings.person_noun_suffixes)
        self._experience = ExperienceFinder(settings, tokenize)

    def apply(self, doc: Doc, words: Sequence[str], matches: List[Match]) -> List[Match]:
        """``matches`` with self-descriptions, entity roles and years of experience, in text order."""
        matches = self._self_descriptions(doc, words, matches)
        matches = [self._with_role(doc, words, match) for match in matches]
        matches += [Match("years_experience", value, span.start_char, span.end_char, span.text, 100.0)
                    for value, span in self._experience.find(doc, words)]
        return sorted(matches, key=lambda match: match.start)

    def _with_role(self, doc: Doc, words: Sequence[str], match: Match, default: Optional[str] = None) -> Match:
        """The match with the entity role its cue gives (or ``default``); non-role labels unchanged."""
        if match.label not in CUED_LABELS or match.role:
            return match
        span = doc.char_span(match.start, match.end)
        role = (self.cue_before(words, span.start, span.end) if span is not None else None) or default
        return replace(match, role=role) if role else match

    def cue_before(self, words: Sequence[str], start: int, end: int) -> Optional[str]:
        """"current" or "goal" when a cue ends right before token ``start`` (gap words aside)."""
        position = start
        while position > 0:
            found = {role: cues.length_ending_at(words, position) for role, cues in self._cues.items()}
            conditional = self._first_person_cues.length_ending_at(words, position)
            if conditional and self._first_person_after(words, end):
                found[CURRENT] = max(found[CURRENT] or 0, conditional)
            best = max(found, key=lambda role: found[role] or 0)
            if found[best]:
                return best
            if words[position - 1] not in self._gap:
                return None
            position -= 1
        return None

    def _first_person_after(self, words: Sequence[str], end: int) -> bool:
        """"as a PM, what should I learn?": "I" comes later in the same sentence."""
        for text_word in words[end:]:
            if text_word in SENTENCE_ENDS:
                return False
            if text_word in self._first_person:
                return True
        return False

    # Self-descriptions ------------------------------------------------------------------------

    def _self_descriptions(self, doc: Doc, words: Sequence[str], matches: List[Match]) -> List[Match]:
        for token in doc:
            if token.lower_ not in ARTICLES:
                continue
            phrase = self._noun_phrase(doc, words, token.i + 1)
            if phrase is None or self.cue_before(words, token.i + 1, phrase[1]) != CURRENT:
                continue
            spans = [(match, doc.char_span(match.start, match.end)) for match in matches]
            inside = [match for match, span in spans if span is not None and _overlaps(span, phrase)]
            if _names_known_person(phrase, spans):  # "a senior mechanical design engineer": its own
                matches = [self._with_role(doc, words, match, CURRENT) if match in inside else match
                           for match in matches]
            else:
                text = doc[phrase[0] : phrase[1]]
                role = self.cue_before(words, phrase[0], phrase[1])  # "an aspiring chemist": goal
                matches = [match for match in matches if match not in inside]
                matches.append(Match("unknown_role", text.text.lower(), text.start_char, text.end_char,
                                     text.text, 100.0, role))
        return matches

    def _noun_phrase(self, doc: Doc, words: Sequence[str], start: int) -> Optional[Tuple[int, int]]:
        """Token span of the words naming a person at ``start`` ("scrum master" in "a scrum master,")."""
        end = start
        while end < len(doc) and doc[end].is_alpha and not doc[end].is_stop:
            if end > start and self._is_person_noun(words[end - 1]) and words[end].endswith(("ing", "ed")):
                break  # "a chemist looking to ..."
            if end - start == self.settings.self_description_max_words:
                return None  # too long to be a job title we can trust
            end += 1
        while start < end and words[start] in self._plain:
            start += 1
        if start == end or words[start] in self._fillers or not self._is_person_noun(words[end - 1]):
            return None
        return start, end

    def _is_person_noun(self, text_word: str) -> bool:
        return text_word.endswith(self._suffixes)


def _names_known_person(phrase: Tuple[int, int], spans: List[Tuple[Match, Any]]) -> bool:
    """A KB role, discipline or profession in the phrase ("a senior civil engineer"), or the phrase
    is all one role-head mention ("a good manager", but not "an aerospace engineer")."""
    for match, span in spans:
        if span is None or not _overlaps(span, phrase):
            continue
        if match.label in KNOWN_PERSON_LABELS or match.value.startswith("profession:"):
            return True
        if match.label in ROLE_LABELS and span.start == phrase[0] and span.end == phrase[1]:
            return True
    return False


def _overlaps(span: Any, phrase: Tuple[int, int]) -> bool:
    return span.start < phrase[1] and phrase[0] < span.end
