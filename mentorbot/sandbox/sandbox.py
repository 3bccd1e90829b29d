"""The :class:`Sandbox`: a local X API v2 (state, rules, meter, faults) and its Python API.

Everything is behind one lock, so the HTTP server's threads, the admin API and a test or
simulator calling the Python API directly may all use it at once. For a given seed and the
same sequence of calls (on a VirtualClock), ids, tokens and faults are the same.
"""
from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime
from typing import Any, Mapping

from ..clock import Clock, RealClock
from .api import ApiRequest, ApiResponse, handle_api, write_record
from .auth import Caller
from .faults import FAULT_KINDS, FaultInjector
from .limits import RateLimiter
from .meter import Meter
from .world import Account, AppCredentials, UserRecord, World, iso

__all__ = ["Sandbox"]


def _when(value: datetime | str | None, default: datetime) -> datetime:
    if value is None:
        return default
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError("created_at must be timezone-aware")
    return value


class Sandbox:
    """A fake X that tweepy cannot tell from the real one. See the package docstring."""

    def __init__(self, clock: Clock | None = None, seed: int = 0, spending_limit_usd: float | None = None, *,
                 rate_limits: Mapping[str, int | tuple[int | None, int | None]] | None = None,
                 monthly_post_read_cap: int | None = None, duplicate_window_seconds: float | None = None,
                 shorten_urls: bool = True):
        self.clock: Clock = clock if clock is not None else RealClock()
        self.seed = seed
        self.duplicate_window = duplicate_window_seconds
        self._lock = threading.RLock()
        self._world = World(seed, shorten_urls=shorten_urls)
        self._limiter = RateLimiter(rate_limits)
        self._meter = Meter(spending_limit_usd, monthly_post_read_cap)
        self._faults = FaultInjector()
        self._writes: list[dict[str, Any]] = []
        self._requests: dict[str, Counter[str]] = {}
        self._refused: Counter[str] = Counter()
        self._fault_counts: Counter[str] = Counter()

    # accounts ------------------------------------------------------------------------------
    @property
    def app(self) -> AppCredentials:
        return self._world.app

    def create_user(self, username: str, *, name: str = "", description: str = "", protected: bool = False,
                    created_at: datetime | str | None = None, read_only: bool = False) -> Account:
        with self._lock:
            user = self._world.add_user(username, name=name, description=description, protected=protected,
                                        created_at=_when(created_at, self.clock.now()), read_only=read_only)
            return user.account()

    def _user(self, ref: str | Account) -> UserRecord:
        user = self._world.user(ref.id if isinstance(ref, Account) else str(ref))
        if user is None:
            raise KeyError(f"no sandbox user {ref!r}")
        return user

    def update_user(self, user: str | Account, *, description: str | None = None, protected: bool | None = None,
                    name: str | None = None) -> dict[str, Any]:
        with self._lock:
            record = self._user(user)
            if description is not None:
                record.description = description
            if protected is not None:
                record.protected = bool(protected)
            if name is not None:
                record.name = name
            return self._user_dict(record)

    def user(self, ref: str | Account) -> dict[str, Any]:
        """A user (by id or username) as a dict, without tokens."""
        with self._lock:
            return self._user_dict(self._user(ref))

    def users(self) -> list[dict[str, Any]]:
        """Every user as a dict, without tokens, in creation order."""
        with self._lock:
            return [self._user_dict(u) for u in self._world.users.values()]

    def account(self, ref: str | Account) -> Account:
        """A user's account with its tokens."""
        with self._lock:
            return self._user(ref).account()

    @staticmethod
    def _user_dict(user: UserRecord) -> dict[str, Any]:
        return {"id": user.id, "username": user.username, "name": user.name, "description": user.description,
                "protected": user.protected, "created_at": iso(user.created_at), "read_only": user.read_only}

    # posts (admin: no gate, no limits, no meter) ----------------------------------------------
    def post(self, author: str | Account, text: str, reply_to: str | None = None, quote_of: str | None = None,
             created_at: datetime | str | None = None) -> dict[str, Any]:
        """Publish as ``author`` (id or username) without any of the API's checks."""
        if not text or not text.strip():
            raise ValueError("a post needs text")
        with self._lock:
            record = self._user(author)
            parent = self._world.post(reply_to) if reply_to is not None else None
            quoted = self._world.post(quote_of) if quote_of is not None else None
            if reply_to is not None and parent is None:
                raise KeyError(f"no live post {reply_to!r} to reply to")
            if quote_of is not None and quoted is None:
                raise KeyError(f"no live post {quote_of!r} to quote")
            post = self._world.add_post(record, text, created_at=_when(created_at, self.clock.now()),
                                        reply_to=parent, quote_of=quoted)
            return post.as_dict()

    def repost(self, author: str | Account, post_id: str) -> dict[str, Any]:
        """Repost ``post_id`` as ``author`` (admin); returns the repost (an existing one if any)."""
        with self._lock:
            record = self._user(author)
            target = self._world.post(post_id)
            if target is None:
                raise KeyError(f"no live post {post_id!r} to repost")
            existing = self._world.find_repost(record.id, target.id)
            post = existing or self._world.add_post(record, "", created_at=self.clock.now(), retweet_of=target)
            return post.as_dict()

    def delete_post(self, post_id: str) -> bool:
        """Delete as if the author did; False when there is no such live post."""
        with self._lock:
            post = self._world.post(post_id)
            if post is None:
                return False
            self._world.delete_post(post)
            return True

    def posts(self, author: str | Account | None = None, include_deleted: bool = False) -> list[dict[str, Any]]:
        """Posts oldest first (by id), optionally of one author."""
        with self._lock:
            wanted = self._user(author).id if author is not None else None
            return [p.as_dict() for p in reversed(list(self._world.newest_first()))
                    if (wanted is None or p.author_id == wanted) and (include_deleted or not p.deleted)]

    # observation ---------------------------------------------------------------------------
    def writes(self) -> list[dict[str, Any]]:
        """Every write attempted through the API, in order (see ``api.write_record``)."""
        with self._lock:
            return [dict(w) for w in self._writes]

    def meter(self) -> dict[str, Any]:
        with self._lock:
            return self._meter.snapshot()

    def requests(self) -> dict[str, Any]:
        with self._lock:
            return {"total": sum(sum(c.values()) for c in self._requests.values()),
                    "by_route": {route: dict(c) for route, c in sorted(self._requests.items())},
                    "refused_writes": dict(self._refused), "faults": dict(self._fault_counts)}

    # faults and time -----------------------------------------------------------------------
    def set_faults(self, rate: float = 0.2, kinds: tuple[str, ...] | list[str] = FAULT_KINDS, seed: int = 1,
                   hold_seconds: float = 2.0, after_commit_share: float = 0.0) -> None:
        """Fail a ``rate`` share of /2 requests from now on (``rate=0`` turns faults off)."""
        with self._lock:
            self._faults.configure(rate, kinds, seed, hold_seconds, after_commit_share)

    def faults(self) -> dict[str, Any]:
        with self._lock:
            return self._faults.settings()

    def advance(self, seconds: float) -> datetime:
        """Move a VirtualClock forward (ValueError with a real clock)."""
        advance = getattr(self.clock, "advance", None)
        if advance is None:
            raise ValueError("the sandbox runs on a real clock; give it a VirtualClock to advance time")
        return advance(seconds)

    # serving -------------------------------------------------------------------------------
    def handle(self, request: ApiRequest) -> ApiResponse:
        """Answer one /2 request (the HTTP server calls this; a timeout fault's hold is the caller's)."""
        with self._lock:
            return handle_api(self, request)

    def serve(self, host: str = "127.0.0.1", port: int = 0):
        """Serve over HTTP in a daemon thread; returns a :class:`~mentorbot.sandbox.server.SandboxServer`."""
        from .server import SandboxServer
        return SandboxServer(self, host, port)

    def env_lines(self, account: str | Account, base_url: str) -> str:
        """``.env`` lines that point mentorbot at this sandbox as ``account``."""
        acct = self.account(account)
        app = self.app
        lines = [f"X_API_BASE_URL={base_url}", f"X_BEARER_TOKEN={app.bearer_token}",
                 f"X_CONSUMER_KEY={app.consumer_key}", f"X_CONSUMER_SECRET={app.consumer_secret}",
                 f"X_ACCESS_TOKEN={acct.access_token}", f"X_ACCESS_TOKEN_SECRET={acct.access_token_secret}"]
        return "\n".join(lines) + "\n"

    # bookkeeping for the pipeline (called with the lock held) -----------------------------------
    def _log_write(self, intent: dict[str, Any], caller: Caller | None, when: datetime, *, refused: bool,
                   reason: str | None, status: int, post_id: str | None = None) -> None:
        self._writes.append(write_record(intent, caller, self, when, refused=refused, reason=reason,
                                         status=status, post_id=post_id))
        if refused and reason:
            self._refused[reason] += 1

    def _count_request(self, route: str, status: int) -> None:
        self._requests.setdefault(route, Counter())[str(status)] += 1

    def _count_fault(self, reason: str) -> None:
        self._fault_counts[reason.removeprefix("fault:")] += 1
