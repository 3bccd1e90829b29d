"""The bot's hashtag search reads only participants' posts, so it pays far less than the bare
hashtag on a community where many people use the hashtag without joining."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from mentorbot.adapters.sqlite_store import SQLiteStore
from mentorbot.adapters.x_platform import XPlatform
from mentorbot.clock import VirtualClock
from mentorbot.config.campaign import load_campaign
from mentorbot.config.env import XCredentials
from mentorbot.config.vocabulary import load_vocabulary
from mentorbot.domain.model import CallRecord, User
from mentorbot.domain.pricing import call_charges
from mentorbot.domain.records import Participant
from mentorbot.sandbox import Sandbox
from mentorbot.services.search import HashtagSearch
from mentorbot.simulation.community import generate_scenario

CAMPAIGN = Path(__file__).resolve().parent.parent / "config" / "campaigns" / "medmentormatch.toml"
START = datetime(2026, 1, 5, 13, 0, tzinfo=timezone.utc)


def _cost(records: list[CallRecord]) -> tuple[int, float]:
    """(posts charged, USD) of these calls, each resource once, as on one UTC day."""
    seen: set = set()
    posts, usd = 0, 0.0
    for record in records:
        charges = call_charges(record, seen)
        seen |= charges.new_reads
        posts += sum(c.resources for c in charges.items if c.kind == "post_read")
        usd += sum(c.usd for c in charges.items)
    return posts, usd


@pytest.fixture
def community(tmp_path):
    """A week of a scenario community with 80 hashtag-using bystanders; every mentee and mentor
    is registered (no bot run: the posts go straight into the sandbox)."""
    campaign = load_campaign(CAMPAIGN, load_vocabulary())
    clock = VirtualClock(START)
    sandbox = Sandbox(clock=clock, seed=3)
    bot = sandbox.create_user(campaign.bot_handle, name=campaign.name)
    scenario = generate_scenario(seed=11, start=START, weeks=1, bot_handle=campaign.bot_handle,
                                 hashtag=campaign.hashtags[0], bystanders=80)
    users = {p.handle: sandbox.create_user(p.handle, name=p.name, description=p.bio, protected=p.protected)
             for p in scenario.personas}
    for beat in scenario.beats:
        if beat.kind != "delete_post" and beat.reply_to is None:
            sandbox.post(beat.handle, beat.text, created_at=beat.at)
    clock.set(scenario.end)
    store = SQLiteStore.open(tmp_path / "bot.db")
    store.ensure_campaign(campaign.id, campaign.name, campaign.hashtags, START)
    joiners = [p for p in scenario.personas if p.kind in ("mentee", "mentor")]
    for p in joiners:
        store.upsert_person(User(id=users[p.handle].id, username=p.handle, name=p.name), START)
        store.save_participant(Participant(campaign_id=campaign.id, person_id=users[p.handle].id,
                                           handle=p.handle, role=p.kind, joined_at=START, consented_at=START))
    records: list[CallRecord] = []
    server = sandbox.serve()
    app = sandbox.app
    platform = XPlatform(XCredentials(app.bearer_token, app.consumer_key, app.consumer_secret,
                                      bot.access_token, bot.access_token_secret),
                         base_url=server.url, observer=records.append, time_source=clock.timestamp)
    yield campaign, store, platform, records, {p.handle.casefold() for p in joiners}, clock
    server.close()
    store.close()


def test_search_reads_only_participants_posts_and_costs_less_than_the_bare_hashtag(community):
    campaign, store, platform, records, participants, clock = community
    me = platform.me()
    handled: list[str] = []
    search = HashtagSearch(store, platform, campaign, clock, bot=me,
                           on_post=lambda post, author: handled.append(author.username) or "read")
    records.clear()
    report = search.poll()
    restricted_posts, restricted_usd = _cost(records)

    records.clear()
    bare = [(post, page.author(post)) for page in platform.iter_search_recent(
        f"#{campaign.hashtags[0]} -is:retweet -@{me.username}", max_results=100) for post in page.posts]
    bare_posts, bare_usd = _cost(records)

    strangers = [a.username for _, a in bare if a.username.casefold() not in participants]
    assert len(strangers) > 3 * report.read > 0  # the community is mostly non-participants
    assert handled and {h.casefold() for h in handled} <= participants
    assert report.read == len([a for _, a in bare if a.username.casefold() in participants])  # none missed
    assert restricted_posts < bare_posts and restricted_usd < bare_usd / 3
