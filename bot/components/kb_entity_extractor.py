"""Rasa graph component: extracts knowledge-base entities with :class:`KnowledgeMatcher`.

At training time it reads the vocabulary generated from the KB and stores it inside the model,
so a trained model is self-contained; entities carry the KB's canonical name as their value, and
role entities Rasa's entity role "current" or "goal". Thresholds and word lists are component config
(:class:`EntitySettings`); the vocabulary file's content is part of the fingerprint, so a changed KB
retrains the component.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.entity_settings import EntitySettings
from bot.components.matcher import KnowledgeMatcher

VOCABULARY_FILE = "kb_vocabulary.json"
MAX_TEXT_LENGTH = 2000  # longer messages are matched on their start only


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True
)
class KnowledgeEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Finds roles, certifications, degrees, … named in a message, typos included."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"vocabulary": "data/generated/kb_vocabulary.json", **EntitySettings().as_config()}

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """A hash of the vocabulary file, so ``rasa train`` retrains when the KB changes."""
        path = Path({**cls.get_default_config(), **config}["vocabulary"])
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: Optional[Dict[str, Any]] = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._vocabulary = vocabulary
        settings = EntitySettings.from_config(config)
        self._matcher = KnowledgeMatcher(vocabulary, settings) if vocabulary else None

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KnowledgeEntityExtractor:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Bundle the KB vocabulary into the model (there is nothing else to learn)."""
        vocabulary = json.loads(Path(self._config["vocabulary"]).read_text(encoding="utf-8"))
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(json.dumps(vocabulary), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> KnowledgeEntityExtractor:
        with model_storage.read_from(resource) as directory:
            vocabulary = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, vocabulary)

    def process(self, messages: List[Message]) -> List[Message]:
        if self._matcher is None:
            return messages
        for message in messages:
            text = (message.get(TEXT) or "")[:MAX_TEXT_LENGTH]
            found = [match.as_entity(self.__class__.__name__) for match in self._matcher.find(text)]
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages
