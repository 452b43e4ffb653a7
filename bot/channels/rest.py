"""Career Coach's REST channel: Rasa's RestInput (still /webhooks/rest/webhook) with a checked body.

Before Rasa sees a request:

- the body must be a JSON object with ``sender`` (a printable string of up to 128 characters) and
  ``message`` (a string); otherwise 400 with ``{"error": ...}``. The Content-Type is not checked:
  a body that parses as such an object is accepted, as Rasa does. Bodies over the size limit: 413.
- ``input_channel`` cannot be chosen by the client (Rasa lets it); it is always "rest";
  ``metadata`` is kept only when it is a JSON object.
- control characters are removed from the message; an empty or over-long message is answered
  politely (200, a bot message) without being processed;
- a sender over the rate limit gets 429 with a polite bot message and ``Retry-After``;
- a conversation store that cannot be reached: the polite reply of bot/guards.py (200).

A knowledge answer's messages in the reply carry its ``"answer_id"`` (bot/channels/ratings.py), so
the client can rate it; Rasa's collector drops it. A typed ``/feedback helpful`` becomes its payload.
``rasa shell`` talks to :class:`CareerCoachCmdlineInput`, this channel under Rasa's name "cmdline".
"""
from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import guards
from bot.channels import limits
from bot.channels.ratings import KeepsAnswerId, typed_as_payload

logger = logging.getLogger(__name__)

USAGE = 'send a JSON object: {"sender": "<conversation id>", "message": "<text>"}'


def _error(status: HTTPStatus, error: str) -> HTTPResponse:
    return response.json({"error": error}, status=status)


def _bot_says(sender: str, text: str, status: HTTPStatus = HTTPStatus.OK, **headers: str) -> HTTPResponse:
    return response.json([{"recipient_id": sender, "text": text}], status=status, headers=headers or None)


class RatableCollector(KeepsAnswerId, CollectingOutputChannel):
    """Rasa's collector of the reply (its list, or its queue when streaming), adding ``answer_id``."""

    def __init__(self, collector: CollectingOutputChannel) -> None:
        self.collector = collector
        self.messages = collector.messages

    async def _persist_message(self, message: Dict[str, Any]) -> None:
        await self.collector._persist_message(self.with_answer_id(message))


class CareerCoachRestInput(RestInput):
    """POST {"sender", "message"} to /webhooks/rest/webhook; replies as a JSON list."""

    def __init__(self) -> None:
        self.limiter = limits.RateLimiter()

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> CareerCoachRestInput:
        return cls()

    def screen(self, request: Request) -> Optional[HTTPResponse]:
        """The answer to a request Rasa should not process; None (and ``request.ctx.message`` set) if it should."""
        if len(request.body or b"") > limits.max_body_bytes():
            return _error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                          f"body larger than {limits.max_body_bytes():,} bytes")
        try:
            body = json.loads(request.body or b"")
        except (ValueError, UnicodeDecodeError):
            return _error(HTTPStatus.BAD_REQUEST, f"the body is not JSON; {USAGE}")
        if not isinstance(body, dict):
            return _error(HTTPStatus.BAD_REQUEST, f"the body is not a JSON object; {USAGE}")
        sender, message = body.get("sender"), body.get("message")
        if not limits.valid_sender(sender):
            return _error(HTTPStatus.BAD_REQUEST, f"'sender' must be a string of 1 to "
                                                  f"{limits.MAX_SENDER_LENGTH} printable characters")
        if not isinstance(message, str):
            return _error(HTTPStatus.BAD_REQUEST, "'message' must be a string")
        if not self.limiter.allow(sender):
            logger.warning("REST sender over the rate limit; message not processed.")
            return _bot_says(sender, limits.RATE_LIMITED, HTTPStatus.TOO_MANY_REQUESTS, **{"Retry-After": "10"})
        text = limits.clean_text(message)
        refusal = limits.refusal(text)
        if refusal:
            return _bot_says(sender, refusal)
        metadata = body.get("metadata")
        request.ctx.career_coach = {"sender": sender, "message": typed_as_payload(text),
                                    "metadata": metadata if isinstance(metadata, dict) else None}
        return None

    async def _extract_sender(self, req: Request) -> Optional[str]:
        return req.ctx.career_coach["sender"]

    def _extract_message(self, req: Request) -> Optional[str]:
        return req.ctx.career_coach["message"]

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[str, Any]]:
        return request.ctx.career_coach["metadata"]

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handle = guards.answer_store_faults(on_new_message)

        async def rated(message: UserMessage) -> Any:
            message.output_channel = RatableCollector(message.output_channel)
            return await handle(message)

        webhook = super().blueprint(rated)

        @webhook.middleware("request")
        async def screen(request: Request) -> Optional[HTTPResponse]:
            if request.method != "POST" or not request.path.rstrip("/").endswith("/webhook"):
                return None
            return self.screen(request)

        return webhook


class CareerCoachCmdlineInput(CareerCoachRestInput):
    """The channel ``rasa shell`` talks to (ops/rasa_server.py puts it in place of Rasa's own)."""

    @classmethod
    def name(cls) -> str:
        return "cmdline"

    def url_prefix(self) -> str:
        return CareerCoachRestInput.name()
