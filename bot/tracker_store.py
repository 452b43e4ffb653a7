"""Rasa's SQL tracker store, with each conversation's tracker kept in memory between its turns.

Rasa 3.6's ``SQLTrackerStore`` reads and replays every event of the session on each message, then
counts the stored events again to find the new ones when it saves: about 40% of the Rasa server's
CPU per message (profiled under ``make bench``). :class:`CachedSQLTrackerStore` keeps the tracker it
last saved for each conversation, and appends what a tracker it handed out or saved has gained
(Rasa counts the stored rows again at each save: a new conversation's first message, created and
then answered, paid two counts and a full read of nothing; 33 -> 24 ms of the Rasa server's CPU).
The next ``retrieve`` hands a kept tracker out only when the database still holds exactly the rows
that save left: the sender's last row has the same id and timestamp (one
query over the sender_id index and one row, the same cost at any length of conversation; rows are
only ever appended, by Rasa's store as by this one, or whole conversations deleted by ops/purge.py,
and a reused SQLite row id comes with a new timestamp); a turn handled by another replica, an
edit through Rasa's HTTP API, a turn that failed before saving or a new session all make it read
the database, as Rasa does. Schema, dialects, full-tracker reads and the event broker are Rasa's
own, so PostgreSQL replicas share it unchanged.
The trackers it hands out are bot/tracker.py's :class:`~bot.tracker.ConversationTracker`.

SQLite (the embedded default) gets one pooled connection and write-ahead logging: a commit no longer
waits for the disk, and readers (``make report``) never block the server. A crash of the process
loses nothing; a power cut can lose the last turns written.

A database server (PostgreSQL) that stops and starts again: while it is down, a user's turn ends in
:class:`bot.guards.StoreUnavailable` (the user is asked to try again, nothing is stored; Rasa's
fail-safe wrapper would instead answer from an empty conversation); a turn whose save fails is
answered but not stored (Rasa's fail-safe logs it). A turn that meets a pooled connection the server
closed (the first turn after a restart) reads once more: SQLAlchemy has then dropped every connection
of the pool, so the second try opens a new one (no ping before every use: a round trip a checkout).

A turn's reads and writes are one statement each, outside a transaction (a multi-row INSERT is atomic
on its own): on PostgreSQL 2 round trips per save and 1 per retrieve, where a session's BEGIN, ping
and COMMIT or ROLLBACK made 5 and 4.
"""
from __future__ import annotations

import itertools
import json
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional, Tuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from bot import guards
from bot.tracker import ConversationTracker

Footprint = Tuple[Optional[int], Optional[float]]  # a sender's last row: its id and timestamp
NO_ROWS: Footprint = (None, None)  # a sender with no row
STALE: Footprint = (-1, None)  # a tracker saved here that a retrieve must not hand out (read instead)
DEFAULT_CACHE_SIZE = 256  # conversations; a tracker of a long conversation is a few hundred KB
UNREACHABLE = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)  # down, restarting, busy
ROWS_PER_INSERT = 500  # 6 bound values a row: well within SQLite's and PostgreSQL's limits


@dataclass
class _Entry:
    tracker: Optional[DialogueStateTracker]  # None: a sender with no row yet (its tracker not made)
    stored: int  # how many of the tracker's events (its last session) are in the database
    footprint: Footprint
    lent: bool = False  # handed out by retrieve and not saved since


def event_row(sender_id: str, event: Event) -> Dict[str, Any]:
    """The ``events`` row Rasa's SQLTrackerStore writes for ``event``."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


@contextmanager
def reachable() -> Iterator[None]:
    """A database that cannot be reached is :class:`bot.guards.StoreUnavailable` while a channel
    answers the turn (see :func:`bot.guards.answering`); elsewhere the error is raised as it is."""
    try:
        yield
    except UNREACHABLE as error:
        if not guards.answering():
            raise
        cause = str(getattr(error, "orig", None) or error).strip().splitlines()
        raise guards.StoreUnavailable(f"tracker store: {cause[0] if cause else type(error).__name__}") from error


class CachedSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` that reuses a conversation's last saved tracker while the database agrees."""

    def __init__(self, *args: Any, cache_size: int = DEFAULT_CACHE_SIZE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cache_size = int(cache_size)
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        events = self.SQLEvent.__table__
        self._insert = events.insert()
        of_sender = events.c.sender_id == sa.bindparam("sender_id")
        last_id = sa.select(sa.func.max(events.c.id)).where(of_sender).scalar_subquery()
        last_timestamp = sa.select(events.c.timestamp).where(events.c.id == last_id).scalar_subquery()
        self._footprint = sa.select(last_id, last_timestamp)  # from the sender_id index and one row
        if self.engine.dialect.name == "sqlite":
            self._use_pooled_wal_sqlite()
        else:
            self._replace_engine(**create_engine_kwargs(self.engine.url))
        self._autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")  # same pool

    def _replace_engine(self, **options: Any) -> None:
        """Rasa's engine, on the same URL, created again with ``options``."""
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, **options)
        self.sessionmaker = sessionmaker(bind=self.engine)

    def _use_pooled_wal_sqlite(self) -> None:
        self._replace_engine(poolclass=QueuePool, pool_size=2, connect_args={"check_same_thread": False})

        @sa.event.listens_for(self.engine, "connect")
        def tune(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    def _footprint_of(self, connection: Any, sender_id: str) -> Footprint:
        last_id, timestamp = connection.execute(self._footprint, {"sender_id": sender_id}).one()
        return last_id, timestamp

    def _last_row_of(self, sender_id: str) -> Footprint:
        """The sender's footprint; read once more on a new connection when the pooled one had been
        closed by the database (a restart: SQLAlchemy then drops the whole pool, so the save that
        follows in the same turn gets a new connection too)."""
        for attempt in (1, 2):
            try:
                with self._autocommit.connect() as connection:
                    return self._footprint_of(connection, sender_id)
            except sa.exc.DBAPIError as error:
                if not error.connection_invalidated or attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _append(self, sender_id: str, new: List[Event]) -> Footprint:
        """Insert ``new``, in one statement (a transaction when too long for one); its footprint."""
        rows = [event_row(sender_id, event) for event in new]
        chunks = [rows[start:start + ROWS_PER_INSERT] for start in range(0, len(rows), ROWS_PER_INSERT)]
        with self.engine.begin() if len(chunks) > 1 else self._autocommit.connect() as connection:
            for chunk in chunks:
                connection.execute(self._insert.values(chunk))
            return self._footprint_of(connection, sender_id)

    def _remember(self, sender_id: str, entry: _Entry) -> None:
        self._entries[sender_id] = entry
        self._entries.move_to_end(sender_id)
        while len(self._entries) > self.cache_size:
            self._entries.popitem(last=False)

    def init_tracker(self, sender_id: str) -> DialogueStateTracker:
        """A new conversation's tracker (bot/tracker.py's)."""
        return ConversationTracker.adopt(super().init_tracker(sender_id))

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        """The tracker of the conversation's latest session, from memory when the database agrees."""
        entry = self._entries.pop(sender_id, None)
        with reachable():
            footprint = self._last_row_of(sender_id)
            if footprint == NO_ROWS:  # a new conversation: Rasa's read would find nothing either
                self._remember(sender_id, _Entry(None, 0, NO_ROWS))
                return None
            if entry is None or entry.lent or entry.footprint != footprint:
                tracker = await super().retrieve(sender_id)
                if tracker is None:
                    return None
                entry = _Entry(ConversationTracker.adopt(tracker), len(tracker.events), footprint)
        entry.lent = True
        self._remember(sender_id, entry)
        return entry.tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Append the events the tracker gained since it was handed out or last saved here (Rasa's
        processor saves a new conversation's tracker twice in its first message: created, answered)."""
        entry = self._entries.pop(tracker.sender_id, None)
        if entry is not None and entry.tracker is None:  # the new conversation retrieve found
            entry = _Entry(tracker, 0, NO_ROWS)
        if entry is None or entry.tracker is not tracker:
            await super().save(tracker)  # counts the stored events, as Rasa does
            self._remember(tracker.sender_id, _Entry(tracker, len(tracker.events), STALE))
            return
        new: List[Event] = list(itertools.islice(tracker.events, entry.stored, None))
        if self.event_broker:
            await self._stream_new_events(self.event_broker, new, tracker.sender_id)
        footprint = self._append(tracker.sender_id, new)
        # after a new session, Rasa's read holds only its events: the next retrieve reads them
        reusable = entry.footprint != STALE and not any(isinstance(event, SessionStarted) for event in new)
        self._remember(tracker.sender_id, _Entry(tracker, len(tracker.events), footprint if reusable else STALE))
