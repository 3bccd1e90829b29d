"""The simulator fires the bot's APScheduler triggers on a virtual clock, exactly when APScheduler would."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorbot.clock import VirtualClock
from mentorbot.services.campaign_bot import Job
from mentorbot.simulation.runner import Simulation

UTC = timezone.utc
NY = ZoneInfo("America/New_York")
START = datetime(2026, 10, 30, 12, 0, tzinfo=UTC)  # a Friday; New York falls back on Sunday 1 Nov
UNTIL = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)


def _jobs(clock: VirtualClock, log: list, triggers: dict) -> list[Job]:
    def job(name, trigger):
        return Job(f"c:{name}", "c", trigger, lambda: log.append((clock.now(), name)))
    return [job(name, trigger) for name, trigger in triggers.items()]


def _triggers() -> dict:
    return {
        "every_37s": IntervalTrigger(seconds=37, start_date=START + timedelta(seconds=13), timezone=UTC),
        "office_hours": CronTrigger.from_crontab("*/20 9-10 * * mon-fri", timezone=NY),
        "at_1_30": CronTrigger.from_crontab("30 1 * * *", timezone=NY),  # the hour that repeats
    }


def _apscheduler_times(trigger, start: datetime, until: datetime) -> list[datetime]:
    """Fire times as APScheduler computes them: first from (None, now), then from the previous one."""
    times, t = [], trigger.get_next_fire_time(None, start)
    while t is not None and t < until:
        times.append(t)
        t = trigger.get_next_fire_time(t, t)
    return times


@lru_cache(maxsize=1)
def _whole_run() -> tuple:
    """Every firing from START to UNTIL in one run: the reference for runs in pieces."""
    clock, log = VirtualClock(START), []
    Simulation(clock, _jobs(clock, log, _triggers())).run(UNTIL)
    return tuple(log)


def _fired(log, name):
    return [t for t, n in log if n == name]


class TestFiringTimes:
    def test_each_trigger_fires_exactly_when_apscheduler_says(self):
        """Interval and cron (across a DST change) fire at APScheduler's times, in time order."""
        clock, log = VirtualClock(START), []
        triggers = _triggers()
        stats = Simulation(clock, _jobs(clock, log, triggers)).run(UNTIL)
        for name, trigger in triggers.items():
            # In UTC: an aware time in the repeated hour never equals one of another zone (PEP 495).
            assert _fired(log, name) == [t.astimezone(UTC) for t in _apscheduler_times(trigger, START, UNTIL)]
            assert stats.firings[f"c:{name}"] == len(_fired(log, name))
        assert [t for t, _ in log] == sorted(t for t, _ in log)

    def test_the_times_match_an_independent_reading_of_the_schedules(self):
        """Every 37 s from the start; :00/:20/:40 past 9 and 10 in New York on weekdays; 1:30 twice
        on the night the clocks fall back (the repeated hour)."""
        clock, log = VirtualClock(START), []
        Simulation(clock, _jobs(clock, log, _triggers())).run(UNTIL)
        first = START + timedelta(seconds=13)
        assert _fired(log, "every_37s") == [first + timedelta(seconds=37 * k)
                                            for k in range(int((UNTIL - first).total_seconds() // 37) + 1)]
        expected, minute = [], START
        while minute < UNTIL:
            local = minute.astimezone(NY)
            if local.weekday() < 5 and local.hour in (9, 10) and local.minute % 20 == 0:
                expected.append(minute)
            minute += timedelta(minutes=1)
        assert _fired(log, "office_hours") == expected and len(expected) == 12
        # Monday 2 Nov is in EST: 9:00 New York is 14:00 UTC (it was 13:00 UTC on Friday).
        assert datetime(2026, 11, 2, 14, 0, tzinfo=UTC) in expected
        assert datetime(2026, 10, 30, 13, 0, tzinfo=UTC) in expected
        assert _fired(log, "at_1_30") == [datetime(2026, 10, 31, 5, 30, tzinfo=UTC),
                                          datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
                                          datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
                                          datetime(2026, 11, 2, 6, 30, tzinfo=UTC),
                                          datetime(2026, 11, 3, 6, 30, tzinfo=UTC)]

    def test_beats_come_before_jobs_at_the_same_instant(self):
        """At an instant shared by a beat and a firing, the world acts first, then the bot."""
        clock, log = VirtualClock(START), []
        jobs = _jobs(clock, log, {"every_37s": _triggers()["every_37s"]})
        shared = START + timedelta(seconds=13 + 37)
        beats = [(shared, lambda: log.append((clock.now(), "beat"))),
                 (START, lambda: log.append((clock.now(), "opening")))]
        stats = Simulation(clock, jobs).run(START + timedelta(minutes=2), beats=beats)
        assert [n for _, n in log[:4]] == ["opening", "every_37s", "beat", "every_37s"]
        assert log[2][0] == log[3][0] == shared and stats.beats == 2


class TestUntil:
    def test_it_stops_at_until_and_the_clock_ends_there(self):
        """Nothing fires at or after ``until``; a beat at ``until`` waits for the next run; the clock is set to it."""
        clock, log = VirtualClock(START), []
        until = START + timedelta(seconds=13 + 37 * 3)  # exactly a firing time
        beats = [(until, lambda: log.append((clock.now(), "late beat")))]
        stats = Simulation(clock, _jobs(clock, log, {"every_37s": _triggers()["every_37s"]})).run(
            until, beats=beats)
        assert all(t < until for t, _ in log) and len(log) == 3
        assert clock.now() == until and stats.ended_at == until

    @settings(max_examples=25, deadline=None)
    @given(st.lists(st.integers(min_value=1, max_value=4 * 24 * 3600 - 1), max_size=6, unique=True))
    def test_running_in_pieces_fires_the_same_as_running_at_once(self, cuts):
        """Split anywhere (even on a firing instant), consecutive runs lose and repeat nothing."""
        clock, pieces = VirtualClock(START), []
        simulation = Simulation(clock, _jobs(clock, pieces, _triggers()))
        for cut in sorted(cuts) + [int((UNTIL - START).total_seconds())]:
            simulation.run(START + timedelta(seconds=cut))
        assert tuple(pieces) == _whole_run()

    def test_a_run_stopped_early_resumes_without_firing_anything_twice(self):
        """``should_stop`` ends a run between two instants; the next run neither repeats nor skips."""
        clock, log = VirtualClock(START), []
        simulation = Simulation(clock, _jobs(clock, log, _triggers()))
        stats = simulation.run(UNTIL, should_stop=lambda: len(log) >= 10)
        assert len(log) == 10 and stats.ended_at == log[-1][0] < UNTIL
        simulation.run(UNTIL)
        assert tuple(log) == _whole_run()
