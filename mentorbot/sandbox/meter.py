"""Pay-per-use metering by X's price list (shared/x-api/README.md).

Reads are charged per resource a response carries, each resource once per UTC day (per app):
a post $0.005, a user $0.010, a resource of the caller's own data (its own mentions timeline, its
own posts, ``/users/me``) $0.001. Writes: post $0.015, post with a URL $0.20, reply to a post
whose author mentioned the replier $0.010, delete $0.010, repost $0.015 (undoing a repost is
charged like a repost). Amounts are kept in tenths of a cent so that sums are exact.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any, Iterable

from .problems import credits_depleted, usage_capped

__all__ = ["PRICES_USD", "Meter"]

PRICES_USD = {
    "post_read": 0.005,
    "user_read": 0.010,
    "owned_read": 0.001,
    "post_create": 0.015,
    "post_create_url": 0.20,
    "reply": 0.010,
    "repost": 0.015,
    "unrepost": 0.015,
    "delete": 0.010,
}
_MILLS = {kind: round(price * 1000) for kind, price in PRICES_USD.items()}


class Meter:
    """What the app has spent; optionally a spending limit (402) and a monthly post-read cap (429)."""

    def __init__(self, spending_limit_usd: float | None = None, monthly_post_read_cap: int | None = None):
        self.spending_limit_usd = spending_limit_usd
        self.monthly_post_read_cap = monthly_post_read_cap
        self._mills: Counter[str] = Counter()
        self._counts: Counter[str] = Counter()
        self._day: str | None = None
        self._seen_today: set[tuple[str, str]] = set()
        self._month_reads: Counter[str] = Counter()  # "YYYY-MM" -> post resources read

    @property
    def total_usd(self) -> float:
        return sum(self._mills.values()) / 1000

    def check(self, when: datetime, *, reads_posts: bool) -> None:
        """Raise 402 once the spending limit is reached, 429 usage-capped past the monthly cap."""
        if self.spending_limit_usd is not None and self.total_usd >= self.spending_limit_usd:
            raise credits_depleted()
        if (reads_posts and self.monthly_post_read_cap is not None
                and self._month_reads[when.strftime("%Y-%m")] >= self.monthly_post_read_cap):
            raise usage_capped()

    def charge_reads(self, when: datetime, *, post_ids: Iterable[str] = (), user_ids: Iterable[str] = (),
                     owned: bool = False) -> float:
        """Charge the resources of one read response; returns what it cost (USD)."""
        day = when.strftime("%Y-%m-%d")
        if day != self._day:  # the clock only moves forward: yesterday's set can go
            self._day, self._seen_today = day, set()
        cost = 0
        for resource, ids in (("post", post_ids), ("user", user_ids)):
            kind = "owned_read" if owned else f"{resource}_read"
            for rid in ids:
                key = (kind, f"{resource}:{rid}")
                if key in self._seen_today:
                    continue
                self._seen_today.add(key)
                self._mills[kind] += _MILLS[kind]
                self._counts[kind] += 1
                cost += _MILLS[kind]
                if resource == "post":
                    self._month_reads[when.strftime("%Y-%m")] += 1
        return cost / 1000

    def charge_write(self, kind: str) -> float:
        self._mills[kind] += _MILLS[kind]
        self._counts[kind] += 1
        return _MILLS[kind] / 1000

    def snapshot(self) -> dict[str, Any]:
        return {"total_usd": self.total_usd,
                "by_kind": {kind: self._mills[kind] / 1000 for kind in PRICES_USD},
                "counts": {kind: self._counts[kind] for kind in PRICES_USD},
                "spending_limit_usd": self.spending_limit_usd}
