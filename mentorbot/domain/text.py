"""Post length as X counts it: twitter-text v3 weighted characters (NFC, URLs 23, CJK and emoji 2)."""
from __future__ import annotations

import unicodedata

from twitter_text import parse_tweet

__all__ = ["MAX_WEIGHTED_LENGTH", "weighted_length", "fits"]

MAX_WEIGHTED_LENGTH = 280


def weighted_length(text: str) -> int:
    return parse_tweet(unicodedata.normalize("NFC", text)).weightedLength


def fits(text: str) -> bool:
    """True when X would accept ``text`` as a post: non-empty and within 280 weighted characters."""
    return bool(text.strip()) and parse_tweet(unicodedata.normalize("NFC", text)).valid
