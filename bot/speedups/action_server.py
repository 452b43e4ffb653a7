"""The Rasa server's calls to the action server.

- ``RemoteAction._validate_action_result`` re-checked the constant schema on every reply and then
  tried each action event against all 23 event schemas (``oneOf``). Each event is now checked
  against the one schema its ``event`` name selects, compiled once to Python by fastjsonschema
  (~25x faster than jsonschema's validators); anything that does not pass that way goes through
  Rasa's own check, so the outcome and error messages are Rasa's.
- ``EndpointConfig.request`` opened a new HTTP client session (and TCP connection) per call to the
  action server; the session is now kept per endpoint and event loop, with idle connections closed
  well before the action server's own keep-alive timeout, and a request on a connection the peer
  had already closed is sent once more on a new one. It encodes the tracker it sends with
  ujson (a Rasa dependency, ~3x faster than the standard library; the same JSON once parsed).
- ``RemoteAction._action_call_format`` sent the action server every event of the session, so each
  call grew with the conversation. It sends the last :data:`EVENTS_WINDOW` events (everything else
  in the tracker state is whole: slots, latest message, active form). The actions look back only
  for what the bot said earlier in the session ("as I said above") and for the answer a rating is
  about, so those reach back that far (about 15 to 20 turns).
"""
from __future__ import annotations

import asyncio
import copy
import functools
import itertools
from typing import Any, Callable, Dict

from bot.speedups import Patch, schema_check

EVENTS_WINDOW = 120  # events of the session sent with each action call (a turn is 6 to 8)
KEEPALIVE_S = 2.0  # below Sanic's 5 s keep-alive on the action server: no request on a closing socket


def fast_action_result_check(schema: Dict[str, Any]) -> Callable[[Any], bool]:
    """A check that is True only for results ``schema`` accepts (False means: ask jsonschema)."""
    shell = copy.deepcopy(schema)
    items = shell["properties"]["events"].pop("items")
    alternatives = items.pop("oneOf")
    names = [alternative.get("properties", {}).get("event", {}).get("const") for alternative in alternatives]
    by_name = {name: schema_check({**items, "allOf": [alternative]})
               for name, alternative in zip(names, alternatives, strict=True) if name and names.count(name) == 1}
    outer = schema_check(shell)

    def check(result: Any) -> bool:
        if not outer(result):
            return False
        for event in result.get("events") or []:
            is_valid = by_name.get(event.get("event")) if isinstance(event, dict) else None
            if is_valid is None or not is_valid(event):
                return False
        return True

    return check


def checked_action_results(rasa_s_check: Callable[..., bool]) -> Callable[..., bool]:
    from rasa.core.actions.action import RemoteAction

    check = fast_action_result_check(RemoteAction.action_response_format_spec())

    @functools.wraps(rasa_s_check)
    def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        return True if check(result) else rasa_s_check(self, result)  # raises with Rasa's message

    return validate_action_result


def windowed_action_calls(rasa_s_format: Callable[..., Dict[str, Any]]) -> Callable[..., Dict[str, Any]]:
    from rasa.shared.core.trackers import EventVerbosity

    @functools.wraps(rasa_s_format)
    def action_call_format(self: Any, tracker: Any, domain: Any) -> Dict[str, Any]:
        call = rasa_s_format(self, _Without(tracker), domain)
        events = list(itertools.islice(tracker.events, max(len(tracker.events) - EVENTS_WINDOW, 0), None))
        call["tracker"]["events"] = [event.as_dict() for event in events]
        return call

    class _Without:
        """``tracker`` whose ``current_state`` leaves the events out (they are added above)."""

        def __init__(self, tracker: Any) -> None:
            self._tracker = tracker

        def __getattr__(self, name: str) -> Any:
            return getattr(self._tracker, name)

        def current_state(self, _verbosity: Any = None) -> Dict[str, Any]:
            return self._tracker.current_state(EventVerbosity.NONE)

    return action_call_format


def encode_json(value: Any) -> str:
    """JSON for the action server: what ``json.dumps`` gives once parsed, faster."""
    import ujson

    return ujson.dumps(value, ensure_ascii=True, escape_forward_slashes=False)


class _KeptSession:
    """``async with`` on a shared aiohttp session that leaves it open, and whose ``request`` is sent
    once more on a fresh connection when the kept one turns out closed by the peer: an idle
    connection a proxy with a shorter keep-alive dropped (the user never sees a "try again")."""

    def __init__(self, session: Any) -> None:
        self.session = session

    async def __aenter__(self) -> _KeptSession:
        return self

    async def __aexit__(self, *_exc: Any) -> None:
        return None

    def request(self, method: str, url: Any, **kwargs: Any) -> Any:
        from aiohttp.client import _RequestContextManager

        return _RequestContextManager(self._request_retried_once(method, url, **kwargs))

    async def _request_retried_once(self, method: str, url: Any, **kwargs: Any) -> Any:
        import aiohttp

        try:
            return await self.session.request(method, url, **kwargs)
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError):
            return await self.session.request(method, url, **kwargs)


def kept_sessions(_rasa_s_session: Callable[..., Any]) -> Callable[..., Any]:
    import aiohttp
    from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
    from rasa.utils.endpoints import EndpointConfig

    def session(self: EndpointConfig) -> Any:
        loop = asyncio.get_event_loop()
        kept = getattr(self, "_kept_session", None)
        if kept is None or kept[0] is not loop or kept[1].closed:
            auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) \
                if self.basic_auth else None
            kept = (loop, aiohttp.ClientSession(
                headers=self.headers, auth=auth, timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_S), json_serialize=encode_json))
            self._kept_session = kept
        return _KeptSession(kept[1])

    return session


RESULT_CHECK = Patch("rasa.core.actions.action:RemoteAction", "_validate_action_result", "f8cdb4be68123961",
                     checked_action_results)
WINDOWED_TRACKER = Patch("rasa.core.actions.action:RemoteAction", "_action_call_format", "428795b944f22edb",
                         windowed_action_calls)
KEPT_SESSIONS = Patch("rasa.utils.endpoints:EndpointConfig", "session", "e55aa13d9d4fb4bc", kept_sessions)
