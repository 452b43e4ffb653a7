"""Rasa graph component: intents for the whole message and for each question it asks.

Word and character n-gram TF-IDF features feed one scikit-learn logistic regression (masking
knowledge-base entities by their label was tried, and lost 6 points of held-out accuracy). A
message that asks several things ("what does an EM do and who do they report to?") also gets
``clauses``: each clause's span, intent and confidence, for the dialogue layer to answer each part
in the order asked.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

import numpy
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from bot.components.clauses import Clause, split_clauses

logger = logging.getLogger(__name__)
MODEL_FILE = "intent_pipeline.skops"
CLAUSES = "clauses"
TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ClauseIntentClassifier(IntentClassifier, GraphComponent):
    """Logistic regression over TF-IDF n-grams, applied to the message and to each of its clauses."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "word_ngrams": [1, 2],
            "char_ngrams": [2, 5],
            "C": 50.0,
            "max_iter": 3000,
            "class_weight": "balanced",
            "ranking_length": 10,
            "clause_ranking_length": 3,
        }

    def __init__(self, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 pipeline: Optional[Pipeline] = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.pipeline = pipeline
        self._prepare()

    def _prepare(self) -> None:
        """The features and weights laid out for a message at a time. scikit-learn's
        ``predict_proba`` multiplied by a transposed view (2 ms a message), and each TF-IDF
        ``transform`` built and checked sparse matrices several times over (about 2 ms per
        vectorizer for one short text); here each vectorizer only counts its n-grams and the
        TF-IDF weighting, normalisation and product are a few array operations per text (the
        same probabilities: tests/test_nlu_components.py)."""
        if self.pipeline is None:
            return
        classifier = self.pipeline.named_steps["classifier"]
        weights, offset, self._blocks = numpy.ascontiguousarray(classifier.coef_.T), 0, []
        for _, vectorizer in self.pipeline.named_steps["features"].transformer_list:
            size = len(vectorizer.vocabulary_)
            self._blocks.append((vectorizer, vectorizer.idf_, weights[offset:offset + size]))
            offset += size
        self._bias = classifier.intercept_

    def probabilities(self, texts: List[str]) -> numpy.ndarray:
        """Class probabilities for ``texts`` (rows) over ``self.pipeline.classes_`` (columns)."""
        scores = numpy.tile(self._bias, (len(texts), 1))
        for vectorizer, idf, weights in self._blocks:  # TfidfVectorizer.transform, then the product
            counts = vectorizer._count_vocab(texts, fixed_vocab=True)[1]
            values = numpy.log(counts.data) + 1 if vectorizer.sublinear_tf else counts.data.astype(float)
            values *= idf[counts.indices]
            for row in range(len(texts)):
                span = slice(counts.indptr[row], counts.indptr[row + 1])
                norm = numpy.sqrt(values[span] @ values[span])
                if norm:
                    scores[row] += (values[span] / norm) @ weights[counts.indices[span]]
        scores = numpy.exp(scores - scores.max(axis=1, keepdims=True))
        return scores / scores.sum(axis=1, keepdims=True)

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> ClauseIntentClassifier:
        return cls(config, model_storage, resource)

    def _new_pipeline(self) -> Pipeline:
        words = TfidfVectorizer(analyzer="word", ngram_range=tuple(self.config["word_ngrams"]),
                                token_pattern=r"(?u)\b\w[\w']*\b", sublinear_tf=True)
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.config["char_ngrams"]),
                                sublinear_tf=True, min_df=2)
        classifier = LogisticRegression(C=float(self.config["C"]), max_iter=int(self.config["max_iter"]),
                                        class_weight=self.config["class_weight"], random_state=42)
        return Pipeline([("features", FeatureUnion([("words", words), ("chars", chars)])),
                         ("classifier", classifier)])

    @staticmethod
    def _features_text(message: Message, clause: Optional[Clause] = None) -> str:
        return (clause.text if clause else message.get(TEXT) or "").lower()

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            return self._resource
        self.pipeline = self._new_pipeline()
        self.pipeline.fit([self._features_text(e) for e in examples], [e.get(INTENT) for e in examples])
        self._prepare()
        self.persist()
        return self._resource

    def _rankings(self, texts: List[str]) -> List[List[Dict[str, Any]]]:
        probabilities = self.probabilities(texts)
        classes = self.pipeline.classes_
        rankings = []
        for row in probabilities:
            ranked = sorted(zip(classes, row, strict=True), key=lambda pair: -pair[1])
            rankings.append([{"name": str(name), "confidence": float(p)} for name, p in ranked])
        return rankings

    def process(self, messages: List[Message]) -> List[Message]:
        if self.pipeline is None:
            return messages
        for message in messages:
            clauses = split_clauses(message.get(TEXT) or "")
            texts = [self._features_text(message)]
            if len(clauses) > 1:
                texts += [self._features_text(message, clause) for clause in clauses]
            rankings = self._rankings(texts)
            ranking = rankings[0][: int(self.config["ranking_length"])]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            if len(clauses) > 1:
                message.set(CLAUSES, [
                    {"text": c.text, "start": c.start, "end": c.end,
                     "intent": r[0]["name"], "confidence": round(r[0]["confidence"], 4),
                     "ranking": [{"name": i["name"], "confidence": round(i["confidence"], 4)}
                                 for i in r[: int(self.config["clause_ranking_length"])]]}
                    for c, r in zip(clauses, rankings[1:], strict=True)
                ], add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def persist(self) -> None:
        import skops.io as sio

        with self._model_storage.write_to(self._resource) as directory:
            sio.dump(self.pipeline, directory / MODEL_FILE)

    @classmethod
    def load(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> ClauseIntentClassifier:
        import skops.io as sio

        try:
            with model_storage.read_from(resource) as directory:
                path = directory / MODEL_FILE
                untrusted = sio.get_untrusted_types(file=path)
                unexpected = [name for name in untrusted if not name.startswith(TRUSTED_PREFIXES)]
                if unexpected:
                    raise ValueError(f"unexpected types in the intent model: {unexpected}")
                pipeline = sio.load(path, trusted=untrusted)
        except ValueError as error:
            logger.warning("intent classifier not loaded (%s); train the model again", error)
            pipeline = None
        return cls(config, model_storage, resource, pipeline)
