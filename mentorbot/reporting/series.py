"""The time series behind the report's charts, from one :class:`CampaignData` (pure: no I/O).

Weeks start on Monday and days at midnight in the campaign's zone: an organizer in New York
reads "the week of 5 Jan" as their week, not UTC's. Series run from the first data to ``now``
with zeros filled in, so a quiet week shows as a gap in the bars, not as a missing bar.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..domain.policy import month_start, next_month_start, project_month
from .data import CampaignData
from .stats import mentor_loads

__all__ = ["Weekly", "Coverage", "SpendLine", "joins_per_week", "wins_per_week", "coverage_by_day",
           "load_distribution", "spend_line"]


@dataclass(frozen=True, slots=True)
class Weekly:
    """Counts per local week (Monday dates), one row per series name."""

    weeks: tuple[date, ...]
    counts: dict[str, tuple[int, ...]]

    @property
    def total(self) -> int:
        return sum(sum(v) for v in self.counts.values())


@dataclass(frozen=True, slots=True)
class Coverage:
    """At the end of each local day: active mentees, and those with a live match."""

    days: tuple[date, ...]
    mentees: tuple[int, ...]
    matched: tuple[int, ...]

    @property
    def shares(self) -> tuple[float | None, ...]:
        return tuple(m / n if n else None for m, n in zip(self.matched, self.mentees))


@dataclass(frozen=True, slots=True)
class SpendLine:
    """Spend so far in each local month (it restarts at each month's start, as the budget does),
    one point per spend row, and this month's linear projection to its end."""

    times: tuple[datetime, ...]
    cumulative: tuple[float, ...]
    month_starts: tuple[datetime, ...]
    budget_usd: float
    warning_usd: float
    now: datetime
    month_end: datetime
    projected_usd: float

    @property
    def this_month_usd(self) -> float:
        return self.cumulative[-1] if self.cumulative else 0.0


def _monday(moment: datetime, tz: ZoneInfo) -> date:
    local = moment.astimezone(tz).date()
    return local - timedelta(days=local.weekday())


def _weekly(moments: dict[str, list[datetime]], now: datetime, tz: ZoneInfo) -> Weekly:
    every = [m for ms in moments.values() for m in ms]
    if not every:
        return Weekly((), {name: () for name in moments})
    first, last = _monday(min(every), tz), max(_monday(now, tz), _monday(max(every), tz))
    weeks = tuple(first + timedelta(weeks=k) for k in range((last - first).days // 7 + 1))
    index = {w: i for i, w in enumerate(weeks)}
    counts = {}
    for name, ms in moments.items():
        c = Counter(index[_monday(m, tz)] for m in ms)
        counts[name] = tuple(c.get(i, 0) for i in range(len(weeks)))
    return Weekly(weeks, counts)


def joins_per_week(data: CampaignData, zone: str) -> Weekly:
    """People who joined each week, by role (mentees first: they are the program's reason)."""
    by_role: dict[str, list[datetime]] = {"mentee": [], "mentor": []}
    for p in data.participants:
        by_role.setdefault(p.role, []).append(p.joined_at)
    return _weekly(by_role, data.now, ZoneInfo(zone))


def wins_per_week(data: CampaignData, zone: str) -> Weekly:
    """Wins amplified (reposts done) each week."""
    return _weekly({"repost": [a.at for a in data.done if a.kind == "repost"]}, data.now, ZoneInfo(zone))


def coverage_by_day(data: CampaignData, zone: str) -> Coverage:
    """Matched share of active mentees at the end of each day since the first mentee joined.

    The schema keeps only a person's current status and when it began, so someone paused today
    counts as active before that; a match counts while :meth:`MatchRow.live_at` says it was live.
    """
    tz = ZoneInfo(zone)
    mentees = [p for p in data.participants if p.role == "mentee"]
    if not mentees:
        return Coverage((), (), ())
    by_mentee: dict[str, list] = {}
    for m in data.matches:
        by_mentee.setdefault(m.mentee_id, []).append(m)
    day, last = min(p.joined_at for p in mentees).astimezone(tz).date(), data.now.astimezone(tz).date()
    days, counts, matched = [], [], []
    while day <= last:
        moment = min(datetime.combine(day + timedelta(days=1), time(), tz), data.now)
        present = [p for p in mentees
                   if p.joined_at <= moment and (p.status == "active" or p.status_at > moment)]
        days.append(day)
        counts.append(len(present))
        matched.append(sum(1 for p in present if any(m.live_at(moment) for m in by_mentee.get(p.person_id, ()))))
        day += timedelta(days=1)
    return Coverage(tuple(days), tuple(counts), tuple(matched))


def load_distribution(data: CampaignData) -> dict[int, int]:
    """Open pairs per mentor -> how many mentors carry that many (0 to the max, no gaps)."""
    loads = Counter(mentor_loads(data).values())
    return {k: loads.get(k, 0) for k in range(max(loads, default=-1) + 1)}


def spend_line(data: CampaignData, *, zone: str, budget_usd: float, warning_usd: float) -> SpendLine:
    """Each month's running total from the first month with spend (of those read) to ``now``."""
    first = month_start(data.spend[0].at, zone) if data.spend else data.month_start
    starts = [first]
    while starts[-1] < data.month_start:
        starts.append(next_month_start(starts[-1], zone))
    times, cumulative, total, k = [], [], 0.0, 0
    for row in data.spend:
        while k + 1 < len(starts) and row.at >= starts[k + 1]:  # a new month: the total restarts
            k += 1
            times.append(starts[k])
            cumulative.append(total)
            total = 0.0
            times.append(starts[k])
            cumulative.append(total)
        if not times:
            times.append(starts[0])
            cumulative.append(0.0)
        total += row.usd
        times.append(row.at)
        cumulative.append(total)
    if times and times[-1] < data.month_start:  # no spend yet this month
        times += [data.month_start, data.month_start]
        cumulative += [cumulative[-1], 0.0]
        total = 0.0
    if times:
        times.append(data.now)
        cumulative.append(total)
    return SpendLine(tuple(times), tuple(cumulative), tuple(starts), budget_usd, warning_usd, data.now,
                     next_month_start(data.now, zone), project_month(total if times else 0.0, data.now, zone))
