"""The dashboard's downloads: candidate NLU examples (Rasa YAML) and the knowledge gaps (CSV).

Candidates are the messages Rasa was unsure of (labelled with the best intent it ranked after
``nlu_fallback``) and the questions whose answer was rated not helpful (labelled with the intent the
message got): a curator checks each label and moves the examples worth keeping into data/nlu/.
"""
from __future__ import annotations

import csv
import io
from typing import Any, Dict, Optional, Sequence

from ops.dashboard_data import FALLBACK_INTENT, Overview
from ops.report import Group, clean, intent_of

CANDIDATES_HEADER = (
    "# Candidate NLU examples from Career Coach's conversations (the curator dashboard, /report).\n"
    "# Each label is the bot's guess: check it, fix it, then move the examples you keep into data/nlu/.\n"
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would run as a formula


def candidate_label(event: Dict[str, Any]) -> Optional[str]:
    """The intent a user message most likely meant: its own, or the best ranked after the fallback."""
    parse = event.get("parse_data") or {}
    ranked = [intent_of(event)] + [item.get("name") for item in parse.get("intent_ranking") or []]
    return next((name for name in ranked if name and name != FALLBACK_INTENT), None)


def candidate_examples(data: Overview) -> Dict[str, str]:
    """Example text -> candidate intent, over unsure messages and not-helpful questions."""
    asked = {rating.question for rating in data.not_helpful}
    candidates: Dict[str, str] = {}
    for conversation in data.conversations:
        for event in conversation.events:
            if event.get("event") != "user":
                continue
            text = clean(event.get("text"))
            if intent_of(event) == FALLBACK_INTENT or str(event.get("text") or "") in asked or text in asked:
                label = candidate_label(event)
                if label and text and not text.startswith("/"):
                    # Rasa reads [text](entity) as an annotation: the curator adds those by hand.
                    candidates.setdefault(text.replace("[", "(").replace("]", ")"), label)
    return candidates


def candidates_yaml(data: Overview) -> str:
    """The candidates as a Rasa NLU training-data file, written by Rasa's own YAML writer."""
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    examples = candidate_examples(data)
    messages = [Message.build(text, intent) for text, intent in sorted(examples.items(), key=lambda i: (i[1], i[0]))]
    body = RasaYAMLWriter().dumps(TrainingData(training_examples=messages)) if messages else 'version: "3.1"\nnlu: []\n'
    return CANDIDATES_HEADER + body


def cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text, never evaluates."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def gaps_csv(groups: Sequence[Group]) -> str:
    """The grouped gaps as CSV: kind, key, count, conversations, up to three phrasings."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["kind", "key", "count", "conversations", "example 1", "example 2", "example 3"])
    for g in groups:
        writer.writerow([cell(v) for v in [g.kind, g.key, g.count, g.conversations, *g.examples]])
    return out.getvalue()

