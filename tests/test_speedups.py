"""bot/speedups.py changes nothing but speed: same validation outcome, same event classes."""
from __future__ import annotations

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
