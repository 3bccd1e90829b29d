"""The ports: what services need from the outside world, as Protocols.

Adapters implement them (``mentorbot.adapters``); tests use the real SQLite store and the
sandbox X server, or the fakes shipped in ``mentorbot.testing``.
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Iterable, Iterator, Protocol, Sequence, runtime_checkable

from .domain.model import CreatedPost, Page, RateLimit, User
from .domain.records import Action, Event, Match, Participant

__all__ = ["Platform", "Store"]


@runtime_checkable
class Platform(Protocol):
    """A social platform seen from the bot's account. Every method may raise PlatformError."""

    def me(self) -> User:
        """The bot's own account."""

    def mentions(self, user_id: str, *, since_id: str | None = None,
                 max_results: int = 100, pagination_token: str | None = None) -> Page:
        """One page of posts mentioning ``user_id``, newest first, each author in ``users``."""

    def iter_mentions(self, user_id: str, *, since_id: str | None = None,
                      max_results: int = 100) -> Iterator[Page]:
        """Every page of mentions newer than ``since_id``, following pagination tokens."""

    def search_recent(self, query: str, *, since_id: str | None = None,
                      max_results: int = 100, next_token: str | None = None) -> Page:
        """One page of the last 7 days' posts matching ``query`` (<= 512 characters)."""

    def iter_search_recent(self, query: str, *, since_id: str | None = None,
                           max_results: int = 100) -> Iterator[Page]:
        """Every page of a recent search newer than ``since_id``."""

    def posts(self, ids: Sequence[str]) -> Page:
        """Posts by id (at most 100); ids not found are listed in ``Page.missing``."""

    def users(self, ids: Sequence[str] = (), *, usernames: Sequence[str] = ()) -> list[User]:
        """Users by id or by username (at most 100)."""

    def own_posts(self, user_id: str, *, since_id: str | None = None,
                  max_results: int = 100) -> Page:
        """The bot's own recent posts (replies and reposts included), newest first."""

    def create_post(self, text: str, *, in_reply_to: str | None = None,
                    summoned: bool = True) -> CreatedPost:
        """Publish a post, or a reply to ``in_reply_to`` (``summoned``: its author mentioned the
        bot, which X prices lower than a reply to the bot's own post)."""

    def repost(self, user_id: str, post_id: str) -> bool:
        """Repost ``post_id`` as ``user_id``; True when it is reposted."""

    def undo_repost(self, user_id: str, post_id: str) -> bool:
        """Undo a repost; True when it is no longer reposted."""

    def delete_post(self, post_id: str) -> bool:
        """Delete one of the bot's posts; True when deleted."""

    def rate_limits(self) -> dict[str, RateLimit]:
        """The last rate-limit state seen per endpoint (from ``x-rate-limit-*`` headers)."""


@runtime_checkable
class Store(Protocol):
    """Everything the bot remembers. Datetimes are timezone-aware UTC.

    Writes made inside ``transaction()`` commit together or not at all; each method called
    outside one is its own transaction.
    """

    def transaction(self, *, durable: bool = True) -> AbstractContextManager[Any]:
        """One write transaction; nested calls join it; an exception rolls it back.
        ``durable=False``: the commit may be lost to a power cut (never half-applied)."""

    def close(self) -> None:
        """Release the database."""

    # campaigns and cursors
    def ensure_campaign(self, id: str, name: str, hashtags: Sequence[str],
                        at: datetime | None = None) -> None:
        """Create the campaign or update its name and hashtags."""

    def campaigns(self) -> list[dict[str, Any]]:
        """Every campaign as {id, name, hashtags, created_at}."""

    def cursor(self, campaign_id: str, stream: str) -> str | None:
        """The newest post id ingested from ``stream``."""

    def set_cursor(self, campaign_id: str, stream: str, since_id: str,
                   at: datetime | None = None) -> bool:
        """Move a cursor forward (numerically); False when it would move backwards."""

    # people and participants
    def upsert_person(self, user: User, at: datetime) -> None:
        """Store or refresh a person's snapshot."""

    def person(self, id: str) -> User | None:
        """A person by id."""

    def person_by_handle(self, handle: str) -> User | None:
        """A person by handle, case-insensitive."""

    def save_participant(self, p: Participant) -> None:
        """Insert or replace a participant."""

    def participant(self, campaign_id: str, person_id: str) -> Participant | None:
        """One participant."""

    def participants_among(self, campaign_id: str,
                           person_ids: Iterable[str]) -> dict[str, Participant]:
        """The participants among these people, by person id."""

    def participants(self, campaign_id: str, role: str | None = None,
                     status: str | None = None) -> list[Participant]:
        """A campaign's participants, filtered."""

    def set_participant_status(self, campaign_id: str, person_id: str, status: str,
                               at: datetime, paused_until: datetime | None = None) -> bool:
        """Change a participant's status."""

    # posts seen
    def mark_seen(self, campaign_id: str, post_id: str, *, author_id: str | None, kind: str,
                  outcome: str | None, intent: str | None, at: datetime) -> bool:
        """Record a post as handled; True when new."""

    def is_seen(self, campaign_id: str, post_id: str) -> bool:
        """Has this post been handled?"""

    def seen_among(self, campaign_id: str, post_ids: Iterable[str]) -> set[str]:
        """Which of these posts have been handled (a page's worth in one query)."""

    def seen_outcomes(self, campaign_id: str) -> dict[str, int]:
        """Counts of seen posts by outcome."""

    # the outbox
    def plan(self, action: Action) -> bool:
        """Add an action; False when its key exists (idempotent planning)."""

    def action(self, key: str) -> Action | None:
        """An action by key."""

    def due_actions(self, campaign_id: str, now: datetime, limit: int = 50) -> list[Action]:
        """Planned actions ready to send, oldest not_before first."""

    def mark_sending(self, key: str, at: datetime) -> bool:
        """planned -> sending."""

    def mark_done(self, key: str, result_id: str | None, at: datetime) -> bool:
        """planned/sending -> done."""

    def mark_failed(self, key: str, error: str, at: datetime, retry_at: datetime | None) -> bool:
        """Back to planned until retry_at (attempts + 1); retry_at None -> failed."""

    def mark_refused(self, key: str, reason: str, at: datetime) -> bool:
        """planned/sending -> refused."""

    def defer(self, key: str, not_before: datetime, reason: str, at: datetime) -> bool:
        """planned stays planned, not before ``not_before`` (a wait, not a failure)."""

    def scrub_action(self, key: str) -> None:
        """Blank a sent action's text and the people it named."""

    def cancel(self, key: str, reason: str, at: datetime) -> bool:
        """planned -> cancelled."""

    def cancel_for_person(self, campaign_id: str, person_id: str, reason: str,
                          at: datetime) -> int:
        """Cancel every planned action naming the person; how many."""

    def actions_in_state(self, status: str, campaign_id: str | None = None) -> list[Action]:
        """Every action in a status."""

    def count_done_since(self, campaign_id: str, kind: str | None, since: datetime) -> int:
        """Actions of a kind (None: any) done since a time (daily caps)."""

    def last_done_at(self, campaign_id: str, kinds: Sequence[str] | None = None) -> datetime | None:
        """When the last action (of ``kinds``) was done (spacing)."""

    def count_actions_for_person(self, campaign_id: str, person_id: str, kind: str,
                                 since: datetime | None = None) -> int:
        """Actions of a kind naming a person, created since a time."""

    def count_actions_for_people(self, campaign_id: str, person_ids: Iterable[str], kind: str,
                                 since: datetime | None = None) -> dict[str, int]:
        """The same for many people at once; people with no such action are left out."""

    def reposts_since(self, campaign_id: str, since: datetime) -> list[tuple[str, datetime]]:
        """(person, time) of reposts planned or done since a time."""

    def action_texts(self, campaign_id: str, key_prefix: str) -> list[str]:
        """Texts of actions whose key starts with a prefix."""

    def action_by_result(self, result_id: str) -> Action | None:
        """The done action that created post ``result_id``."""

    def queue_sizes(self, campaign_id: str) -> dict[str, int]:
        """Action counts by status."""

    # matches
    def add_match(self, m: Match) -> int:
        """Store a new match; its id."""

    def match(self, id: int) -> Match | None:
        """A match by id."""

    def matches(self, campaign_id: str, status: str | None = None,
                person_id: str | None = None) -> list[Match]:
        """A campaign's matches, filtered."""

    def set_match_status(self, id: int, status: str, at: datetime,
                         check_in: str | None = None) -> bool:
        """Move a match to a status, recording a check-in answer."""

    def declined_pairs(self, campaign_id: str) -> set[tuple[str, str]]:
        """(mentee, mentor) pairs never to propose again."""

    # features
    def record_feature(self, campaign_id: str, person_id: str, edition: str, at: datetime,
                       post_key: str | None) -> bool:
        """Record a #FollowFriday feature; False if already featured in that edition."""

    def feature_counts(self, campaign_id: str) -> dict[str, int]:
        """Times featured, per person."""

    def last_featured(self, campaign_id: str) -> dict[str, datetime]:
        """Last time featured, per person."""

    # events, spend, flags
    def record_event(self, kind: str, at: datetime, *, campaign_id: str | None = None,
                     subject_id: str | None = None, source_post_id: str | None = None,
                     data: dict[str, Any] | None = None) -> int:
        """Append to the audit trail (ids only)."""

    def events(self, campaign_id: str | None = None, subject_id: str | None = None,
               kind: str | None = None) -> list[Event]:
        """Audit events, oldest first."""

    def record_spend(self, at: datetime, endpoint: str, kind: str, usd: float,
                     resources: int = 1, campaign_id: str | None = None) -> int:
        """Record metered API cost."""

    def spend_between(self, start: datetime, end: datetime,
                      campaign_id: str | None = None) -> float:
        """USD spent in [start, end)."""

    def flag(self, name: str) -> str | None:
        """A flag's value, or None."""

    def set_flag(self, name: str, value: str | None, at: datetime | None = None) -> None:
        """Set or clear (None) a flag."""

    # forgetting
    def forget_person(self, person_id: str, at: datetime) -> dict[str, int]:
        """Delete every row naming the person; keep a salted hash. Rows deleted per table."""

    def forgotten_at(self, person_id: str) -> datetime | None:
        """When this person was forgotten, if they were."""

    def forgotten_among(self, person_ids: Iterable[str]) -> dict[str, datetime]:
        """When each of these people was forgotten, for those who were."""

    def is_forgotten(self, person_id: str) -> bool:
        """Was this person forgotten?"""
