"""Grounded retrieval: every KB statement can be found, natural long-tail questions find the right
one, and questions from outside the domain find nothing."""
from __future__ import annotations

import math
import re
from collections import Counter

import pytest

from knowledge import retrieval
from knowledge.loader import SECTIONS

KEY_WORDS = 5  # words of a statement's own text that make its reachability query


def _idf() -> dict[str, float]:
    """Inverse document frequency of each token over the statements (BM25's formula)."""
    documents = retrieval.tokenize([s.text for s in retrieval.statements()])
    counts = Counter(token for tokens in documents for token in set(tokens))
    n = len(documents)
    return {token: math.log(1 + (n - df + 0.5) / (df + 0.5)) for token, df in counts.items()}


def key_words(text: str, idf: dict[str, float]) -> str:
    """The statement's most distinctive words: highest idf first, one word per token."""
    word_of: dict[str, str] = {}
    for word in re.findall(retrieval.TOKEN, text.lower()):
        for token in retrieval.tokenize([word])[0]:
            word_of.setdefault(token, word)
    ranked = sorted(word_of, key=lambda token: -idf[token])  # ties keep the text's order
    return " ".join(word_of[token] for token in ranked[:KEY_WORDS])


def test_statements_cover_the_kb_and_name_article_sections() -> None:
    statements = retrieval.statements()
    assert len({s.key for s in statements}) == len(statements)
    kinds = {s.key.split(":")[0] for s in statements}
    assert kinds >= {"role", "progression", "ladder", "certification", "degree", "specialization",
                     "industry", "discipline", "stage", "figure", "topic", "compare"}
    for statement in statements:
        assert statement.section in SECTIONS, statement.key
        assert statement.text.startswith(statement.subject), statement.key


def test_every_statement_is_reachable_from_its_own_key_words() -> None:
    idf = _idf()
    statements = retrieval.statements()
    missed = {}
    for statement in statements:
        query = key_words(statement.text, idf)
        found = [hit.statement.key for hit in retrieval.search(query, k=2)]
        if statement.key not in found:
            missed[statement.key] = (query, found)
    print(f"\nreachable: {len(statements) - len(missed)}/{len(statements)} statements")
    assert missed == {}


@pytest.mark.parametrize("question, key", [
    ("what does the article say about safety regulations?", "topic:ethics"),
    ("why does ethics matter in engineering project management?", "topic:ethics"),
    ("which tools does the article mention for managing time?", "topic:tools"),
    ("what are successful engineering managers good at?", "topic:management_skills"),
    ("how do engineering managers deal with conflict?", "topic:management_skills"),
    ("who do engineering directors collaborate with?",
     "compare:engineering director:engineering manager:collaborators"),
    ("does continuous learning help my career?", "topic:continuous_learning"),
    ("which companies keep posting engineering management roles?", "topic:roi"),
    ("what sets strong candidates apart in mid-career?", "topic:mid_career"),
    ("how do civil engineers handle sustainability standards?", "discipline:civil"),
    ("is an engineering manager's focus tactical or strategic?",
     "compare:engineering manager:engineering director:focus"),
    ("why do industry trends matter?", "topic:industry_trends"),
    ("how do engineering managers keep projects on schedule?", "role:engineering manager:duty:"),
    ("does an engineering director evaluate new tools?",
     "compare:engineering director:engineering manager:technology"),
    ("how do I secure long-term success as a manager?", "topic:managerial_presence"),
])
def test_natural_questions_find_the_statement(question: str, key: str) -> None:
    """The right statement (or one of its items, for a topic) is among the two best hits."""
    hits = retrieval.search(question)
    assert any(hit.statement.key.startswith(key) for hit in hits), [h.statement.key for h in hits]


@pytest.mark.parametrize("question", [
    "how long do I boil an egg", "what is the capital of France", "tell me a joke",
    "how do I fix my car", "best pizza in town", "how tall is mount everest",
    "who won the football match last night", "play some music", "I like turtles",
])
def test_questions_outside_the_domain_score_below_the_threshold(question: str) -> None:
    assert retrieval.search(question) == []
    best = retrieval.search(question, k=1, min_score=0.0)
    assert not best or best[0].score < retrieval.MIN_SCORE


def test_k_and_the_threshold_are_parameters() -> None:
    question = "what are successful engineering managers good at?"
    assert len(retrieval.search(question, k=4)) == 4
    scores = [hit.score for hit in retrieval.search(question, k=4)]
    assert scores == sorted(scores, reverse=True)
    assert retrieval.search(question, min_score=1000.0) == []
    assert retrieval.search("what is the and of") == []  # stop words only


def test_the_index_is_built_once_per_process() -> None:
    retrieval.clear_cache()
    for question in ("ethics", "safety regulations", "Gantt charts"):
        retrieval.search(question)
    info = retrieval._index.cache_info()
    assert (info.misses, info.hits) == (1, 2)
