"""Helpers for driving the sandbox with tweepy in tests (like ``structlog.testing``).

tweepy hard-codes ``https://api.twitter.com``; :class:`RedirectAdapter`, mounted on a client's
session, sends those requests to the sandbox instead. The OAuth 1.0a signature stays the one
computed for the canonical URL, which the sandbox accepts.
"""
from __future__ import annotations

from typing import Any

import requests
import tweepy
from requests.adapters import HTTPAdapter

from .world import Account, AppCredentials

__all__ = ["CANONICAL_HOST", "RedirectAdapter", "redirect_session", "tweepy_client"]

CANONICAL_HOST = "https://api.twitter.com"


class RedirectAdapter(HTTPAdapter):
    """Rewrites ``https://api.twitter.com/...`` to ``base_url/...``; gives requests a default timeout."""

    def __init__(self, base_url: str, timeout: float | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if request.url and request.url.startswith(CANONICAL_HOST):
            request.url = self.base_url + request.url[len(CANONICAL_HOST):]
        if kwargs.get("timeout") is None and self.timeout is not None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


def redirect_session(session: requests.Session, base_url: str, timeout: float | None = None) -> None:
    session.mount(CANONICAL_HOST, RedirectAdapter(base_url, timeout))


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
