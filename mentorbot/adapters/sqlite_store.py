"""The Store port on SQLite (one file, WAL), through sqlite-utils.

One connection per store, in driver autocommit mode (``isolation_level=None``) so that the
only transactions are the ones :meth:`SQLiteStore.transaction` opens: ``BEGIN IMMEDIATE``
takes the write lock up front, so two processes never deadlock upgrading a read lock. A
re-entrant lock serialises threads (APScheduler runs jobs on a pool) on the one connection.

Datetimes are stored as fixed-width ISO-8601 UTC text, so SQL compares them as text.
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import sys
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from loguru import logger


def _import_sqlite_utils() -> None:
    """Import sqlite-utils without the pandas and numpy it loads when they are installed.

    It imports both at import time only to map their types to columns, which the store never
    inserts; ortools (the matching solver) pulls pandas in, and pandas alone is 50 MB of resident
    memory in a worker whose budget is 100 MB. Whoever imports them later gets them as usual.
    """
    blocked = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in blocked:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


_import_sqlite_utils()
from sqlite_utils import Database  # noqa: E402

from ..domain.model import User, id_key
from ..domain.records import (
    ACTION_KINDS, ACTION_STATUSES, MATCH_STATUSES, PARTICIPANT_STATUSES, Action, Event, Match,
    Participant,
)
from .migrations import apply_migrations

__all__ = ["SQLiteStore"]


def _ts(when: datetime | None) -> str | None:
    """Aware datetime -> fixed-width UTC text; naive datetimes are a bug, so refuse them."""
    if when is None:
        return None
    if when.tzinfo is None:
        raise ValueError("datetimes given to the store must be timezone-aware")
    return _utc_text(when)


@lru_cache(maxsize=256)
def _utc_text(when: datetime) -> str:
    # A page of ingest writes the same few instants thousands of times (its "now"). Equal aware
    # datetimes are the same instant, whatever their zone, so they share one text.
    return when.astimezone(timezone.utc).isoformat(timespec="microseconds")


_SYNC_NORMAL = 1  # PRAGMA synchronous levels: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
_CHUNK = 500  # ids per "IN (...)" query: far below SQLite's limit on bound parameters


def _chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), _CHUNK):
        yield unique[start:start + _CHUNK]


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text is not None else None


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _check(name: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")


def _mentions(text: str | None, handle: str | None) -> int:
    """SQL function: does ``text`` @-mention ``handle`` (case-insensitive, whole handle)?"""
    if not text or not handle:
        return 0
    return int(re.search(rf"@{re.escape(handle)}(?!\w)", text, re.IGNORECASE) is not None)


class SQLiteStore:
    """The Store port on one SQLite database. ``db`` is the sqlite_utils.Database, for
    read-only reporting code; everything that writes goes through the methods."""

    def __init__(self, db: Database):
        """Wrap an open Database whose connection has ``isolation_level=None``; migrates it."""
        self.db = db
        self._conn = db.conn
        self._lock = threading.RLock()
        self._depth = 0
        db.register_function(_mentions, deterministic=True, name="mb_mentions")
        self._execute("PRAGMA foreign_keys = ON")
        with self._atomic():
            applied = apply_migrations(db)
        if applied:
            logger.info("database migrated: {}", ", ".join(applied))
        self._salt = self._value("SELECT value FROM meta WHERE key = 'forget_salt'")
        self._synchronous = int(self._value("PRAGMA synchronous"))  # as opened: FULL for files

    @classmethod
    def open(cls, path: str | Path, *, busy_timeout_ms: int = 5000) -> SQLiteStore:
        """Open (creating and migrating if needed) the database file at ``path``, in WAL mode."""
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False,
                               timeout=busy_timeout_ms / 1000)
        db = Database(conn, execute_plugins=False)
        db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        db.enable_wal()
        # FULL, not NORMAL: a "sending" mark lost to a power cut would mean posting twice.
        db.execute("PRAGMA synchronous = FULL")
        return cls(db)

    @classmethod
    def memory(cls) -> SQLiteStore:
        """A fresh, migrated in-memory database (tests, demos)."""
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        return cls(Database(conn, execute_plugins=False))

    def close(self) -> None:
        """Close the connection, first letting SQLite refresh its planner statistics."""
        with self._lock:
            try:
                self.db.execute("PRAGMA optimize")
            except sqlite3.Error:
                pass  # a read-only or busy database keeps its old statistics
            self.db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def transaction(self, *, durable: bool = True) -> Iterator[SQLiteStore]:
        """One ``BEGIN IMMEDIATE`` transaction, committed on exit, rolled back on exception.

        A nested call joins the outer transaction (nothing commits before the outer one does)
        as a savepoint, so an exception caught inside the outer block undoes only the inner one.

        ``durable=False`` (a page of ingest) commits without waiting for the disk (WAL with
        ``synchronous = NORMAL``): a power cut may undo such a commit, never corrupt it, and the
        next durable commit (a "sending" mark, say) makes every commit before it durable too, since
        the WAL is written in order. What it risks is re-reading a page whose replies were not
        sent yet, which the cursor and the idempotency keys make harmless. Ignored when nested.
        """
        with self._lock:
            if self._depth:
                name = f"mb_{self._depth}"
                self._conn.execute(f"SAVEPOINT {name}")
                self._depth += 1
                try:
                    yield self
                except BaseException:
                    if self._conn.in_transaction:
                        self._conn.execute(f"ROLLBACK TO {name}")
                        self._conn.execute(f"RELEASE {name}")
                    raise
                else:
                    self._conn.execute(f"RELEASE {name}")
                finally:
                    self._depth -= 1
                return
            relaxed = not durable and self._synchronous > _SYNC_NORMAL
            if relaxed:
                self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0
                if relaxed:
                    self._conn.execute(f"PRAGMA synchronous = {self._synchronous}")

    @contextmanager
    def _atomic(self) -> Iterator[None]:
        """For the store's own multi-statement methods: a transaction of their own when called
        alone; inside a caller's transaction they simply join it (no savepoint per call: a
        page of ingest makes thousands of such calls, and the caller's savepoint covers them)."""
        with self._lock:
            if self._depth:
                yield
            else:
                with self.transaction():
                    yield

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        with self._lock:
            if self._depth:  # in our transaction: sqlite-utils' auto-commit checks have nothing to do
                return self._conn.execute(sql, params)
            return self.db.execute(sql, list(params))

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            cursor = self._conn.execute(sql, list(params))
            keys = [d[0] for d in cursor.description]
            return [dict(zip(keys, row)) for row in cursor.fetchall()]

    def _value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self._rows(sql, params)
        return next(iter(rows[0].values())) if rows else None

    # -- campaigns and cursors --------------------------------------------------------------

    def ensure_campaign(self, id: str, name: str, hashtags: Sequence[str],
                        at: datetime | None = None) -> None:
        """Create the campaign, or update its name and hashtags from configuration."""
        with self._atomic():
            self._execute(
                "INSERT INTO campaigns (id, name, hashtags, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET name = excluded.name, hashtags = excluded.hashtags",
                [id, name, json.dumps(list(hashtags)), _ts(at or _now())])

    def campaigns(self) -> list[dict[str, Any]]:
        """Every campaign as {id, name, hashtags, created_at}."""
        return [{**r, "hashtags": json.loads(r["hashtags"]), "created_at": _dt(r["created_at"])}
                for r in self._rows("SELECT * FROM campaigns ORDER BY id")]

    def cursor(self, campaign_id: str, stream: str) -> str | None:
        """The newest post id already ingested from ``stream`` ("mentions", "search"...)."""
        return self._value("SELECT since_id FROM cursors WHERE campaign_id = ? AND stream = ?",
                           [campaign_id, stream])

    def set_cursor(self, campaign_id: str, stream: str, since_id: str,
                   at: datetime | None = None) -> bool:
        """Move the cursor forward to ``since_id``; never backwards (ids compare as integers)."""
        with self._atomic():
            current = self.cursor(campaign_id, stream)
            if current is not None and id_key(since_id) <= id_key(current):
                return False
            self._execute(
                "INSERT INTO cursors (campaign_id, stream, since_id, updated_at) "
                "VALUES (?, ?, ?, ?) "
                "ON CONFLICT (campaign_id, stream) DO UPDATE SET since_id = excluded.since_id, "
                "updated_at = excluded.updated_at",
                [campaign_id, stream, str(since_id), _ts(at or _now())])
            return True

    # -- people and participants ------------------------------------------------------------

    def upsert_person(self, user: User, at: datetime) -> None:
        """Store or refresh a person's handle, name, bio and protected flag."""
        with self._atomic():
            self._execute(
                "INSERT INTO people (id, handle, name, bio, protected, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET handle = excluded.handle, "
                "name = excluded.name, bio = excluded.bio, protected = excluded.protected, "
                "updated_at = excluded.updated_at",
                [user.id, user.username, user.name, user.description, int(user.protected), _ts(at)])

    def person(self, id: str) -> User | None:
        """The stored snapshot of a person, or None."""
        rows = self._rows("SELECT * FROM people WHERE id = ?", [id])
        return _user(rows[0]) if rows else None

    def person_by_handle(self, handle: str) -> User | None:
        """The person with this handle (case-insensitive, "@" optional), latest snapshot first."""
        rows = self._rows("SELECT * FROM people WHERE handle = ? COLLATE NOCASE "
                          "ORDER BY updated_at DESC LIMIT 1", [handle.lstrip("@")])
        return _user(rows[0]) if rows else None

    def save_participant(self, p: Participant) -> None:
        """Insert or replace a participant (keyed by campaign and person)."""
        with self._atomic():
            self._execute(
                "INSERT INTO participants (campaign_id, person_id, handle, role, stage,"
                " specialties,"
                " capacity, status, paused_until, joined_at, consented_at, source_post_id,"
                " shout_outs, preference, evidence, status_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (campaign_id, person_id) DO UPDATE SET handle = excluded.handle,"
                " role = excluded.role, stage = excluded.stage, specialties = excluded.specialties,"
                " capacity = excluded.capacity, status = excluded.status,"
                " paused_until = excluded.paused_until, joined_at = excluded.joined_at,"
                " consented_at = excluded.consented_at, source_post_id = excluded.source_post_id,"
                " shout_outs = excluded.shout_outs, preference = excluded.preference,"
                " evidence = excluded.evidence",
                [p.campaign_id, p.person_id, p.handle, p.role, p.stage, json.dumps(p.specialties),
                 p.capacity, p.status, _ts(p.paused_until), _ts(p.joined_at), _ts(p.consented_at),
                 p.source_post_id, int(p.shout_outs), p.preference, json.dumps(p.evidence),
                 _ts(p.joined_at)])

    def participant(self, campaign_id: str, person_id: str) -> Participant | None:
        """One participant, or None."""
        rows = self._rows("SELECT * FROM participants WHERE campaign_id = ? AND person_id = ?",
                          [campaign_id, person_id])
        return _participant(rows[0]) if rows else None

    def participants(self, campaign_id: str, role: str | None = None,
                     status: str | None = None) -> list[Participant]:
        """A campaign's participants, optionally of one role and/or status, oldest first."""
        sql, params = "SELECT * FROM participants WHERE campaign_id = ?", [campaign_id]
        if role is not None:
            sql, params = sql + " AND role = ?", params + [role]
        if status is not None:
            sql, params = sql + " AND status = ?", params + [status]
        return [_participant(r) for r in self._rows(sql + " ORDER BY joined_at, person_id", params)]

    def participants_among(self, campaign_id: str,
                           person_ids: Iterable[str]) -> dict[str, Participant]:
        """The participants among these people, by person id (one query for a page of posts)."""
        out: dict[str, Participant] = {}
        for ids in _chunks(person_ids):
            marks = ", ".join("?" * len(ids))
            for r in self._rows(f"SELECT * FROM participants WHERE campaign_id = ?"
                                f" AND person_id IN ({marks})", [campaign_id, *ids]):
                out[r["person_id"]] = _participant(r)
        return out

    def set_participant_status(self, campaign_id: str, person_id: str, status: str,
                               at: datetime, paused_until: datetime | None = None) -> bool:
        """Change a participant's status (and pause end); False if there is no such participant."""
        _check("status", status, PARTICIPANT_STATUSES)
        with self._atomic():
            return self._execute(
                "UPDATE participants SET status = ?, paused_until = ?, status_at = ? "
                "WHERE campaign_id = ? AND person_id = ?",
                [status, _ts(paused_until), _ts(at), campaign_id, person_id]).rowcount == 1

    # -- posts seen -------------------------------------------------------------------------

    def mark_seen(self, campaign_id: str, post_id: str, *, author_id: str | None, kind: str,
                  outcome: str | None, intent: str | None, at: datetime) -> bool:
        """Record a post as handled; True when it was new. Seen again: outcome/intent update."""
        with self._atomic():
            new = self._execute(
                "INSERT INTO posts_seen (campaign_id, post_id, author_id, kind, outcome, intent,"
                " seen_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [campaign_id, post_id, author_id, kind, outcome, intent, _ts(at)]).rowcount == 1
            if not new:
                self._execute("UPDATE posts_seen SET outcome = ?, intent = ? "
                              "WHERE campaign_id = ? AND post_id = ?",
                              [outcome, intent, campaign_id, post_id])
            return new

    def is_seen(self, campaign_id: str, post_id: str) -> bool:
        """Has this post been handled in this campaign?"""
        return self._value("SELECT 1 FROM posts_seen WHERE campaign_id = ? AND post_id = ?",
                           [campaign_id, post_id]) is not None

    def seen_among(self, campaign_id: str, post_ids: Iterable[str]) -> set[str]:
        """Which of these posts have been handled in this campaign (one query for a page)."""
        seen: set[str] = set()
        for ids in _chunks(post_ids):
            marks = ", ".join("?" * len(ids))
            seen.update(r["post_id"] for r in self._rows(
                f"SELECT post_id FROM posts_seen WHERE campaign_id = ? AND post_id IN ({marks})",
                [campaign_id, *ids]))
        return seen

    def seen_outcomes(self, campaign_id: str) -> dict[str, int]:
        """How many seen posts ended in each outcome ("joined", "ignored:protected"...)."""
        return {r["outcome"]: r["n"] for r in self._rows(
            "SELECT coalesce(outcome, '') AS outcome, count(*) AS n FROM posts_seen "
            "WHERE campaign_id = ? GROUP BY 1 ORDER BY 1", [campaign_id])}

    # -- the outbox -------------------------------------------------------------------------

    def plan(self, action: Action) -> bool:
        """Add an action to the outbox; False (and no change) when its key already exists."""
        with self._atomic():
            new = self._execute(
                "INSERT INTO actions (key, campaign_id, kind, text, in_reply_to, target_post_id,"
                " person_ids, optional, not_before, status, attempts, result_id, error, retry_at,"
                " created_at, updated_at, thread_key)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (key) DO NOTHING",
                [action.key, action.campaign_id, action.kind, action.text, action.in_reply_to,
                 action.target_post_id, json.dumps(action.person_ids), int(action.optional),
                 _ts(action.not_before), action.status, action.attempts, action.result_id,
                 action.error, _ts(action.retry_at), _ts(action.created_at),
                 _ts(action.updated_at or action.created_at), action.thread_key]).rowcount == 1
            if new:
                for person_id in dict.fromkeys(action.person_ids):
                    self._execute("INSERT INTO action_people (action_key, person_id) VALUES (?, ?)",
                                  [action.key, person_id])
            return new

    def action(self, key: str) -> Action | None:
        """The action with this key, or None."""
        rows = self._rows("SELECT * FROM actions WHERE key = ?", [key])
        return _action(rows[0]) if rows else None

    def due_actions(self, campaign_id: str, now: datetime, limit: int = 50) -> list[Action]:
        """Planned actions whose not_before and retry_at have passed, oldest not_before first."""
        now_text = _ts(now)
        return [_action(r) for r in self._rows(
            "SELECT * FROM actions WHERE campaign_id = ? AND status = 'planned' AND not_before <= ?"
            " AND (retry_at IS NULL OR retry_at <= ?) ORDER BY not_before, created_at, rowid"
            " LIMIT ?", [campaign_id, now_text, now_text, limit])]

    def _move(self, key: str, sources: tuple[str, ...], at: datetime, sets: str,
              params: Sequence[Any]) -> bool:
        marks = ", ".join("?" * len(sources))
        with self._atomic():
            moved = self._execute(
                f"UPDATE actions SET {sets}, updated_at = ? WHERE key = ? AND status IN ({marks})",
                [*params, _ts(at), key, *sources]).rowcount == 1
        if not moved:
            logger.debug("outbox: {} not moved ({}), not in {}", key, sets, sources)
        return moved

    def mark_sending(self, key: str, at: datetime) -> bool:
        """planned -> sending, just before the platform call; False if not planned."""
        return self._move(key, ("planned",), at, "status = 'sending'", [])

    def mark_done(self, key: str, result_id: str | None, at: datetime) -> bool:
        """planned/sending -> done, with the created post's id (or None for reposts)."""
        return self._move(key, ("planned", "sending"), at,
                          "status = 'done', result_id = ?, error = NULL, retry_at = NULL",
                          [result_id])

    def mark_failed(self, key: str, error: str, at: datetime, retry_at: datetime | None) -> bool:
        """A failed attempt: back to planned until ``retry_at``, attempts + 1.

        ``retry_at=None`` means give up: the action ends as "failed".
        """
        status = "planned" if retry_at is not None else "failed"
        return self._move(key, ("planned", "sending"), at,
                          "status = ?, attempts = attempts + 1, error = ?, retry_at = ?",
                          [status, error, _ts(retry_at)])

    def mark_refused(self, key: str, reason: str, at: datetime) -> bool:
        """planned/sending -> refused: the platform or a policy said no, and retrying won't help."""
        return self._move(key, ("planned", "sending"), at, "status = 'refused', error = ?",
                          [reason])

    def defer(self, key: str, not_before: datetime, reason: str, at: datetime) -> bool:
        """Keep a planned action for later (quiet hours, caps, spacing): a wait, not a failure."""
        return self._move(key, ("planned",), at, "not_before = ?, error = ?", [_ts(not_before), reason])

    def scrub_action(self, key: str) -> None:
        """Forget what a sent action said and whom it named (the reply confirming an erasure)."""
        with self._atomic():
            self._execute("UPDATE actions SET text = NULL, person_ids = '[]' WHERE key = ?", [key])
            self._execute("DELETE FROM action_people WHERE action_key = ?", [key])

    def cancel(self, key: str, reason: str, at: datetime) -> bool:
        """planned -> cancelled for one action."""
        return self._move(key, ("planned",), at, "status = 'cancelled', error = ?", [reason])

    def cancel_for_person(self, campaign_id: str, person_id: str, reason: str,
                          at: datetime) -> int:
        """Cancel every planned action of the campaign that names the person; how many."""
        with self._atomic():
            return self._execute(
                "UPDATE actions SET status = 'cancelled', error = ?, updated_at = ?"
                " WHERE +campaign_id = ? AND +status = 'planned' AND key IN"
                " (SELECT action_key FROM action_people WHERE person_id = ?)",
                [reason, _ts(at), campaign_id, person_id]).rowcount

    def actions_in_state(self, status: str, campaign_id: str | None = None) -> list[Action]:
        """Every action in ``status`` (optionally of one campaign), by not_before."""
        _check("status", status, ACTION_STATUSES)
        sql, params = "SELECT * FROM actions WHERE status = ?", [status]
        if campaign_id is not None:
            sql, params = sql + " AND campaign_id = ?", params + [campaign_id]
        return [_action(r) for r in self._rows(sql + " ORDER BY not_before, created_at, rowid",
                                               params)]

    def count_done_since(self, campaign_id: str, kind: str | None, since: datetime) -> int:
        """How many actions of ``kind`` (None: of any kind) were done at or after ``since`` (daily caps)."""
        kinds = [kind] if kind else list(ACTION_KINDS)
        marks = ", ".join("?" * len(kinds))
        return self._value(
            "SELECT count(*) FROM actions WHERE campaign_id = ? AND status = 'done'"
            f" AND kind IN ({marks}) AND updated_at >= ?", [campaign_id, *kinds, _ts(since)])

    def last_done_at(self, campaign_id: str, kinds: Sequence[str] | None = None) -> datetime | None:
        """When the campaign's last action (of ``kinds``, default any) was done (spacing between writes)."""
        kinds = list(kinds or ACTION_KINDS)
        marks = ", ".join("?" * len(kinds))
        return _dt(self._value("SELECT max(updated_at) FROM actions WHERE campaign_id = ?"
                               f" AND status = 'done' AND kind IN ({marks})", [campaign_id, *kinds]))

    def count_actions_for_person(self, campaign_id: str, person_id: str, kind: str,
                                 since: datetime | None = None) -> int:
        """Actions of ``kind`` naming the person, created since ``since`` (per-person reply caps)."""
        # CROSS JOIN fixes the order (the person's few actions first): without statistics the
        # planner would otherwise scan every action of the campaign.
        return self._value(
            "SELECT count(*) FROM action_people ap CROSS JOIN actions a ON a.key = ap.action_key"
            " WHERE ap.person_id = ? AND a.campaign_id = ? AND a.kind = ? AND a.created_at >= ?",
            [person_id, campaign_id, kind, _ts(since) if since else ""])

    def count_actions_for_people(self, campaign_id: str, person_ids: Iterable[str], kind: str,
                                 since: datetime | None = None) -> dict[str, int]:
        """:meth:`count_actions_for_person` for many people in one query; people with none are
        left out (their count is 0)."""
        counts: dict[str, int] = {}
        for ids in _chunks(person_ids):
            marks = ", ".join("?" * len(ids))
            for r in self._rows(
                    "SELECT ap.person_id AS person_id, count(*) AS n FROM action_people ap"
                    " CROSS JOIN actions a ON a.key = ap.action_key"
                    f" WHERE ap.person_id IN ({marks}) AND a.campaign_id = ? AND a.kind = ?"
                    " AND a.created_at >= ? GROUP BY ap.person_id",
                    [*ids, campaign_id, kind, _ts(since) if since else ""]):
                counts[r["person_id"]] = r["n"]
        return counts

    def reposts_since(self, campaign_id: str, since: datetime) -> list[tuple[str, datetime]]:
        """(person, time) of reposts planned, sending or done at or after ``since`` (repost timing:
        caps, spacing and per-person gaps count them)."""
        rows = self._rows(
            "SELECT person_ids, status, not_before, updated_at FROM actions WHERE campaign_id = ?"
            " AND kind = 'repost' AND status IN ('planned', 'sending', 'done')"
            " AND max(not_before, updated_at) >= ?", [campaign_id, _ts(since)])
        out = []
        for r in rows:
            people = json.loads(r["person_ids"])
            when = r["updated_at"] if r["status"] == "done" else r["not_before"]
            out.append((people[0] if people else "", _dt(when)))
        return out

    def action_texts(self, campaign_id: str, key_prefix: str) -> list[str]:
        """Texts of the campaign's actions whose key starts with ``key_prefix`` (to vary texts)."""
        return [r["text"] for r in self._rows(
            "SELECT text FROM actions WHERE campaign_id = ? AND key >= ? AND key < ? AND text IS NOT NULL",
            [campaign_id, key_prefix, key_prefix + "\uffff"])]

    def action_by_result(self, result_id: str) -> Action | None:
        """The action whose sending created post ``result_id`` (what a reply to the bot answers)."""
        rows = self._rows("SELECT * FROM actions WHERE result_id = ? AND status = 'done' LIMIT 1",
                          [result_id])
        return _action(rows[0]) if rows else None

    def queue_sizes(self, campaign_id: str) -> dict[str, int]:
        """Number of the campaign's actions in every status (zeros included)."""
        sizes = dict.fromkeys(ACTION_STATUSES, 0)
        for r in self._rows("SELECT status, count(*) AS n FROM actions WHERE campaign_id = ? "
                            "GROUP BY status", [campaign_id]):
            sizes[r["status"]] = r["n"]
        return sizes

    # -- matches ----------------------------------------------------------------------------

    def add_match(self, m: Match) -> int:
        """Store a new match (``m.id`` is ignored); its id."""
        with self._atomic():
            return self._execute(
                "INSERT INTO matches (campaign_id, mentee_id, mentor_id, status, score, reasons,"
                " proposed_at, updated_at, check_in) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [m.campaign_id, m.mentee_id, m.mentor_id, m.status, m.score, json.dumps(m.reasons),
                 _ts(m.proposed_at), _ts(m.updated_at or m.proposed_at), m.check_in]).lastrowid

    def match(self, id: int) -> Match | None:
        """One match, or None."""
        rows = self._rows("SELECT * FROM matches WHERE id = ?", [id])
        return _match(rows[0]) if rows else None

    def matches(self, campaign_id: str, status: str | None = None,
                person_id: str | None = None) -> list[Match]:
        """A campaign's matches, optionally in one status and/or involving one person."""
        # "+column" keeps SQLite from choosing the campaign index over the per-person ones.
        sql, params = "SELECT * FROM matches WHERE +campaign_id = ?", [campaign_id]
        if status is not None:
            sql, params = sql + " AND +status = ?", params + [status]
        if person_id is None:
            sql = sql.replace("+", "")
        else:
            sql, params = sql + " AND (mentee_id = ? OR mentor_id = ?)", params + [person_id] * 2
        return [_match(r) for r in self._rows(sql + " ORDER BY id", params)]

    def set_match_status(self, id: int, status: str, at: datetime,
                         check_in: str | None = None) -> bool:
        """Move a match to ``status`` (recording a check-in answer if given); False if unknown."""
        _check("status", status, MATCH_STATUSES)
        with self._atomic():
            return self._execute(
                "UPDATE matches SET status = ?, updated_at = ?, check_in = coalesce(?, check_in)"
                " WHERE id = ?", [status, _ts(at), check_in, id]).rowcount == 1

    def declined_pairs(self, campaign_id: str) -> set[tuple[str, str]]:
        """(mentee, mentor) pairs that were declined: never to be proposed again."""
        return {(r["mentee_id"], r["mentor_id"]) for r in self._rows(
            "SELECT mentee_id, mentor_id FROM matches "
            "WHERE campaign_id = ? AND status = 'declined'",
            [campaign_id])}

    # -- features (#FollowFriday) -----------------------------------------------------------

    def record_feature(self, campaign_id: str, person_id: str, edition: str, at: datetime,
                       post_key: str | None) -> bool:
        """Record that a person was featured in an edition ("2026-W03"); False if already."""
        with self._atomic():
            return self._execute(
                "INSERT INTO features (campaign_id, person_id, edition, featured_at, post_key)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [campaign_id, person_id, edition, _ts(at), post_key]).rowcount == 1

    def feature_counts(self, campaign_id: str) -> dict[str, int]:
        """How many times each person has been featured (a post that was cancelled or refused
        featured no one: its people stay first in line)."""
        return {r["person_id"]: r["n"] for r in self._rows(
            "SELECT f.person_id, count(*) AS n FROM features f LEFT JOIN actions a ON a.key = f.post_key "
            "WHERE f.campaign_id = ? AND (a.status IS NULL OR a.status NOT IN ('cancelled', 'refused')) "
            "GROUP BY 1", [campaign_id])}

    def last_featured(self, campaign_id: str) -> dict[str, datetime]:
        """When each person was last featured."""
        return {r["person_id"]: _dt(r["at"]) for r in self._rows(
            "SELECT person_id, max(featured_at) AS at FROM features WHERE campaign_id = ? "
            "GROUP BY 1", [campaign_id])}

    # -- events, spend, flags ---------------------------------------------------------------

    def record_event(self, kind: str, at: datetime, *, campaign_id: str | None = None,
                     subject_id: str | None = None, source_post_id: str | None = None,
                     data: dict[str, Any] | None = None) -> int:
        """Append to the audit trail (ids only: no handles, names or text); the event id."""
        with self._atomic():
            return self._execute(
                "INSERT INTO events (at, campaign_id, kind, subject_id, source_post_id, data)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [_ts(at), campaign_id, kind, subject_id, source_post_id,
                 json.dumps(data or {}, sort_keys=True, default=str)]).lastrowid

    def events(self, campaign_id: str | None = None, subject_id: str | None = None,
               kind: str | None = None) -> list[Event]:
        """Audit events, oldest first, filtered by any of campaign, subject and kind."""
        clauses, params = [], []
        for column, value in (("campaign_id", campaign_id), ("subject_id", subject_id),
                              ("kind", kind)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        return [Event(id=r["id"], at=_dt(r["at"]), campaign_id=r["campaign_id"], kind=r["kind"],
                      subject_id=r["subject_id"], source_post_id=r["source_post_id"],
                      data=json.loads(r["data"]))
                for r in self._rows(f"SELECT * FROM events{where} ORDER BY id", params)]

    def record_spend(self, at: datetime, endpoint: str, kind: str, usd: float,
                     resources: int = 1, campaign_id: str | None = None) -> int:
        """Record metered API cost; the row id."""
        with self._atomic():
            return self._execute(
                "INSERT INTO spend (at, campaign_id, endpoint, kind, usd, resources)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [_ts(at), campaign_id, endpoint, kind, float(usd), resources]).lastrowid

    def spend_between(self, start: datetime, end: datetime,
                      campaign_id: str | None = None) -> float:
        """Total USD spent in [start, end), for one campaign or overall."""
        sql, params = "SELECT coalesce(sum(usd), 0) FROM spend WHERE at >= ? AND at < ?", \
            [_ts(start), _ts(end)]
        if campaign_id is not None:
            sql, params = sql + " AND campaign_id = ?", params + [campaign_id]
        return float(self._value(sql, params))

    def flag(self, name: str) -> str | None:
        """A flag's value (e.g. "paused", the kill switch), or None when unset."""
        return self._value("SELECT value FROM flags WHERE name = ?", [name])

    def set_flag(self, name: str, value: str | None, at: datetime | None = None) -> None:
        """Set a flag, or clear it with None."""
        with self._atomic():
            if value is None:
                self._execute("DELETE FROM flags WHERE name = ?", [name])
            else:
                self._execute(
                    "INSERT INTO flags (name, value, updated_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (name)"
                    " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                    [name, str(value), _ts(at or _now())])

    # -- forgetting -------------------------------------------------------------------------

    def _hash(self, person_id: str) -> str:
        return hashlib.sha256((self._salt + str(person_id)).encode()).hexdigest()

    def forget_person(self, person_id: str, at: datetime) -> dict[str, int]:
        """Delete every row naming the person, in every table; keep only a salted hash.

        Returns rows deleted per table. Actions naming the person are deleted whatever their
        state (their text mentions the handle); plan public clean-up (undo_repost, delete)
        with empty ``person_ids`` before forgetting, or it is forgotten too.
        """
        with self._atomic():
            handles = {r["handle"].lower() for r in self._rows(
                "SELECT handle FROM people WHERE id = ? UNION "
                "SELECT handle FROM participants WHERE person_id = ?", [person_id] * 2)}
            keys = [r["key"] for r in self._rows(
                "SELECT action_key AS key FROM action_people WHERE person_id = ?", [person_id])]
            for handle in handles:  # belt and braces: an action that @-mentions them
                keys += [r["key"] for r in self._rows(
                    "SELECT key FROM actions WHERE mb_mentions(text, ?)", [handle])]
            keys = list(dict.fromkeys(keys))
            deleted = {"action_people": 0, "actions": 0}
            for key in keys:
                deleted["action_people"] += self._execute(
                    "DELETE FROM action_people WHERE action_key = ?", [key]).rowcount
                deleted["actions"] += self._execute(
                    "DELETE FROM actions WHERE key = ?", [key]).rowcount
            atoms = [person_id, *handles, *(f"@{h}" for h in handles)]
            marks = ", ".join("?" * len(atoms))
            for table, where, params in (
                ("participants", "person_id = ?", [person_id]),
                ("people", "id = ?", [person_id]),
                ("posts_seen", "author_id = ?", [person_id]),
                ("matches", "mentee_id = ? OR mentor_id = ?", [person_id] * 2),
                ("features", "person_id = ?", [person_id]),
                # Events carry ids in ``data`` too ({"mentee_id": ...}): look at every value
                # and key of the JSON, not a LIKE that would also hit longer ids.
                ("events", "subject_id = ? OR EXISTS (SELECT 1 FROM json_tree(events.data) "
                           f"WHERE lower(CAST(atom AS TEXT)) IN ({marks}) "
                           f"OR lower(key) IN ({marks}))",
                 [person_id, *atoms, *atoms]),
            ):
                deleted[table] = self._execute(f"DELETE FROM {table} WHERE {where}",
                                               params).rowcount
            self._execute("INSERT INTO forgotten (hash, forgotten_at) VALUES (?, ?) "
                          "ON CONFLICT DO NOTHING", [self._hash(person_id), _ts(at)])
        return deleted

    def forgotten_at(self, person_id: str) -> datetime | None:
        """When this person's data was erased, if it was."""
        return _dt(self._value("SELECT forgotten_at FROM forgotten WHERE hash = ?",
                               [self._hash(person_id)]))

    def forgotten_among(self, person_ids: Iterable[str]) -> dict[str, datetime]:
        """When each of these people was forgotten, for those who were (one query for a page)."""
        out: dict[str, datetime] = {}
        for ids in _chunks(person_ids):
            by_hash = {self._hash(person_id): person_id for person_id in ids}
            marks = ", ".join("?" * len(by_hash))
            for r in self._rows(f"SELECT hash, forgotten_at FROM forgotten WHERE hash IN ({marks})",
                                list(by_hash)):
                out[by_hash[r["hash"]]] = _dt(r["forgotten_at"])
        return out

    def is_forgotten(self, person_id: str) -> bool:
        """Has this person asked to be forgotten? (Their posts are then not ingested again.)"""
        return self._value("SELECT 1 FROM forgotten WHERE hash = ?",
                           [self._hash(person_id)]) is not None


# -- rows to records ------------------------------------------------------------------------

def _user(r: dict[str, Any]) -> User:
    return User(id=r["id"], username=r["handle"], name=r["name"], description=r["bio"],
                protected=bool(r["protected"]))


def _participant(r: dict[str, Any]) -> Participant:
    return Participant(
        campaign_id=r["campaign_id"], person_id=r["person_id"], handle=r["handle"], role=r["role"],
        stage=r["stage"], specialties=tuple(json.loads(r["specialties"])), capacity=r["capacity"],
        status=r["status"], paused_until=_dt(r["paused_until"]), joined_at=_dt(r["joined_at"]),
        consented_at=_dt(r["consented_at"]), source_post_id=r["source_post_id"],
        shout_outs=bool(r["shout_outs"]), preference=r["preference"],
        evidence=tuple(json.loads(r["evidence"])))


def _action(r: dict[str, Any]) -> Action:
    return Action(
        key=r["key"], campaign_id=r["campaign_id"], kind=r["kind"], text=r["text"],
        in_reply_to=r["in_reply_to"], target_post_id=r["target_post_id"],
        person_ids=tuple(json.loads(r["person_ids"])), optional=bool(r["optional"]),
        not_before=_dt(r["not_before"]), status=r["status"], attempts=r["attempts"],
        result_id=r["result_id"], error=r["error"], retry_at=_dt(r["retry_at"]),
        created_at=_dt(r["created_at"]), updated_at=_dt(r["updated_at"]),
        thread_key=r["thread_key"])


def _match(r: dict[str, Any]) -> Match:
    return Match(
        id=r["id"], campaign_id=r["campaign_id"], mentee_id=r["mentee_id"],
        mentor_id=r["mentor_id"], status=r["status"], score=r["score"],
        reasons=tuple(json.loads(r["reasons"])), proposed_at=_dt(r["proposed_at"]),
        updated_at=_dt(r["updated_at"]), check_in=r["check_in"])
