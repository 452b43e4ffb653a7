"""bot/speedups/ changes nothing but speed: each patched hot spot gives what Rasa's own code gives."""
from __future__ import annotations

import asyncio
import copy
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.support.events import conversations, user_says

DOMAIN_FILE = Path(__file__).resolve().parent.parent / "domain.yml"


@pytest.fixture
def installed() -> Iterator[Any]:
    """The speed-ups installed for one test, and removed after it."""
    from bot import speedups

    speedups.install()
    yield speedups
    speedups.uninstall()


def test_speedups_keep_rasa_s_behaviour_and_come_off_again(installed: Any) -> None:
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

    speedups = installed
    assert len(speedups.install()) == len(speedups.patches()), "idempotent, and every patch installed"
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

    replaced = {patch: getattr(patch.target(), patch.attribute) for patch in speedups.patches()}
    speedups.uninstall()
    for patch, ours in replaced.items():
        assert getattr(patch.target(), patch.attribute) is speedups.original(patch) is not ours


def test_a_patch_written_for_other_rasa_code_is_not_installed(caplog: pytest.LogCaptureFixture,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from rasa.core.actions.action import RemoteAction

    from bot import speedups
    from bot.speedups import action_server

    stale = replace(action_server.RESULT_CHECK, sha256="0" * 16)
    monkeypatch.setattr(speedups, "patches", lambda: (stale,))
    rasa_s_own = RemoteAction._validate_action_result
    with caplog.at_level("WARNING"):
        assert speedups.install() == []
    assert RemoteAction._validate_action_result is rasa_s_own
    assert [r.getMessage() for r in caplog.records if "not installed" in r.getMessage()] == [
        "speed-up for rasa.core.actions.action:RemoteAction._validate_action_result not installed: "
        "Rasa's code is not the version it was written for (Rasa's own is used)"]


def test_the_kill_switch_leaves_rasa_s_own_code_everywhere() -> None:
    from bot import speedups
    from bot.tracker import APPLIED_MEMO, ConversationTracker

    before = {patch: getattr(patch.target(), patch.attribute) for patch in speedups.patches()}
    try:
        assert speedups.install(enabled=False) == []
        assert {patch: getattr(patch.target(), patch.attribute) for patch in before} == before
        tracker = ConversationTracker("u", None)
        for event in conversations()["the planner form"]:
            tracker.update(event)
        tracker.applied_events()
        assert APPLIED_MEMO not in tracker.__dict__, "Rasa's own fold, nothing kept"
    finally:
        speedups.install(enabled=True)
        speedups.uninstall()


def test_the_heap_is_frozen_once_the_model_is_loaded(installed: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    import rasa.core.agent
    import rasa.core.run

    loaded = object()

    async def load_agent(**_kwargs: Any) -> object:
        assert gc.get_freeze_count() == 0, "nothing frozen while the model loads"
        return loaded

    class App:
        class ctx:  # noqa: N801 - Sanic's name
            pass

    monkeypatch.setattr(rasa.core.agent, "load_agent", load_agent)
    gc.unfreeze()
    try:
        agent = asyncio.run(rasa.core.run.load_agent_on_start("model.tar.gz", None, None, App, None))
        assert agent is loaded is App.ctx.agent
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


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

    from bot.speedups.action_server import fast_action_result_check

    schema = RemoteAction.action_response_format_spec()
    assert validator_for(schema)(schema).is_valid(result) is valid  # what jsonschema.validate uses
    assert fast_action_result_check(schema)(result) is valid


def test_calls_to_the_action_server_reuse_one_http_session(installed: Any) -> None:
    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

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


def test_a_kept_connection_the_peer_dropped_is_retried_once_on_a_new_one(installed: Any) -> None:
    """A proxy with a shorter keep-alive closes an idle connection just as it is reused."""
    from rasa.utils.endpoints import EndpointConfig

    async def scenario() -> tuple:
        connections, requests = [], []

        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            connections.append(writer)
            answered = 0
            while await reader.readuntil(b"\r\n\r\n"):
                requests.append(len(connections))
                if answered:  # a second request on this connection: dropped unanswered
                    writer.close()
                    return
                body = b'{"events": [], "responses": []}'
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Connection: keep-alive\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
                await writer.drain()
                answered += 1

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        replies = [await endpoint.request(method="get") for _ in range(3)]
        await endpoint._kept_session[1].close()
        server.close()
        return replies, requests

    replies, requests = asyncio.run(scenario())
    assert replies == [{"events": [], "responses": []}] * 3
    assert requests == [1, 1, 2, 2, 3], "each reuse hit a dropped connection and went out again"


@pytest.mark.parametrize("text", ["how much do engineering managers make?", "EM vs director", "snarf blat",
                                  "wat certs 4 a projct manger", "<b>hi</b>"])
def test_the_graph_runs_node_by_node_with_dask_s_results(agent, text: str) -> None:
    from rasa.core.channels import UserMessage
    from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.speedups.graph import SequentialGraphRunner

    processor = agent.processor
    dask_s_runner = processor.graph_runner
    assert type(dask_s_runner) is DaskGraphRunner, "the agent loads the model with Rasa's own runner"
    ours_runner = SequentialGraphRunner.__new__(SequentialGraphRunner)  # the same graph, loaded once
    ours_runner.__dict__.update(dask_s_runner.__dict__)
    nlu, core = [processor.model_metadata.nlu_target], [processor.model_metadata.core_target]

    def parse(runner: DaskGraphRunner) -> dict:
        inputs = {PLACEHOLDER_MESSAGE: [UserMessage(text)],
                  PLACEHOLDER_TRACKER: DialogueStateTracker("u", processor.domain.slots)}
        parsed = runner.run(inputs, nlu)[nlu[0]][0].as_dict()
        return {key: value for key, value in parsed.items() if key != "message_id"}  # random per message

    assert parse(ours_runner) == parse(dask_s_runner)
    tracker = DialogueStateTracker("u", processor.domain.slots)
    parsed = asyncio.run(processor.parse_message(UserMessage(text)))
    for event in (ActionExecuted(ACTION_LISTEN_NAME), UserUttered(text, parsed["intent"], parsed["entities"])):
        tracker.update(event)
    ours, dask_s = (runner.run({PLACEHOLDER_TRACKER: tracker}, core)[core[0]]
                    for runner in (ours_runner, dask_s_runner))
    assert (ours.policy_name, ours.probabilities) == (dask_s.policy_name, dask_s.probabilities)


def test_the_action_server_gets_the_tracker_with_a_window_of_events(installed: Any) -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.speedups import action_server

    domain = Domain.load(str(Path(__file__).resolve().parent.parent / "domain.yml"))
    tracker = DialogueStateTracker("u", domain.slots)
    for _ in range(40):
        for event in conversations()["the planner form"]:
            tracker.update(copy.deepcopy(event))
    assert len(tracker.events) > action_server.EVENTS_WINDOW
    action = RemoteAction("action_answer", None)
    ours = action._action_call_format(tracker, domain)
    rasa_s = installed.original(action_server.WINDOWED_TRACKER)(action, tracker, domain)
    window = rasa_s["tracker"].pop("events")[-action_server.EVENTS_WINDOW:]
    assert ours["tracker"].pop("events") == window
    assert ours == rasa_s, "all but the events is Rasa's own"


def test_the_tracker_sent_to_the_action_server_parses_to_what_json_gives() -> None:
    import json

    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

    from bot.speedups.action_server import encode_json

    tracker = DialogueStateTracker("u‮<script>", None)
    for event in conversations()["the planner form"]:
        tracker.update(event)
    tracker.update(SlotSet("years_experience", 1 / 3))
    tracker.update(user_says("naïve “quotes” \\ / \u0000 😀 " + "x" * 2000, "inform"))
    state = tracker.current_state(EventVerbosity.ALL)
    assert json.loads(encode_json(state)) == json.loads(json.dumps(state))


def test_a_domain_is_empty_exactly_when_rasa_says_so(installed: Any) -> None:
    from rasa.shared.core.domain import Domain

    from bot.speedups import domain, original

    rasa_s = original(domain.EMPTY_DOMAIN)
    ours = Domain.load(str(DOMAIN_FILE))
    for each in (Domain.empty(), Domain.from_dict({}), ours, Domain.from_dict({"intents": ["greet"]})):
        assert each.is_empty() is rasa_s(each)
    assert Domain.empty().is_empty() and not ours.is_empty()


@pytest.mark.parametrize("data, valid", [
    ({"entity": "role", "value": "cto"}, True), ({"entity": "role"}, True), ({"entity": "role", "role": "goal"}, True),
    ({"entity": "role", "value": 3}, True), ({"entity": "role", "value": ["cto"]}, False),
    ({"value": "cto"}, False), ("role", False),
])
def test_training_data_is_checked_as_rasa_checks_it(installed: Any, data: Any, valid: bool) -> None:
    from rasa.shared.nlu.training_data.schemas import data_schema
    from rasa.shared.utils import validation
    from rasa.shared.utils.validation import SchemaValidationError

    from bot.speedups import original, training_data

    def outcome(check: Any) -> Any:
        try:
            return check(data, data_schema.entity_dict_schema())
        except SchemaValidationError as error:
            return str(error)

    ours, rasa_s = outcome(validation.validate_training_data), outcome(original(training_data.SCHEMA_VALIDATORS))
    assert ours == rasa_s and (ours is None) is valid


def test_patches_installed_for_a_block_come_off_after_it_unless_installed_before() -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.utils import validation

    from bot import speedups
    from bot.speedups import training_data

    rasa_s_own, rasa_s_check = validation.validate_training_data, RemoteAction._validate_action_result
    with speedups.installed(training_data.SCHEMA_VALIDATORS):
        assert validation.validate_training_data is not rasa_s_own
        assert RemoteAction._validate_action_result is rasa_s_check, "only the one chosen"
    assert validation.validate_training_data is rasa_s_own
    speedups.install()
    try:
        ours = validation.validate_training_data
        with speedups.installed(training_data.SCHEMA_VALIDATORS):
            pass
        assert validation.validate_training_data is ours, "installed before the block: stays"
    finally:
        speedups.uninstall()
