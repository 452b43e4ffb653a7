"""Career Coach's socket.io channel (the web widget): Rasa's SocketIOInput with origins and limits.

Differences from Rasa 3.6's channel (same events, same ``/socket.io`` path, ``name()`` "socketio"):

- Only the configured origins may connect, over polling and WebSocket alike (credential
  ``cors_allowed_origins``, written by bot/channels from CAREER_COACH_CORS or the demo page's
  origins). Rasa creates its server with ``cors_allowed_origins=[]``, which turns the check off.
- Packets larger than the body limit are refused by the socket.io server.
- Malformed events, empty or over-long messages and senders over the rate limit are answered with
  a polite bot message instead of being processed; control characters are removed from messages.
  A conversation store that cannot be reached gets the polite reply of bot/guards.py.
- A custom payload (``json_message``) arrives as the ``bot_uttered`` event's data.
- A knowledge answer's messages carry its ``answer_id`` (bot/channels/ratings.py), for the widget's
  rating buttons; Rasa's output drops it. A typed ``/feedback helpful`` becomes its payload.
"""
from __future__ import annotations

import json
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional

import engineio
import rasa.core.channels.channel
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot import guards
from bot.channels import limits
from bot.channels.ratings import KeepsAnswerId, typed_as_payload

logger = logging.getLogger(__name__)


class _OriginCheckingEngineIO(engineio.AsyncServer):
    """Refuses connections from origins not allowed, but leaves the CORS response headers to the
    Rasa server's CORS middleware (``--cors``, the same origins): both would send
    Access-Control-Allow-Origin twice, which browsers reject."""

    def _cors_headers(self, environ: Dict[str, Any]) -> List[Any]:
        return []


class _SocketServer(AsyncServer):
    def _engineio_server_class(self) -> type:
        return _OriginCheckingEngineIO


class CareerCoachSocketIOOutput(SocketIOOutput):
    """Rasa 3.6's output, except that a custom payload is the event's data, as a text message is
    (Rasa passes the payload's keys as arguments of ``emit``: ``{"path": …}`` raised a TypeError)."""

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, json_message)


class RatableSocketIOOutput(KeepsAnswerId, CareerCoachSocketIOOutput):
    """The output above, adding ``answer_id`` to each message of a knowledge answer."""

    async def _send_message(self, socket_id: str, response: Any) -> None:
        await super()._send_message(socket_id, self.with_answer_id(response))


class CareerCoachSocketIOInput(SocketIOInput):
    """socket.io for the chat widget, restricted to the configured origins."""

    cors_allowed_origins: Optional[List[str]] = None  # None: same origin only

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        origins = (credentials or {}).get("cors_allowed_origins")
        channel.cors_allowed_origins = [str(o) for o in origins] if isinstance(origins, list) else None
        channel.limiter = limits.RateLimiter()
        return channel

    def _metadata(self, data: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        metadata = data.get(self.metadata_key)
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata)
            except ValueError:
                return None
        return metadata if isinstance(metadata, dict) else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = _SocketServer(async_mode="sanic", cors_allowed_origins=self.cors_allowed_origins,
                          max_http_buffer_size=limits.max_body_bytes())
        webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        limiter = getattr(self, "limiter", None) or limits.RateLimiter()
        on_new_message = guards.answer_store_faults(on_new_message)

        async def say(sid: str, text: str) -> None:
            await sio.emit(self.bot_message_evt, {"text": text}, room=sid)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: Dict, auth: Optional[Dict]) -> bool:
            if not self.jwt_key:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            return bool(token and rasa.core.channels.channel.decode_bearer_token(
                token, self.jwt_key, self.jwt_algorithm))

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id")
            if not limits.valid_sender(session_id):
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message", ""), str):
                return await say(sid, limits.UNREADABLE)
            sender = data.get("session_id") if self.session_persistence else sid
            if not limits.valid_sender(sender):
                logger.warning("socket.io message without a valid session_id; not processed.")
                return await say(sid, limits.UNREADABLE)
            if not limiter.allow(sender):
                logger.warning("socket.io sender over the rate limit; message not processed.")
                return await say(sid, limits.RATE_LIMITED)
            text = limits.clean_text(data.get("message", ""))
            refusal = limits.refusal(text)
            if refusal:
                return await say(sid, refusal)
            output = RatableSocketIOOutput(sio, self.bot_message_evt)
            await on_new_message(UserMessage(typed_as_payload(text), output, sender, input_channel=self.name(),
                                             metadata=self._metadata(data)))

        return webhook
