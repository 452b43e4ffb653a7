"""NLU quality on held-out phrasings (tests/nlu_heldout.yml, none of them in data/nlu.yml).

Loads the trained model in-process, prints a per-intent report, and fails the build when intent
accuracy or entity F1 drops below the thresholds.
"""
from __future__ import annotations

import asyncio
import difflib
import re
from collections import Counter
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest
from rasa.shared.nlu.training_data.loading import load_data

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "tests" / "nlu_heldout.yml"
TRAINING = ROOT / "data" / "nlu.yml"
# The logistic-regression intent classifier trains deterministically: 0.863 on 306 phrasings (one
# phrasing = 0.3 points). DIET, its predecessor, scored 0.82-0.87 across runs, so 0.85 now fails on
# any real drop below what DIET gave.
INTENT_ACCURACY = 0.85
ENTITY_F1 = 0.85

Entity = Tuple[str, str]  # (label, canonical value)


def annotated(message) -> Set[Entity]:
    return {(e["entity"], str(e["value"]).lower()) for e in message.get("entities") or []}


@pytest.fixture(scope="module")
def predictions(agent) -> List[Tuple[str, str, str, Set[Entity], Set[Entity]]]:
    examples = load_data(str(HELDOUT)).intent_examples
    labels = {label for message in examples for label, _ in annotated(message)}

    async def parse_all() -> list:
        return [await agent.parse_message(message.get("text")) for message in examples]

    rows = []
    for message, parsed in zip(examples, asyncio.run(parse_all()), strict=False):
        found = {(e["entity"], str(e["value"]).lower()) for e in parsed["entities"] if e["entity"] in labels}
        rows.append((message.get("text"), message.get("intent"), parsed["intent"]["name"],
                     annotated(message), found))
    return rows


def normalized(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()


def test_heldout_is_not_in_training_data() -> None:
    """No held-out phrasing, nor a near-copy of one, may be trained on."""
    training = [normalized(m.get("text")) for m in load_data(str(TRAINING)).intent_examples]
    held_out = [normalized(m.get("text")) for m in load_data(str(HELDOUT)).intent_examples]
    near_copies = {text: difflib.get_close_matches(text, training, n=1, cutoff=0.85) for text in held_out}
    assert not {text: match for text, match in near_copies.items() if match}


def test_intent_accuracy(predictions) -> None:
    per_intent: Dict[str, Counter] = {}
    misses = []
    for text, gold, predicted, _, _ in predictions:
        per_intent.setdefault(gold, Counter())["right" if gold == predicted else "wrong"] += 1
        if gold != predicted:
            misses.append(f"  {text!r}: {gold} -> {predicted}")
    accuracy = sum(gold == predicted for _, gold, predicted, _, _ in predictions) / len(predictions)
    print(f"\nintent accuracy on {len(predictions)} held-out examples: {accuracy:.3f}")
    for intent, counts in sorted(per_intent.items()):
        print(f"  {intent:22s} {counts['right']}/{counts['right'] + counts['wrong']}")
    print("misclassified:\n" + "\n".join(misses))
    assert accuracy >= INTENT_ACCURACY


def test_entity_f1(predictions) -> None:
    true_positives = sum(len(gold & found) for *_, gold, found in predictions)
    predicted = sum(len(found) for *_, found in predictions)
    expected = sum(len(gold) for *_, gold, _ in predictions)
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    for text, *_, gold, found in predictions:
        if gold != found:
            print(f"  {text!r}: expected {sorted(gold)} got {sorted(found)}")
    print(f"\nentity precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f} ({expected} annotated)")
    assert f1 >= ENTITY_F1
