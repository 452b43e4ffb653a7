"""Equivalent, cheaper versions of two Rasa 3.6 hot spots, installed in the Rasa server's process.

Profiled under load (py-spy, `make bench`), each message spent ~14% of the server's CPU in
``jsonschema.validate`` of the action server's reply (which re-checks the constant schema itself
every call) and ~4% in ``Event.resolve_by_type`` (walks every Event subclass per stored event when a
tracker is loaded). Both results are unchanged: the same validation errors, the same classes.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Type

_installed = False


def install() -> None:
    """Patch RemoteAction's reply validation and Event type resolution (idempotent)."""
    global _installed
    if _installed:
        return
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event

    schema = RemoteAction.action_response_format_spec()
    validator = validator_for(schema)(schema)  # the schema is checked once, not per reply
    original_validate = RemoteAction._validate_action_result

    def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        error: Optional[ValidationError] = best_match(validator.iter_errors(result))
        if error is None:
            return True
        return original_validate(self, result)  # raises with Rasa's own message

    resolve = Event.resolve_by_type
    known: Dict[str, Type[Event]] = {}

    def resolve_by_type(type_name: str, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
        cls = known.get(type_name)
        if cls is None:
            cls = resolve(type_name, default)
            if cls is not None and cls is not default:
                known[type_name] = cls
        return cls

    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(resolve_by_type)
    _installed = True
