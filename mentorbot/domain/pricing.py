"""X's pay-per-use price list, and what one call or one planned write costs.

Reads are charged per resource a response carries (a post, a user), each resource once per UTC
day; resources of the bot's own data (its mentions timeline, its own posts, ``/users/me``) at the
owned price. Writes are charged per call. The kind names are the sandbox meter's, so the two
tables can be compared key by key. Sums are done in mills (tenths of a cent) so they are exact.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import AbstractSet, Mapping

from twitter_text.extract_urls import extract_urls_with_indices

from .model import CallRecord

__all__ = [
    "PAGE_SIZE", "worst_page_usd", "POST_READ_USD", "USER_READ_USD", "OWNED_READ_USD", "POST_CREATE_USD", "POST_WITH_URL_USD",
    "REPLY_USD", "DELETE_USD", "REPOST_USD", "UNDO_REPOST_USD", "MAX_WRITE_USD", "PRICES_USD", "WRITE_CHARGE",
    "Charge", "Charges", "ReadKey", "call_charges", "write_cost", "has_url",
]

PAGE_SIZE = 100  # the largest page the bot asks for
POST_READ_USD = 0.005
USER_READ_USD = 0.010
OWNED_READ_USD = 0.001  # any resource of the bot's own data
POST_CREATE_USD = 0.015
POST_WITH_URL_USD = 0.20  # any post or reply whose text carries a URL
REPLY_USD = 0.010  # a reply to a post whose author mentioned (summoned) the bot
DELETE_USD = 0.010
REPOST_USD = 0.015
UNDO_REPOST_USD = REPOST_USD  # X's list is silent; the sandbox charges it like a repost
#: The dearest single write: what must stay free for any required write still to fit.
MAX_WRITE_USD = max(POST_CREATE_USD, POST_WITH_URL_USD, REPLY_USD, DELETE_USD, REPOST_USD,
                    UNDO_REPOST_USD)

#: Charge kind -> USD, with the sandbox meter's kind names.
PRICES_USD: Mapping[str, float] = MappingProxyType({
    "post_read": POST_READ_USD,
    "user_read": USER_READ_USD,
    "owned_read": OWNED_READ_USD,
    "post_create": POST_CREATE_USD,
    "post_create_url": POST_WITH_URL_USD,
    "reply": REPLY_USD,
    "repost": REPOST_USD,
    "unrepost": UNDO_REPOST_USD,
    "delete": DELETE_USD,
})
_MILLS = {kind: round(price * 1000) for kind, price in PRICES_USD.items()}

#: ``CallRecord.write`` -> charge kind. "post_url"/"reply_url" let an adapter that sees the text
#: say that a post carried a URL (the record itself has no text).
WRITE_CHARGE: Mapping[str, str] = MappingProxyType({
    "post": "post_create",
    "post_url": "post_create_url",
    "reply": "reply",
    "reply_url": "post_create_url",
    "repost": "repost",
    "undo_repost": "unrepost",
    "delete": "delete",
})

#: A read remembered for the day: (charge kind, "post:<id>" or "user:<id>"), as the sandbox keys it.
ReadKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Charge:
    kind: str  # a key of PRICES_USD
    usd: float
    resources: int = 1


@dataclass(frozen=True, slots=True)
class Charges:
    """What one call cost, and the read keys the caller must remember until the UTC day ends."""

    items: tuple[Charge, ...] = ()
    new_reads: frozenset[ReadKey] = frozenset()

    @property
    def total_usd(self) -> float:
        return sum(round(c.usd * 1000) for c in self.items) / 1000


def _usd(kind: str, count: int) -> float:
    return _MILLS[kind] * count / 1000


def call_charges(record: CallRecord, already_read: AbstractSet[ReadKey]) -> Charges:
    """The charges for one call; reads already in ``already_read`` (today's keys) are free.

    Only a successful (2xx) call is charged, as X and the sandbox do. ``ValueError`` for an
    unknown ``record.write``.
    """
    if record.status is None or not 200 <= record.status < 300:
        return Charges()
    items: list[Charge] = []
    if record.write is not None:
        kind = WRITE_CHARGE.get(record.write)
        if kind is None:
            raise ValueError(f"unknown write kind {record.write!r}")
        items.append(Charge(kind, _usd(kind, 1)))
    new: dict[ReadKey, None] = {}  # ordered; a resource twice in one response counts once
    counts: dict[str, int] = {}
    for resource, ids in (("post", record.post_reads), ("user", record.user_reads)):
        kind = "owned_read" if record.owned else f"{resource}_read"
        for rid in ids:
            key = (kind, f"{resource}:{rid}")
            if key in already_read or key in new:
                continue
            new[key] = None
            counts[kind] = counts.get(kind, 0) + 1
    items.extend(Charge(kind, _usd(kind, n), n) for kind, n in counts.items())
    return Charges(tuple(items), frozenset(new))


def has_url(text: str | None) -> bool:
    """True when X would see a link in ``text`` (twitter-text's URL rules, as the sandbox)."""
    return bool(text) and bool(extract_urls_with_indices(text or ""))


def write_cost(kind: str, text: str | None, is_reply: bool) -> float:
    """The price of a write before it is sent, to keep within the budget.

    ``is_reply`` says the write answers another post. Only a ``"reply"`` action that answers a
    post is priced as a reply to a summoner; a ``"post"`` answering one (a thread's next part,
    which answers the bot's own post) is priced as a post, as X charges it. A post or reply
    carrying a URL costs the URL price. ``ValueError`` for an unknown kind.
    """
    if kind in ("post", "reply"):
        if has_url(text):
            return POST_WITH_URL_USD
        return REPLY_USD if kind == "reply" and is_reply else POST_CREATE_USD
    prices = {"repost": REPOST_USD, "undo_repost": UNDO_REPOST_USD, "delete": DELETE_USD}
    if kind not in prices:
        raise ValueError(f"unknown write kind {kind!r}")
    return prices[kind]


def worst_page_usd(*, owned: bool, page_size: int = PAGE_SIZE) -> float:
    """The most one page of reads can cost: every post and every expanded author new today."""
    if owned:
        return 2 * page_size * OWNED_READ_USD
    return page_size * (POST_READ_USD + USER_READ_USD)
