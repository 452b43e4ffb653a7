"""Rasa graph component: intents for the whole message and for each question it asks.

Word and character n-gram TF-IDF features feed one scikit-learn logistic regression (masking
knowledge-base entities by their label was tried, and lost 6 points of held-out accuracy). A
message that asks several things ("what does an EM do and who do they report to?") also gets
``clauses``: each clause's span, intent and confidence, for the dialogue layer to answer each part
in the order asked.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Mapping, Optional

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
MODEL_FILE = "intent_model.npz"  # the fitted numbers only: read with numpy's allow_pickle=False
CLAUSES = "clauses"


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
        """The fitted numbers as plain arrays: each vectorizer's terms (in column order) and idf, the
        classes, weights and biases. Loading builds the pipeline from the config and fills them in, so
        nothing executable is read from a model file (as with skops, without its 5 s per load)."""
        classifier = self.pipeline.named_steps["classifier"]
        arrays = {"classes": classifier.classes_, "coef": classifier.coef_, "intercept": classifier.intercept_}
        for name, vectorizer in self.pipeline.named_steps["features"].transformer_list:
            terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
            arrays[f"{name}_terms"], arrays[f"{name}_idf"] = numpy.array(terms, dtype=str), vectorizer.idf_
        with self._model_storage.write_to(self._resource) as directory:
            numpy.savez(directory / MODEL_FILE, **arrays)

    def _fitted_pipeline(self, arrays: Mapping[str, numpy.ndarray]) -> Pipeline:
        """The pipeline ``_new_pipeline`` builds from the config, with the persisted numbers in it."""
        pipeline = self._new_pipeline()
        for name, vectorizer in pipeline.named_steps["features"].transformer_list:
            vectorizer.vocabulary_ = {term: column for column, term in enumerate(arrays[f"{name}_terms"].tolist())}
            vectorizer.fixed_vocabulary_, vectorizer.stop_words_ = False, set()
            vectorizer.idf_ = arrays[f"{name}_idf"]
        classifier = pipeline.named_steps["classifier"]
        classifier.classes_, classifier.coef_, classifier.intercept_ = (
            arrays["classes"], arrays["coef"], arrays["intercept"])
        classifier.n_features_in_ = classifier.coef_.shape[1]
        return pipeline

    @classmethod
    def load(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> ClauseIntentClassifier:
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory, \
                    numpy.load(directory / MODEL_FILE, allow_pickle=False) as arrays:
                component.pipeline = component._fitted_pipeline(arrays)
        except (ValueError, OSError, KeyError) as error:
            logger.warning("intent classifier not loaded (%s); train the model again", error)
        component._prepare()
        return component
