"""Actions on their own, rasa_sdk style: a Tracker built directly, a CollectingDispatcher.

Parametrized over the latest message (intent + entities) and slots; asserts the reply's facts and
the slots the action sets for the next turn.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswer
from actions.compare import SHOWN_FIRST
from tests.support.figures import (
    AVERAGE_SALARY,
    HIGH_SALARY,
    LOW_SALARY,
    MBA_PREMIUM,
    MEM_YEARS,
    MID_LEVEL_YEARS,
    assert_only_kb_figures,
)


def tracker(intent: str, entities: Optional[Dict[str, Any]] = None, text: str = "",
            slots: Optional[Dict[str, Any]] = None) -> Tracker:
    found = [
        {"entity": label, "value": value}
        for label, values in (entities or {}).items()
        for value in (values if isinstance(values, list) else [values])
    ]
    latest = {"intent": {"name": intent, "confidence": 1.0}, "entities": found, "text": text}
    return Tracker("test-user", slots or {}, latest, [], False, None, {}, "action_listen")


async def run(intent: str, **kwargs: Any) -> tuple[str, Dict[str, Any], List[Dict]]:
    """Run the action answering ``intent``; return its text, the slots it set, its buttons."""
    dispatcher = CollectingDispatcher()
    events = await ActionAnswer().run(dispatcher, tracker(intent, **kwargs), {})
    text = "\n".join(message.get("text") or "" for message in dispatcher.messages)
    buttons = [b for message in dispatcher.messages for b in message.get("buttons") or []]
    slots = {event["name"]: event["value"] for event in events if event["event"] == "slot"}
    assert_only_kb_figures(text)
    return text, slots, buttons


@pytest.mark.parametrize(
    "intent, entities, slots, expected",
    [
        ("ask_certification", {"role": "project manager"}, {}, ["PMP", "EIT", "CPE", "CSM"]),
        ("ask_certification", {"certification": "CSM"}, {}, ["Certified ScrumMaster"]),
        ("ask_certification", {}, {"certification": "PMP", "subject_kind": "certification"}, ["mid-level"]),
        ("ask_salary", {}, {}, [LOW_SALARY, HIGH_SALARY, AVERAGE_SALARY]),
        ("ask_salary", {"degree": "MBA"}, {}, [MBA_PREMIUM, "GMAC"]),
        ("ask_salary", {}, {"role": "engineering director"}, ["no salary figure for an engineering director"]),
        ("ask_duration", {"degree": "MEM"}, {}, [MEM_YEARS]),
        ("ask_duration", {}, {"role": "project manager", "subject_kind": "role"}, [MID_LEVEL_YEARS]),
        ("ask_duration", {}, {"role": "chief technology officer", "subject_kind": "role"},
         ["doesn't say how long"]),
        ("ask_reports_to", {"role": "engineering director"}, {}, ["VP of engineering", "CTO", "CEO"]),
        ("ask_reports_to", {}, {"role": "engineering manager"}, ["engineering director"]),
        ("ask_next_step", {"role": "engineering director"}, {}, ["VP of engineering", "CTO"]),
        ("ask_role_info", {"role": "engineering manager"}, {}, ["Budgets", "Cross-functional"]),
        ("compare", {"role": ["engineering manager", "engineering director"]}, {}, ["tactical", "strategic"]),
        ("compare", {"degree": ["MBA", "MEM"]}, {}, [MEM_YEARS, MBA_PREMIUM]),
        ("compare", {"certification": ["PMP", "CSM"]}, {}, ["Project Management Professional", "ScrumMaster"]),
        ("ask_discipline_move", {"discipline": "mechanical"}, {}, ["manufacturing management"]),
        ("ask_discipline_move", {"discipline": "software"}, {}, ["technology consulting"]),
        ("ask_specializations", {"role": "operations manager"}, {}, ["supply chain"]),
        ("ask_roles_by_stage", {"stage": "advanced"}, {}, ["principal engineer", "senior engineering manager"]),
        ("ask_industries", {}, {}, ["Actalent", "software development"]),
        ("ask_progression", {"role": ["project engineer", "engineering director"]}, {}, ["engineering manager"]),
        ("ask_education", {"degree": "MEM"}, {}, ["problem-solving", "decision-making"]),
        ("ask_tools", {}, {}, ["Gantt", "Agile"]),
        ("ask_outlook", {}, {}, ["Deloitte"]),
    ],
)
async def test_reply_states_the_facts(intent, entities, slots, expected) -> None:
    text, _, _ = await run(intent, entities=entities, slots=slots)
    for fact in expected:
        assert fact.lower() in text.lower(), f"{intent} {entities} {slots}: lacks {fact!r}:\n{text}"


@pytest.mark.parametrize("intent", ["ask_salary", "ask_role_info", "ask_reports_to", "ask_requirements"])
async def test_bare_manager_asks_which_with_buttons(intent) -> None:
    text, slots, buttons = await run(intent, entities={"ambiguous_role": "manager"})
    assert "which manager" in text.lower()
    assert {"engineering manager", "project manager"} <= {b["title"].lower() for b in buttons}
    assert slots["last_question"] == intent  # the answer to "which?" re-asks this question


@pytest.mark.parametrize("value", ["CEO; DROP TABLE roles", "<b>marketing</b>", "x" * 5000])
async def test_values_the_kb_lacks_are_declined_not_invented(value) -> None:
    text, _, _ = await run("ask_reports_to", entities={"role": value})
    assert "doesn't cover" in text and "<b>" not in text and len(text) < 1500


async def test_follow_up_reasks_the_last_question_about_the_new_role() -> None:
    text, slots, _ = await run("inform", entities={"role": "engineering director"},
                               slots={"last_question": "ask_reports_to", "role": "engineering manager"})
    assert "CEO" in text and slots["role"] == "engineering director"


async def test_goal_is_remembered_for_later_questions() -> None:
    _, slots, _ = await run("state_goal", entities={"role": "project manager"})
    assert slots["goal_role"] == "project manager"
    text, _, _ = await run("ask_duration", slots={"goal_role": "project manager"})
    assert MID_LEVEL_YEARS in text


async def test_every_answer_carries_a_source_line() -> None:
    text, slots, _ = await run("ask_salary")
    assert "Source:" in text and slots["last_sections"]
    source, _, _ = await run("ask_source", slots={"last_sections": slots["last_sections"],
                                                  "last_citations": slots["last_citations"]})
    assert "Payscale" in source and "payscale.com" in source


async def test_a_failing_lookup_gets_a_polite_reply(monkeypatch) -> None:
    from knowledge.queries import KnowledgeBase

    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("database is gone")

    monkeypatch.setattr(KnowledgeBase, "figure", broken)
    text, slots, _ = await run("ask_salary")
    assert "can't look that up right now" in text and "database" not in text
    assert slots == {}


@pytest.mark.parametrize("text", ["hmm", "asdkjh qwpoeiru", "🚀🔥"])
async def test_a_follow_up_naming_nothing_does_not_repeat_the_last_answer(text) -> None:
    reply, slots, buttons = await run("inform", text=text, slots={"last_question": "ask_salary"})
    assert "$" not in reply and "rephrase" in reply and buttons


@pytest.mark.parametrize(
    "entities, last_question, expected",
    [
        ({"not_covered": "place:Germany"}, "ask_salary", "no salary figures for Germany"),
        ({"certification": "PMP"}, "ask_salary", "Project Management Professional"),  # PMP does not fit salary
        ({"role": "engineering director"}, "ask_certification", "engineering director"),
        ({"degree": "MEM"}, None, "Master's in Engineering Management"),
    ],
)
async def test_unsure_nlu_still_answers_about_the_named_subject(entities, last_question, expected) -> None:
    """nlu_fallback and inform both run action_answer (data/rules.yml), as a follow-up."""
    reply, _, _ = await run("inform", entities=entities, slots={"last_question": last_question})
    assert expected in reply


async def test_a_comparison_on_slack_is_sent_as_blocks_with_fields() -> None:
    dispatcher = CollectingDispatcher()
    latest = {"intent": {"name": "compare"}, "text": "EM vs director",
              "entities": [{"entity": "role", "value": "engineering manager"},
                           {"entity": "role", "value": "engineering director"}]}
    events = [{"event": "user", "input_channel": "slack", "parse_data": latest}]
    await ActionAnswer().run(dispatcher, Tracker("u", {}, latest, events, False, None, {}, "action_listen"), {})
    message = dispatcher.messages[0]["custom"]
    fields = [block["fields"] for block in message["blocks"] if "fields" in block]
    assert len(fields) == SHOWN_FIRST and "Mostly tactical" in message["text"]  # the biggest differences first
    [actions] = [block for block in message["blocks"] if block["type"] == "actions"]
    assert '"detail": "all"' in actions["elements"][0]["value"]  # then "show all"


async def test_a_degree_the_article_does_not_cover_is_named_as_such() -> None:
    text, slots, _ = await run("ask_education", entities={"not_covered": "degree:PhD"})
    assert "doesn't cover a PhD" in text and "MBA" in text
    assert slots["knowledge_gap"] == "degree: PhD"


@pytest.mark.parametrize(
    "intent, entities, slots, said",
    [  # "and in Germany?" after "who do they report to?"; "the job market in India?"
        ("inform", {"not_covered": "place:Germany"},
         {"last_question": "ask_reports_to", "role": "engineering manager", "subject_kind": "role"},
         "engineering director"),
        ("ask_outlook", {"not_covered": "place:India", "role": "engineering manager"}, {}, "What it does say"),
    ],
)
async def test_a_place_the_article_leaves_out_is_named_before_what_it_does_say(intent, entities, slots, said) -> None:
    text, reply_slots, _ = await run(intent, entities=entities, slots=slots)
    place = entities["not_covered"].partition(":")[2]
    assert text.startswith(f"The article doesn't say anything specific to {place}.") and said in text
    assert reply_slots["knowledge_gap"] == f"place: {place}"


@pytest.mark.parametrize("own_words, text, closest", [
    ((), "is it fine to jog every morning before work", False),
    (("safety",), "anything on safety regulations at work", True),
])
async def test_an_unsure_reading_likeliest_off_topic_gets_a_kb_statement_only_with_domain_words(
        own_words, text: str, closest: bool) -> None:
    """The NLU unsure between another domain (its best guess) and something else: the closest KB
    statement only when the message uses a word only the domain uses (the domain gate's own_words)."""
    latest = {"intent": {"name": "nlu_fallback", "confidence": 0.3}, "entities": [], "text": text,
              "intent_ranking": [{"name": name, "confidence": confidence} for name, confidence in
                                 (("nlu_fallback", 0.3), ("out_of_scope", 0.45), ("ask_not_covered", 0.42))],
              "domain": {"in_domain": True, "own_words": list(own_words)}}
    dispatcher = CollectingDispatcher()
    await ActionAnswer().run(dispatcher, Tracker("test-user", {}, latest, [], False, None, {}, "action_listen"), {})
    reply = "\n".join(message.get("text") or message.get("response") or "" for message in dispatcher.messages)
    assert ("Source:" in reply) is closest and ("utter_out_of_scope" in reply) is not closest
