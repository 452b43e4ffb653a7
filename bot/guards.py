"""Inside the Rasa server: a custom action that cannot run still gets the user a polite reply.

Rasa 3.6 logs a failing ``RemoteAction`` (action server down, refusing, erroring, or slow) and sends
the user nothing, and it waits up to 5 minutes for an answer. :func:`install` wraps
``RemoteAction.run`` once, in the Rasa server process (``python -m ops.rasa_server``), so that

- each call to the action server is bounded by the given timeout (``CAREER_COACH_ACTION_TIMEOUT``
  seconds, default 10);
- on a connection error, timeout or error status the user gets :data:`UNAVAILABLE` as a bot message
  (a ``BotUttered`` event, which the processor sends to the output channel), at most once per user
  message (a form calls several custom actions per turn), and the log gets one line;
- a rejection (``ActionExecutionRejection``, the action server's 400 for a form) is passed on as before.

The conversation stays usable: the next message calls the action server again.

A conversation store that cannot be reached gets the same reply: each channel hands Rasa's message
handler through :func:`answer_store_faults`, which answers :data:`UNAVAILABLE` when the tracker
store (:class:`StoreUnavailable`, bot/tracker_store.py) or the lock store (Rasa's ``LockError``,
e.g. Redis down) fails the turn, with one line in the log. The turn is not processed; the next one is.
"""
from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from contextvars import ContextVar
from typing import Any, Awaitable, Callable, List, Tuple

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import LockError
from rasa.shared.core.events import BotUttered, Event

logger = logging.getLogger(__name__)

UNAVAILABLE = "Sorry, I can't look that up right now. Please try again in a moment."
_REMEMBERED_TURNS = 1000
_apologised: OrderedDict[Tuple[str, str], None] = OrderedDict()


def _first_failure_this_turn(tracker: Any) -> bool:
    """True once per (sender, user message): one apology per turn, however many actions fail."""
    latest = getattr(tracker, "latest_message", None)
    key = (str(tracker.sender_id), str(getattr(latest, "message_id", None) or len(tracker.events)))
    if key in _apologised:
        return False
    _apologised[key] = None
    while len(_apologised) > _REMEMBERED_TURNS:
        _apologised.popitem(last=False)
    return True


def install(timeout: float) -> None:
    """Wrap ``RemoteAction.run`` so that each call may take ``timeout`` seconds (idempotent)."""
    original = RemoteAction.run
    if getattr(original, "career_coach_guard", False):
        return

    async def guarded_run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any,
                          domain: Any) -> List[Event]:
        try:
            return await asyncio.wait_for(original(self, output_channel, nlg, tracker, domain), timeout)
        except ActionExecutionRejection:
            raise
        except asyncio.TimeoutError:
            problem = f"no answer within {timeout:g} s"
        except Exception as error:  # connection refused, error status, invalid response
            problem = str(error.__cause__ or error) or type(error).__name__
        logger.error("Custom action '%s' failed (%s); the user was told to try again.", self.name(), problem)
        return [BotUttered(text=UNAVAILABLE)] if _first_failure_this_turn(tracker) else []

    guarded_run.career_coach_guard = True  # type: ignore[attr-defined]
    RemoteAction.run = guarded_run  # type: ignore[method-assign]


MessageHandler = Callable[[UserMessage], Awaitable[Any]]
_answering: ContextVar[bool] = ContextVar("career_coach_answering", default=False)


class StoreUnavailable(BaseException):
    """The conversation store cannot be reached during a turn that :func:`answer_store_faults` answers.

    A ``BaseException``, as pytest's outcomes are: Rasa's ``FailSafeTrackerStore`` catches every
    ``Exception`` of the tracker store and carries on with an empty conversation (answering without
    the user's context). Raised only inside :func:`answer_store_faults` (see :func:`answering`).
    """


def answering() -> bool:
    """True while :func:`answer_store_faults` handles a message (it catches :class:`StoreUnavailable`)."""
    return _answering.get()


def answer_store_faults(handle: MessageHandler) -> MessageHandler:
    """``handle`` (a channel's message handler), answering :data:`UNAVAILABLE` when a store fails."""

    async def guarded(message: UserMessage) -> Any:
        token = _answering.set(True)
        try:
            return await handle(message)
        except (StoreUnavailable, LockError) as fault:
            logger.error("Conversation store not reachable (%s); the user was told to try again.",
                         " ".join(str(fault).split()))
            await message.output_channel.send_text_message(message.sender_id, UNAVAILABLE)
            return None
        finally:
            _answering.reset(token)

    return guarded
