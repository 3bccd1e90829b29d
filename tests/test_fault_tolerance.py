"""One seeded week, run clean and with a fifth of all requests failing: the same end state.

Both runs are the demo's (``run_demo``): the real bot, tweepy over loopback HTTP, SQLite, the
outbox, the scheduler's triggers on a virtual clock. The faulty run meets 429s, 500s, 503s and
timeouts (a 0.2 s client timeout against 0.4 s holds), half of the failed writes having gone
through. A quiet day follows each week, for the bot to finish what it owes.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from mentorbot.simulation.demo import DemoResult, run_demo

ROOT = Path(__file__).resolve().parents[1]
CAMPAIGN_FILE = ROOT / "config" / "campaigns" / "medmentormatch.toml"
COMMUNITY = {"mentees": 10, "mentors": 4, "bystanders": 2, "trolls": 1, "spammers": 1, "bots": 1}
FAULTS = {"rate": 0.2, "kinds": ("429", "500", "503", "timeout"), "seed": 3, "hold_seconds": 0.4,
          "after_commit_share": 0.5}

pytestmark = pytest.mark.slow


def _run(faults: dict | None, out: Path) -> DemoResult:
    return run_demo(campaign_path=CAMPAIGN_FILE, seed=7, weeks=1, community=COMMUNITY, faults=faults,
                    timeout=0.2, drain_days=1, out=out)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[DemoResult, DemoResult]:
    clean = _run(None, tmp_path_factory.mktemp("clean"))
    faulty = _run(FAULTS, tmp_path_factory.mktemp("faulty"))
    yield clean, faulty
    for result in (clean, faulty):
        result.store.close()


def _participants(result: DemoResult) -> list[tuple]:
    return sorted((p.person_id, p.role, p.stage, p.specialties, p.status)
                  for p in result.store.participants(result.campaign.id))


def _replied_to(result: DemoResult) -> Counter:
    """The posts of others the bot's live posts answer, from the sandbox's own record of the world
    (a #FollowFriday thread under the bot's own first post is not an answer)."""
    mine = result.sandbox.posts(result.bot_id, include_deleted=True)
    own = {p["id"] for p in mine}
    return Counter(p["in_reply_to"] for p in mine if p["in_reply_to"] and p["in_reply_to"] not in own)


class TestSameEndState:
    def test_the_faulty_run_really_met_every_kind_of_fault(self, runs):
        """The faults happened: each kind, and on writes that went through and then failed (the
        ambiguous case the outbox reconciles). Which kinds hit those writes depends on timing."""
        clean, faulty = runs
        assert clean.sandbox.requests()["faults"] == {}
        faults = faulty.sandbox.requests()["faults"]
        assert set(faults) == {"429", "500", "503", "timeout"} and sum(faults.values()) >= 100
        applied_then_failed = {w["reason"] for w in faulty.sandbox.writes()
                               if not w["refused"] and (w["reason"] or "").startswith("fault:")}
        assert applied_then_failed and applied_then_failed <= {f"fault:{k}" for k in FAULTS["kinds"]}

    def test_participants_end_the_same(self, runs):
        """Person, role, stage, specialties and status of every participant are the same."""
        clean, faulty = runs
        assert len(_participants(clean)) >= 6
        assert _participants(faulty) == _participants(clean)

    def test_the_bot_replied_to_the_same_posts_each_exactly_once(self, runs):
        """The sandbox's record: the same set of posts answered, none answered twice, in both runs."""
        clean, faulty = runs
        for result in (clean, faulty):
            replied = _replied_to(result)
            assert replied and max(replied.values()) == 1
        assert set(_replied_to(faulty)) == set(_replied_to(clean))
        own = {w["id"] for w in faulty.sandbox.writes() if w["author_id"] == faulty.bot_id}
        answered = Counter(w["reply_to"] for w in faulty.sandbox.writes()
                           if w["kind"] == "reply" and not w["refused"] and w["reply_to"] not in own)
        assert max(answered.values()) == 1  # not even a reply that was deleted afterwards

    def test_nothing_is_left_in_flight(self, runs):
        """After the quiet day nothing is planned, sending or failed (nor refused as a duplicate of
        itself), every mention read the same way, every scenario beat played the same."""
        clean, faulty = runs
        for result in (clean, faulty):
            sizes = result.store.queue_sizes(result.campaign.id)
            assert sizes["planned"] == sizes["sending"] == sizes["failed"] == 0, sizes
        assert faulty.store.queue_sizes(faulty.campaign.id) == clean.store.queue_sizes(clean.campaign.id)
        assert faulty.store.seen_outcomes(faulty.campaign.id) == clean.store.seen_outcomes(clean.campaign.id)
        assert faulty.player.skipped == clean.player.skipped
