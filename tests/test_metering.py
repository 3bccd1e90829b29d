"""The spend meter: every call priced and stored, reads once per UTC day, as the sandbox charges."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta, timezone

import pytest
from loguru import logger

from mentorbot.adapters.sqlite_store import SQLiteStore
from mentorbot.adapters.x_platform import XPlatform
from mentorbot.clock import VirtualClock
from mentorbot.config.env import XCredentials
from mentorbot.domain.campaign import Limits
from mentorbot.domain.model import CallRecord
from mentorbot.sandbox import Sandbox
from mentorbot.sandbox.meter import PRICES_USD as SANDBOX_PRICES
from mentorbot.sandbox.meter import Meter
from mentorbot.services.metering import SpendMeter

UTC = timezone.utc
START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
SEARCH = "GET /2/tweets/search/recent"


def _spend_by_kind(store: SQLiteStore) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for row in store.db["spend"].rows:
        totals[row["kind"]] += row["usd"]
    return {kind: round(usd, 6) for kind, usd in totals.items()}


@pytest.fixture
def clock():
    return VirtualClock(START)


@pytest.fixture
def store():
    s = SQLiteStore.memory()
    s.ensure_campaign("medmentormatch", "MedMentorMatch", ["MedMentorMatch"], at=START)
    yield s
    s.close()


@pytest.fixture
def meter(store, clock):
    return SpendMeter(store, clock, "medmentormatch")


def _read(clock: VirtualClock, posts=(), users=(), owned=False, endpoint=SEARCH) -> CallRecord:
    return CallRecord(endpoint=endpoint, status=200, at=clock.timestamp(), post_reads=tuple(posts),
                      user_reads=tuple(users), owned=owned)


def _write(clock: VirtualClock, write: str) -> CallRecord:
    return CallRecord(endpoint="POST /2/tweets", status=201, at=clock.timestamp(), write=write)


class TestReadsOncePerUtcDay:
    def test_a_post_read_twice_the_same_day_is_charged_once(self, meter, clock):
        """Reading post 1 at 08:00 and again at 20:00 costs 0.005 once."""
        meter(_read(clock, ["1"]))
        clock.advance(12 * 3600)
        meter(_read(clock, ["1"]))
        assert meter.month_to_date() == pytest.approx(0.005)

    def test_the_next_utc_day_charges_it_again(self, meter, clock):
        """After 00:00 UTC the same post is a new read."""
        meter(_read(clock, ["1"], ["9"]))
        clock.set(datetime(2026, 1, 6, 0, 0, 1, tzinfo=UTC))
        meter(_read(clock, ["1"], ["9"]))
        assert meter.month_to_date() == pytest.approx(2 * (0.005 + 0.010))

    def test_each_charge_is_stored_with_its_endpoint_kind_resources_and_campaign(self, meter, store, clock):
        """One spend row per charge kind, stamped with the call's time."""
        meter(_read(clock, ["1", "2"], ["9"]))
        rows = sorted(store.db["spend"].rows, key=lambda r: r["kind"])
        assert [(r["endpoint"], r["kind"], r["usd"], r["resources"], r["campaign_id"]) for r in rows] == [
            (SEARCH, "post_read", 0.01, 2, "medmentormatch"),
            (SEARCH, "user_read", 0.01, 1, "medmentormatch")]
        assert datetime.fromisoformat(rows[0]["at"]) == START

    def test_a_read_that_charged_nothing_stores_nothing(self, meter, store, clock):
        """An empty page and a failed call leave no rows."""
        meter(_read(clock))
        meter(CallRecord(endpoint=SEARCH, status=429, at=clock.timestamp(), post_reads=("1",)))
        assert store.db["spend"].count == 0


class TestTotals:
    def test_month_to_date_counts_this_month_in_the_meters_zone(self, store, clock):
        """A spend at 03:00 UTC on Feb 1 is still January in New York."""
        ny = SpendMeter(store, clock, "medmentormatch", zone="America/New_York")
        clock.set(datetime(2026, 2, 1, 3, tzinfo=UTC))
        ny(_write(clock, "post"))
        clock.set(datetime(2026, 2, 1, 6, tzinfo=UTC))
        ny(_write(clock, "reply"))
        assert ny.month_to_date() == pytest.approx(0.010)
        assert SpendMeter(store, clock, "medmentormatch").month_to_date() == pytest.approx(0.025)

    def test_another_campaigns_spend_is_not_counted(self, store, clock, meter):
        """With a campaign id the meter only sums its own rows."""
        store.ensure_campaign("other", "Other", ["Other"], at=START)
        SpendMeter(store, clock, "other")(_write(clock, "post"))
        meter(_write(clock, "delete"))
        assert meter.month_to_date() == pytest.approx(0.010)

    def test_projection_and_level(self, meter, clock):
        """5 USD spent by mid-April projects 10 USD, and 5 of a 6 USD budget is a warning."""
        clock.set(datetime(2026, 4, 16, tzinfo=UTC))
        meter(_write(clock, "post_url"))  # 0.20
        meter(_read(clock, users=[str(i) for i in range(480)]))  # 4.80
        assert meter.month_to_date() == pytest.approx(5.0)
        assert meter.projection() == pytest.approx(10.0)
        assert meter.level(Limits(monthly_budget_usd=6.0)) == "warning"


class TestNeverRaises:
    def test_an_unpriceable_call_is_logged_not_raised(self, meter, store, clock):
        """An unknown write kind is an error in the log; the caller sees nothing."""
        lines: list[str] = []
        sink = logger.add(lines.append, level="ERROR", format="{message}")
        try:
            meter(_write(clock, "like"))
        finally:
            logger.remove(sink)
        assert store.db["spend"].count == 0
        assert any("spend meter failed on POST /2/tweets" in line for line in lines)

    def test_a_broken_store_is_logged_and_the_read_is_charged_again_later(self, store, clock):
        """If storing fails the read is not remembered: the next read of it pays (over, not under)."""
        broken = SQLiteStore.memory()
        broken.close()
        meter = SpendMeter(broken, clock, "medmentormatch")
        meter(_read(clock, ["1"]))  # logged, not raised
        meter.store = store
        meter(_read(clock, ["1"]))
        assert meter.month_to_date() == pytest.approx(0.005)


class TestAgreesWithTheSandboxMeter:
    def test_a_sequence_of_calls_costs_what_the_sandbox_meter_charges(self, meter, store, clock):
        """The same reads and writes through both meters give the same total and per-kind sums."""
        sandbox = Meter()
        calls = [(["1", "2"], ["9"], False), (["2", "3"], ["9", "8"], False), (["1"], [], True),
                 (["4"], ["7"], True), (["1", "4"], ["7"], True)]
        writes = [("post", "post_create"), ("reply", "reply"), ("repost", "repost"),
                  ("undo_repost", "unrepost"), ("delete", "delete"), ("post_url", "post_create_url")]
        for day in range(2):
            clock.set(START + timedelta(days=day))
            for posts, users, owned in calls:
                meter(_read(clock, posts, users, owned))
                sandbox.charge_reads(clock.now(), post_ids=posts, user_ids=users, owned=owned)
            for ours, theirs in writes:
                meter(_write(clock, ours))
                sandbox.charge_write(theirs)
        expected = {kind: round(usd, 6) for kind, usd in sandbox.snapshot()["by_kind"].items() if usd}
        assert _spend_by_kind(store) == expected
        assert meter.month_to_date() == pytest.approx(sandbox.total_usd)
        assert set(expected) == set(SANDBOX_PRICES)  # every priced kind was exercised

    def test_the_x_adapter_metered_against_the_sandbox_server_agrees_with_it(self, store, clock):
        """XPlatform over loopback HTTP with the meter as observer: same spend as the sandbox says."""
        sb = Sandbox(clock=clock)
        bot = sb.create_user("MedMentorBot", description="Automated. Run by @OrganizerDoc")
        jane = sb.create_user("drjane", description="MS3 | future cardiologist")
        server = sb.serve()
        try:
            meter = SpendMeter(store, clock, "medmentormatch")
            x = XPlatform(XCredentials(bearer_token=sb.app.bearer_token, consumer_key=sb.app.consumer_key,
                                       consumer_secret=sb.app.consumer_secret,
                                       access_token=bot.access_token,
                                       access_token_secret=bot.access_token_secret),
                          base_url=server.url, observer=meter, time_source=clock.timestamp)
            mention = sb.post(jane, "@MedMentorBot #MedMentorMatch MS3, looking for a cardiology mentor")
            win = sb.post(jane, "Matched into cardiology! #MedMentorMatch")
            for day in range(2):
                clock.set(START + timedelta(days=day, hours=1))
                me = x.me()
                x.mentions(me.id)
                x.mentions(me.id)  # the same posts again: free the second time
                x.search_recent("#MedMentorMatch")
                x.posts([win["id"], mention["id"]])
                x.users([jane.id])
                created = x.create_post(f"Call for mentors, week {day + 1} #MedMentorMatch")
                x.create_post(f"Welcome @drjane ({day + 1})", in_reply_to=mention["id"])
                x.repost(me.id, win["id"])
                x.own_posts(me.id)
                x.undo_repost(me.id, win["id"])
                x.delete_post(created.id)
            said = sb.meter()
        finally:
            server.close()
        expected = {kind: round(usd, 6) for kind, usd in said["by_kind"].items() if usd}
        assert _spend_by_kind(store) == expected
        assert meter.month_to_date() == pytest.approx(said["total_usd"])
        assert {"owned_read", "post_read", "user_read", "post_create", "reply", "repost", "unrepost",
                "delete"} <= set(expected)
