"""Career Coach's Slack channel: Rasa's SlackInput plus a configurable Web API URL and stricter delivery.

What Rasa's connector already does and is kept: v0 signature check (HMAC-SHA256 of the raw body)
with a 5-minute window on X-Slack-Request-Timestamp, replies in threads (``use_threads``), buttons
as Block Kit ``actions`` blocks, button clicks (form field ``payload``) answered like messages.

What this subclass changes:

- ``slack_api_url`` (optional credential): where the Slack Web API client sends ``chat.postMessage``
  (a proxy, or a fake Slack in tests). Default: https://slack.com/api/.
- Unsigned, forged or stale requests get 401 (Rasa: 400), before anything else is looked at.
- The URL-verification challenge is answered as ``{"challenge": ...}`` (what Slack documents).
- Each Slack message is answered at most once: a retry (X-Slack-Retry-Num) or a second event for
  the same message (``app_mention`` plus ``message.channels``) is acknowledged, not processed.
  Rasa only skips retries whose reason is ``http_timeout``.
- Replies are posted as the bot without ``as_user``, which apps with granular scopes may not send.
- A knowledge answer (one sent with ``answer_id``) gets a second ``actions`` block with two rating
  buttons, whose values are ``/feedback{"answer_id": ..., "rating": ...}`` payloads: a click comes
  back as that message, signed and checked like any other (actions/feedback.py stores the rating).
- Up to 25 buttons are sent (Slack's limit for an actions block); Rasa drops all buttons beyond 5,
  and the bot's "Which manager do you mean?" offers 6.
- Signed but malformed requests (body not a JSON object, form without a readable ``payload``) get
  400 (Rasa: 500); interactions other than buttons and menus are acknowledged and ignored.
- The limits of every public channel (bot/channels/limits.py): control characters removed; empty
  or over-long messages, and senders over the rate limit, get a polite reply in the thread.
- A conversation store that cannot be reached during a turn (bot/guards.py): the polite "try
  again" in the thread (Rasa would answer from an empty conversation, or not at all).
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot import guards
from bot.channels import limits
from bot.channels.ratings import RATINGS, answer_id_of, rating_payload

logger = logging.getLogger(__name__)

SLACK_MAX_BUTTONS = 25  # elements in one Block Kit actions block
REMEMBERED_MESSAGES = 2000  # (channel, ts) pairs kept to recognise a message delivered twice


def rating_blocks(sent: Dict[str, Any]) -> List[Dict[str, Any]]:
    """An ``actions`` block with the two rating buttons of a knowledge answer (``sent``: the keyword
    arguments of a send_* call); none for other messages."""
    answer_id = answer_id_of(sent)
    if not answer_id:
        return []
    return [{"type": "actions", "block_id": f"feedback-{answer_id}", "elements": [
        {"type": "button", "action_id": f"feedback-{rating}", "text": {"type": "plain_text", "text": title},
         "value": rating_payload(answer_id, rating)} for rating, title in RATINGS.items()]}]


class CareerCoachSlackBot(SlackBot):
    """Rasa's SlackBot, posting through a Web API client at ``base_url``."""

    def __init__(self, token: str, slack_channel: Optional[str] = None, thread_id: Optional[str] = None,
                 proxy: Optional[str] = None, base_url: Optional[str] = None) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        if base_url:
            self.client = AsyncWebClient(token, proxy=proxy, base_url=base_url)

    async def _post_message(self, channel: str, **kwargs: Any) -> None:
        kwargs.pop("as_user", None)  # legacy argument; a bot token posts as the bot anyway
        await super()._post_message(channel, **kwargs)

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: List[Dict[str, Any]],
                                     **kwargs: Any) -> None:
        """Text plus an ``actions`` block of buttons (Rasa drops every button beyond 5; Slack takes 25)."""
        if len(buttons) > SLACK_MAX_BUTTONS:
            return await super().send_text_with_buttons(recipient_id, text, buttons, **kwargs)
        elements = [{"type": "button", "text": {"type": "plain_text", "text": button["title"]},
                     "value": button["payload"]} for button in buttons]
        await self._post_message(channel=self.slack_channel or recipient_id, text=text, blocks=[
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {"type": "actions", "elements": elements}, *rating_blocks(kwargs)])

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        """Block Kit as the action built it, plus the rating buttons of a knowledge answer."""
        rating, blocks = rating_blocks(kwargs), json_message.get("blocks")
        if rating and isinstance(blocks, list):
            json_message = {**json_message, "blocks": [*blocks, *rating]}
        await super().send_custom_json(recipient_id, json_message, **kwargs)


class CareerCoachSlackInput(SlackInput):
    """Slack Events API + interactivity at /webhooks/slack/webhook (``name()`` stays "slack")."""

    def __init__(self, *args: Any, slack_api_url: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slack_api_url = slack_api_url or None
        self._received: OrderedDict[Tuple[str, str], None] = OrderedDict()
        self.limiter = limits.RateLimiter()

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.slack_api_url = (credentials or {}).get("slack_api_url") or None
        return channel

    def get_output_channel(self, channel: Optional[str] = None,
                           thread_id: Optional[str] = None) -> OutputChannel:
        return CareerCoachSlackBot(self.slack_token, channel or self.slack_channel, thread_id, self.proxy,
                                   base_url=self.slack_api_url)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        slack_webhook = super().blueprint(guards.answer_store_faults(on_new_message))

        @slack_webhook.middleware("request")
        async def authenticate(request: Request) -> Optional[HTTPResponse]:
            """Refuse what Slack did not sign in the last 5 minutes; answer URL verification."""
            if not request.path.rstrip("/").endswith("/webhook"):
                return None  # the health route
            if not self.is_request_from_slack_authentic(request):
                logger.warning("Refused a Slack webhook request: bad or missing signature, or stale timestamp.")
                return response.text("Request not signed by Slack in the last 5 minutes.",
                                     status=HTTPStatus.UNAUTHORIZED)
            if request.headers.get("content-type") == "application/json":
                body = _json_object(request.body)
                if body is None:
                    return response.text("Expected a JSON object.", status=HTTPStatus.BAD_REQUEST)
                if body.get("type") == "url_verification":
                    return response.json({"challenge": body.get("challenge", "")})
            elif request.headers.get("content-type") == "application/x-www-form-urlencoded":
                payload = _json_object((request.form.get("payload") or "").encode())
                if payload is None:
                    return response.text("Expected a JSON payload.", status=HTTPStatus.BAD_REQUEST)
                if not self._is_interactive_message(payload):
                    return response.text("Interaction ignored.")
            return None

        return slack_webhook

    async def process_message(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                              text: str, sender_id: Optional[str], metadata: Optional[Dict]) -> Any:
        """Hand the message to Rasa unless this Slack message was already received."""
        if self._already_received(request):
            logger.info("Slack delivered a message again (retry #%s, %s); not answering it twice.",
                        request.headers.get("x-slack-retry-num", "-"),
                        request.headers.get("x-slack-retry-reason", "second event"))
            return response.text("", status=HTTPStatus.OK, headers={"X-Slack-No-Retry": "1"})
        text = limits.clean_text(text or "")
        refusal = limits.refusal(text)
        if not self.limiter.allow(str(sender_id)):
            refusal = limits.RATE_LIMITED
        if refusal:
            out = (metadata or {}).get("out_channel")
            thread = (metadata or {}).get("thread_id") if self.use_threads else None
            task = asyncio.create_task(self.get_output_channel(out, thread).send_text_message(sender_id, refusal))
            self._background_tasks.add(task)
            task.add_done_callback(self._background_tasks.discard)
            return response.text("")
        return await super().process_message(request, on_new_message, text, sender_id, metadata)

    def _already_received(self, request: Request) -> bool:
        """Remember each event's message by (channel, ts); True when it was seen before.

        A retry whose first delivery never reached us (connection failed, proxy error) is still
        answered; one whose first delivery did is not. Button clicks are never deduplicated.
        """
        if request.headers.get("content-type") != "application/json":
            return False
        key = self._message_key((request.json or {}).get("event") or {})
        if key is None:
            return bool(request.headers.get("x-slack-retry-num"))  # no way to tell: never risk a 2nd answer
        if key in self._received:
            return True
        self._received[key] = None
        while len(self._received) > REMEMBERED_MESSAGES:
            self._received.popitem(last=False)
        return False

    @staticmethod
    def _message_key(event: Dict[str, Any]) -> Optional[Tuple[str, str]]:
        channel, ts = event.get("channel"), event.get("ts") or event.get("event_ts")
        return (channel, ts) if channel and ts else None


def _json_object(raw: bytes) -> Optional[Dict[str, Any]]:
    """``raw`` parsed as a JSON object; None when it is not one."""
    try:
        parsed = json.loads(raw or b"")
    except (ValueError, UnicodeDecodeError):
        return None
    return parsed if isinstance(parsed, dict) else None
