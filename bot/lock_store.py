"""Rasa's Redis lock store with leased tickets: a replica that dies while it handles a message frees
its conversation within seconds, not after ``TICKET_LOCK_LIFETIME``.

Loaded by Rasa from endpoints.yml (``lock_store: type: bot.lock_store.LeasedRedisLockStore``, with
Rasa's Redis options and ``lease_seconds``). How it differs from Rasa 3.6's ``RedisLockStore``:

- A ticket is a lease of ``lease_seconds``, renewed every quarter lease by a heartbeat thread while
  its message waits or is handled. A process that dies stops renewing: its ticket expires at most
  ``lease_seconds`` later and the conversation's next message is served. (Rasa: each ticket lives
  ``TICKET_LOCK_LIFETIME`` from its issue, whether its holder lives or not.)
- A live holder keeps the lock until its turn ends, as in Rasa, for at most the lifetime, counted
  from when it is served; then the next message is served, as Rasa's expiry would let it.
- A waiting ticket lives as long as its waiter. (Rasa: it expires after the lifetime too, and one
  that expires before it is served never is: ``now_serving`` never equals it again.)
- Issuing, checking, renewing and releasing are each one Lua script in Redis, on Redis's clock;
  issuing answers how many tickets are ahead, so a message nobody waits before is served without
  a second look (Rasa: issue, then read the lock).
  (Rasa: a read-modify-write from each replica on its own clock, so two replicas issuing at once
  can both get ticket 0.) Tickets carry their holder (host:pid) and a random token: a renewal or a
  release touches its own ticket only, even once the numbers start again at 0.
- A waiter looks again every 0.1 s (Rasa: every second).
- A release that fails (Redis gone after the turn) is logged, not raised: the lease runs out.
- The price of leases: a live replica that cannot renew for a whole lease (Redis unreachable
  that long) loses its ticket, logged, and the next message may be served meanwhile.

The keys and their JSON are Rasa's (``<prefix>:lock:<conversation>``, tickets ``{number, expires}``
plus ``holder`` and ``token``), so Rasa's own ``get_lock`` reads them. The Rasa code this relies on
(:data:`RELIED_ON`) is checked by the hash of its source; on a mismatch one warning is logged and
Rasa's own ``lock`` is used. ``CAREER_COACH_LOCK_LEASE=0`` configures Rasa's ``RedisLockStore``
instead (ops/endpoints.py).
"""
from __future__ import annotations

import asyncio
import hashlib
import importlib
import inspect
import logging
import os
import socket
import threading
import time
import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import AsyncIterator, Dict, List, Optional

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

DEFAULT_LEASE_S = 4.0
WAIT_S = 0.1  # between a waiter's looks at the queue
# Rasa 3.6.21 code whose behaviour this store keeps or whose stored format it writes: first 16 hex
# digits of the SHA-256 of its source.
RELIED_ON = {
    "rasa.core.lock_store:LockStore.lock": "8b9b716c031a3444",  # replaced: ticket, wait, clean up
    "rasa.core.lock_store:RedisLockStore.get_lock": "57d7f8558543450d",  # the key, read by Rasa
    "rasa.core.lock:TicketLock.from_dict": "2e2f58a003ed9927",  # the lock's JSON
    "rasa.core.lock:Ticket.from_dict": "d4ff855dbe684f00",  # a ticket's JSON
}

_PRELUDE = """
local function clock()
  local t = redis.call('TIME')
  return tonumber(t[1]) + tonumber(t[2]) / 1000000
end
-- the key's unexpired tickets in issue order, and whether expired ones were dropped
local function live(key, now)
  local tickets, dropped = {}, false
  local raw = redis.call('GET', key)
  if raw then
    for _, encoded in ipairs(cjson.decode(raw).tickets or {}) do
      local ticket = cjson.decode(encoded)
      if ticket.expires >= now then table.insert(tickets, ticket) else dropped = true end
    end
  end
  return tickets, dropped
end
-- Rasa's JSON (tickets as JSON strings); the key expires with its last ticket
local function store(key, conversation, tickets, now)
  if #tickets == 0 then redis.call('DEL', key) return end
  local encoded, last = {}, now
  for i, ticket in ipairs(tickets) do
    encoded[i] = cjson.encode(ticket)
    last = math.max(last, ticket.expires)
  end
  redis.call('SET', key, cjson.encode({conversation_id = conversation, tickets = encoded}),
             'PX', math.ceil((last - now) * 1000) + 1000)
end
local function find(tickets, token)
  for i, ticket in ipairs(tickets) do if ticket.token == token then return i end end
  return nil
end
local now = clock()
local tickets, dropped = live(KEYS[1], now)
"""
# KEYS[1]: the lock's key; ARGV: conversation, token, then the script's own
_ISSUE = _PRELUDE + """
local number = 0
if #tickets > 0 then number = tickets[#tickets].number + 1 end
table.insert(tickets, {number = number, expires = now + tonumber(ARGV[3]), holder = ARGV[4], token = ARGV[2]})
store(KEYS[1], ARGV[1], tickets, now)
return #tickets - 1
"""
_POSITION = _PRELUDE + """
if dropped then store(KEYS[1], ARGV[1], tickets, now) end
local i = find(tickets, ARGV[2])
if i then return i - 1 end
return -1
"""
_RENEW = _PRELUDE + """
local i = find(tickets, ARGV[2])
if i then tickets[i].expires = now + tonumber(ARGV[3]) end
if i or dropped then store(KEYS[1], ARGV[1], tickets, now) end
return i and 1 or 0
"""
_RELEASE = _PRELUDE + """
local i = find(tickets, ARGV[2])
if i then table.remove(tickets, i) end
if i or dropped then store(KEYS[1], ARGV[1], tickets, now) end
return i and 1 or 0
"""


def _source_hash(path: str) -> str:
    module, _, names = path.partition(":")
    found = importlib.import_module(module)
    for name in names.split("."):
        found = getattr(found, name)
    source = inspect.getsource(getattr(found, "__func__", found))
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def changed_rasa_code() -> List[str]:
    """The entries of :data:`RELIED_ON` whose source is not the one this store was written for."""
    return [path for path, digest in RELIED_ON.items() if _source_hash(path) != digest]


@dataclass
class _Ticket:
    conversation_id: str
    key: str
    token: str
    lifetime: float
    ahead: int = 0  # tickets before it in the queue, when last looked at
    served_at: Optional[float] = None  # time.monotonic() once served


class LeasedRedisLockStore(RedisLockStore):
    """Rasa's ``RedisLockStore`` whose tickets are leases renewed while their holder lives (module
    docstring: how it differs from Rasa)."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        options = dict(endpoint_config.kwargs)
        self.lease = float(options.pop("lease_seconds", DEFAULT_LEASE_S))
        if self.lease <= 0:
            raise ValueError("lease_seconds must be above 0 (Rasa's RedisLockStore has no leases)")
        super().__init__(host=endpoint_config.url or "localhost", **options)  # as Rasa builds its own
        changed = changed_rasa_code()
        self.leased = not changed
        if changed:
            logger.warning("Lock tickets are not leased: Rasa's code is not the version %s was written "
                           "for (%s); Rasa's own ticket lock is used.", __name__, ", ".join(changed))
        self.holder = f"{socket.gethostname()}:{os.getpid()}"
        self._issue, self._position, self._renew, self._release = (
            self.red.register_script(script) for script in (_ISSUE, _POSITION, _RENEW, _RELEASE))
        self._tickets: Dict[str, _Ticket] = {}  # by token: the tickets this process holds or waits with
        self._guard = threading.Lock()
        self._beating = False

    @asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = WAIT_S) -> AsyncIterator[Optional[TicketLock]]:
        """The conversation's lock, once every message before this one has been handled (or its
        holder has died, or held it ``lock_lifetime`` seconds); raises ``LockError`` if Redis fails."""
        if not self.leased:
            async with super().lock(conversation_id, lock_lifetime, wait_time_in_seconds) as held:
                yield held
            return
        ticket = self._take_ticket(conversation_id, lock_lifetime)
        try:
            yield await self._wait_for_turn(ticket, wait_time_in_seconds)
        finally:
            self._give_back(ticket)

    def _take_ticket(self, conversation_id: str, lifetime: float) -> _Ticket:
        ticket = _Ticket(conversation_id, self.key_prefix + conversation_id, uuid.uuid4().hex, lifetime)
        try:
            ticket.ahead = self._issue(keys=[ticket.key], args=[conversation_id, ticket.token, self.lease, self.holder])
        except Exception as error:  # as Rasa's issue_ticket
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
        with self._guard:
            self._tickets[ticket.token] = ticket
            if not self._beating:
                self._beating = True
                threading.Thread(target=self._heartbeat, name="lock-lease-heartbeat", daemon=True).start()
        return ticket

    async def _wait_for_turn(self, ticket: _Ticket, wait: float) -> Optional[TicketLock]:
        """Rasa's view of the lock once ``ticket`` is first in the queue."""
        while True:
            try:
                if ticket.ahead == 0:
                    ticket.served_at = time.monotonic()
                    return self.get_lock(ticket.conversation_id)
                await asyncio.sleep(wait)
                ticket.ahead = self._position(keys=[ticket.key], args=[ticket.conversation_id, ticket.token])
            except Exception as error:
                raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
            if ticket.ahead < 0:
                raise LockError(f"Lost the lock ticket of conversation '{ticket.conversation_id}' while waiting.")

    def _give_back(self, ticket: _Ticket) -> None:
        with self._guard:
            self._tickets.pop(ticket.token, None)
        try:
            if not self._release(keys=[ticket.key], args=[ticket.conversation_id, ticket.token]):
                logger.warning("Conversation '%s': its lock ticket had expired before its turn ended.",
                               ticket.conversation_id)
        except Exception as error:
            logger.warning("Could not release the lock of conversation '%s' (%s); it expires within %g s.",
                           ticket.conversation_id, error, self.lease)

    def _heartbeat(self) -> None:
        """Renews this process's tickets every quarter lease; ends when it holds none."""
        while True:
            time.sleep(self.lease / 4)
            with self._guard:
                if not self._tickets:
                    self._beating = False
                    return
                tickets = list(self._tickets.values())
            for ticket in tickets:
                self._extend(ticket)

    def _extend(self, ticket: _Ticket) -> None:
        """Renews ``ticket`` for a lease, or up to its lifetime once served; stops renewing a ticket
        that is gone or past its lifetime. A failed call is retried at the next beat."""
        seconds = self.lease
        if ticket.served_at is not None:
            seconds = min(seconds, ticket.served_at + ticket.lifetime - time.monotonic())
        if seconds > 0:
            try:
                if self._renew(keys=[ticket.key], args=[ticket.conversation_id, ticket.token, seconds]):
                    return
            except Exception as error:
                logger.warning("Conversation '%s': lock lease not renewed (%s); retrying.",
                               ticket.conversation_id, error)
                return
            problem = "its ticket had expired"
        else:
            problem = f"held longer than its lifetime, {ticket.lifetime:g} s"
        with self._guard:
            if self._tickets.pop(ticket.token, None) is None:
                return  # its turn ended meanwhile and gave it back
        logger.warning("Conversation '%s': lock lease given up (%s); the next message may be served.",
                       ticket.conversation_id, problem)
