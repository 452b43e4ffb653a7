"""The NLU's own components on their own: clause splitting, the classifier's probabilities against
scikit-learn's, and the domain gate's reading of words (on the trained model)."""
from __future__ import annotations

import numpy
import pytest

from bot.components.clauses import split_clauses
from bot.components.domain_gate import DomainGate
from bot.components.intent_classifier import ClauseIntentClassifier


@pytest.mark.parametrize("text, clauses", [
    ("what does an EM do and who do they report to?", ["what does an EM do", "who do they report to?"]),
    ("what does a director do, how much do they make, and who do they report to",
     ["what does a director do", "how much do they make", "who do they report to"]),
    ("I'm a PM with 3 years in. What should I do next?", ["I'm a PM with 3 years in.", "What should I do next?"]),
    ("I want to lead a team one day — is a CSM worth it?", ["I want to lead a team one day", "is a CSM worth it?"]),
    ("EM vs director?", ["EM vs director?"]),
    ("project engineer and project manager: which pays", ["project engineer and project manager: which pays"]),
    ("and?", ["and?"]),
])
def test_a_message_splits_into_the_questions_it_asks(text: str, clauses: list) -> None:
    found = split_clauses(text)
    assert [clause.text for clause in found] == clauses
    assert all(text[clause.start:clause.end] == clause.text for clause in found)


def component(agent, kind: type):
    return next(node._component for node in agent.processor.graph_runner._instantiated_nodes.values()
                if isinstance(node._component, kind))


def test_the_classifier_gives_scikit_learn_s_probabilities(agent) -> None:
    classifier = component(agent, ClauseIntentClassifier)
    texts = ["how much do engineering managers make?", "hi", "wat r certs 4 pm", "who do they report to"]
    ours, sklearn_s = classifier.probabilities(texts), classifier.pipeline.predict_proba(texts)
    assert ours.shape == sklearn_s.shape and numpy.allclose(ours, sklearn_s, rtol=0, atol=1e-12)


@pytest.mark.parametrize("text, foreign", [
    ("how long should I boil an egg", {"egg"}),
    ("what's the best oven temperature for a roast", {"oven", "roast"}),
    ("how long will that take?", set()),
    ("how much do enginering managers make", set()),  # a typo of a domain word is not foreign
])
def test_the_gate_finds_the_words_the_domain_never_uses(agent, text: str, foreign: set) -> None:
    gate = component(agent, DomainGate)
    assert foreign <= set(gate.foreign_words(text)) and bool(foreign) == bool(gate.foreign_words(text))
    assert gate.verdict(text, [])["in_domain"] == (not foreign)


@pytest.mark.parametrize("text, unreadable", [("asdf qwerty zxcv", True), ("hello there", False), ("🚀🔥", False)])
def test_the_gate_tells_unreadable_messages(agent, text: str, unreadable: bool) -> None:
    assert component(agent, DomainGate).unreadable(text) is unreadable


@pytest.fixture
def storage(tmp_path):
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    return LocalModelStorage(tmp_path), Resource("intents")


def trained_classifier(storage) -> ClauseIntentClassifier:
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    examples = {"greet": ["hi", "hello there", "hey", "good morning"],
                "ask_salary": ["how much do managers make", "what is the pay", "salary of a director",
                               "what does a cto earn"]}
    data = TrainingData([Message.build(text=text, intent=intent)
                         for intent, texts in examples.items() for text in texts])
    classifier = ClauseIntentClassifier.create({}, *storage, execution_context=None)
    classifier.train(data)
    return classifier


def test_a_persisted_classifier_loads_with_the_same_probabilities(storage) -> None:
    trained = trained_classifier(storage)
    loaded = ClauseIntentClassifier.load({}, *storage, execution_context=None)
    texts = ["how much does an engineering manager make", "hello", "wat's the pay 4 a CTO", ""]
    assert list(loaded.pipeline.classes_) == list(trained.pipeline.classes_) == ["ask_salary", "greet"]
    assert numpy.array_equal(loaded.probabilities(texts), trained.probabilities(texts))
    assert numpy.array_equal(loaded.pipeline.predict_proba(texts), trained.pipeline.predict_proba(texts))


def test_a_model_file_with_pickled_objects_is_not_loaded(storage, caplog) -> None:
    from bot.components.intent_classifier import MODEL_FILE

    trained_classifier(storage)
    with storage[0].write_to(storage[1]) as directory:
        with numpy.load(directory / MODEL_FILE) as arrays:
            tampered = {**arrays, "classes": numpy.array([print, "greet"], dtype=object)}
        numpy.savez(directory / MODEL_FILE, **tampered)
    loaded = ClauseIntentClassifier.load({}, *storage, execution_context=None)
    assert loaded.pipeline is None and "train the model again" in caplog.text


@pytest.mark.parametrize("text, own", [
    ("which rung of the career ladder comes next", True),  # words only the domain uses
    ("is it ok to go for a run every day", False),  # everyday words the domain also uses
])
def test_the_gate_names_the_words_only_the_domain_uses(agent, text: str, own: bool) -> None:
    gate = component(agent, DomainGate)
    assert bool(gate.own_words(text)) is own and bool(gate.verdict(text, [])["own_words"]) is own
