"""One visitor of the web widget, as a socket.io client (polling transport) of the real Rasa server."""
from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from typing import Any, Dict, List, Optional, Sequence, Union

import socketio

logging.getLogger("engineio.client").setLevel(logging.CRITICAL)  # "packet queue is empty" on disconnect

QUIET = 0.5  # seconds without a new reply: the bot has finished answering
Expected = Union[str, Sequence[str], None]


class SocketIOUser:
    """Connects like the widget does (session_request, then user_uttered with the session id)."""

    def __init__(self, url: str, origin: Optional[str] = None) -> None:
        self.url, self.origin = url, origin
        self.session_id = uuid.uuid4().hex
        self.client = socketio.Client(reconnection=False)
        self.replies: queue.Queue[Dict[str, Any]] = queue.Queue()
        self.confirmed = threading.Event()
        self.client.on("bot_uttered", self.replies.put)
        self.client.on("session_confirm", lambda _: self.confirmed.set())

    def __enter__(self) -> SocketIOUser:
        headers = {"Origin": self.origin} if self.origin else {}
        self.client.connect(self.url, transports=["polling"], headers=headers, wait_timeout=10)
        self.client.emit("session_request", {"session_id": self.session_id})
        assert self.confirmed.wait(10), "no session_confirm"
        return self

    def __exit__(self, *exc: Any) -> None:
        self.client.disconnect()

    def say(self, text: str, expect: Expected = None, timeout: float = 30) -> List[Dict[str, Any]]:
        """Send ``text``; the replies, once one contains ``expect`` (or one of several) or, without
        it, once the bot has gone quiet."""
        return self.emit_raw({"message": text, "session_id": self.session_id}, expect, timeout)

    def emit_raw(self, data: Any, expect: Expected = None, timeout: float = 30) -> List[Dict[str, Any]]:
        self.client.emit("user_uttered", data)
        expected = (expect,) if isinstance(expect, str) else tuple(expect or ())
        replies: List[Dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            wait = deadline - time.monotonic() if not replies or expected else QUIET
            try:
                replies.append(self.replies.get(timeout=max(0.01, min(wait, deadline - time.monotonic()))))
            except queue.Empty:
                if replies and not expected:
                    return replies
                continue
            if any(text in (replies[-1].get("text") or "") for text in expected):
                return replies
        raise AssertionError(f"no reply{' containing ' + repr(expect) if expect else ''} within {timeout:.0f} s; "
                             f"got {replies}")

    def pending(self) -> List[Dict[str, Any]]:
        """The replies still to come, once the bot has gone quiet (none, for a turn fully answered)."""
        found: List[Dict[str, Any]] = []
        while True:
            try:
                found.append(self.replies.get(timeout=QUIET))
            except queue.Empty:
                return found
