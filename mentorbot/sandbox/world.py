"""The sandbox's state: the app's keys, users with their tokens, posts and their indexes.

No rules live here (no gate, no limits, no meter): the API layer checks those, and the admin API
writes here directly. Ids are snowflakes: milliseconds since X's epoch shifted left 22 bits,
plus a sequence, so that they grow with (virtual) time like X's. Not thread-safe on its own:
the :class:`~mentorbot.sandbox.Sandbox` holds one lock around every use.
"""
from __future__ import annotations

import bisect
import random
import string
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterator

from .entities import guess_lang, parse_text

__all__ = [
    "AppCredentials",
    "Account",
    "UserRecord",
    "PostRecord",
    "World",
    "EPOCH_MS",
    "snowflake_floor",
    "snowflake_time",
    "iso",
]

EPOCH_MS = 1288834974657  # X's snowflake epoch (2010-11-04)
_ALNUM = string.ascii_letters + string.digits


def snowflake_floor(when: datetime) -> int:
    """The smallest id that a post created at ``when`` (to the millisecond) can have."""
    return max(0, int(when.timestamp() * 1000) - EPOCH_MS) << 22


def snowflake_time(post_id: str | int) -> datetime:
    """The creation time encoded in a snowflake id."""
    ms = (int(post_id) >> 22) + EPOCH_MS
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc)


def iso(when: datetime) -> str:
    """X's timestamp format: ``2026-01-05T08:00:00.000Z``."""
    when = when.astimezone(timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


@dataclass(frozen=True, slots=True)
class AppCredentials:
    consumer_key: str = field(repr=False)
    consumer_secret: str = field(repr=False)
    bearer_token: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    username: str
    access_token: str = field(repr=False)
    access_token_secret: str = field(repr=False)


@dataclass(slots=True)
class UserRecord:
    id: str
    username: str
    name: str
    description: str
    protected: bool
    created_at: datetime
    read_only: bool
    access_token: str = field(repr=False)
    access_token_secret: str = field(repr=False)

    def account(self) -> Account:
        return Account(self.id, self.username, self.access_token, self.access_token_secret)


@dataclass(slots=True)
class PostRecord:
    """A post; also the ``Searchable`` view that ``query.compile_query`` predicates read."""

    id: str
    author_id: str
    author_username: str
    text: str  # as stored and served (links wrapped)
    raw_text: str  # as submitted (the duplicate check compares these)
    created_at: datetime
    entities: dict[str, list[dict[str, Any]]]
    mentions: tuple[str, ...]
    hashtags: tuple[str, ...]
    has_links: bool
    lang: str | None
    conversation_id: str
    reply_to: str | None = None
    in_reply_to_user_id: str | None = None
    in_reply_to_username: str | None = None
    quote_of: str | None = None
    retweet_of: str | None = None
    deleted: bool = False

    @property
    def is_reply(self) -> bool:
        return self.reply_to is not None

    @property
    def is_retweet(self) -> bool:
        return self.retweet_of is not None

    @property
    def is_quote(self) -> bool:
        return self.quote_of is not None

    def referenced(self) -> list[dict[str, str]]:
        refs = [("retweeted", self.retweet_of), ("quoted", self.quote_of), ("replied_to", self.reply_to)]
        return [{"type": kind, "id": pid} for kind, pid in refs if pid is not None]

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "author_id": self.author_id, "username": self.author_username,
                "text": self.text, "created_at": iso(self.created_at), "in_reply_to": self.reply_to,
                "quote_of": self.quote_of, "retweet_of": self.retweet_of, "deleted": self.deleted}


class World:
    """Users and posts, with the indexes the timelines need."""

    def __init__(self, seed: int = 0, *, shorten_urls: bool = True):
        self._keys = random.Random(f"mentorbot-sandbox-keys:{seed}")
        self._links = random.Random(f"mentorbot-sandbox-links:{seed}")
        self._shorten = shorten_urls
        self.app = AppCredentials(self._token(25), self._token(50), "A" * 21 + self._token(90))
        self.users: dict[str, UserRecord] = {}
        self.posts: dict[str, PostRecord] = {}
        self._by_name: dict[str, str] = {}
        self._by_token: dict[str, str] = {}
        self._order: list[int] = []  # every post id, ascending
        self._by_author: dict[str, list[int]] = {}
        self._inbox: dict[str, list[int]] = {}  # lower-case username -> ids mentioning or replying to them
        self._counts: Counter[tuple[str, str]] = Counter()  # ("reply"|"retweet"|"quote", post id)

    def _token(self, n: int) -> str:
        return "".join(self._keys.choice(_ALNUM) for _ in range(n))

    # users ---------------------------------------------------------------------------------
    def add_user(self, username: str, *, name: str, description: str, protected: bool,
                 created_at: datetime, read_only: bool) -> UserRecord:
        if not username or len(username) > 15 or not all(c in _ALNUM + "_" for c in username):
            raise ValueError(f"invalid username {username!r}: 1-15 letters, digits or _")
        if username.lower() in self._by_name:
            raise ValueError(f"username {username!r} is taken")
        uid = str(self._keys.randrange(10**18, 2 * 10**18))
        while uid in self.users:
            uid = str(int(uid) + 1)
        user = UserRecord(uid, username, name or username, description, protected, created_at,
                          read_only, f"{uid}-{self._token(30)}", self._token(45))
        self.users[uid] = user
        self._by_name[username.lower()] = uid
        self._by_token[user.access_token] = uid
        return user

    def user(self, ref: str | None) -> UserRecord | None:
        """A user by id or by username (with or without "@")."""
        if ref is None:
            return None
        ref = str(ref)
        if ref in self.users:
            return self.users[ref]
        uid = self._by_name.get(ref.lstrip("@").lower())
        return self.users[uid] if uid else None

    def user_by_username(self, username: str) -> UserRecord | None:
        uid = self._by_name.get(username.lower())
        return self.users[uid] if uid else None

    def user_by_token(self, token: str) -> UserRecord | None:
        uid = self._by_token.get(token)
        return self.users[uid] if uid else None

    # posts ---------------------------------------------------------------------------------
    def _new_id(self, when: datetime) -> str:
        candidate = snowflake_floor(when)
        while str(candidate) in self.posts:
            candidate += 1
        return str(candidate)

    def _tco(self, _url: str) -> str:
        return "https://t.co/" + "".join(self._links.choice(_ALNUM) for _ in range(10))

    def add_post(self, author: UserRecord, text: str, *, created_at: datetime,
                 reply_to: PostRecord | None = None, quote_of: PostRecord | None = None,
                 retweet_of: PostRecord | None = None) -> PostRecord:
        pid = self._new_id(created_at)
        if retweet_of is not None:
            prefix = f"RT @{retweet_of.author_username}: "
            shifted = {kind: [{**e, "start": e["start"] + len(prefix), "end": e["end"] + len(prefix)}
                              for e in items] for kind, items in retweet_of.entities.items()}
            rt_mention = {"start": 3, "end": 4 + len(retweet_of.author_username),
                          "username": retweet_of.author_username, "id": retweet_of.author_id}
            shifted["mentions"] = [rt_mention] + shifted.get("mentions", [])
            mentions = tuple(dict.fromkeys((retweet_of.author_username.lower(),) + retweet_of.mentions))
            post = PostRecord(pid, author.id, author.username, prefix + retweet_of.text, prefix + retweet_of.text,
                              created_at, shifted, mentions, retweet_of.hashtags, retweet_of.has_links,
                              retweet_of.lang, pid, retweet_of=retweet_of.id)
        else:
            def lookup(name: str) -> str | None:
                found = self.user_by_username(name)
                return found.id if found else None

            parsed = parse_text(text, user_id=lookup, shorten=self._tco if self._shorten else None)
            post = PostRecord(
                pid, author.id, author.username, parsed.text, text, created_at, parsed.entities,
                parsed.mentions, parsed.hashtags, parsed.has_links, guess_lang(parsed.text),
                conversation_id=reply_to.conversation_id if reply_to else pid,
                reply_to=reply_to.id if reply_to else None,
                in_reply_to_user_id=reply_to.author_id if reply_to else None,
                in_reply_to_username=reply_to.author_username if reply_to else None,
                quote_of=quote_of.id if quote_of else None)
        self.posts[pid] = post
        key = int(pid)
        bisect.insort(self._order, key)
        bisect.insort(self._by_author.setdefault(author.id, []), key)
        inbox = set(post.mentions)
        if post.in_reply_to_username:
            inbox.add(post.in_reply_to_username.lower())
        for name in inbox:
            bisect.insort(self._inbox.setdefault(name, []), key)
        self._count(post, +1)
        return post

    def _count(self, post: PostRecord, delta: int) -> None:
        for kind, ref in (("reply", post.reply_to), ("retweet", post.retweet_of), ("quote", post.quote_of)):
            if ref is not None:
                self._counts[(kind, ref)] += delta

    def count(self, kind: str, post_id: str) -> int:
        return self._counts[(kind, post_id)]

    def delete_post(self, post: PostRecord) -> None:
        """Mark ``post`` deleted, with its reposts (X removes them with the original)."""
        if post.deleted:
            return
        post.deleted = True
        self._count(post, -1)
        for other in self.posts.values():
            if other.retweet_of == post.id and not other.deleted:
                other.deleted = True
                self._count(other, -1)

    def post(self, post_id: str | None) -> PostRecord | None:
        """A live (not deleted) post by id."""
        found = self.posts.get(str(post_id)) if post_id is not None else None
        return found if found is not None and not found.deleted else None

    def find_repost(self, user_id: str, original_id: str) -> PostRecord | None:
        for key in reversed(self._by_author.get(user_id, [])):
            post = self.posts[str(key)]
            if post.retweet_of == original_id and not post.deleted:
                return post
        return None

    def visible(self, post: PostRecord, viewer_id: str | None) -> bool:
        """Not deleted, and not from a protected account unless the viewer is its author."""
        if post.deleted:
            return False
        author = self.users.get(post.author_id)
        return not (author and author.protected and viewer_id != post.author_id)

    def newest_first(self, ids: list[int] | None = None) -> Iterator[PostRecord]:
        """Posts (deleted ones too) in descending id order, from ``ids`` or from all posts."""
        for key in reversed(self._order if ids is None else ids):
            yield self.posts[str(key)]

    def inbox(self, user: UserRecord) -> list[int]:
        return self._inbox.get(user.username.lower(), [])

    def authored(self, user: UserRecord) -> list[int]:
        return self._by_author.get(user.id, [])

    def post_count(self, user: UserRecord) -> int:
        return sum(1 for key in self.authored(user) if not self.posts[str(key)].deleted)
