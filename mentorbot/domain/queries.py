"""Recent-search queries limited to participants, so the bot pays only for their posts.

X charges per post read, and a program hashtag is used by many people who never joined. The
bot therefore asks for ``(#tag ...) (from:a OR from:b ...) -is:retweet``, split into as many
queries as it takes to stay within X's 512-character query limit.
"""
from __future__ import annotations

from typing import Iterable

__all__ = ["MAX_QUERY_LENGTH", "participant_queries"]

MAX_QUERY_LENGTH = 512


def participant_queries(hashtags: Iterable[str], handles: Iterable[str], *, bot: str | None = None,
                        max_length: int = MAX_QUERY_LENGTH) -> list[str]:
    """Queries that together cover every handle's posts with any of the hashtags, each at most
    ``max_length`` characters. Handles are sorted, so the same cohort gives the same queries.
    With ``bot``, posts mentioning the bot are left out: the mentions timeline reads them at
    the cheaper owned price."""
    tags = [f"#{t.lstrip('#')}" for t in hashtags]
    tag_part = tags[0] if len(tags) == 1 else f"({' OR '.join(tags)})"
    tail = f" -is:retweet -@{bot.lstrip('@')}" if bot else " -is:retweet"
    frame = f"{tag_part} (){tail}"
    room = max_length - len(frame)
    queries: list[str] = []
    chunk: list[str] = []
    for handle in sorted({h.lstrip("@") for h in handles}, key=str.lower):
        term = f"from:{handle}"
        if len(" OR ".join([*chunk, term])) > room and chunk:
            queries.append(_query(tag_part, chunk, tail))
            chunk = []
        chunk.append(term)
    if chunk:
        queries.append(_query(tag_part, chunk, tail))
    return queries


def _query(tag_part: str, terms: list[str], tail: str) -> str:
    return f"{tag_part} ({' OR '.join(terms)}){tail}"
