"""Repost timing: outside quiet hours (in the campaign's zone, across DST), under the daily cap,
spaced, one person's wins apart, oldest first; and why a planned repost is cancelled."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorbot.domain.campaign import QuietHours
from mentorbot.domain.reposts import Taken, Win, cancel_reason, plan_slots

UTC = timezone.utc
NEW_YORK = ZoneInfo("America/New_York")
FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Zones with DST both ways, a half-hour DST shift (Lord Howe), and none (Kolkata).
zones = st.sampled_from(["America/New_York", "Europe/London", "Australia/Lord_Howe",
                         "America/Santiago", "Asia/Kolkata", "UTC"]).map(ZoneInfo)
# Days around 2026's DST changes in those zones, and any day of the year.
dst_days = [datetime(2026, 3, 7), datetime(2026, 3, 28), datetime(2026, 4, 4), datetime(2026, 9, 5),
            datetime(2026, 10, 3), datetime(2026, 10, 24), datetime(2026, 10, 31)]
nows = st.one_of(
    st.builds(lambda day, minutes: day.replace(tzinfo=UTC) + timedelta(minutes=minutes),
              st.sampled_from(dst_days), st.integers(0, 3 * 24 * 60)),
    st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31), timezones=st.just(UTC)),
)
clock = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 59]))
quiet_hours = st.builds(QuietHours, clock, clock)  # start == end: no quiet hours
people = st.sampled_from(["ana", "ben", "chi", "dev", "eli"])


@st.composite
def scenarios(draw):
    now = draw(nows)
    wins = [Win(f"{i}", draw(people), now - timedelta(minutes=draw(st.integers(0, 5000))))
            for i in range(draw(st.integers(0, 14)))]
    taken = [Taken(draw(people), now + timedelta(minutes=draw(st.integers(-2 * 1440, 3 * 1440))))
             for _ in range(draw(st.integers(0, 6)))]
    return dict(wins=wins, now=now, zone=draw(zones), quiet=draw(quiet_hours), daily_cap=draw(st.integers(0, 8)),
                gap_per_person=timedelta(hours=draw(st.integers(0, 48))),
                min_spacing=timedelta(minutes=draw(st.integers(0, 240))), taken=taken,
                horizon=timedelta(days=draw(st.integers(1, 4))))


@FAST
@given(scenarios())
def test_planned_reposts_keep_quiet_hours_daily_cap_spacing_gap_and_age_order(s):
    plan = plan_slots(**s)
    zone, now = s["zone"], s["now"]
    wins = {w.post_id: w for w in s["wins"]}
    # Every win is either planned or skipped, once, and a skip says why.
    assert sorted([x.post_id for x in plan.slots] + [x.post_id for x in plan.skipped]) == sorted(wins)
    assert all(x.reason.strip() for x in plan.skipped)
    for slot in plan.slots:
        assert slot.person_id == wins[slot.post_id].person_id
        assert slot.at.tzinfo is not None and now <= slot.at < now + s["horizon"]
        assert not s["quiet"].contains(slot.at.astimezone(zone)), slot.at.astimezone(zone)
    # The daily cap, per local day, counting what was already taken.
    per_day = Counter(x.at.astimezone(zone).date() for x in plan.slots)
    taken_per_day = Counter(t.at.astimezone(zone).date() for t in s["taken"])
    for day, planned in per_day.items():
        assert planned + taken_per_day[day] <= s["daily_cap"], day
    # Spacing between any two reposts, and the gap between one person's.
    for i, slot in enumerate(plan.slots):
        others = [(x.person_id, x.at) for j, x in enumerate(plan.slots) if j != i]
        for person, at in others + [(t.person_id, t.at) for t in s["taken"]]:
            assert abs(at - slot.at) >= s["min_spacing"]
            if person == slot.person_id:
                assert abs(at - slot.at) >= s["gap_per_person"]
    # Oldest first: placed in age order; and when no one's own earlier reposts hold them back
    # (one win per person, none already taken), no younger win goes earlier.
    ages = [wins[x.post_id].posted_at for x in plan.slots]
    assert ages == sorted(ages)
    persons = [w.person_id for w in s["wins"]]
    if len(set(persons)) == len(persons) and not set(persons) & {t.person_id for t in s["taken"]}:
        assert [x.at for x in plan.slots] == sorted(x.at for x in plan.slots)


@FAST
@given(scenarios())
def test_an_older_win_is_never_skipped_while_a_younger_one_of_the_same_person_is_planned(s):
    plan = plan_slots(**s)
    wins = {w.post_id: w for w in s["wins"]}
    planned_at = defaultdict(list)
    for slot in plan.slots:
        planned_at[slot.person_id].append(wins[slot.post_id].posted_at)
    for skip in plan.skipped:
        # When the skip is about the cap or spacing, everyone's younger wins are skipped too.
        assert all(t <= wins[skip.post_id].posted_at for t in planned_at[skip.person_id])


def _ny(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=NEW_YORK)


def test_a_busy_day_is_spread_into_equal_shares_of_its_waking_hours():
    """07:00-22:00 is 900 minutes; a cap of 4 gives shares starting 07:00, 10:45, 14:30, 18:15."""
    now = _ny(3, 7).astimezone(UTC)
    wins = [Win(str(i), f"p{i}", now - timedelta(hours=1, minutes=i)) for i in range(10)]
    plan = plan_slots(wins, now=now, zone=NEW_YORK, quiet=QuietHours(time(22), time(7)), daily_cap=4,
                      gap_per_person=timedelta(hours=24), min_spacing=timedelta(minutes=10))
    local = [x.at.astimezone(NEW_YORK) for x in plan.slots]
    assert [(t.day, t.strftime("%H:%M")) for t in local] == [
        (3, "07:00"), (3, "10:45"), (3, "14:30"), (3, "18:15"),
        (4, "07:00"), (4, "10:45"), (4, "14:30"), (4, "18:15"), (5, "07:00"), (5, "10:45")]
    assert [x.post_id for x in plan.slots] == [str(i) for i in range(9, -1, -1)]  # oldest first


def test_on_the_spring_forward_day_shares_are_measured_in_real_minutes():
    """8 March 2026 in New York has 23 hours (1,380 minutes). With no quiet hours and a cap of 2
    the second share starts 690 real minutes after midnight: 12:30 on the wall clock, as
    02:00-03:00 never happens (counting wall-clock hours would say 12:00)."""
    now = _ny(8, 0).astimezone(UTC)
    wins = [Win("a", "p1", now - timedelta(hours=2)), Win("b", "p2", now - timedelta(hours=1))]
    plan = plan_slots(wins, now=now, zone=NEW_YORK, quiet=QuietHours(time(0), time(0)), daily_cap=2,
                      gap_per_person=timedelta(0), min_spacing=timedelta(0))
    assert [x.at.astimezone(NEW_YORK).strftime("%d %H:%M") for x in plan.slots] == ["08 00:00", "08 12:30"]


def test_on_the_fall_back_day_the_repeated_hour_is_quiet_both_times():
    now = datetime(2026, 11, 1, 5, 0, tzinfo=UTC)  # 01:00 EDT, the first of two 01:00s
    plan = plan_slots([Win("a", "p1", now)], now=now, zone=NEW_YORK, quiet=QuietHours(time(0), time(2)),
                      daily_cap=5, gap_per_person=timedelta(0), min_spacing=timedelta(0))
    assert plan.slots[0].at == datetime(2026, 11, 1, 7, 0, tzinfo=UTC)  # 02:00 EST, two real hours on


def test_taken_reposts_count_against_the_cap_spacing_and_the_persons_gap():
    now = _ny(3, 12).astimezone(UTC)
    quiet = QuietHours(time(22), time(7))
    full = [Taken(f"q{i}", _ny(3, 8 + i)) for i in range(3)]
    plan = plan_slots([Win("w", "p1", now)], now=now, zone=NEW_YORK, quiet=quiet, daily_cap=3,
                      gap_per_person=timedelta(0), min_spacing=timedelta(0), taken=full)
    assert plan.slots[0].at.astimezone(NEW_YORK) == _ny(4, 7)
    recent = [Taken("p1", now - timedelta(hours=2))]
    plan = plan_slots([Win("w", "p1", now)], now=now, zone=NEW_YORK, quiet=quiet, daily_cap=10,
                      gap_per_person=timedelta(hours=24), min_spacing=timedelta(0), taken=recent)
    assert plan.slots[0].at.astimezone(NEW_YORK) == _ny(4, 10)  # 24 h after the last one


@pytest.mark.parametrize("cap, quiet, taken, horizon, reason", [
    (0, QuietHours(), [], timedelta(days=7), "the daily repost cap is 0"),
    (5, QuietHours(time(0, 1), time(0)), [], timedelta(hours=11), "quiet hours leave no time"),
    (5, QuietHours(), [Taken("p1", datetime(2026, 3, 3, 12, tzinfo=UTC))], timedelta(days=1),
     "this person's other reposts are too close"),
    (1, QuietHours(), [Taken("zz", datetime(2026, 3, 3, 12, tzinfo=UTC))], timedelta(hours=6),
     "the daily cap and spacing leave no free slot within 6 hours"),
])
def test_a_skipped_win_says_why(cap, quiet, taken, horizon, reason):
    now = datetime(2026, 3, 3, 12, 30, tzinfo=UTC)
    plan = plan_slots([Win("w", "p1", now)], now=now, zone=ZoneInfo("UTC"), quiet=quiet, daily_cap=cap,
                      gap_per_person=timedelta(hours=48), min_spacing=timedelta(0), taken=taken,
                      horizon=horizon)
    assert not plan.slots and len(plan.skipped) == 1
    assert plan.skipped[0].reason.startswith(reason)


def test_times_without_a_zone_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        plan_slots([], now=datetime(2026, 3, 3), zone=NEW_YORK, quiet=QuietHours(), daily_cap=1,
                   gap_per_person=timedelta(0), min_spacing=timedelta(0))


@pytest.mark.parametrize("exists, active, consent, reason", [
    (True, True, True, None),
    (False, True, True, "post deleted"),
    (False, False, False, "post deleted"),
    (True, False, True, "author left the program"),
    (True, False, False, "author left the program"),
    (True, True, False, "author opted out of shout-outs"),
])
def test_a_repost_is_cancelled_when_the_post_is_gone_or_its_author_stopped_or_opted_out(
        exists, active, consent, reason):
    assert cancel_reason(exists, active, consent) == reason
