"""Configuration of the KB entity matcher: thresholds and word lists, as spaCy keeps them.

Every field is a key of the extractor's component config (``config.yml`` may override any of them).
Word lists are matched case-insensitively, token by token, with leading apostrophes dropped
("I'm" = "i m" = "im"), so they read as plain English.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Dict, Tuple

Words = Tuple[str, ...]


def _words(text: str) -> Words:
    return tuple(text.split())


@dataclass(frozen=True)
class EntitySettings:
    # Fuzzy matching of typos.
    fuzzy_threshold: float = 87.0  # minimum rapidfuzz ratio for a typo'd span
    fuzzy_min_length: int = 5  # shorter surface forms match exactly only
    fuzzy_max_tokens: int = 5
    token_typo_ratio: float = 75.0  # each word of a fuzzy match must itself look like a typo of its pattern word
    longer_span_bonus: float = 3.0  # per token: "seniour engineering manger" beats "engineering manger"
    # Words that, put before a role head ("a good manager"), do not name a different role.
    plain_modifiers: Words = _words(
        "good great better best new first successful effective top real strong future next typical "
        "average experienced aspiring ideal young old technical engineering any some every each this "
        "that which what whose a an the my your our their his her senior junior sr jr vs versus v "
        "compared become becoming hire hiring promoted bout abt wat wut wot u ur da tha dem cuz like just "
        "also even n & other more most all")
    # A form tagged !cased in the KB ("PM", "Lean") also matches in lower case right after one of
    # these words ("for a pm", "an em"), unless a number or time word comes just before ("at 5 pm").
    lowercase_introducers: Words = _words(
        "a an the my your our their his her its this that as for to become becoming vs versus or and "
        "of than new junior senior sr jr aspiring future")
    time_words: Words = _words("noon midnight tonight today tomorrow morning evening afternoon o'clock oclock")
    # Entity roles of role / unknown_role / ambiguous_role: the cue right before the entity (only
    # articles, plain modifiers and cue_gap_words may come between) decides; the longest cue wins.
    current_role_cues: Words = (
        "I'm", "I am", "im", "I work as", "I'm working as", "working as", "currently", "I've been",
        "I have been", "ive been", "I used to be", "my role is", "my current role is", "my title is",
        "my job title is", "my position is", "my current position is")
    goal_role_cues: Words = (
        "become", "becoming", "to be", "wanna be", "move into", "moving into", "move up to", "moving up to",
        "get to", "getting to", "aiming for", "aim for", "goal is", "promoted to", "promotion to",
        "transition to", "transition into", "transitioning to", "transitioning into", "path to",
        "next step towards", "next step toward", "next step to", "aspiring", "future", "step up to",
        "grow into", "switch to")
    # "as a PM, what should I learn?": "as" marks the user's own role only if a first-person word follows.
    first_person_role_cues: Words = ("as",)
    first_person_words: Words = _words("I me my")
    cue_gap_words: Words = _words("a an the now still already just really actually finally eventually")
    # "I'm a chemist, ...": after a current-role cue and "a"/"an", a noun phrase of at most
    # self_description_max_words words ending in a person noun (by suffix), which is no KB role,
    # discipline or profession, is an unknown_role — unless it starts with a filler word.
    self_description_max_words: int = 4
    person_noun_suffixes: Words = _words("er or ist ant ent ian eer lead head intern architect")
    self_description_fillers: Words = _words(
        "bit little lot huge big firm strong true total complete beginner newbie newcomer believer fan")
    # "an aerospace engineer", "mining engineer here": a field the KB names (an industry, a topic it
    # does not cover) right before the head of a discipline's name is the user's background, a
    # role the KB lacks (unknown_role), not that industry or topic.
    background_field_labels: Words = ("industry", "not_covered:topic")
    # years_experience: "3 years of experience", "I've been an engineer for 4 years", "a decade in".
    number_words: Words = _words(
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty")
    year_units: Words = _words("year years yr yrs")
    decade_units: Words = _words("decade decades")
    experience_nouns: Words = _words("experience exp xp")
    experience_verbs: Words = _words("been worked working doing spent have had with w/ w got")
    # A duration right after one of these is asked about, not the user's: "in 10 years", "5-8 years".
    duration_guards: Words = _words("in after within than next another more - to or")
    # ... and so is one in a clause with one of these before it: "how long, 5 years?", "do I need 5 years".
    question_guards: Words = _words("how will would should take takes need needs require requires if does is")
    duration_fillers: Words = _words("about around over nearly almost roughly like the past last +")

    @classmethod
    def from_config(cls, config: Dict[str, Any]) -> EntitySettings:
        """The settings named in a component config (other keys are ignored)."""
        known = {field.name for field in fields(cls)}
        return cls(**{key: tuple(value) if isinstance(value, list) else value
                      for key, value in config.items() if key in known})

    def as_config(self) -> Dict[str, Any]:
        """The settings as a component config (lists, not tuples)."""
        return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(self).items()}
