"""The small value types that cross the Platform port.

Adapters translate a platform's payloads into these; services and the domain only see these.
Ids are strings of digits, as X sends them; compare them with :func:`id_key`, never as text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping

__all__ = ["User", "Post", "Page", "CreatedPost", "RateLimit", "CallRecord", "id_key"]


def id_key(post_id: str | int | None) -> int:
    """Numeric order of snowflake ids ("9" < "10"); ``None`` sorts first."""
    return int(post_id) if post_id is not None else -1


@dataclass(frozen=True, slots=True)
class User:
    id: str
    username: str
    name: str = ""
    description: str = ""
    protected: bool = False
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Post:
    id: str
    text: str
    author_id: str | None = None
    created_at: datetime | None = None
    conversation_id: str | None = None
    in_reply_to_user_id: str | None = None
    replied_to_id: str | None = None  # the post this one replies to
    quoted_id: str | None = None
    retweeted_id: str | None = None  # set when this post is a repost
    mentions: tuple[str, ...] = ()  # usernames, lower case, without "@"
    hashtags: tuple[str, ...] = ()  # tags, lower case, without "#"
    lang: str | None = None

    @property
    def is_repost(self) -> bool:
        return self.retweeted_id is not None

    def mentions_user(self, username: str) -> bool:
        return username.lower().lstrip("@") in self.mentions


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a timeline or search, in the platform's order (newest first).

    ``users`` holds every author the page expanded (``includes.users``), keyed by id, so a
    page of mentions carries each author's bio. ``missing`` lists ids a lookup did not find.
    """

    posts: tuple[Post, ...] = ()
    users: Mapping[str, User] = field(default_factory=dict)
    newest_id: str | None = None
    oldest_id: str | None = None
    next_token: str | None = None
    missing: tuple[str, ...] = ()

    def author(self, post: Post) -> User | None:
        return self.users.get(post.author_id) if post.author_id else None

    def oldest_first(self) -> tuple[Post, ...]:
        return tuple(sorted(self.posts, key=lambda p: id_key(p.id)))


@dataclass(frozen=True, slots=True)
class CreatedPost:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class RateLimit:
    """What the platform said about an endpoint's window after the last call to it."""

    endpoint: str  # e.g. "GET /2/users/:id/mentions"
    limit: int
    remaining: int
    reset_at: float  # unix seconds


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One HTTP call the platform adapter made, for metering and pacing.

    ``post_reads`` / ``user_reads`` are the ids of posts and users the response carried (the
    price list charges per resource, once per UTC day); ``owned`` marks reads of the bot's own
    data (its mentions timeline, its own posts), which cost less.
    """

    endpoint: str  # "METHOD /2/path/with/:placeholders"
    status: int | None  # None when no response came (timeout, connection error)
    at: float  # unix seconds when the call ended
    post_reads: tuple[str, ...] = ()
    user_reads: tuple[str, ...] = ()
    owned: bool = False
    write: str | None = None  # "post", "reply" (+ "_url" with a link), "repost", "undo_repost", "delete"
