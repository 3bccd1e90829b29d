"""Rate limits: X's 15-minute windows per endpoint, kept per app (bearer) or per user (token).

A window opens at the first request after the previous one closed and resets 15 minutes later
(``x-rate-limit-reset``, unix seconds, on the sandbox's clock). ``POST /2/tweets`` also has a
24-hour window, reported in the ``x-user-limit-24hour-*`` headers.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from .problems import too_many_requests

__all__ = ["DEFAULT_LIMITS", "DAILY_POST_KEY", "WINDOW_SECONDS", "Window", "RateLimiter"]

WINDOW_SECONDS = 15 * 60
DAY_SECONDS = 24 * 60 * 60
DAILY_POST_KEY = "POST /2/tweets 24h"

# endpoint -> (per app, per user); None where the endpoint does not accept that kind of auth.
DEFAULT_LIMITS: dict[str, tuple[int | None, int | None]] = {
    "GET /2/tweets/search/recent": (450, 300),
    "GET /2/users/:id/mentions": (450, 300),
    "GET /2/users": (300, 900),
    "GET /2/users/by": (300, 900),
    "GET /2/users/:id": (300, 900),
    "GET /2/users/by/username/:username": (300, 900),
    "GET /2/users/me": (None, 75),
    "GET /2/tweets": (450, 900),
    "GET /2/tweets/:id": (450, 900),
    "GET /2/users/:id/tweets": (1500, 900),
    "POST /2/tweets": (None, 100),
    "DELETE /2/tweets/:id": (None, 50),
    "POST /2/users/:id/retweets": (None, 50),
    "DELETE /2/users/:id/retweets/:source_tweet_id": (None, 50),
    DAILY_POST_KEY: (10_000, 10_000),
}


@dataclass(frozen=True, slots=True)
class Window:
    limit: int
    remaining: int
    reset: int  # unix seconds

    def headers(self, prefix: str = "x-rate-limit") -> dict[str, str]:
        return {f"{prefix}-limit": str(self.limit), f"{prefix}-remaining": str(self.remaining),
                f"{prefix}-reset": str(self.reset)}


class RateLimiter:
    """Counts requests per (endpoint, caller) window. The caller key is ``"app"`` or ``"user:<id>"``."""

    def __init__(self, overrides: Mapping[str, int | tuple[int | None, int | None]] | None = None):
        self._limits = dict(DEFAULT_LIMITS)
        for endpoint, value in (overrides or {}).items():
            self._limits[endpoint] = (value, value) if isinstance(value, int) else (value[0], value[1])
        self._windows: dict[tuple[str, str], list[float]] = {}  # -> [start, used]

    def limit(self, endpoint: str, key: str) -> int:
        app, user = self._limits.get(endpoint, (900, 900))
        chosen = app if key == "app" else user
        return chosen if chosen is not None else (user or app or 900)

    def _state(self, endpoint: str, key: str, now: float, span: int) -> list[float]:
        state = self._windows.get((endpoint, key))
        if state is None or now >= state[0] + span:
            state = [now, 0]
            self._windows[(endpoint, key)] = state
        return state

    def peek(self, endpoint: str, key: str, now: float, *, span: int = WINDOW_SECONDS) -> Window:
        limit = self.limit(endpoint, key)
        state = self._windows.get((endpoint, key))
        if state is None or now >= state[0] + span:
            return Window(limit, limit, int(now + span))
        return Window(limit, max(0, limit - int(state[1])), int(state[0] + span))

    def _spans(self, endpoint: str) -> list[tuple[str, int, str]]:
        spans = [(endpoint, WINDOW_SECONDS, "x-rate-limit")]
        if endpoint == "POST /2/tweets":
            spans.append((DAILY_POST_KEY, DAY_SECONDS, "x-user-limit-24hour"))
        return spans

    def hit(self, endpoint: str, key: str, now: float) -> dict[str, str]:
        """Count one request; returns the response's rate-limit headers or raises the 429."""
        spans = self._spans(endpoint)
        states = [self._state(name, key, now, span) for name, span, _ in spans]
        exhausted = any(state[1] >= self.limit(name, key) for (name, _, _), state in zip(spans, states))
        if not exhausted:
            for state in states:
                state[1] += 1
        headers = self.headers(endpoint, key, now)
        if exhausted:
            raise too_many_requests(headers)
        return headers

    def headers(self, endpoint: str, key: str, now: float) -> dict[str, str]:
        """The current headers without counting a request (for errors raised before the count)."""
        headers: dict[str, str] = {}
        for name, span, prefix in self._spans(endpoint):
            headers.update(self.peek(name, key, now, span=span).headers(prefix))
        return headers
