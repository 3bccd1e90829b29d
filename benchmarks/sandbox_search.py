"""How fast the sandbox's search query language filters a large store of posts.

The sandbox evaluates a query against every stored post on each search request, so matching
must stay cheap. Run: python benchmarks/sandbox_search.py [N]
"""
from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass

from mentorbot.sandbox.query import compile_query


@dataclass(frozen=True)
class _Post:
    text: str
    author_username: str
    author_id: str = "1"
    in_reply_to_username: str | None = None
    conversation_id: str = "1"
    is_reply: bool = False
    is_retweet: bool = False
    is_quote: bool = False
    mentions: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    lang: str | None = "en"
    has_links: bool = False


def main(n: int = 100_000) -> None:
    rng = random.Random(7)
    words = "looking for a cardiology mentor MS3 residency match accepted paper congrats".split()
    posts = [_Post(text=" ".join(rng.choices(words, k=25)), author_username=rng.choice(["alice", "bob"]),
                   hashtags=("medmentormatch",) if i % 3 == 0 else (), is_retweet=i % 5 == 0)
             for i in range(n)]
    for query in ["#MedMentorMatch -is:retweet",
                  "(from:alice OR from:carol) cardiology mentor -is:retweet",
                  '"residency match" OR congrats']:
        match = compile_query(query)
        started = time.perf_counter()
        found = sum(map(match, posts))
        elapsed = time.perf_counter() - started
        print(f"{query!r:62} {n:,} posts in {elapsed:.3f} s ({n / elapsed:,.0f} posts/s), {found:,} matched")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
