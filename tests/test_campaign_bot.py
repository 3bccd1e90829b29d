"""A campaign's jobs: triggers, the kill switch, failures kept in, reads paced, the budget kept."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from loguru import logger

from mentorbot.adapters.sqlite_store import SQLiteStore
from mentorbot.adapters.x_platform import XPlatform
from mentorbot.bootstrap import build_campaign_bot
from mentorbot.clock import VirtualClock
from mentorbot.config.campaign import load_campaign
from mentorbot.config.env import XCredentials
from mentorbot.config.vocabulary import load_vocabulary
from mentorbot.domain.policy import budget_level, poll_interval
from mentorbot.domain.records import Action
from mentorbot.sandbox import Sandbox
from mentorbot.services.ingest import IngestReport
from mentorbot.simulation.runner import Simulation

UTC = timezone.utc
NY = ZoneInfo("America/New_York")
ROOT = Path(__file__).resolve().parents[1]
VOCABULARY = load_vocabulary()
CAMPAIGN = load_campaign(ROOT / "config" / "campaigns" / "medmentormatch.toml", VOCABULARY)
CID = CAMPAIGN.id
MONDAY_10AM = datetime(2026, 10, 5, 14, 0, tzinfo=UTC)
BOT = "MedMentorBot"
MENTIONS = "GET /2/users/:id/mentions"
#: The calendar jobs the composition root wires for the example campaign (all switched on).
CALENDAR = {"matching_round", "follow_friday", "call_for_mentors", "check_ins"}


class Rig:
    def __init__(self, *, campaign=CAMPAIGN, now=MONDAY_10AM, **sandbox_options):
        self.clock = VirtualClock(now)
        self.sb = Sandbox(clock=self.clock, seed=5, **sandbox_options)
        self.bot_account = self.sb.create_user(BOT, description="Automated mentorship bot")
        self.server = self.sb.serve()
        self.store = SQLiteStore.memory()
        app = self.sb.app
        creds = XCredentials(app.bearer_token, app.consumer_key, app.consumer_secret,
                             self.bot_account.access_token, self.bot_account.access_token_secret)
        self.bot = build_campaign_bot(
            campaign, VOCABULARY, store=self.store, clock=self.clock, seed=9,
            platform_factory=lambda meter: XPlatform(creds, base_url=self.server.url, observer=meter,
                                                     time_source=self.clock.timestamp))
        self.people = 0

    def close(self) -> None:
        self.server.close()
        self.store.close()

    def join(self) -> str:
        """A new person posts a join to the bot now; the post id."""
        self.people += 1
        handle = f"trainee{self.people:03d}"
        self.sb.create_user(handle, description="MS2 | future pediatrician")
        return self.sb.post(handle, f"@{BOT} #MedMentorMatch MS2 looking for a pediatrics mentor")["id"]

    def jobs(self) -> dict[str, object]:
        return {job.id.split(":", 1)[1]: job for job in self.bot.jobs()}


@pytest.fixture
def rig():
    r = Rig()
    yield r
    r.close()


@pytest.fixture
def log_records():
    records: list[dict] = []
    sink = logger.add(lambda m: records.append(m.record), level="DEBUG")
    yield records
    logger.remove(sink)


class TestJobs:
    def test_the_interval_jobs_poll_and_send_on_the_campaigns_schedule(self, rig):
        """Interval jobs, starting now (the campaign began earlier), every configured interval."""
        jobs = rig.jobs()
        assert set(jobs) == {"poll_mentions", "poll_search", "send_actions"} | CALENDAR
        poll, send = jobs["poll_mentions"], jobs["send_actions"]
        assert poll.campaign_id == CID and poll.id == f"{CID}:poll_mentions"
        assert isinstance(poll.trigger, IntervalTrigger) and isinstance(send.trigger, IntervalTrigger)
        assert poll.trigger.interval == timedelta(seconds=CAMPAIGN.schedule.poll_mentions_seconds)
        assert send.trigger.interval == timedelta(seconds=CAMPAIGN.schedule.send_actions_seconds)
        assert poll.trigger.get_next_fire_time(None, rig.clock.now()) == rig.clock.now()

    def test_interval_jobs_wait_for_a_campaign_that_has_not_started(self):
        """Before the campaign's start the first firing is the start itself."""
        rig = Rig(now=CAMPAIGN.start - timedelta(days=2))
        try:
            poll = rig.jobs()["poll_mentions"]
            assert poll.trigger.get_next_fire_time(None, rig.clock.now()) == CAMPAIGN.start
        finally:
            rig.close()

    def test_calendar_jobs_are_cron_jobs_in_the_campaigns_timezone(self, rig):
        """A registered calendar handler becomes a cron job at local wall-clock time, across DST."""
        calls = []
        rig.bot.calendar["matching_round"] = lambda: calls.append("matching_round")
        rig.bot.calendar["follow_friday"] = lambda: calls.append("follow_friday")
        jobs = rig.jobs()
        assert set(jobs) == {"poll_mentions", "poll_search", "send_actions"} | CALENDAR
        rounds = jobs["matching_round"].trigger
        assert isinstance(rounds, CronTrigger) and str(rounds.timezone) == "America/New_York"
        summer = rounds.get_next_fire_time(None, MONDAY_10AM)
        winter = rounds.get_next_fire_time(None, datetime(2026, 11, 2, 12, 0, tzinfo=UTC))
        assert summer == datetime(2026, 10, 11, 22, 0, tzinfo=UTC)  # Sunday 18:00 EDT
        assert winter == datetime(2026, 11, 8, 23, 0, tzinfo=UTC)  # Sunday 18:00 EST
        fridays = jobs["follow_friday"].trigger.get_next_fire_time(None, MONDAY_10AM).astimezone(NY)
        assert (fridays.weekday(), fridays.hour, fridays.minute) == (4, 12, 0)
        jobs["matching_round"].run()
        assert calls == ["matching_round"]

    def test_the_kill_switch_makes_every_job_skip(self, rig):
        """With the "paused" flag set no job reads, sends or runs its handler; cleared, they run."""
        calls = []
        rig.bot.calendar["matching_round"] = lambda: calls.append(1)
        jobs = rig.jobs()
        pid = rig.join()
        now = rig.clock.now()
        rig.bot.store.plan(Action(key="post:1", campaign_id=CID, kind="post", text="Hello, world",
                                  not_before=now, created_at=now))
        before = rig.sb.requests()["total"]
        rig.store.set_flag("paused", "on")
        assert [job.run() for job in jobs.values()] == [None] * len(jobs) and len(jobs) == 7
        assert rig.sb.requests()["total"] == before and calls == []
        assert not rig.store.is_seen(CID, pid) and rig.store.action("post:1").status == "planned"
        rig.store.set_flag("paused", None)
        assert isinstance(jobs["poll_mentions"].run(), IngestReport)
        jobs["send_actions"].run()
        jobs["matching_round"].run()
        assert rig.store.is_seen(CID, pid) and rig.store.action("post:1").status == "done" and calls == [1]

    def test_a_failing_job_is_logged_with_its_campaign_recorded_and_contained(self, rig, log_records):
        """A crash (a bug) and a platform failure are both logged, kept as job_failed, never raised."""
        def broken():
            raise ValueError("no mentors left to match")

        rig.bot.calendar["matching_round"] = broken
        jobs = rig.jobs()
        assert jobs["matching_round"].run() is None
        rig.sb.set_faults(rate=1.0, kinds=("500",))
        assert jobs["poll_mentions"].run() is None
        failures = rig.store.events(campaign_id=CID, kind="job_failed")
        assert [e.data["job"] for e in failures] == ["matching_round", "poll_mentions"]
        assert failures[0].data["error"] == "ValueError: no mentors left to match"
        assert failures[1].data["error"].startswith("PlatformUnavailable")
        crash = [r for r in log_records if "matching_round crashed" in r["message"]]
        assert crash and crash[0]["extra"]["campaign"] == CID and crash[0]["exception"] is not None
        platform = [r for r in log_records if r["message"].startswith("poll_mentions failed")]
        assert platform and platform[0]["extra"]["campaign"] == CID


def _simulate(rig: Rig, hours: float, beats, on_fire=None):
    until = rig.clock.now() + timedelta(hours=hours)
    return Simulation(rig.clock, rig.bot.jobs()).run(until, beats=beats, on_fire=on_fire)


class TestPacing:
    def test_polling_faster_than_the_rate_limit_never_meets_a_429_and_keeps_reading(self):
        """5 mentions calls per 15 minutes, a poll job every 15 s, 2 hours: no 429, every join read."""
        schedule = replace(CAMPAIGN.schedule, poll_mentions_seconds=15)
        rig = Rig(campaign=replace(CAMPAIGN, schedule=schedule), rate_limits={MENTIONS: 5})
        try:
            start = rig.clock.now()
            joins = []
            beats = [(start + timedelta(minutes=7 * n + 1), lambda: joins.append(rig.join())) for n in range(16)]
            reads = []
            stats = _simulate(rig, 2, beats, on_fire=lambda job, result: reads.append(rig.clock.now())
                              if job.id.endswith("poll_mentions") and result is not None else None)
            answered = rig.sb.requests()["by_route"][MENTIONS]
            print(f"\nmentions endpoint answered {answered} over 2 h at 5 calls/15 min")
            assert "429" not in answered
            assert stats.firings[f"{CID}:poll_mentions"] == 2 * 3600 // 15
            assert answered["200"] == len(reads) >= 2 * 4 * 4 - 1  # ~4 per 15-minute window
            for window in range(8):  # never more than the limit in any of the sandbox's windows
                lo = start + timedelta(minutes=15 * window)
                assert sum(lo <= t < lo + timedelta(minutes=15) for t in reads) <= 5
            last_read = max(reads)
            read_joins = [p for p in joins if rig.store.is_seen(CID, p)]
            assert len(read_joins) >= len(joins) - 1 and read_joins == joins[:len(read_joins)]
            assert last_read > start + timedelta(hours=1, minutes=45)
        finally:
            rig.close()


class TestBudget:
    def test_a_tiny_budget_is_kept_polls_slow_down_and_optional_posts_go_before_replies_wait(self):
        """$0.60 a month, warning at $0.30: optional posts dropped first, then replies wait for next
        month; polls every 1 then 4 minutes, and stop when even a worst-case page of the bot's own
        mentions might not fit; nothing, read or write, ever takes the spend past the budget."""
        limits = replace(CAMPAIGN.limits, monthly_budget_usd=0.60, budget_warning_share=0.5,
                         min_minutes_between_posts=1, posts_per_day=500)
        # Hashtag search once a day: this test is about the mentions timeline and the outbox.
        schedule = replace(CAMPAIGN.schedule, poll_mentions_seconds=60, send_actions_seconds=30,
                           poll_search_seconds=86400)
        campaign = replace(CAMPAIGN, limits=limits, schedule=schedule)
        rig = Rig(campaign=campaign)
        try:
            start = rig.clock.now()
            joins: list[str] = []

            def congratulate(n: int) -> None:
                now = rig.clock.now()
                rig.store.plan(Action(key=f"congrats:{n}", campaign_id=CID, kind="post", optional=True,
                                      text=f"Congratulations on the win number {n}!", not_before=now,
                                      created_at=now))

            beats = []
            for n in range(100):
                at = start + timedelta(minutes=4 * n + 2)
                beats.append((at, lambda: joins.append(rig.join())))
                beats.append((at + timedelta(minutes=1), lambda n=n: congratulate(n)))
            meter = rig.bot.meter
            level = ["normal"]
            reads: list[tuple[datetime, str]] = []

            def on_fire(job, result):
                if job.id.endswith("poll_mentions") and result is not None:
                    reads.append((rig.clock.now(), level[0]))  # the level the read was decided at
                level[0] = budget_level(meter.month_to_date(), limits)

            _simulate(rig, 7, beats, on_fire=on_fire)
            spend = list(rig.store.db.query("SELECT at, kind, usd FROM spend ORDER BY id"))
            total = 0.0
            for row in spend:  # nothing ever crosses the budget
                total += row["usd"]
                assert total <= limits.monthly_budget_usd + 1e-9, row
            print(f"\nspent ${total:.3f} of ${limits.monthly_budget_usd:.2f}; sandbox meter "
                  f"${rig.sb.meter()['total_usd']:.3f}")
            assert rig.sb.meter()["total_usd"] == pytest.approx(total, abs=1e-9)
            gaps = {}
            for (t0, lvl), (t1, _) in zip(reads, reads[1:]):
                gaps.setdefault(lvl, set()).add((t1 - t0).total_seconds())
            assert gaps["normal"] == {poll_interval(60, "normal")}
            assert gaps["warning"] == {poll_interval(60, "warning")}
            assert reads[-1][0] < rig.clock.now() - timedelta(hours=1)  # reads stopped near the end
            actions = {a.key: a for status in ("done", "cancelled", "planned")
                       for a in rig.store.actions_in_state(status, CID)}
            optional = [a for a in actions.values() if a.key.startswith("congrats:")]
            sent_optional = [a.updated_at for a in optional if a.status == "done"]
            dropped = [a.updated_at for a in optional if a.status == "cancelled"]
            assert sent_optional and dropped and {a.status for a in optional} == {"done", "cancelled"}
            assert {a.error for a in optional if a.status == "cancelled"} <= {"budget_warning",
                                                                               "budget_exhausted"}
            waiting = [a for a in actions.values() if a.kind == "reply" and a.status == "planned"]
            assert {a.error for a in waiting} <= {"budget_exhausted"}
            assert max(sent_optional) < min(dropped)
            # Past the warning, optional posts are dropped while replies still go out.
            assert any(a.kind == "reply" and a.status == "done" and a.updated_at > min(dropped)
                       for a in actions.values())
            if waiting:
                assert min(dropped) < min(a.updated_at for a in waiting)
                assert all(a.not_before >= datetime(2026, 11, 1, 4, 0, tzinfo=UTC) for a in waiting)
        finally:
            rig.close()
