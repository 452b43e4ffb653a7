"""Rasa graph component: a message outside engineering-management careers never reaches the KB.

The classifier always picks the closest intent, so "how long should I boil an egg" looks like a
question about durations. The gate learns, from the training data, which words the in-domain
intents use. A message classified as a knowledge question that names no knowledge-base subject and
uses content words the domain never uses ("boil", "egg") is relabelled ``out_of_scope``. A message
made only of domain words ("and how long will that take?") passes: it is a follow-up. A message
with no word the training data knows at all ("asdf qwerty") is not off-topic but unreadable: it
becomes ``nlu_fallback``, so the bot asks to rephrase. The words people greet, thank or take leave
with ("hey", "cheers") are neither: "hey, civil engineer here, how do I get into management?" is a
career question, "hey, how long should I boil an egg?" is not.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Set

from rapidfuzz import fuzz, process
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.lang.en.stop_words import STOP_WORDS

VOCABULARY_FILE = "domain_words.txt"
KNOWN_FILE = "known_words.txt"
SOCIAL_FILE = "social_words.txt"
OFF_TOPIC_FILE = "off_topic_words.txt"
DOMAIN = "domain"
WORD = re.compile(r"[a-z][a-z']*[a-z]|[a-z]")


def content_words(text: str, min_length: int) -> List[str]:
    """Lower-case words of ``text`` that carry meaning (no stop words, no short words)."""
    words = [w.removesuffix("'s") for w in WORD.findall(text.lower())]
    return [w for w in words if len(w) >= min_length and w not in STOP_WORDS]


def without_entities(text: str, entities: Sequence[Dict[str, Any]]) -> str:
    """``text`` with every entity's span blanked out."""
    for entity in entities:
        start, end = entity.get("start"), entity.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            text = text[:start] + " " * (end - start) + text[end:]
    return text


def by_initial(words: Set[str]) -> Dict[str, List[str]]:
    """Words grouped by their first letter, for quick typo look-ups."""
    index: Dict[str, List[str]] = {}
    for word in sorted(words):
        index.setdefault(word[0], []).append(word)
    return index


def relabel(message: Message, intent: str, confidence: float) -> None:
    """Make ``intent`` the message's intent, first in its ranking."""
    relabelled = {"name": intent, "confidence": confidence}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
    message.set(INTENT, relabelled, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [relabelled, *ranking], add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class DomainGate(GraphComponent):
    """Relabels knowledge questions with no domain evidence as ``out_of_scope``."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # Intents that need no knowledge-base answer: never gated, and not the domain's words.
            # ask_not_covered too: its replies state no KB fact, and its words are not the domain's.
            "open_intents": ["greet", "goodbye", "thank", "affirm", "deny", "bot_challenge",
                             "ask_capabilities", "out_of_scope", "stop", "forget_profile", "ask_not_covered"],
            # Pleasantries that go with any message: their words, unless an off-topic example uses
            # them too ("good morning" vs "morning routine"), are never foreign.
            "social_intents": ["greet", "goodbye", "thank"],
            "out_of_scope_intent": "out_of_scope",
            "unreadable_intent": "nlu_fallback",
            # Entities that name the domain on their own. Stages ("senior"), industries
            # ("construction"), disciplines ("software"), tools ("agile") and bare role heads
            # ("manager") are everyday words too: they only keep their own words from being foreign.
            "subject_entities": ["role", "certification", "degree", "specialization", "employer"],
            "vocabulary": "data/generated/kb_vocabulary.json",  # its domain_words count as the domain's
            "min_word_length": 3,
            "typo_ratio": 84.0,  # a word this close to a domain word is that word misspelt
            "max_foreign_words": 0,  # more unknown content words than this: outside the domain
        }

    def __init__(self, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 domain_words: Optional[Set[str]] = None, known_words: Optional[Set[str]] = None,
                 social_words: Optional[Set[str]] = None, off_topic_words: Optional[Set[str]] = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.domain_words: Set[str] = domain_words or set()
        self.known_words: Set[str] = (known_words or set()) | self.domain_words
        self.social_words: Set[str] = (social_words or set()) - self.domain_words
        self.off_topic_words: Set[str] = off_topic_words or set()
        self._domain_index = by_initial(self.domain_words)
        self._known_index = by_initial(self.known_words)

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> DomainGate:
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """A hash of the vocabulary file, so ``rasa train`` retrains when the KB changes."""
        path = Path({**cls.get_default_config(), **config}["vocabulary"])
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None

    def train(self, training_data: TrainingData) -> Resource:
        open_intents, social_intents = set(self.config["open_intents"]), set(self.config["social_intents"])
        vocabulary = json.loads(Path(self.config["vocabulary"]).read_text(encoding="utf-8"))
        words: Set[str] = set(vocabulary.get("domain_words", ()))
        known, social, off_topic = set(), set(), set()
        for example in training_data.intent_examples:
            found = content_words(example.get(TEXT) or "", self.config["min_word_length"])
            known.update(found)
            if example.get(INTENT) not in open_intents:
                words.update(found)
            elif example.get(INTENT) in social_intents:
                social.update(found)
            elif example.get(INTENT) == self.config["out_of_scope_intent"]:
                off_topic.update(found)
        files = {VOCABULARY_FILE: words, KNOWN_FILE: known, SOCIAL_FILE: social - off_topic - words,
                 OFF_TOPIC_FILE: off_topic}
        with self._model_storage.write_to(self._resource) as directory:
            for name, listed in files.items():
                (directory / name).write_text("\n".join(sorted(listed)) + "\n", encoding="utf-8")
        return self._resource

    @classmethod
    def load(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> DomainGate:
        try:
            with model_storage.read_from(resource) as directory:
                words, known, social, off_topic = (
                    set((directory / name).read_text(encoding="utf-8").split())
                    if (directory / name).is_file() else set()  # older models lack it
                    for name in (VOCABULARY_FILE, KNOWN_FILE, SOCIAL_FILE, OFF_TOPIC_FILE))
        except ValueError:  # no such resource: an untrained gate passes every message
            words, known, social, off_topic = set(), set(), set(), set()
        return cls(config, model_storage, resource, words, known, social, off_topic)

    def foreign_words(self, text: str) -> List[str]:
        """Content words the domain never uses, typos of domain words and pleasantries excepted."""
        words = [w for w in content_words(text, self.config["min_word_length"]) if w not in self.social_words]
        return self._unknown(words, self.domain_words, self._domain_index)

    def own_words(self, text: str) -> List[str]:
        """Content words (or typos of them) the domain uses and no off-topic example does ("ladder",
        "mgmt"): evidence of a career question where everyday words ("work", "day") are none."""
        found = (self._as_word_of(word, self.domain_words, self._domain_index)
                 for word in content_words(text, self.config["min_word_length"]))
        return [word for word in found if word and word not in self.off_topic_words]

    def unreadable(self, text: str) -> bool:
        """Words, none of which (nor a typo of one) the training data or the KB has ever used."""
        words = content_words(text, self.config["min_word_length"])
        return bool(words) and len(self._unknown(words, self.known_words, self._known_index)) == len(words)

    def _as_word_of(self, word: str, vocabulary: Set[str], index: Dict[str, List[str]]) -> Optional[str]:
        """``word`` as ``vocabulary`` has it: itself, its singular, or the word it is a typo of."""
        if word in vocabulary:
            return word
        if word.rstrip("s") in vocabulary:
            return word.rstrip("s")
        near = process.extractOne(word, index.get(word[0], ()), scorer=fuzz.ratio,
                                  score_cutoff=self.config["typo_ratio"])
        return near[0] if near else None

    def _unknown(self, words: List[str], vocabulary: Set[str], index: Dict[str, List[str]]) -> List[str]:
        return [word for word in words if self._as_word_of(word, vocabulary, index) is None]

    def verdict(self, text: str, entities: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
        """Whether a message belongs to the domain, and why. The words of any entity found (a KB
        subject, or something the KB knows the article does not cover) are not foreign."""
        subjects = sorted({e.get("entity") for e in entities} & set(self.config["subject_entities"]))
        foreign = [] if subjects else self.foreign_words(without_entities(text, entities))
        in_domain = bool(subjects) or len(foreign) <= self.config["max_foreign_words"]
        own = self.own_words(without_entities(text, entities)) if in_domain and not subjects else []
        return {"in_domain": in_domain, "subjects": subjects, "foreign_words": foreign[:5], "own_words": own[:5]}

    def process(self, messages: List[Message]) -> List[Message]:
        if not self.domain_words:
            return messages
        for message in messages:
            intent = message.get(INTENT) or {}
            text, entities = message.get(TEXT) or "", message.get(ENTITIES) or []
            if intent.get("name") and not entities and self.unreadable(text):
                relabel(message, self.config["unreadable_intent"], 0.0)
                continue
            verdict = self.verdict(text, entities)  # also for open intents: the fallback may replace them
            message.set(DOMAIN, verdict, add_to_output=True)
            if not verdict["in_domain"] and intent.get("name") not in self.config["open_intents"]:
                relabel(message, self.config["out_of_scope_intent"], intent.get("confidence", 1.0))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
