"""Remove old conversations from the tracker store: ``make purge DAYS=90``.

A conversation goes when its latest event is older than N days; all its events (every session)
are deleted in one parameterised statement on the ``events`` table of Rasa's SQLTrackerStore
(SQLite or PostgreSQL), through the store's own SQLAlchemy session. A running Rasa server notices
(bot/tracker_store.py re-reads a conversation whose rows changed).

    python -m ops.purge --days N [--endpoints endpoints.yml] [--dry-run]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional, Sequence

import sqlalchemy as sa

from ops.report import ReportError, endpoints_file, open_store
from settings import SettingsError

DAY = 86400.0


@dataclass(frozen=True)
class Purged:
    conversations: int
    events: int
    cutoff: float  # UNIX time: conversations last active before it were removed


def purge(store, days: int, now: Optional[float] = None, dry_run: bool = False) -> Purged:
    """Delete the conversations of ``store`` (an SQLTrackerStore) idle for more than ``days`` days."""
    from rasa.core.tracker_store import SQLTrackerStore

    if not isinstance(store, SQLTrackerStore):
        raise ReportError(f"make purge needs an SQL tracker store, not {type(store).__name__}")
    events = store.SQLEvent.__table__
    cutoff = (time.time() if now is None else now) - days * DAY
    stale = (sa.select(events.c.sender_id).group_by(events.c.sender_id)
             .having(sa.func.max(events.c.timestamp) < cutoff))
    with store.session_scope() as session:
        conversations = session.execute(sa.select(sa.func.count()).select_from(stale.subquery())).scalar_one()
        if dry_run:
            doomed = sa.select(sa.func.count()).where(events.c.sender_id.in_(stale))
            return Purged(conversations, session.execute(doomed).scalar_one(), cutoff)
        removed = session.execute(sa.delete(events).where(events.c.sender_id.in_(stale))).rowcount
        session.commit()
    return Purged(conversations, removed, cutoff)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.purge", description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, required=True, help="keep conversations active in the last N days")
    parser.add_argument("--endpoints", type=Path, default=None,
                        help="a complete endpoints file (default: endpoints.yml completed from the settings)")
    parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    args = parser.parse_args(argv)
    if args.days < 1:
        parser.error("--days must be at least 1")
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    try:
        with warnings.catch_warnings(record=True):  # third-party deprecations, re-enabled by their imports
            result = purge(open_store(endpoints_file(args.endpoints)), args.days, dry_run=args.dry_run)
    except (ReportError, SettingsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    before = datetime.fromtimestamp(result.cutoff, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    verb = "Would remove" if args.dry_run else "Removed"
    print(f"{verb} {result.conversations} conversation(s) ({result.events} event(s)) last active before {before}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
