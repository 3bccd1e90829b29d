"""The ports: what services need from the outside world, as Protocols.

Adapters implement them (``mentorbot.adapters``); tests use the real SQLite store and the
sandbox X server, or the fakes shipped in ``mentorbot.testing``.
"""
from __future__ import annotations

from typing import Iterator, Protocol, Sequence, runtime_checkable

from .domain.model import CreatedPost, Page, RateLimit, User

__all__ = ["Platform"]


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

    def create_post(self, text: str, *, in_reply_to: str | None = None) -> CreatedPost:
        """Publish a post, or a reply to ``in_reply_to``."""

    def repost(self, user_id: str, post_id: str) -> bool:
        """Repost ``post_id`` as ``user_id``; True when it is reposted."""

    def undo_repost(self, user_id: str, post_id: str) -> bool:
        """Undo a repost; True when it is no longer reposted."""

    def delete_post(self, post_id: str) -> bool:
        """Delete one of the bot's posts; True when deleted."""

    def rate_limits(self) -> dict[str, RateLimit]:
        """The last rate-limit state seen per endpoint (from ``x-rate-limit-*`` headers)."""
