"""bot/speedups.py changes nothing but speed: same validation outcome, same event classes."""
from __future__ import annotations

import asyncio

import pytest


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
