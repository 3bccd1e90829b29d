"""How fast the bot handles pages of mentions against a large database, and in how much memory.

Builds a SQLite file with many participants (people and participants rows; by default also each
one's join post, the bot's confirmation reply and, for half the active mentees, a match), then
feeds pages of 100 realistic mentions (joins from new people, commands from participants, chatter,
protected and blocked accounts) straight into ``MentionIngest.handle_page``: screen, classify,
store, plan the replies, move the cursor, one transaction per page. No HTTP: this measures
classify-store-plan with the real interpreter (Intake), the real log format and a virtual clock.

Targets (from the issue): at least 2,000 posts/s and under 100 MB peak RSS with a
100,000-participant database.

Run: python benchmarks/ingest.py [--pages 100] [--participants 100000] [--db PATH]
         [--no-history] [--analyze] [--profile]
The exit status is 1 when a target is missed. --profile uses pyinstrument when it is installed.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from mentorbot.adapters.sqlite_store import SQLiteStore
from mentorbot.clock import VirtualClock
from mentorbot.config.campaign import load_campaign
from mentorbot.config.vocabulary import load_vocabulary
from mentorbot.domain.campaign import Campaign
from mentorbot.domain.model import Page, Post, User
from mentorbot.logs import configure_logging
from mentorbot.services.ingest import IngestReport, MentionIngest
from mentorbot.services.intake import Intake
from mentorbot.simulation import posts as post_texts
from mentorbot.simulation import texts
from mentorbot.simulation.people import Profile, make_profiles
from mentorbot.simulation.phrasing import Voice

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGN = ROOT / "config" / "campaigns" / "medmentormatch.toml"
TARGET_POSTS_PER_S = 2_000
TARGET_RSS_MB = 100

BOT = User(id="1500000000000000001", username="MedMentorBot", name="MedMentorMatch")
_PERSON_BASE = 1_600_000_000_000_000_000  # existing participants: _PERSON_BASE + i
_NEWCOMER_BASE = 1_700_000_000_000_000_000  # people who write for the first time
_POST_BASE = 1_900_000_000_000_000_000  # post ids, increasing with time
_REPLY_BASE = 1_800_000_000_000_000_000  # the bot's confirmation replies (history)
_BATCH = 5_000
_MENTION = re.compile(r"@(\w{1,15})")
_TAG = re.compile(r"#(\w+)")
# The mix of a page of mentions; weights in percent.
_MIX = (("join", 35), ("command", 30), ("chatter", 20), ("protected", 8), ("blocked", 7))
_COMMANDS = (("status", 30), ("help", 20), ("pause", 20), ("resume", 15), ("stop", 15))
# Neutral bio endings (no stage, no specialty): 100,000 people have 100,000 bios, not the pool's few
# thousand, so the classifier's per-bio cache is not flattered.
_TAILS_A = ("", " she/her", " he/him", " they/them", " Views my own.", " Opinions mine.", " RT != endorsement.",
            " Tweets my own.", " 🌎", " ☕", " 🏃", " 🐶", " 📚", " 🎶", " ⚽", " 🌱")
_TAILS_B = ("", " Coffee first.", " Dog parent.", " Runner.", " Baker on weekends.", " Cat person.", " Hiker.",
            " Podcast addict.", " Chess.", " Amateur photographer.", " Soccer fan.", " Bookworm.", " Gardener.",
            " Cyclist.", " Foodie.", " Swimmer.", " Travel.", " Jazz.", " Climber.", " Yoga.", " Knitting.",
            " Sci-fi.", " Board games.", " Marathoner.", " Painter.", " Ukulele.", " Tea > coffee.", " Surfer.",
            " Movies.", " Poetry.", " Cooking.", " Birdwatcher.")


def _rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _ts(when: datetime) -> str:
    return when.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _personal(bio: str, n: int) -> str:
    """The pool's bio made this person's own (512 neutral endings; the bio stays within 160)."""
    tail = _TAILS_A[n % len(_TAILS_A)] + _TAILS_B[(n // len(_TAILS_A)) % len(_TAILS_B)]
    return bio[: 160 - len(tail)] + tail


def _weighted(rng: random.Random, pairs) -> str:
    names, weights = zip(*pairs)
    return rng.choices(names, weights)[0]


# -- the community ---------------------------------------------------------------------------

class Community:
    """A pool of realistic profiles; participant ``i`` is drawn from it deterministically."""

    def __init__(self, seed: int, size: int = 2_400):
        rng = random.Random(seed)
        pool = make_profiles(rng, {"mentee": size * 6 // 10, "mentor": size * 3 // 10,
                                   "bystander": size // 10, "troll": 12, "spammer": 12}, BOT.username)
        self.joiners = [p for p in pool if p.persona.kind in ("mentee", "mentor")]
        self.bystanders = [p for p in pool if p.persona.kind == "bystander"]
        self.noise = [p for p in pool if p.persona.kind in ("troll", "spammer")]

    def profile(self, i: int) -> Profile:
        return self.joiners[i % len(self.joiners)]

    def handle(self, i: int) -> str:
        """A unique handle (15 characters at most) from the profile's own, like X suggests."""
        suffix = str(i)
        return f"{self.profile(i).handle[: 15 - len(suffix)]}{suffix}"

    def user(self, i: int) -> User:
        p = self.profile(i).persona
        return User(id=str(_PERSON_BASE + i), username=self.handle(i), name=p.name,
                    description=_personal(p.bio, i // len(self.joiners)), protected=False)


# -- the database ----------------------------------------------------------------------------

_INSERTS = {
    "people": "INSERT INTO people (id, handle, name, bio, protected, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
    "participants": "INSERT INTO participants (campaign_id, person_id, handle, role, stage, specialties, capacity,"
                    " status, paused_until, joined_at, consented_at, source_post_id, shout_outs, preference,"
                    " evidence, status_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "posts_seen": "INSERT INTO posts_seen (campaign_id, post_id, author_id, kind, outcome, intent, seen_at)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?)",
    "actions": "INSERT INTO actions (key, campaign_id, kind, text, in_reply_to, target_post_id, person_ids, optional,"
               " not_before, status, attempts, result_id, error, retry_at, created_at, updated_at, thread_key)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "action_people": "INSERT INTO action_people (action_key, person_id) VALUES (?, ?)",
    "matches": "INSERT INTO matches (campaign_id, mentee_id, mentor_id, status, score, reasons, proposed_at,"
               " updated_at, check_in) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
}


def build_database(path: Path, campaign: Campaign, community: Community, participants: int,
                   now: datetime, *, history: bool = True, analyze: bool = False) -> SQLiteStore:
    """A fresh database file with ``participants`` people in the campaign (setup, not measured).

    With ``history``, each person also has their join post (seen), the bot's confirmation reply
    (done, in the outbox) and, for about half the active mentees, an active match with a mentor
    who has room: what a program of that size has accumulated. ``analyze`` gathers planner
    statistics, which the engine itself never does.
    """
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    store = SQLiteStore.open(path)
    store.ensure_campaign(campaign.id, campaign.name, campaign.hashtags, campaign.start)
    rng = random.Random(11)
    span = (now - campaign.start).total_seconds() - 3600
    open_mentors: list[list] = []  # [mentor id, places left], most recent last
    paused_until = _ts(now + timedelta(days=14))
    with store.transaction():
        for first in range(0, participants, _BATCH):
            rows: dict[str, list[tuple]] = {table: [] for table in _INSERTS}
            for i in range(first, min(first + _BATCH, participants)):
                persona, user = community.profile(i).persona, community.user(i)
                joined = _ts(campaign.start + timedelta(seconds=span * i / participants))
                status = _weighted(rng, (("active", 90), ("paused", 6), ("left", 4)))
                role = persona.kind
                capacity = (persona.capacity or campaign.limits.default_mentor_capacity) if role == "mentor" else None
                post_id = str(_POST_BASE - 10_000_000 * (participants - i))
                rows["people"].append((user.id, user.username, user.name, user.description, 0, joined))
                rows["participants"].append((
                    campaign.id, user.id, user.username, role, persona.stage, json.dumps(list(persona.specialties)),
                    capacity, status, paused_until if status == "paused" else None, joined, joined, post_id, 1, None,
                    json.dumps([persona.stage or "", *persona.specialties[:2]]), joined))
                if not history:
                    continue
                key = f"reply:{post_id}"
                rows["posts_seen"].append((campaign.id, post_id, user.id, "mention", "joined", "join", joined))
                rows["actions"].append((
                    key, campaign.id, "reply", f"@{user.username} Welcome to #MedMentorMatch! I understood: "
                    f"{role}, {persona.stage}. Reply to correct it.", post_id, None, json.dumps([user.id]), 0,
                    joined, "done", 1, str(_REPLY_BASE + i), None, None, joined, joined, None))
                rows["action_people"].append((key, user.id))
                if status != "active":
                    continue
                if role == "mentor":
                    open_mentors.append([user.id, capacity])
                elif open_mentors and rng.random() < 0.5:
                    mentor = open_mentors[-1]
                    rows["matches"].append((campaign.id, user.id, mentor[0], "active", 5.0,
                                            json.dumps(["shared specialty"]), joined, joined, None))
                    mentor[1] -= 1
                    if not mentor[1]:
                        open_mentors.pop()
            for table, sql in _INSERTS.items():
                store.db.conn.executemany(sql, rows[table])
    if analyze:
        store.db.execute("ANALYZE")
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return store


# -- the pages of mentions -------------------------------------------------------------------

class Mentions:
    """Pages of 100 mentions, newest first, as the X adapter hands them to the ingest."""

    def __init__(self, seed: int, community: Community, participants: int, voice: Voice,
                 blocked: list[str]):
        self.rng = random.Random(seed)
        self.community, self.participants, self.voice = community, participants, voice
        self.blocked = blocked
        self.next_post = _POST_BASE
        self.next_newcomer = 0

    def _newcomer(self, prof: Profile, *, protected: bool = False) -> User:
        n = self.next_newcomer
        self.next_newcomer += 1
        suffix = f"n{n}"
        return User(id=str(_NEWCOMER_BASE + n), username=f"{prof.handle[: 15 - len(suffix)]}{suffix}",
                    name=prof.persona.name, description=_personal(prof.persona.bio, n * 7 + 3),
                    protected=protected)

    def _one(self, now: datetime) -> tuple[str, User, str | None, str]:
        """(text, author, replied_to_id, lang) for one mention."""
        rng, v, c = self.rng, self.voice, self.community
        kind = _weighted(rng, _MIX)
        if kind in ("join", "protected"):
            prof = rng.choice(c.joiners)
            return texts.join(rng, prof, v), self._newcomer(prof, protected=kind == "protected"), None, prof.lang
        if kind == "command":
            i = rng.randrange(self.participants)
            prof, command = c.profile(i), _weighted(rng, _COMMANDS)
            until = (now + timedelta(days=rng.randint(10, 40))).date() if command == "pause" and \
                rng.random() < 0.5 else None
            reply = rng.random() < 0.3  # answering the bot's confirmation ("Reply STOP to leave")
            text = texts.command(rng, prof, v, command, until=until, reply=reply)
            return text, c.user(i), str(_REPLY_BASE + i) if reply else None, prof.lang
        if kind == "chatter":  # mentions the bot, asks for nothing
            if rng.random() < 0.5:
                i = rng.randrange(self.participants)
                prof, author = c.profile(i), c.user(i)
            else:
                prof = rng.choice(c.bystanders)
                author = self._newcomer(prof)
            return f"{v.bot} {post_texts.chatter(rng, prof, v, week=5)}", author, None, prof.lang
        prof = rng.choice(c.noise)  # trolls and spam: from blocked accounts, or from new ones
        text = (post_texts.troll if prof.persona.kind == "troll" else post_texts.spam)(rng, prof, v)
        if rng.random() < 0.5:
            return text, self._newcomer(prof), None, "en"  # spam words are blocked; trolls ask nothing
        name = rng.choice(self.blocked)
        return text, User(id=str(_NEWCOMER_BASE - 1 - self.blocked.index(name)), username=name,
                          name=prof.persona.name, description=prof.persona.bio), None, "en"

    def page(self, now: datetime, size: int = 100) -> Page:
        posts, users = [], {}
        for k in range(size):
            text, author, replied_to, lang = self._one(now)
            self.next_post += 1_000 + self.rng.randrange(1_000)
            users[author.id] = author
            posts.append(Post(
                id=str(self.next_post), text=text, author_id=author.id,
                created_at=now - timedelta(seconds=(size - k) * 0.5), conversation_id=replied_to or str(self.next_post),
                in_reply_to_user_id=BOT.id if replied_to else None, replied_to_id=replied_to,
                mentions=tuple(m.lower() for m in _MENTION.findall(text)),
                hashtags=tuple(t.lower() for t in _TAG.findall(text)), lang=lang))
        posts.reverse()  # newest first, as X sends them
        return Page(posts=tuple(posts), users=users, newest_id=posts[0].id, oldest_id=posts[-1].id)


# -- the run -----------------------------------------------------------------------------------

def _db_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.parent.glob(path.name + "*")) / 1e6


def run(*, pages: int, participants: int, db: Path, history: bool = True, analyze: bool = False,
        profile: bool = False, seed: int = 7) -> dict:
    # The real log format and redaction, into the void: logging is part of the cost.
    devnull = open(os.devnull, "w")
    configure_logging(level="INFO", stream=devnull)
    vocabulary = load_vocabulary()
    campaign = load_campaign(CAMPAIGN, vocabulary)
    blocked = [f"blockedacct{n}" for n in range(8)]
    campaign = replace(campaign, moderation=replace(
        campaign.moderation, blocked_accounts=campaign.moderation.blocked_accounts | frozenset(blocked)))
    clock = VirtualClock(campaign.start + timedelta(days=35, hours=6))
    community = Community(seed)

    started = time.perf_counter()
    store = build_database(db, campaign, community, participants, clock.now(), history=history, analyze=analyze)
    setup_s = time.perf_counter() - started
    setup_rss, db_before = _rss_mb(), _db_size_mb(db)
    matches = store.db.execute("SELECT count(*) FROM matches").fetchone()[0]

    ingest = MentionIngest(store, None, campaign, clock, bot=BOT,  # handle_page never calls the platform
                           interpret=Intake(campaign, vocabulary, clock))
    feed = Mentions(seed + 1, community, participants, Voice(f"@{BOT.username}", "#MedMentorMatch", 2026),
                    blocked)
    report, latencies, cpu = IngestReport(), [], 0.0
    profiler = _Profiler() if profile else None
    for _ in range(pages):
        clock.advance(60)  # one poll a minute
        page = feed.page(clock.now())
        if profiler:
            profiler.start()
        t0, c0 = time.perf_counter(), time.process_time()
        ingest.handle_page(page, report)
        latencies.append(time.perf_counter() - t0)
        cpu += time.process_time() - c0
        if profiler:
            profiler.stop()
        report.pages += 1
        report.read += len(page.posts)
    busy = sum(latencies)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    result = {
        "participants": participants, "matches": matches, "analyzed": analyze, "pages": report.pages, "read": report.read, "handled": report.handled,
        "seconds": busy, "cpu_seconds": cpu, "posts_per_s": report.handled / busy, "pages_per_s": report.pages / busy,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": statistics.quantiles(latencies, n=20, method="inclusive")[-1] * 1000 if len(latencies) > 1 else latencies[0] * 1000,
        "max_ms": max(latencies) * 1000, "peak_rss_mb": _rss_mb(), "setup_rss_mb": setup_rss,
        "rss_now_mb": _current_rss_mb(), "db_before_mb": db_before, "db_after_mb": _db_size_mb(db),
        "setup_s": setup_s, "outcomes": dict(report.outcomes.most_common()),
        "planned": store.queue_sizes(campaign.id)["planned"],
    }
    store.close()
    devnull.close()
    if profiler:
        profiler.report()
    return result


class _Profiler:
    """pyinstrument when it is installed (sampling: shares stay true), else cProfile (tracing:
    its per-call overhead inflates Python-heavy code, such as the classifier and loguru)."""

    def __init__(self) -> None:
        try:
            from pyinstrument import Profiler
        except ImportError:
            self.sampler, self.tracer = None, cProfile.Profile()
        else:
            self.sampler, self.tracer = Profiler(interval=0.0005), None

    def start(self) -> None:
        self.sampler.start() if self.sampler else self.tracer.enable()

    def stop(self) -> None:
        self.sampler.stop() if self.sampler else self.tracer.disable()

    def report(self) -> None:
        print("\nWhere the time in handle_page goes:")
        if self.sampler:
            print(self.sampler.output_text(time="percent_of_total"))
            print(self.sampler.output_text(time="percent_of_total", flat=True))
            return
        print("(cProfile; pip install pyinstrument for truer shares)")
        stats = pstats.Stats(self.tracer)
        stats.sort_stats("tottime").print_stats(18)
        stats.sort_stats("cumulative").print_stats(r"mentorbot", 25)


def _table(r: dict) -> str:
    ok_speed = r["posts_per_s"] >= TARGET_POSTS_PER_S
    ok_rss = r["peak_rss_mb"] < TARGET_RSS_MB
    rows = [
        ("participants / active matches", f"{r['participants']:,} / {r['matches']:,}",
         "planner statistics gathered (--analyze)" if r["analyzed"] else "no ANALYZE, as in the engine"),
        ("pages / posts read / handled", f"{r['pages']} / {r['read']:,} / {r['handled']:,}", ""),
        ("time in handle_page (wall / CPU)", f"{r['seconds']:.2f} / {r['cpu_seconds']:.2f} s", ""),
        ("posts per second (handled)", f"{r['posts_per_s']:,.0f}",
         f"target >= {TARGET_POSTS_PER_S:,}: {'met' if ok_speed else 'MISSED'}"),
        ("pages per second", f"{r['pages_per_s']:.1f}", ""),
        ("per-page latency p50 / p95 / max", f"{r['p50_ms']:.1f} / {r['p95_ms']:.1f} / {r['max_ms']:.1f} ms", ""),
        ("peak RSS (whole process)", f"{r['peak_rss_mb']:.1f} MB",
         f"target < {TARGET_RSS_MB} MB: {'met' if ok_rss else 'MISSED'}"),
        ("RSS after setup / at the end", f"{r['setup_rss_mb']:.1f} / {r['rss_now_mb']:.1f} MB", ""),
        ("database before / after", f"{r['db_before_mb']:.1f} / {r['db_after_mb']:.1f} MB", ""),
        ("setup (build the database)", f"{r['setup_s']:.1f} s", ""),
        ("replies planned", f"{r['planned']:,}", ""),
    ]
    w0, w1 = max(len(a) for a, _, _ in rows), max(len(b) for _, b, _ in rows)
    out = [f"{a:<{w0}}  {b:>{w1}}  {c}".rstrip() for a, b, c in rows]
    out.append("outcomes: " + ", ".join(f"{k} {v}" for k, v in r["outcomes"].items()))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=100, help="pages of 100 mentions (default 100)")
    parser.add_argument("--participants", type=int, default=100_000, help="participants in the database")
    parser.add_argument("--db", type=Path, help="database file (rebuilt; default: a temporary directory)")
    parser.add_argument("--no-history", action="store_true",
                        help="participants only: no join posts, confirmation replies or matches")
    parser.add_argument("--analyze", action="store_true",
                        help="gather planner statistics (ANALYZE) after the setup; the engine never does")
    parser.add_argument("--profile", action="store_true",
                        help="profile handle_page (pyinstrument if installed, else cProfile)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mentorbot-bench-") as tmp:
        db = args.db or Path(tmp) / "mentorbot.db"
        db.parent.mkdir(parents=True, exist_ok=True)
        r = run(pages=args.pages, participants=args.participants, db=db, history=not args.no_history,
                analyze=args.analyze, profile=args.profile, seed=args.seed)
    print(_table(r))
    return 0 if r["posts_per_s"] >= TARGET_POSTS_PER_S and r["peak_rss_mb"] < TARGET_RSS_MB else 1


if __name__ == "__main__":
    sys.exit(main())
