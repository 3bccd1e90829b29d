"""What reports read from the database: one campaign's rows, as plain values (read-only SQL).

Every report (``stats``, ``report``) reads through :func:`read_campaign`, in one read
transaction, so that the numbers and the charts of one run describe the same instant even while
the bot writes. Nothing here writes; the store's methods are the only writers.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator, Sequence

from ..domain.policy import month_start

__all__ = ["ParticipantRow", "MatchRow", "DoneAction", "SpendRow", "CampaignData",
           "connection_of", "read_campaign", "LIVE_MATCH_STATUSES", "LOAD_MATCH_STATUSES",
           "SPEND_HISTORY_MONTHS"]

#: A mentee with a match in one of these is "matched" (completed counts: they had a mentor).
LIVE_MATCH_STATUSES: frozenset[str] = frozenset({"proposed", "active", "completed"})
#: The matches that weigh on a mentor now.
LOAD_MATCH_STATUSES: frozenset[str] = frozenset({"proposed", "active"})
#: Whole months of spend read before the current one (a few rows per day: cheap to read).
SPEND_HISTORY_MONTHS = 2


@dataclass(frozen=True, slots=True)
class ParticipantRow:
    person_id: str
    role: str
    stage: str | None
    status: str
    joined_at: datetime
    status_at: datetime  # when the current status began (joined_at when never changed)


@dataclass(frozen=True, slots=True)
class MatchRow:
    mentee_id: str
    mentor_id: str
    status: str
    score: float
    proposed_at: datetime
    updated_at: datetime
    check_in: str | None

    def live_at(self, moment: datetime) -> bool:
        """Was this match a mentee's mentor at ``moment``? Declined and ended ones were, until
        their last change (the schema keeps only the last transition, so that is the best known)."""
        if self.proposed_at > moment:
            return False
        return self.status in LIVE_MATCH_STATUSES or self.updated_at > moment


@dataclass(frozen=True, slots=True)
class DoneAction:
    kind: str
    at: datetime  # when it was done


@dataclass(frozen=True, slots=True)
class SpendRow:
    at: datetime
    usd: float


@dataclass(frozen=True, slots=True)
class CampaignData:
    """One campaign's rows as of ``now``. Spend covers ``[spend_since, now)``: this local month and
    the :data:`SPEND_HISTORY_MONTHS` before it (the chart compares months; the figures use this one)."""

    campaign_id: str
    now: datetime
    month_start: datetime
    participants: tuple[ParticipantRow, ...]
    matches: tuple[MatchRow, ...]
    done: tuple[DoneAction, ...]
    spend: tuple[SpendRow, ...]
    spend_since: datetime

    @property
    def month_spend(self) -> tuple[SpendRow, ...]:
        """This local month's spend rows (the budget is monthly)."""
        return tuple(s for s in self.spend if s.at >= self.month_start)


def connection_of(source: Any) -> sqlite3.Connection:
    """The sqlite3 connection of a SQLiteStore, a sqlite_utils Database, or a connection."""
    conn = getattr(getattr(source, "db", source), "conn", getattr(source, "db", source))
    if not isinstance(conn, sqlite3.Connection):
        raise TypeError(f"expected a SQLiteStore, sqlite_utils Database or sqlite3 Connection, "
                        f"got {type(source).__name__}")
    return conn


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction, so that every query sees the same committed state."""
    if conn.in_transaction:  # the caller's transaction already is one snapshot
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")  # nothing was written: ending it is all that is needed


def _rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> list[tuple]:
    return conn.execute(sql, list(params)).fetchall()


def _ts(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def read_campaign(source: Any, campaign_id: str, now: datetime, zone: str) -> CampaignData:
    """Read one campaign's participants, matches, done actions and this month's spend."""
    conn = connection_of(source)
    start = since = month_start(now, zone)
    for _ in range(SPEND_HISTORY_MONTHS):
        since = month_start(since - timedelta(microseconds=1), zone)
    with _snapshot(conn):
        participants = tuple(
            ParticipantRow(person_id=r[0], role=r[1], stage=r[2], status=r[3],
                           joined_at=_dt(r[4]), status_at=_dt(r[5] or r[4]))
            for r in _rows(conn, "SELECT person_id, role, stage, status, joined_at, status_at"
                                 " FROM participants WHERE campaign_id = ?"
                                 " ORDER BY joined_at, person_id", [campaign_id]))
        matches = tuple(
            MatchRow(mentee_id=r[0], mentor_id=r[1], status=r[2], score=float(r[3]),
                     proposed_at=_dt(r[4]), updated_at=_dt(r[5]), check_in=r[6])
            for r in _rows(conn, "SELECT mentee_id, mentor_id, status, score, proposed_at,"
                                 " updated_at, check_in FROM matches WHERE campaign_id = ?"
                                 " ORDER BY id", [campaign_id]))
        done = tuple(
            DoneAction(kind=r[0], at=_dt(r[1]))
            for r in _rows(conn, "SELECT kind, updated_at FROM actions WHERE campaign_id = ?"
                                 " AND status = 'done' AND updated_at <= ? ORDER BY updated_at",
                           [campaign_id, _ts(now)]))
        # Ends at now, excluded: the same window as `mentorbot cost` and `status`.
        spend = tuple(
            SpendRow(at=_dt(r[0]), usd=float(r[1]))
            for r in _rows(conn, "SELECT at, usd FROM spend WHERE campaign_id = ? AND at >= ?"
                                 " AND at < ? ORDER BY at",
                           [campaign_id, _ts(since), _ts(now)]))
    return CampaignData(campaign_id=campaign_id, now=now, month_start=start,
                        participants=participants, matches=matches, done=done, spend=spend,
                        spend_since=since)
