"""X's automation rules, checked on a whole simulated week against the sandbox's own record.

One demo week (the real bot, tweepy over HTTP, the sandbox) is run once for the module; each test
checks one rule on what actually happened.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from mentorbot.clock import VirtualClock
from mentorbot.config.vocabulary import load_vocabulary
from mentorbot.domain.model import Post
from mentorbot.domain.records import Action
from mentorbot.services.ingest import apply_decision
from mentorbot.services.intake import Intake
from mentorbot.simulation.demo import run_demo

REPO = Path(__file__).resolve().parents[1]
CAMPAIGN = REPO / "config" / "campaigns" / "medmentormatch.toml"
MENTION = re.compile(r"@(\w{1,15})")


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    result = run_demo(campaign_path=CAMPAIGN, seed=5, weeks=1, out=out)
    yield result
    result.store.close()


def _bot_writes(result):
    return [w for w in result.sandbox.writes() if w["author_id"] == result.bot_id]


def test_no_reply_is_refused_by_the_reply_gate_or_as_a_duplicate(week):
    """Over a whole week, X (the sandbox) refused nothing the bot tried to post."""
    refused = Counter(w["reason"] for w in _bot_writes(week) if w["refused"])
    assert refused == Counter()
    assert len(_bot_writes(week)) > 10


def test_the_bot_replies_only_to_posts_that_mention_it_and_at_most_once(week):
    """Every reply answers a post that mentioned the bot (or replied to it), once."""
    posts = {p["id"]: p for p in week.sandbox.posts(include_deleted=True)}
    own = {w["id"] for w in _bot_writes(week)}
    # Replies to others' posts (a thread under the bot's own post is not an answer to anyone).
    replies = [w for w in _bot_writes(week) if w["reply_to"] and not w["refused"] and w["reply_to"] not in own]
    assert replies
    for reply in replies:
        parent = posts[reply["reply_to"]]
        engaged = "@medmentorbot" in parent["text"].lower() or parent.get("in_reply_to") in {
            w["id"] for w in _bot_writes(week)}
        assert engaged, parent["text"]
    assert max(Counter(r["reply_to"] for r in replies).values()) == 1


def test_hashtag_only_posts_never_get_a_reply(week):
    """People who only use the hashtag (bystanders, chatter) are never answered."""
    replied_to = {w["reply_to"] for w in _bot_writes(week) if w["reply_to"]}
    own = {w["id"] for w in _bot_writes(week)}
    hashtag_only = [p for p in week.sandbox.posts(include_deleted=True)
                    if "#medmentormatch" in p["text"].lower() and "@medmentorbot" not in p["text"].lower()
                    and p["author_id"] != week.bot_id and p["in_reply_to"] not in own]
    assert hashtag_only, "the scenario should have hashtag-only posts"
    assert not replied_to & {p["id"] for p in hashtag_only}


def test_only_people_who_opted_in_are_ever_mentioned(week):
    """Every @handle in a bot post belongs to someone who had mentioned the bot before it."""
    first_mention: dict[str, datetime] = {}
    own = {w["id"] for w in _bot_writes(week)}
    for post in week.sandbox.posts(include_deleted=True):  # in time order
        if "@medmentorbot" in post["text"].lower() or post["in_reply_to"] in own:
            first_mention.setdefault(post["username"].lower(), datetime.fromisoformat(post["created_at"].replace("Z", "+00:00")))
    for write in _bot_writes(week):
        if write["refused"] or not write["text"]:
            continue
        at = datetime.fromisoformat(write["created_at"].replace("Z", "+00:00"))
        for handle in MENTION.findall(write["text"]):
            assert handle.lower() in first_mention, f"@{handle} never opted in: {write['text']}"
            assert first_mention[handle.lower()] <= at


def test_reply_texts_vary(week):
    """No two replies have the same text (X refuses duplicates; people deserve better anyway)."""
    texts = Counter(w["text"] for w in _bot_writes(week) if not w["refused"] and w["kind"] != "repost")
    assert max(texts.values()) == 1


def test_stop_cancels_a_planned_repost_of_that_persons_post_before_it_is_sent(week):
    """A repost planned for later is cancelled in the same transaction as the STOP."""
    store = week.store
    stopped = [row["subject_id"] for row in store.db.query(
        "SELECT subject_id FROM events WHERE kind = 'consent_withdrawn'")]
    assert stopped, "the scenario should have someone leave"
    # Plan a repost of someone active, then have them STOP through the bot's own intake.
    person = next(p for p in store.participants(week.campaign.id, status="active"))
    now = datetime.now(timezone.utc)
    key = f"repost:test-{person.person_id}"
    store.plan(Action(key=key, campaign_id=week.campaign.id, kind="repost", target_post_id="123",
                      person_ids=(person.person_id,), optional=True, not_before=now + timedelta(hours=3),
                      created_at=now))
    author = store.person(person.person_id)
    intake = Intake(week.campaign, load_vocabulary(), VirtualClock(now))
    stop = Post(id="999999999999999999", text="@MedMentorBot STOP", author_id=author.id, created_at=now,
                mentions=("medmentorbot",))
    with store.transaction():
        decision = intake(stop, author, store)
        apply_decision(store, week.campaign.id, author, decision, now)
    assert decision.outcome.startswith("stopped")
    assert store.action(key).status == "cancelled"
    assert store.participant(week.campaign.id, person.person_id).status == "left"
