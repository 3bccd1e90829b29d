"""Send policy (budget, caps, quiet hours, spacing), calendar helpers, read pacing and backoff."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorbot.domain.campaign import Campaign, QuietHours, Templates, TEMPLATE_KINDS
from mentorbot.domain.model import RateLimit
from mentorbot.domain.policy import (CAPPED_KINDS, SCHEDULED_KINDS, SendContext, backoff_delay,
                                     budget_level, local_midnight_after, local_midnight_before,
                                     month_start, next_allowed_time, next_month_start,
                                     poll_interval, project_month, quiet_period_end, read_gate,
                                     reads_allowed, send_decision)
from mentorbot.domain.pricing import MAX_WRITE_USD, write_cost
from mentorbot.domain.records import Action

UTC = timezone.utc
EXAMPLE = Path(__file__).resolve().parent.parent / "config" / "campaigns" / "medmentormatch.toml"


def _base_campaign() -> Campaign:
    try:
        from mentorbot.config.campaign import load_campaign
        return load_campaign(EXAMPLE)
    except Exception:  # the loader is optional here: the policy needs only the values
        texts = Templates(**{kind: (f"{kind} one", f"{kind} two") for kind in TEMPLATE_KINDS})
        return Campaign(id="medmentormatch", name="MedMentorMatch", bot_handle="MedMentorBot",
                        hashtags=("MedMentorMatch",), timezone="America/New_York",
                        start=datetime(2026, 9, 1, 4, tzinfo=UTC), templates=texts)


BASE = _base_campaign()  # America/New_York, quiet 22:00-07:00, 40 writes/day, 10 min spacing


def campaign(tz: str = "America/New_York", quiet: tuple[time, time] = (time(22), time(7)),
             **limits) -> Campaign:
    return replace(BASE, timezone=tz, quiet_hours=QuietHours(*quiet),
                   limits=replace(BASE.limits, **limits))


def action(kind: str = "post", optional: bool = False, key: str = "k") -> Action:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    return Action(key=key, campaign_id="medmentormatch", kind=kind, not_before=t0, created_at=t0,
                  text="hello", optional=optional)


def ctx(now: datetime, sent: int = 0, reposts: int = 0, last: datetime | None = None,
        spent: float = 0.0) -> SendContext:
    return SendContext(now=now, sent_today=sent, reposts_today=reposts, last_post_at=last,
                       spent_usd=spent)


def ny(*args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo("America/New_York"))


# -- strategies -----------------------------------------------------------------------------

ZONES = ["UTC", "America/New_York", "Europe/London", "Asia/Kathmandu", "Australia/Lord_Howe",
         "America/Santiago", "Pacific/Chatham", "Asia/Tokyo"]
# Days on which some of ZONES change their clocks (Santiago's midnight disappears on 2026-09-06).
DST_DAYS = [date(2026, 3, 8), date(2026, 3, 29), date(2026, 4, 5), date(2026, 4, 4),
            date(2026, 9, 6), date(2026, 9, 27), date(2026, 10, 4), date(2026, 10, 25),
            date(2026, 11, 1)]

clock_times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 0, 15, 30, 45, 59]))
moments = st.one_of(
    st.datetimes(datetime(2025, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC)),
    st.builds(lambda day, minutes: datetime.combine(day, time(0), tzinfo=UTC) + timedelta(minutes=minutes),
              st.sampled_from(DST_DAYS), st.integers(-36 * 60, 36 * 60)))
campaigns = st.builds(
    lambda tz, start, end, per_day, reposts, gap, budget, share: campaign(
        tz, (start, end), posts_per_day=per_day, reposts_per_day=reposts,
        min_minutes_between_posts=gap, monthly_budget_usd=budget, budget_warning_share=share),
    st.sampled_from(ZONES), clock_times, clock_times, st.integers(0, 30), st.integers(0, 10),
    st.sampled_from([0, 1, 10, 45, 120, 600]), st.floats(0.02, 0.6), st.floats(0.3, 1.0))
kinds = st.sampled_from(["reply", "post", "repost", "undo_repost", "delete"])


def _allowed_for_posts(c: Campaign, moment: datetime, last: datetime | None) -> bool:
    gap = timedelta(minutes=c.limits.min_minutes_between_posts)
    return not c.is_quiet(moment) and (last is None or moment >= last + gap)


# -- calendar -----------------------------------------------------------------------------------

class TestCalendar:
    def test_midnights_are_local(self):
        """In New York, 23:30 on the 5th is followed by midnight of the 6th, 05:00 UTC in winter."""
        now = ny(2026, 1, 5, 23, 30)
        assert local_midnight_after(now, "America/New_York") == datetime(2026, 1, 6, 5, tzinfo=UTC)
        assert local_midnight_before(now, "America/New_York") == datetime(2026, 1, 5, 5, tzinfo=UTC)

    def test_a_midnight_that_dst_skips_is_the_first_instant_of_the_day(self):
        """Santiago jumps from 00:00 to 01:00 on 2026-09-06: that day starts at 01:00 local."""
        zone = ZoneInfo("America/Santiago")
        start = local_midnight_after(datetime(2026, 9, 5, 12, tzinfo=zone), zone)
        assert start.astimezone(zone).replace(tzinfo=None) == datetime(2026, 9, 6, 1)
        assert (start - timedelta(microseconds=1)).astimezone(zone).date() == date(2026, 9, 5)

    def test_months_start_at_local_midnight_of_the_first(self):
        """March 2026 in New York begins at 05:00 UTC on the 1st, April at 04:00 UTC (DST)."""
        now = ny(2026, 3, 20, 12)
        assert month_start(now, "America/New_York") == datetime(2026, 3, 1, 5, tzinfo=UTC)
        assert next_month_start(now, "America/New_York") == datetime(2026, 4, 1, 4, tzinfo=UTC)
        assert next_month_start(datetime(2026, 12, 31, 23, tzinfo=UTC), "UTC") == datetime(2027, 1, 1, tzinfo=UTC)

    def test_quiet_hours_end_at_the_local_end_time(self):
        """At 23:00 with quiet hours 22:00-07:00 the period ends 07:00 next day; outside it, now."""
        c = campaign()
        assert quiet_period_end(ny(2026, 1, 5, 23), c) == ny(2026, 1, 6, 7).astimezone(UTC)
        assert quiet_period_end(ny(2026, 1, 6, 3), c) == ny(2026, 1, 6, 7).astimezone(UTC)
        assert quiet_period_end(ny(2026, 1, 6, 12), c) == ny(2026, 1, 6, 12).astimezone(UTC)

    def test_naive_datetimes_are_refused(self):
        """Time zones are the whole point here: a naive time is a bug."""
        with pytest.raises(ValueError, match="aware"):
            local_midnight_after(datetime(2026, 1, 1), "UTC")

    @given(moments, st.sampled_from(ZONES))
    def test_day_and_month_bounds_bracket_now(self, now, tz):
        """Day and month starts are <= now < next ones, and the next ones begin a new local date."""
        zone = ZoneInfo(tz)
        before, after = local_midnight_before(now, zone), local_midnight_after(now, zone)
        assert before <= now < after
        assert after.astimezone(zone).date() > (after - timedelta(microseconds=1)).astimezone(zone).date()
        assert month_start(now, zone) <= now < next_month_start(now, zone)
        assert next_month_start(now, zone).astimezone(zone).day == 1

    @given(moments, campaigns)
    def test_the_end_of_quiet_hours_is_not_quiet(self, now, c):
        """quiet_period_end is now outside quiet hours, else a later instant that is not quiet."""
        end = quiet_period_end(now, c)
        assert not c.is_quiet(end)
        assert (end == now) != c.is_quiet(now)
        assert end - now < timedelta(days=2)


# -- the send decision ---------------------------------------------------------------------

class TestSendDecision:
    def test_a_post_in_working_hours_with_room_is_sent(self):
        """Nothing in the way: send."""
        d = send_decision(action("post"), campaign(), ctx(ny(2026, 1, 5, 12), last=ny(2026, 1, 5, 11)), 0.015)
        assert (d.verdict, d.not_before, d.reason) == ("send", None, "ok")

    def test_a_post_in_quiet_hours_waits_for_their_end(self):
        """At 23:00 a scheduled post waits until 07:00."""
        d = send_decision(action("post"), campaign(), ctx(ny(2026, 1, 5, 23)), 0.015)
        assert (d.verdict, d.reason) == ("wait", "quiet_hours")
        assert d.not_before == ny(2026, 1, 6, 7).astimezone(UTC)

    @pytest.mark.parametrize("kind", ["reply", "delete", "undo_repost"])
    def test_replies_and_corrections_go_during_quiet_hours(self, kind):
        """A person who just wrote gets an answer at night; corrections are never held."""
        d = send_decision(action(kind), campaign(), ctx(ny(2026, 1, 5, 23, 30), last=ny(2026, 1, 5, 23, 29)),
                          0.010)
        assert d.verdict == "send"

    def test_posts_are_spaced(self):
        """A post 4 minutes after the last waits until 10 minutes have passed."""
        d = send_decision(action("repost"), campaign(), ctx(ny(2026, 1, 5, 12, 4), last=ny(2026, 1, 5, 12)),
                          0.015)
        assert (d.verdict, d.reason, d.not_before) == ("wait", "spacing", ny(2026, 1, 5, 12, 10).astimezone(UTC))

    def test_spacing_that_ends_in_quiet_hours_moves_to_their_end(self):
        """With a 2 h gap, a post at 21:30 after one at 21:00 waits until 07:00, not 23:00."""
        d = send_decision(action("post"), campaign(min_minutes_between_posts=120),
                          ctx(ny(2026, 1, 5, 21, 30), last=ny(2026, 1, 5, 21)), 0.015)
        assert (d.verdict, d.reason) == ("wait", "spacing")
        assert d.not_before == ny(2026, 1, 6, 7).astimezone(UTC)

    def test_the_daily_cap_waits_for_midnight_and_for_posts_for_the_end_of_quiet_hours(self):
        """At the cap a reply waits until local midnight; a post until 07:00, after the night."""
        c, now = campaign(posts_per_day=5), ny(2026, 1, 5, 15)
        reply = send_decision(action("reply"), c, ctx(now, sent=5), 0.010)
        post = send_decision(action("post"), c, ctx(now, sent=5), 0.015)
        assert (reply.verdict, reply.reason, reply.not_before) == ("wait", "daily_cap", ny(2026, 1, 6).astimezone(UTC))
        assert (post.verdict, post.reason, post.not_before) == ("wait", "daily_cap", ny(2026, 1, 6, 7).astimezone(UTC))

    def test_the_repost_cap_holds_reposts_only(self):
        """At 10 reposts a repost waits for tomorrow while a post still goes."""
        c, now = campaign(), ny(2026, 1, 5, 15)
        assert send_decision(action("repost"), c, ctx(now, sent=12, reposts=10), 0.015).reason == "repost_cap"
        assert send_decision(action("post"), c, ctx(now, sent=12, reposts=10), 0.015).verdict == "send"

    def test_corrections_are_not_capped(self):
        """A deletion asked for by a participant is not held back by the day's cap."""
        assert send_decision(action("delete"), campaign(posts_per_day=3), ctx(ny(2026, 1, 5, 15), sent=9),
                             0.010).verdict == "send"

    def test_past_the_warning_optional_actions_are_dropped_and_replies_go(self):
        """At 20.50 of 25 USD (warning 20) a repost is dropped; a reply is sent."""
        now = ny(2026, 1, 5, 15)
        repost = send_decision(action("repost", optional=True), campaign(), ctx(now, spent=20.5), 0.015)
        reply = send_decision(action("reply"), campaign(), ctx(now, spent=20.5), 0.010)
        assert (repost.verdict, repost.reason, repost.not_before) == ("drop", "budget_warning", None)
        assert reply.verdict == "send"

    def test_optional_writes_stop_while_the_dearest_write_still_fits(self):
        """With no warning margin (share 1.0), a repost at 24.85 USD is dropped: 0.20 must stay free."""
        c = campaign(budget_warning_share=1.0)
        d = send_decision(action("repost", optional=True), c, ctx(ny(2026, 1, 5, 15), spent=24.85), 0.015)
        assert (d.verdict, d.reason) == ("drop", "budget_warning")
        assert send_decision(action("repost", optional=True), c, ctx(ny(2026, 1, 5, 15), spent=24.75),
                             0.015).verdict == "send"

    def test_a_required_write_that_would_cross_the_budget_waits_for_next_month(self):
        """At 24.995 USD a 0.010 reply waits until local midnight on the 1st; a repost is dropped."""
        now = ny(2026, 1, 20, 15)
        reply = send_decision(action("reply"), campaign(), ctx(now, spent=24.995), 0.010)
        repost = send_decision(action("repost", optional=True), campaign(), ctx(now, spent=24.995), 0.015)
        assert (reply.verdict, reply.reason, reply.not_before) == \
            ("wait", "budget_exhausted", ny(2026, 2, 1).astimezone(UTC))
        assert (repost.verdict, repost.reason) == ("drop", "budget_exhausted")

    def test_reaching_the_budget_exactly_is_allowed(self):
        """24.985 + 0.015 is 25.000 (not 25.000000000000004): it goes."""
        assert send_decision(action("post"), campaign(), ctx(ny(2026, 1, 5, 15), spent=24.985),
                             0.015).verdict == "send"

    @settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
    @given(c=campaigns, now=moments, kind=kinds, optional=st.booleans(), sent=st.integers(0, 35),
           reposts=st.integers(0, 12), since_last=st.one_of(st.none(), st.integers(0, 900)),
           spent_share=st.floats(0.0, 1.1), url=st.booleans())
    def test_every_decision_keeps_the_rules(self, c, now, kind, optional, sent, reposts, since_last,
                                            spent_share, url):
        """A send breaks no rule; a wait is later than now and itself allowed; only optional drops."""
        last = None if since_last is None else now - timedelta(minutes=since_last)
        spent = c.limits.monthly_budget_usd * spent_share
        cost = write_cost(kind, "see example.org" if url else "hi", kind == "reply")
        d = send_decision(action(kind, optional), c, ctx(now, sent, reposts, last, spent), cost)
        if d.verdict == "send":
            assert d.not_before is None
            assert spent + cost <= c.limits.monthly_budget_usd + 1e-9
            assert not optional or spent + cost <= c.limits.budget_warning_usd + 1e-9
            assert not optional or spent + MAX_WRITE_USD <= c.limits.monthly_budget_usd + 1e-9
            assert kind not in CAPPED_KINDS or sent < c.limits.posts_per_day
            assert kind != "repost" or reposts < c.limits.reposts_per_day
            assert kind not in SCHEDULED_KINDS or _allowed_for_posts(c, now, last)
        elif d.verdict == "wait":
            assert d.not_before is not None and d.not_before > now and d.not_before.tzinfo is not None
            assert kind not in SCHEDULED_KINDS or _allowed_for_posts(c, d.not_before, last)
        else:
            assert optional and d.not_before is None
            assert d.reason in ("budget_warning", "budget_exhausted")

    @given(c=campaigns, now=moments, kind=kinds, since_last=st.one_of(st.none(), st.integers(0, 900)))
    def test_next_allowed_time_is_allowed_and_not_before_now(self, c, now, kind, since_last):
        """For posts and reposts it is outside quiet hours and spacing; for the rest it is now."""
        last = None if since_last is None else now - timedelta(minutes=since_last)
        t = next_allowed_time(now, c, kind, last)
        assert t >= now
        if kind in SCHEDULED_KINDS:
            assert _allowed_for_posts(c, t, last)
        else:
            assert t == now


# -- a simulated day of sending ---------------------------------------------------------------

@dataclass
class _Pending:
    due: datetime
    seq: int
    action: Action
    cost: float


@dataclass
class _Sent:
    at: datetime
    kind: str
    optional: bool
    spent_after: float


def _simulate(c: Campaign, start: datetime, plan: list[tuple[str, bool, int, bool]], spent: float):
    """Follow every decision, moving time to each not_before; return sends and budget waits."""
    zone = c.zone
    pending = [_Pending(start + timedelta(minutes=minute), i, action(kind, optional, key=f"a{i}"),
                        write_cost(kind, "see example.org" if url else "hi", kind == "reply"))
               for i, (kind, optional, minute, url) in enumerate(plan)]
    sent: list[_Sent] = []
    budget_waits: list[datetime] = []
    horizon, now = start + timedelta(days=3), start
    for _ in range(20_000):
        if not pending:
            break
        p = min(pending, key=lambda q: (q.due, q.seq))
        if p.due > horizon:
            break
        now = max(now, p.due)
        # What the outbox counts: capped writes since the local day began, the last post/repost.
        day_start = datetime.combine(now.astimezone(zone).date(), time(0), tzinfo=zone)
        today = [s for s in sent if s.at >= day_start]
        scheduled = [s.at for s in sent if s.kind in SCHEDULED_KINDS]
        context = ctx(now, sum(s.kind in CAPPED_KINDS for s in today),
                      sum(s.kind == "repost" for s in today), max(scheduled, default=None), spent)
        d = send_decision(p.action, c, context, p.cost)
        if d.verdict == "wait":
            assert d.not_before > now
            if d.reason == "budget_exhausted":
                budget_waits.append(now)
            p.due = d.not_before
            continue
        pending.remove(p)
        if d.verdict == "send":
            spent += p.cost
            sent.append(_Sent(now, p.action.kind, p.action.optional, spent))
            now += timedelta(seconds=2)  # a call takes time
    else:
        pytest.fail("the simulation did not settle")
    return sent, budget_waits, spent


class TestASimulatedSender:
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(c=campaigns, start=moments, spent_share=st.floats(0.0, 1.0),
           plan=st.lists(st.tuples(kinds, st.booleans(), st.integers(0, 24 * 60), st.booleans()),
                         min_size=1, max_size=30))
    def test_following_the_decisions_never_breaks_a_cap_quiet_hours_spacing_or_the_budget(
            self, c, start, spent_share, plan):
        """Over a simulated day of many actions: caps, quiet hours, spacing and budget all hold."""
        limits, zone = c.limits, c.zone
        initial = limits.monthly_budget_usd * spent_share
        sent, budget_waits, spent = _simulate(c, start, plan, initial)
        assert spent <= limits.monthly_budget_usd + 1e-9
        per_day: dict[date, list[_Sent]] = {}
        for s in sent:
            per_day.setdefault(s.at.astimezone(zone).date(), []).append(s)
        for day in per_day.values():
            assert sum(s.kind in CAPPED_KINDS for s in day) <= limits.posts_per_day
            assert sum(s.kind == "repost" for s in day) <= limits.reposts_per_day
        scheduled = [s.at for s in sent if s.kind in SCHEDULED_KINDS]
        assert not any(c.is_quiet(at) for at in scheduled)
        gap = timedelta(minutes=limits.min_minutes_between_posts)
        assert all(b - a >= gap for a, b in zip(scheduled, scheduled[1:]))
        # Degradation order: optional writes stop at the warning, before any required one waits.
        assert all(s.spent_after <= limits.budget_warning_usd + 1e-9 for s in sent if s.optional)
        if budget_waits:
            assert not any(s.optional and s.at >= budget_waits[0] for s in sent)

    def test_a_busy_day_sends_up_to_the_cap_and_carries_the_rest_over(self):
        """60 replies planned at noon with a cap of 40: 40 go today, the rest from midnight."""
        c = campaign(posts_per_day=40)
        start = ny(2026, 1, 5, 12).astimezone(UTC)
        sent, _, _ = _simulate(c, start, [("reply", False, 0, False)] * 60, 0.0)
        days = [s.at.astimezone(c.zone).date() for s in sent]
        assert days.count(date(2026, 1, 5)) == 40 and days.count(date(2026, 1, 6)) == 20
        assert min(s.at for s in sent if s.at.astimezone(c.zone).date() == date(2026, 1, 6)) == \
            ny(2026, 1, 6).astimezone(UTC)


# -- budget levels, polling, projection ------------------------------------------------------

class TestBudget:
    @pytest.mark.parametrize("spent, level", [(0.0, "normal"), (19.99, "normal"), (20.0, "warning"),
                                              (24.99, "warning"), (25.0, "exhausted"), (30.0, "exhausted")])
    def test_levels_follow_the_warning_share_and_the_budget(self, spent, level):
        """With 25 USD and a 0.8 share: warning from 20, exhausted from 25."""
        assert budget_level(spent, BASE.limits) == level

    def test_polls_slow_down_as_the_budget_runs_out(self):
        """x1, x4 past the warning, x16 when exhausted."""
        assert [poll_interval(60, lvl) for lvl in ("normal", "warning", "exhausted")] == [60.0, 240.0, 960.0]

    def test_reads_never_risk_crossing_the_budget_and_searches_stop_at_the_warning(self):
        """A read happens only if its worst case fits; optional searches stop past the warning."""
        limits = BASE.limits  # 25 USD, warning at 20
        assert reads_allowed(10.0, limits, owned=False, worst_usd=1.5)
        assert not reads_allowed(20.0, limits, owned=False, worst_usd=1.5)  # warning: no search
        assert reads_allowed(24.0, limits, owned=True, worst_usd=0.2)  # mentions still read
        assert not reads_allowed(24.9, limits, owned=True, worst_usd=0.2)  # would risk crossing
        assert not reads_allowed(25.0, limits, owned=True, worst_usd=0.0001)

    def test_the_projection_is_linear_over_the_local_month(self):
        """Half of a 30-day month gone and 10 USD spent projects 20 USD."""
        assert project_month(10.0, ny(2026, 4, 16), "America/New_York") == pytest.approx(20.0)

    def test_the_first_hour_counts_as_an_hour(self):
        """A minute into the month, 0.01 USD projects as if spent over an hour, not a minute."""
        start = ny(2026, 4, 1)
        assert project_month(0.01, start + timedelta(minutes=1), "America/New_York") == pytest.approx(0.01 * 720)


# -- read pacing and retries -----------------------------------------------------------------

def _limit(remaining: int, reset_in: float, limit: int = 450, now: float = 1_000_000.0) -> RateLimit:
    return RateLimit(endpoint="GET /2/users/:id/mentions", limit=limit, remaining=remaining,
                     reset_at=now + reset_in)


class TestReadGate:
    NOW = 1_000_000.0

    def test_without_limit_information_call_now(self):
        """No headers seen yet, or a window that has reset since: now."""
        assert read_gate(None, self.NOW) == self.NOW
        assert read_gate(_limit(0, -1), self.NOW) == self.NOW

    def test_with_only_the_reserve_left_wait_for_the_reset(self):
        """remaining <= reserve: the reset time."""
        assert read_gate(_limit(1, 300), self.NOW) == self.NOW + 300
        assert read_gate(_limit(3, 300), self.NOW, reserve=3) == self.NOW + 300

    def test_a_caller_within_the_pace_is_not_held(self):
        """440 of 450 left with 14 minutes to go is behind the steady pace (2 s a call): now."""
        assert read_gate(_limit(440, 840), self.NOW) == self.NOW

    def test_a_burst_is_spread_over_what_is_left(self):
        """10 left (9 usable) and 600 s to the reset: one call a minute, the last before the reset."""
        assert read_gate(_limit(10, 600), self.NOW) == self.NOW + 60

    @given(st.integers(1, 500), st.integers(0, 500), st.floats(0.0, 900.0), st.integers(0, 3))
    def test_it_never_answers_past_the_reset_while_calls_remain(self, limit, remaining, reset_in, reserve):
        """now <= gate, and gate <= reset when remaining > reserve; the reset otherwise."""
        seen = _limit(min(remaining, limit), reset_in, limit)
        gate, reset = read_gate(seen, self.NOW, reserve), seen.reset_at
        assert self.NOW <= gate
        if reset > self.NOW and seen.remaining > reserve:
            assert gate <= reset
        elif reset > self.NOW:
            assert gate == reset

    @staticmethod
    def _poll(limit: int, reserve: int, cadence: float, duration: float = 900.0):
        """A poller against a fixed 900 s window; returns (calls made, times it was held)."""
        t, reset, remaining, seen, calls, held = 0.0, 900.0, limit, None, 0, 0
        while t < duration:
            assert remaining > 0, "a 429: the window was used up"
            remaining -= 1
            calls += 1
            seen = RateLimit("GET /2/tweets/search/recent", limit, remaining, reset)
            natural, gate = t + cadence, read_gate(seen, t, reserve)
            held += gate > natural + 1e-6
            t = max(natural, gate)
        return calls, held

    @given(st.integers(2, 450), st.integers(0, 3))
    def test_a_greedy_poller_uses_its_window_evenly_and_never_meets_a_429(self, limit, reserve):
        """Calling as soon as allowed, it makes limit - reserve calls in the window, no more."""
        calls, _ = self._poll(limit, reserve, cadence=0.0)
        assert calls == max(limit - reserve, 1)

    @given(st.integers(2, 450), st.integers(0, 3), st.floats(1.0, 3.0))
    def test_a_poller_slower_than_the_window_allows_is_never_held(self, limit, reserve, slack):
        """A cadence of window / (limit - reserve) or slower never waits on the gate."""
        if limit <= reserve:
            return
        calls, held = self._poll(limit, reserve, cadence=900.0 / (limit - reserve) * slack)
        assert held == 0 and calls <= limit - reserve


class TestBackoff:
    def test_the_ceiling_doubles_from_30_seconds_to_an_hour(self):
        """With a draw near 1 the delay is the ceiling: 30, 60, 120, ... capped at 3600."""
        delays = [backoff_delay(n, 0.999999) for n in range(1, 10)]
        assert delays[:4] == pytest.approx([30, 60, 120, 240], rel=1e-5)
        assert delays[-1] == pytest.approx(3600, rel=1e-5) and max(delays) < 3600

    def test_it_is_deterministic_and_jittered_by_the_draw(self):
        """The same inputs give the same delay; the draw scales it (full jitter)."""
        assert backoff_delay(3, 0.5) == backoff_delay(3, 0.5) == 60.0
        assert backoff_delay(0, 0.5) == backoff_delay(1, 0.5) == 15.0

    def test_a_zero_draw_still_waits_a_second(self):
        """Full jitter can draw 0; a retry never comes in a hot loop."""
        assert backoff_delay(5, 0.0) == 1.0

    @given(st.integers(-5, 10_000), st.floats(0.0, 1.0, exclude_max=True))
    def test_it_stays_between_a_second_and_an_hour(self, attempts, jitter):
        """Any attempt count, any draw: within [1 s, 1 h]."""
        assert 1.0 <= backoff_delay(attempts, jitter) <= 3600.0

    @pytest.mark.parametrize("jitter", [-0.1, 1.0, 2.0])
    def test_a_draw_outside_0_1_is_an_error(self, jitter):
        """The caller passes random.random(): anything else is a bug."""
        with pytest.raises(ValueError):
            backoff_delay(1, jitter)
