"""The SQLite schema, as ``sqlite_utils.Migrations``.

Each migration is a function registered on :data:`migrations`; ``migrations.apply(db)`` runs
the pending ones in order, each in its own transaction together with its row in
``_sqlite_migrations``, so reopening a database is a no-op. Never edit an applied migration:
add a new one below it.

Conventions: datetimes are ISO-8601 UTC text with microseconds (fixed width, so text order is
time order); ids are X's digit strings kept as TEXT; tuples and dicts are JSON text.
"""
from __future__ import annotations

import secrets

from sqlite_utils import Database, Migrations

__all__ = ["migrations", "apply_migrations", "SCHEMA_V1"]

migrations = Migrations("mentorbot")

SCHEMA_V1 = """
CREATE TABLE campaigns (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    hashtags TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
);
CREATE TABLE people (
    id TEXT PRIMARY KEY,
    handle TEXT NOT NULL COLLATE NOCASE,
    name TEXT NOT NULL DEFAULT '',
    bio TEXT NOT NULL DEFAULT '',
    protected INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE INDEX people_handle ON people (handle COLLATE NOCASE);
CREATE TABLE participants (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    person_id TEXT NOT NULL,
    handle TEXT NOT NULL,
    role TEXT NOT NULL,
    stage TEXT,
    specialties TEXT NOT NULL DEFAULT '[]',
    capacity INTEGER,
    status TEXT NOT NULL,
    paused_until TEXT,
    joined_at TEXT NOT NULL,
    consented_at TEXT,
    source_post_id TEXT,
    shout_outs INTEGER NOT NULL DEFAULT 1,
    preference TEXT,
    evidence TEXT NOT NULL DEFAULT '[]',
    status_at TEXT,
    PRIMARY KEY (campaign_id, person_id)
);
CREATE INDEX participants_campaign_status ON participants (campaign_id, status, role);
CREATE INDEX participants_person ON participants (person_id);
CREATE TABLE posts_seen (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    post_id TEXT NOT NULL,
    author_id TEXT,
    kind TEXT NOT NULL,
    outcome TEXT,
    intent TEXT,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (campaign_id, post_id)
);
CREATE INDEX posts_seen_author ON posts_seen (author_id);
CREATE TABLE cursors (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    stream TEXT NOT NULL,
    since_id TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (campaign_id, stream)
);
CREATE TABLE actions (
    key TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    kind TEXT NOT NULL,
    text TEXT,
    in_reply_to TEXT,
    target_post_id TEXT,
    person_ids TEXT NOT NULL DEFAULT '[]',
    optional INTEGER NOT NULL DEFAULT 0,
    not_before TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'planned',
    attempts INTEGER NOT NULL DEFAULT 0,
    result_id TEXT,
    error TEXT,
    retry_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    thread_key TEXT
);
CREATE INDEX actions_due ON actions (campaign_id, status, not_before);
CREATE INDEX actions_status ON actions (status, not_before);
CREATE INDEX actions_done ON actions (campaign_id, status, kind, updated_at);
-- One row per person an action names: opt-out and deletion find actions by index, not LIKE.
CREATE TABLE action_people (
    action_key TEXT NOT NULL REFERENCES actions (key) ON DELETE CASCADE,
    person_id TEXT NOT NULL,
    PRIMARY KEY (action_key, person_id)
);
CREATE INDEX action_people_person ON action_people (person_id);
CREATE TABLE matches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    mentee_id TEXT NOT NULL,
    mentor_id TEXT NOT NULL,
    status TEXT NOT NULL,
    score REAL NOT NULL DEFAULT 0,
    reasons TEXT NOT NULL DEFAULT '[]',
    proposed_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    check_in TEXT
);
CREATE INDEX matches_campaign_status ON matches (campaign_id, status);
CREATE INDEX matches_mentee ON matches (mentee_id);
CREATE INDEX matches_mentor ON matches (mentor_id);
CREATE TABLE features (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    person_id TEXT NOT NULL,
    edition TEXT NOT NULL,
    featured_at TEXT NOT NULL,
    post_key TEXT,
    PRIMARY KEY (campaign_id, edition, person_id)
);
CREATE INDEX features_person ON features (person_id);
-- The audit trail outlives campaigns, so no foreign key on campaign_id.
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    campaign_id TEXT,
    kind TEXT NOT NULL,
    subject_id TEXT,
    source_post_id TEXT,
    data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_subject ON events (subject_id);
CREATE INDEX events_campaign_kind ON events (campaign_id, kind);
CREATE TABLE spend (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    campaign_id TEXT,
    endpoint TEXT NOT NULL,
    kind TEXT NOT NULL,
    usd REAL NOT NULL,
    resources INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX spend_at ON spend (at);
CREATE TABLE flags (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE forgotten (
    hash TEXT PRIMARY KEY,
    forgotten_at TEXT NOT NULL
);
CREATE INDEX actions_by_result ON actions (result_id);

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


@migrations(name="0001_initial")
def _initial(db: Database) -> None:
    """Every table of the first release, and the database's own salt for forgotten ids."""
    for statement in SCHEMA_V1.split(";"):
        if statement.strip():
            db.execute(statement)
    # A per-database salt: the same id hashes differently in every database, so the
    # hashes of forgotten people cannot be linked across copies or to other data sets.
    db.execute("INSERT INTO meta (key, value) VALUES ('forget_salt', ?)", [secrets.token_hex(16)])


def apply_migrations(db: Database) -> list[str]:
    """Apply every pending migration to ``db``; return the names applied (empty on reopen)."""
    pending = [m.name for m in migrations.pending(db)]
    migrations.apply(db)
    return pending
