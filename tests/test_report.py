"""The curators' knowledge-gap report (ops/report.py): real conversations through the shared stack,
then the report over a copy of its tracker store with only those; plus the event logic and the error paths."""
from __future__ import annotations

import contextlib
import io
import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
import yaml

from ops.report import OFF_TOPIC, UNKNOWN, UNSURE, Gap, clean, gaps_in, group, main, normalise, render
from settings import Settings
from tests.support.stack import Conversation, conversations_of

# What several users say; the report must find exactly the gaps these produce.
TALKS: List[List[str]] = [
    ["how much does a surgeon make", "how much do engineering managers make"],
    ["salary in germany for an EM", "what certs do I need for project manager?"],
    ["how long to become a CTO"],
    ["How long to become a CTO?", "what's the weather in paris"],
    ["who does a program manager report to"],
    ["asdf qwerty zxcv", "snarf blat quux"],  # gibberish: far below the NLU fallback threshold
    ["Snarf  blat quux!"],
]
ANSWERED = ["how much do engineering managers make", "what certs do I need for project manager?"]
GIBBERISH = {"asdf qwerty zxcv", "snarf blat quux"}


def run_report(*args: str) -> Tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def talked(bot_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Several users talk to the shared stack; the settings of a state folder (endpoints file) whose
    conversation store holds exactly their conversations."""
    senders = []
    for lines in TALKS:
        conversation = Conversation(bot_settings.rasa_url)
        for line in lines:
            conversation.say(line)
        senders.append(conversation.sender)
    return conversations_of(bot_settings, senders, tmp_path_factory.mktemp("report-store"))


@pytest.fixture(scope="module")
def report(talked: Settings) -> Dict:
    code, out, err = run_report("--endpoints", str(talked.state_dir / "endpoints.yml"), "--json")
    assert code == 0, err
    return json.loads(out)


def groups_of(report: Dict, kind: str) -> Dict[str, Dict]:
    return {g["key"]: g for g in report["groups"] if g["kind"] == kind}


@pytest.mark.stack
def test_report_counts_gaps_the_article_does_not_cover(report: Dict) -> None:
    unknown = groups_of(report, UNKNOWN)
    cto = unknown["duration: chief technology officer"]
    assert (cto["count"], cto["conversations"]) == (2, 2)
    assert set(cto["examples"]) == {"how long to become a CTO", "How long to become a CTO?"}
    assert unknown["salary: Germany"]["examples"] == ["salary in germany for an EM"]
    assert unknown["salary: surgeon"]["examples"] == ["how much does a surgeon make"]
    assert unknown["reports to: program manager"]["count"] == 1
    assert report["conversations"] == len(TALKS)
    assert [g["key"] for g in report["groups"]][0] == "duration: chief technology officer"  # most frequent


def fallback_texts(settings: Settings) -> List[str]:
    """The user messages Rasa classified as nlu_fallback, read straight from the SQLite store."""
    db = yaml.safe_load((settings.state_dir / "endpoints.yml").read_text())["tracker_store"]["db"]
    with contextlib.closing(sqlite3.connect(db)) as connection:
        rows = connection.execute("SELECT data FROM events WHERE type_name = 'user' AND intent_name = 'nlu_fallback'")
        return [json.loads(data)["text"] for (data,) in rows]


@pytest.mark.stack
def test_report_lists_unsure_and_off_topic_but_not_answered_questions(talked: Settings, report: Dict) -> None:
    unsure = groups_of(report, UNSURE)
    expected = Counter(normalise(text) for text in fallback_texts(talked))  # "Snarf  blat quux!" == "snarf blat quux"
    assert expected and set(expected) <= GIBBERISH
    assert {key: g["count"] for key, g in unsure.items()} == dict(expected)
    assert set(groups_of(report, OFF_TOPIC)) == {"whats the weather in paris"}
    assert report["groups"][-1]["kind"] == OFF_TOPIC
    examples = [example for g in report["groups"] for example in g["examples"]]
    assert not set(ANSWERED) & set(examples)


@pytest.mark.stack
def test_plain_text_report(talked: Settings) -> None:
    code, out, _ = run_report("--endpoints", str(talked.state_dir / "endpoints.yml"), "--top", "1")
    assert code == 0
    assert out.index("NOT IN THE ARTICLE") < out.index("UNSURE") < out.index("OFF-TOPIC")
    assert "duration: chief technology officer" in out and "- how long to become a CTO" in out
    assert "salary: Germany" not in out  # --top 1: only the largest group of each kind
    assert out.count("(1 group(s))") == 3 and "smaller group(s) not shown; --top 0 shows all" in out


def user(text: str, intent: str = "ask_salary") -> Dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.9}}}


def gap_slot(value) -> Dict:
    return {"event": "slot", "name": "knowledge_gap", "value": value}


def test_gaps_in_ties_markers_to_the_latest_user_message() -> None:
    events = [
        {"event": "action", "name": "action_session_start"}, {"event": "session_started"},
        user("hi", "greet"), {"event": "bot", "text": "Hi!"},
        user("salary in  Germany?!"), {"event": "action", "name": "action_answer_salary"},
        gap_slot("salary: Germany"), gap_slot("salary: Germany"), {"event": "slot", "name": "role", "value": "x"},
        user("blorp\x1b[31m zingle", "nlu_fallback"), user("weather?", "out_of_scope"), user(" ?! ", "nlu_fallback"),
        {"event": "session_started"}, gap_slot("salary: Germany"),  # carried over: not a new gap
        user("how long to become a CTO", "ask_duration"), gap_slot(None),
    ]
    assert gaps_in(events, "c1") == [
        Gap(UNKNOWN, "salary: Germany", "salary in Germany?!", "c1"),
        Gap(UNSURE, "blorp31m zingle", "blorp[31m zingle", "c1"),
        Gap(OFF_TOPIC, "weather", "weather?", "c1"),
    ]


def test_group_counts_conversations_and_orders_examples_by_frequency() -> None:
    gaps = [Gap(UNSURE, "how long", text, conv)
            for text, conv in [("How long?", "a"), ("how long", "a"), ("How long?", "b"), ("how  long", "c")]]
    [only] = group(gaps + [Gap(OFF_TOPIC, "x", "x", "a")])[:1]
    assert (only.count, only.conversations, only.examples[0]) == (4, 3, "How long?")
    assert len(only.examples) == 3


def test_clean_and_empty_report() -> None:
    assert clean("a\nb\x00c\u202e") == "a bc"
    assert len(clean("x" * 500)) == 100
    assert render([], 3) == "No knowledge gaps found in 3 conversation(s)."


def test_missing_tracker_db_is_one_error_line(tmp_path: Path) -> None:
    endpoints = tmp_path / "endpoints.yml"
    missing = tmp_path / "conversations.db"
    endpoints.write_text(yaml.safe_dump({"tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(missing)}}))
    code, out, err = run_report("--endpoints", str(endpoints))
    assert (code, out) == (1, "")
    assert err.startswith("error: no conversation store at") and str(missing) in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not missing.exists()  # not created as a side effect
