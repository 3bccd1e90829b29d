"""Helpers for driving the sandbox from tests and other processes (like ``structlog.testing``).

tweepy hard-codes ``https://api.twitter.com``; :func:`tweepy_client` mounts the X adapter's own
:class:`~mentorbot.adapters.x_platform.RedirectingAdapter` on a client's session, which sends
those requests to the sandbox instead. The OAuth 1.0a signature stays the one computed for the
canonical URL, which the sandbox accepts. :class:`RemoteClock` lets a bot in another process
share the sandbox's virtual clock over the admin API.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import requests
import tweepy

from ..adapters.x_platform import CANONICAL_HOST, RedirectingAdapter
from .world import Account, AppCredentials

__all__ = ["CANONICAL_HOST", "RemoteClock", "RemoteSandbox", "redirect_session", "tweepy_client"]


def redirect_session(session: requests.Session, base_url: str, timeout: float | None = None) -> None:
    session.mount(CANONICAL_HOST + "/", RedirectingAdapter(base_url, timeout))


def tweepy_client(base_url: str, app: AppCredentials, account: Account | None = None, *,
                  bearer: bool = True, timeout: float | None = 10.0, **kwargs: Any) -> tweepy.Client:
    """A ``tweepy.Client`` talking to the sandbox at ``base_url``, as ``account`` (user context) and/or the app."""
    client = tweepy.Client(
        bearer_token=app.bearer_token if bearer else None,
        consumer_key=app.consumer_key if account else None,
        consumer_secret=app.consumer_secret if account else None,
        access_token=account.access_token if account else None,
        access_token_secret=account.access_token_secret if account else None,
        **kwargs)
    redirect_session(client.session, base_url, timeout)
    return client


class RemoteClock:
    """The sandbox's virtual clock, read and moved over its admin API (``/sandbox/clock``)."""

    def __init__(self, base_url: str, *, timeout: float = 10.0):
        self._url = base_url.rstrip("/") + "/sandbox/clock"
        self._session = requests.Session()
        self._timeout = timeout

    def timestamp(self) -> float:
        response = self._session.get(self._url, timeout=self._timeout)
        response.raise_for_status()
        return float(response.json()["timestamp"])

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp(), tz=timezone.utc)

    def advance(self, seconds: float) -> datetime:
        response = self._session.post(self._url + "/advance", json={"seconds": seconds},
                                      timeout=self._timeout)
        response.raise_for_status()
        return datetime.fromtimestamp(float(response.json()["timestamp"]), tz=timezone.utc)

    def set(self, when: datetime) -> datetime:
        delta = (when - self.now()).total_seconds()
        return self.advance(delta) if delta > 0 else self.now()


class RemoteSandbox:
    """The parts of :class:`~mentorbot.sandbox.Sandbox` a scenario player needs, over the admin
    API, for a simulation whose sandbox lives in another process."""

    def __init__(self, base_url: str, *, timeout: float = 10.0):
        self._base = base_url.rstrip("/") + "/sandbox"
        self._session = requests.Session()
        self._timeout = timeout
        self.clock = RemoteClock(base_url, timeout=timeout)

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._session.request(method, self._base + path, timeout=self._timeout, **kwargs)
        response.raise_for_status()
        return response.json()

    def user(self, ref: str) -> dict[str, Any]:
        return self._call("GET", f"/users/{ref}")

    def post(self, author: str, text: str, *, reply_to: str | None = None,
             quote_of: str | None = None, created_at: str | None = None) -> dict[str, Any]:
        body = {"author": author, "text": text, "reply_to": reply_to, "quote_of": quote_of,
                "created_at": created_at}
        return self._call("POST", "/posts", json={k: v for k, v in body.items() if v is not None})

    def delete_post(self, post_id: str) -> bool:
        """Delete as the author; False when there is no live post (already deleted)."""
        response = self._session.delete(f"{self._base}/posts/{post_id}", timeout=self._timeout)
        if response.status_code == 404:
            return False
        response.raise_for_status()
        return bool(response.json().get("deleted"))

    def posts(self, author: str | None = None, include_deleted: bool = False) -> list[dict[str, Any]]:
        params = {"author": author} if author else {}
        if include_deleted:
            params["include_deleted"] = "true"
        return self._call("GET", "/posts", params=params)["posts"]
