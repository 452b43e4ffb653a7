"""bot/speedups/ changes nothing but speed: each patched hot spot gives what Rasa's own code gives."""
from __future__ import annotations

import asyncio
from typing import Any, Callable

import pytest

from tests.support.figures import AVERAGE_SALARY


def test_speedups_keep_rasa_s_behaviour() -> None:
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

    from bot import speedups

    before = {name: Event.resolve_by_type(name) for name in ("slot", "user", "action", "session_started")}
    speedups.install()
    speedups.install()  # idempotent
    assert {name: Event.resolve_by_type(name) for name in before} == before
    assert (Event.resolve_by_type("slot"), Event.resolve_by_type("user")) == (SlotSet, UserUttered)
    assert Event.resolve_by_type("action") is ActionExecuted
    assert Event.resolve_by_type("no-such-event", SlotSet) is SlotSet
    with pytest.raises(ValueError):
        Event.resolve_by_type("no-such-event")

    action = RemoteAction("action_x", None)
    good = {"events": [{"event": "slot", "name": "role", "value": "cto"}],
            "responses": [{"text": "hi", "buttons": [{"title": "a", "payload": "/b"}]}]}
    assert action._validate_action_result(good) is True
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": [{"event": 42}], "responses": "nope"})


ACTION_RESULTS = [  # (result, what jsonschema says)
    ({"events": [], "responses": []}, True),
    ({"events": [{"event": "slot", "name": "role", "value": None, "timestamp": None}]}, True),
    ({"events": [{"event": "followup", "name": "action_x"}, {"event": "active_loop", "name": None}]}, True),
    ({"events": [{"event": "bot", "text": "hi", "data": {"buttons": []}}]}, True),
    ({"events": [{"event": "slot"}]}, False),  # a slot event needs its name
    ({"events": [{"event": "slot", "timestamp": "yesterday"}]}, False),
    ({"events": [{"event": "no-such-event"}]}, False),
    ({"events": [{"name": "role"}]}, False),
    ({"events": ["slot"]}, False),
    ({"events": {"event": "slot"}}, False),
    ({"responses": [{"text": "hi"}, "hi"]}, False),
    (None, False),
]


@pytest.mark.parametrize("result, valid", ACTION_RESULTS)
def test_the_per_event_check_accepts_only_what_rasa_s_schema_accepts(result: object, valid: bool) -> None:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    from bot.speedups import fast_action_result_check

    schema = RemoteAction.action_response_format_spec()
    assert validator_for(schema)(schema).is_valid(result) is valid  # what jsonschema.validate uses
    assert fast_action_result_check(schema)(result) is valid


def test_calls_to_the_action_server_reuse_one_http_session() -> None:
    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    from bot import speedups

    speedups.install()

    async def scenario() -> tuple:
        peers = []

        async def webhook(request: web.Request) -> web.Response:
            peers.append(request.transport.get_extra_info("peername"))
            return web.json_response({"events": [], "responses": []})

        app = web.Application()
        app.router.add_post("/webhook", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        replies = [await endpoint.request(json={"n": n}, method="post") for n in range(3)]
        session = endpoint._kept_session[1]
        await session.close()
        await runner.cleanup()
        return replies, peers

    replies, peers = asyncio.run(scenario())
    assert replies == [{"events": [], "responses": []}] * 3
    assert len(set(peers)) == 1, "one connection for all three calls"


def _user(text: str, intent: str, **entities: str) -> Any:
    from rasa.shared.core.events import UserUttered

    return UserUttered(text, intent={"name": intent, "confidence": 0.9},
                       entities=[{"entity": name, "value": value} for name, value in entities.items()])


def _conversations() -> dict:
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionReverted,
        ActiveLoop,
        BotUttered,
        FollowupAction,
        Restarted,
        SessionStarted,
        SlotSet,
        UserUtteranceReverted,
    )

    listen = ActionExecuted("action_listen")
    turns = [_user("salary?", "ask_salary", role="engineering manager"), ActionExecuted("action_answer_salary"),
             SlotSet("role", "engineering manager"), BotUttered(AVERAGE_SALARY), listen,
             _user("and a director?", "inform", role="engineering director"), ActionExecuted("action_answer_follow_up"),
             SlotSet("role", "engineering director"), BotUttered("..."), listen]
    return {
        "questions and follow-ups": [listen, *turns],
        "the planner form": [listen, _user("plan my path", "plan_path"), ActionExecuted("path_plan_form"),
                             ActiveLoop("path_plan_form"), SlotSet("requested_slot", "current_role"), listen,
                             _user("project engineer", "inform", role="project engineer"),
                             ActionExecuted("path_plan_form"), SlotSet("current_role", "project engineer"),
                             SlotSet("requested_slot", "years_experience"), listen,
                             _user("what's a PMP?", "ask_certification"), ActionExecuted("action_answer_certification"),
                             BotUttered("..."), ActionExecuted("path_plan_form"), listen, _user("3", "inform"),
                             ActionExecuted("path_plan_form"), SlotSet("years_experience", 3.0),
                             ActiveLoop(None), SlotSet("requested_slot", None), listen, *turns],
        "a fallback reverts the user's message": [listen, *turns[:5], _user("blorp", "nlu_fallback"),
                                                  ActionExecuted("action_default_fallback"), BotUttered("rephrase?"),
                                                  UserUtteranceReverted(), listen, *turns[5:]],
        "an action is reverted": [listen, *turns[:5], _user("undo", "deny"), ActionExecuted("action_x"),
                                  ActionReverted(), listen, *turns[5:]],
        "a restart and a new session": [listen, *turns, ActionExecuted("action_restart"), Restarted(), listen,
                                        *turns[:5], ActionExecuted("action_session_start"), SessionStarted(),
                                        FollowupAction("action_listen"), listen, *turns],
    }


@pytest.mark.parametrize("name", list(_conversations()))
@pytest.mark.parametrize("every", [1, 3, 7])  # the policy asks after every event, or after several
def test_the_policy_sees_the_same_events_and_states_when_only_new_events_are_replayed(
        name: str, every: int) -> None:
    from pathlib import Path

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot import speedups

    speedups.install()
    domain = Domain.load(str(Path(__file__).resolve().parent.parent / "domain.yml"))
    rasa_s_own, rasa_s_applied = Domain.states_for_tracker_history.__wrapped__, \
        DialogueStateTracker.applied_events.__wrapped__
    tracker = DialogueStateTracker("u", domain.slots)
    events = _conversations()[name]
    for number, event in enumerate(events, start=1):
        tracker.update(event)
        if number % every and number != len(events):
            continue
        assert tracker.applied_events() == rasa_s_applied(tracker)
        for omit_unset_slots in (False, True):
            states = domain.states_for_tracker_history(tracker, omit_unset_slots=omit_unset_slots)
            assert states == rasa_s_own(domain, tracker, omit_unset_slots=omit_unset_slots)
            for state in states:  # callers may edit what they get (the featurizer drops the last text)
                state.clear()
    memo = next(iter(getattr(tracker, speedups.STATES_MEMO).values()))
    assert memo.events == tracker.applied_events(), "the last call extended the kept states"


@pytest.mark.parametrize("text", ["how much do engineering managers make?", "EM vs director", "snarf blat",
                                  "wat certs 4 a projct manger", "<b>hi</b>"])
def test_the_graph_runs_node_by_node_with_dask_s_results(agent, text: str) -> None:
    from rasa.core.channels import UserMessage
    from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot import speedups

    speedups.install()
    processor, dask_run = agent.processor, DaskGraphRunner.run.__wrapped__
    nlu, core = [processor.model_metadata.nlu_target], [processor.model_metadata.core_target]

    def parse(run: Callable) -> dict:
        inputs = {PLACEHOLDER_MESSAGE: [UserMessage(text)],
                  PLACEHOLDER_TRACKER: DialogueStateTracker("u", processor.domain.slots)}
        parsed = run(processor.graph_runner, inputs, nlu)[nlu[0]][0].as_dict()
        return {key: value for key, value in parsed.items() if key != "message_id"}  # random per message

    assert parse(DaskGraphRunner.run) == parse(dask_run)
    tracker = DialogueStateTracker("u", processor.domain.slots)
    parsed = asyncio.run(processor.parse_message(UserMessage(text)))
    for event in (ActionExecuted(ACTION_LISTEN_NAME), UserUttered(text, parsed["intent"], parsed["entities"])):
        tracker.update(event)
    ours, dask_s = (run(processor.graph_runner, {PLACEHOLDER_TRACKER: tracker}, core)[core[0]]
                    for run in (DaskGraphRunner.run, dask_run))
    assert (ours.policy_name, ours.probabilities) == (dask_s.policy_name, dask_s.probabilities)


def test_a_tracker_whose_events_are_replaced_is_folded_afresh() -> None:
    from rasa.shared.core.events import ActionExecuted, Restarted
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot import speedups

    speedups.install()
    first, second = _conversations()["a restart and a new session"], _conversations()["the planner form"]
    tracker = DialogueStateTracker("u", None)
    for event in [*first[:20], Restarted(), ActionExecuted("action_listen")]:
        tracker.update(event)
    assert tracker.applied_events() == DialogueStateTracker.applied_events.__wrapped__(tracker)
    tracker.events.clear()  # as Rasa's recreate_from_dialogue reuses the deque
    tracker.events.extend(second)
    assert tracker.applied_events() == DialogueStateTracker.applied_events.__wrapped__(tracker)


def test_the_tracker_sent_to_the_action_server_parses_to_what_json_gives() -> None:
    import json

    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

    from bot.speedups import encode_json

    tracker = DialogueStateTracker("u‮<script>", None)
    for event in _conversations()["the planner form"]:
        tracker.update(event)
    tracker.update(SlotSet("years_experience", 1 / 3))
    tracker.update(_user("naïve “quotes” \\ / \u0000 😀 " + "x" * 2000, "inform"))
    state = tracker.current_state(EventVerbosity.ALL)
    assert json.loads(encode_json(state)) == json.loads(json.dumps(state))
