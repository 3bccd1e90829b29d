"""What reading the program hashtag costs, with and without the ``from:`` participant restriction.

Runs the demo (the real bot against the embedded sandbox) on a community where many people use
the hashtag without ever joining, then reads the last 7 days of the hashtag twice over HTTP:

- restricted: the bot's own queries (``HashtagSearch.queries()``: the hashtag, ``from:`` every
  active participant, split to stay within 512 characters),
- bare: the same hashtag and exclusions without ``from:``.

Each read is priced by the bot's price list (``mentorbot.domain.pricing.call_charges``: posts
and the users carried with them, each once), as if on a fresh UTC day. Prints both figures and
checks that the restricted read saw only participants' posts and missed none of theirs.

Run: python benchmarks/search_cost.py [--weeks 1] [--bystanders 300] [--seed 7]
The exit status is 1 when a check fails.
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from loguru import logger

from mentorbot.adapters.x_platform import XPlatform
from mentorbot.config.env import XCredentials
from mentorbot.domain.model import CallRecord
from mentorbot.domain.pricing import call_charges
from mentorbot.domain.queries import participant_queries
from mentorbot.simulation.demo import run_demo

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGN = ROOT / "config" / "campaigns" / "medmentormatch.toml"


@dataclass
class Reading:
    """One way of reading the hashtag: what it returned and what it cost."""

    queries: int = 0
    calls: int = 0
    authors: dict[str, str] = field(default_factory=dict)  # post id -> author username
    post_reads: int = 0
    user_reads: int = 0
    usd: float = 0.0

    def charge(self, records: list[CallRecord]) -> None:
        seen: set = set()
        for record in records:
            charges = call_charges(record, seen)
            seen |= charges.new_reads
            for item in charges.items:
                self.usd += item.usd
                if item.kind == "post_read":
                    self.post_reads += item.resources
                elif item.kind == "user_read":
                    self.user_reads += item.resources
            self.calls += 1


def read(platform: XPlatform, records: list[CallRecord], queries: list[str]) -> Reading:
    records.clear()
    reading = Reading(queries=len(queries))
    for query in queries:
        for page in platform.iter_search_recent(query, max_results=100):
            for post in page.posts:
                author = page.author(post)
                reading.authors[post.id] = author.username if author else f"id:{post.author_id}"
    reading.charge(records)
    return reading


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=1)
    parser.add_argument("--bystanders", type=int, default=300, help="people who use the hashtag, never join")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    logger.remove()  # the demo logs every call; the figures are what matters here

    started = time.perf_counter()
    demo = run_demo(campaign_path=CAMPAIGN, seed=args.seed, weeks=args.weeks,
                    community={"bystanders": args.bystanders})
    campaign, sandbox = demo.campaign, demo.sandbox
    participants = {p.handle.casefold() for p in demo.store.participants(campaign.id, status="active")}
    print(f"demo: {args.weeks} week(s), seed {args.seed}, {args.bystanders} bystanders; "
          f"{len(participants)} active participants ({time.perf_counter() - started:.1f} s)")

    bot = sandbox.account(campaign.bot_handle)
    app = sandbox.app
    credentials = XCredentials(app.bearer_token, app.consumer_key, app.consumer_secret,
                               bot.access_token, bot.access_token_secret)
    records: list[CallRecord] = []
    server = sandbox.serve()
    try:
        platform = XPlatform(credentials, base_url=server.url, observer=records.append,
                             time_source=demo.sandbox.clock.timestamp)
        restricted_queries = participant_queries(campaign.hashtags, sorted(participants), bot=campaign.bot_handle)
        bare_query = participant_queries(campaign.hashtags, ["x"], bot=campaign.bot_handle)[0].replace(
            " (from:x)", "")
        restricted = read(platform, records, restricted_queries)
        bare = read(platform, records, [bare_query])
    finally:
        server.close()

    print(f"bare query: {bare_query}")
    print(f"restricted: {len(restricted_queries)} queries of at most "
          f"{max(map(len, restricted_queries))} characters")
    print(f"{'':12} {'queries':>7} {'calls':>5} {'posts read':>10} {'users read':>10} {'cost USD':>9}")
    for name, r in (("bare", bare), ("from:", restricted)):
        print(f"{name:12} {r.queries:7} {r.calls:5} {r.post_reads:10} {r.user_reads:10} {r.usd:9.3f}")
    others = [a for a in bare.authors.values() if a.casefold() not in participants]
    print(f"bare returned {len(bare.authors)} posts, {len(others)} of them by {len(set(others))} "
          f"non-participants; from: returned {len(restricted.authors)}, all by participants; "
          f"from: saves {bare.usd - restricted.usd:.3f} USD ({1 - restricted.usd / bare.usd:.0%}) "
          "on one read of the 7-day window")

    problems = []
    strangers = {a for a in restricted.authors.values() if a.casefold() not in participants}
    if strangers:
        problems.append(f"restricted read posts by non-participants: {sorted(strangers)[:5]}")
    theirs = {pid for pid, a in bare.authors.items() if a.casefold() in participants}
    if theirs != set(restricted.authors):
        problems.append(f"restricted missed {len(theirs - set(restricted.authors))} participants' posts")
    for problem in problems:
        print("FAIL:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
