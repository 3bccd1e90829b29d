"""`mentorbot demo`: a whole program, weeks long, in the embedded sandbox, in under a minute.

The sandbox runs on loopback with a virtual clock shared with the bot; the bot is the real one
(tweepy over HTTP, the SQLite store, the outbox, the scheduler's triggers), only time is
simulated. The community is a seeded scenario: mentees and mentors with realistic bios who join,
ask, pause, leave and celebrate, plus people who only use the hashtag, trolls, spam, another bot.
"""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

from ..adapters.sqlite_store import SQLiteStore
from ..adapters.x_platform import XPlatform
from ..bootstrap import build_campaign_bot
from ..clock import VirtualClock
from ..config.campaign import load_campaign
from ..config.env import XCredentials
from ..config.vocabulary import load_vocabulary
from ..domain.campaign import Campaign
from ..logs import add_secrets
from ..sandbox import Sandbox
from .community import generate_scenario
from .player import ScenarioPlayer
from .runner import Simulation
from .story import Story

__all__ = ["DemoResult", "run_demo", "demo_campaign", "DEMO_POLL_SECONDS"]

#: The demo polls mentions every 10 simulated minutes and searches hourly (the example: every
#: minute and every 5 minutes): the same code path with far fewer HTTP round trips, so four
#: weeks run in well under a minute.
DEMO_POLL_SECONDS = 600
DEMO_SEARCH_SECONDS = 3600
BOT_BIO = "Automated account: matches #MedTwitter mentees with mentors. Operated by @MedMentorOrg."


@dataclass
class DemoResult:
    campaign: Campaign
    sandbox: Sandbox
    store: SQLiteStore
    player: ScenarioPlayer
    started: datetime
    ended: datetime
    db_path: Path
    bot_id: str


def demo_campaign(campaign: Campaign, start: datetime) -> Campaign:
    """The campaign as the demo runs it: started the day before, polling every 10 minutes."""
    schedule = replace(campaign.schedule, poll_mentions_seconds=DEMO_POLL_SECONDS,
                       poll_search_seconds=DEMO_SEARCH_SECONDS, send_actions_seconds=DEMO_POLL_SECONDS // 2)
    return replace(campaign, start=start - timedelta(days=1), schedule=schedule)


def run_demo(*, campaign_path: str | Path, seed: int = 7, weeks: int = 4, out: Path | None = None,
             start: datetime | None = None, progress: Callable[[str], None] | None = None,
             community: dict | None = None, faults: dict | None = None, timeout: float = 10.0,
             drain_days: int = 0) -> DemoResult:
    """Run the example campaign for ``weeks`` simulated weeks; return everything for the story.

    ``faults`` are :meth:`Sandbox.set_faults` arguments, in force once the bot has started;
    ``timeout`` is the X client's (seconds); ``drain_days`` quiet days (no community posts)
    follow the weeks, so that whatever the bot still owes can go out.
    """
    vocabulary = load_vocabulary()
    campaign = load_campaign(campaign_path, vocabulary)
    start = start or datetime(2026, 1, 5, 8, 0, tzinfo=campaign.zone)  # a Monday morning
    campaign = demo_campaign(campaign, start)
    clock = VirtualClock(start)
    sandbox = Sandbox(clock=clock, seed=seed)
    bot_account = sandbox.create_user(campaign.bot_handle, name=campaign.name, description=BOT_BIO)
    scenario = generate_scenario(seed=seed, start=start, weeks=weeks, bot_handle=campaign.bot_handle,
                                 hashtag=campaign.hashtags[0], **(community or {}))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        db_path = out / "mentorbot.db"
        for stale in out.glob("mentorbot.db*"):
            stale.unlink()
    else:
        db_path = Path(tempfile.mkdtemp(prefix="mentorbot-demo-")) / "mentorbot.db"
    store = SQLiteStore.open(db_path)
    player = ScenarioPlayer(sandbox, scenario, store)
    player.create_people()
    server = sandbox.serve()
    try:
        app = sandbox.app
        credentials = XCredentials(app.bearer_token, app.consumer_key, app.consumer_secret,
                                   bot_account.access_token, bot_account.access_token_secret)
        add_secrets(credentials.values())
        bot = build_campaign_bot(campaign, vocabulary, store=store, clock=clock, seed=seed,
                                 platform_factory=lambda meter: XPlatform(
                                     credentials, base_url=server.url, observer=meter,
                                     timeout=timeout, time_source=clock.timestamp))
        if faults:
            sandbox.set_faults(**faults)
        simulation = Simulation(clock, bot.jobs())
        end = start + timedelta(weeks=weeks, days=drain_days)
        day = start
        while day < end:  # a day at a time, to report progress
            following = min(day + timedelta(days=1), end)
            beats = [(at, act) for at, act in player.beats() if day <= at < following]
            beats += player.answers(day, following)  # people answer the bot's questions
            simulation.run(following, beats=beats)
            if progress is not None:
                progress(f"simulated {following:%a %d %b}")
            day = following
    finally:
        server.close()
    result = DemoResult(campaign, sandbox, store, player, start, clock.now(), db_path, bot_account.id)
    if out is not None:
        write_records(result, out)
    return result


def write_records(result: DemoResult, out: Path) -> None:
    """The sandbox's record of every write the bot tried, and of every post in the world."""
    with open(out / "posts.jsonl", "w", encoding="utf-8") as f:
        for w in result.sandbox.writes():
            f.write(json.dumps({"id": w.get("id"), "author": w.get("author"), "kind": w.get("kind"),
                                "text": w.get("text"), "reply_to": w.get("reply_to"),
                                "repost_of": w.get("repost_of"), "created_at": w.get("created_at"),
                                "refused": w.get("refused"), "reason": w.get("reason")},
                               ensure_ascii=False) + "\n")
    with open(out / "world.jsonl", "w", encoding="utf-8") as f:
        for post in result.sandbox.posts(include_deleted=True):
            f.write(json.dumps(post, ensure_ascii=False) + "\n")


def story(result: DemoResult) -> str:
    return Story(result).render()
