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
