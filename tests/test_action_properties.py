"""Property-based: every custom action, given any text, entities and slots, answers sensibly.

For arbitrary message text, entity labels and values (any JSON value, or a real KB name) and slot
values, each action registered by the action server (action_answer for every question, the planner's
actions and form validation, forgetting the profile):

- never raises;
- says something non-empty (the form validation may legitimately say nothing), never a trace;
- never falls back to "I can't look that up right now": with a healthy knowledge base that line
  means the action itself crashed (actions.answer catches and logs it).

Hypothesis runs derandomized (the same examples every run) and without an example database.
"""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa_sdk import Tracker
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from actions.render import LOOKUP_FAILED

DOMAIN = yaml.safe_load((Path(__file__).parent.parent / "domain.yml").read_text(encoding="utf-8"))
ENTITIES: List[str] = [next(iter(e)) if isinstance(e, dict) else e for e in DOMAIN["entities"]]
LABELS: List[str] = ENTITIES + ["years", "unknown label"]
SLOTS: List[str] = list(DOMAIN["slots"]) + ["requested_slot"]
INTENTS: List[str] = DOMAIN["intents"] + ["nlu_fallback", "nonexistent_intent", ""]
KB_NAMES = ["engineering manager", "engineering director", "project engineer", "project manager", "manager",
            "CTO", "PMP", "CSM", "MBA", "MEM", "civil", "software", "advanced", "profession:surgeon",
            "place:germany", "currency:euro", "ask_salary", "path_plan_form", "current_role"]
EXECUTOR = ActionExecutor()
EXECUTOR.register_package("actions")
ACTIONS = sorted(EXECUTOR.actions)
QUIET_ALLOWED = {"validate_path_plan_form"}  # a form validation need not say anything

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                    st.text(max_size=30), st.sampled_from(KB_NAMES))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)), max_leaves=6)
entities = st.lists(st.fixed_dictionaries(
    {"entity": st.one_of(st.sampled_from(LABELS), st.text(max_size=10)), "value": json_values},
    optional={"start": st.one_of(st.integers(-5, 300), st.text(max_size=3)), "end": st.integers(-5, 300)}),
    max_size=4)
latest_messages = st.fixed_dictionaries({
    "text": st.one_of(st.text(max_size=120), st.sampled_from(["I'm a project engineer", "what about me?",
                                                               "5 years", "stop", ""])),
    "intent": st.fixed_dictionaries({"name": st.sampled_from(INTENTS)}),
    "entities": entities,
})
slot_values = st.dictionaries(st.sampled_from(SLOTS), json_values, max_size=6)


def tracker_for(latest: Dict[str, Any], slots: Dict[str, Any], in_form: bool, channel: str) -> Tracker:
    events = [{"event": "user", "input_channel": channel, "parse_data": latest, "text": latest["text"]}]
    loop = {"name": "path_plan_form"} if in_form else {}
    return Tracker("property-user", slots, latest, events, False, None, loop, "action_listen")


@pytest.mark.parametrize("action_name", ACTIONS)
@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(latest=latest_messages, slots=slot_values, in_form=st.booleans(),
       channel=st.sampled_from(["rest", "socketio", "slack", "cmdline", ""]))
def test_any_input_gets_a_sensible_reply(action_name: str, latest: Dict[str, Any], slots: Dict[str, Any],
                                         in_form: bool, channel: str) -> None:
    dispatcher = CollectingDispatcher()
    run = EXECUTOR.actions[action_name]
    events = asyncio.run(run(dispatcher, tracker_for(latest, slots, in_form, channel), DOMAIN))
    assert isinstance(events, list)
    said = [message.get("text") or message.get("response") or str(message.get("custom") or "")
            for message in dispatcher.messages]  # a response of domain.yml is said by Rasa
    if action_name not in QUIET_ALLOWED:
        assert any(text.strip() for text in said), f"{action_name} said nothing"
    for text in said:
        assert text.strip() and "Traceback" not in text
        assert text != LOOKUP_FAILED, f"{action_name} crashed (see the log) on {latest} {slots}"


def test_domain_actions_are_the_registered_actions() -> None:
    assert set(DOMAIN["actions"]) == set(ACTIONS)
