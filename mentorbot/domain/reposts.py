"""When to repost participants' wins: spread over the day, within caps, outside quiet hours.

Pure: ``now`` and everything already planned are parameters; results are UTC. The rule:

- Each local day's non-quiet time (measured in real minutes, so 23- and 25-hour DST days are
  right) is cut into ``daily_cap`` equal shares. A share holds at most one repost, so the reposts
  of a busy day spread over it instead of piling up at the first free minute; a share that
  already holds a taken repost (planned or done) is full.
- Wins are placed oldest first (ties: post id), each at the earliest whole minute that is at or
  after ``now``, not quiet, in a free share of a day below ``daily_cap`` (taken ones counted), at
  least ``min_spacing`` from every other repost and ``gap_per_person`` from the same person's.
  So a win that arrives in a free share is reposted at once; the next waits for the next share.
- A win with no such minute before ``now + horizon`` is skipped, with the reason.

The sender checks again before sending (:func:`cancel_reason`, and the send policy).
"""
from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import NamedTuple, Sequence
from zoneinfo import ZoneInfo

from .campaign import QuietHours
from .policy import local_midnight_after, local_midnight_before
from .records import Participant

__all__ = ["HORIZON", "Win", "Taken", "Slot", "Skipped", "RepostPlan", "plan_slots", "cancel_reason",
           "amplifiable"]

HORIZON = timedelta(days=7)
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Win:
    """A registered mentee's post to repost."""

    post_id: str
    person_id: str
    posted_at: datetime


@dataclass(frozen=True, slots=True)
class Taken:
    """A repost already planned or done (any day), by the person whose post it reposts."""

    person_id: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Slot:
    post_id: str
    person_id: str
    at: datetime  # UTC


@dataclass(frozen=True, slots=True)
class Skipped:
    post_id: str
    person_id: str
    reason: str


class RepostPlan(NamedTuple):
    """``slots`` in placement order (oldest win first) and the wins that found no slot."""

    slots: list[Slot]
    skipped: list[Skipped]


@dataclass(frozen=True, slots=True)
class _Share:
    lo: int  # index range into the day's free minutes
    hi: int
    start: datetime  # the time range the share covers (quiet minutes inside it included)
    stop: datetime


@dataclass(frozen=True, slots=True)
class _Day:
    day: date
    free: tuple[datetime, ...]
    shares: tuple[_Share, ...]


def _utc(name: str, moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return moment.astimezone(timezone.utc)


@lru_cache(maxsize=64)
def _free_minutes(start: datetime, stop: datetime, zone: ZoneInfo, quiet: QuietHours) -> tuple[datetime, ...]:
    """The whole minutes in [start, stop) whose local time is not quiet (cached: pure)."""
    count = int((stop - start) / _MINUTE)
    minutes = (start + i * _MINUTE for i in range(count))
    return tuple(m for m in minutes if not quiet.contains(m.astimezone(zone)))


def _days(now: datetime, end: datetime, zone: ZoneInfo, quiet: QuietHours, cap: int) -> list[_Day]:
    days: list[_Day] = []
    start = local_midnight_before(now, zone)
    while start < end:
        stop = local_midnight_after(start, zone)
        free = _free_minutes(start, stop, zone, quiet)
        parts = min(cap, len(free))
        bounds = [i * len(free) // parts for i in range(parts + 1)] if parts else []
        shares = tuple(
            _Share(lo, hi, free[lo], free[hi] if hi < len(free) else stop)
            for lo, hi in zip(bounds, bounds[1:]))
        days.append(_Day(start.astimezone(zone).date(), free, shares))
        start = stop
    return days


def _clear_until(t: datetime, events: Sequence[datetime], spacing: timedelta) -> datetime | None:
    """None when ``t`` is at least ``spacing`` from every event, else the first time it could be."""
    if not spacing:
        return None
    i = bisect_left(events, t - spacing + timedelta(microseconds=1))
    blocked = [x + spacing for x in events[i:bisect_left(events, t + spacing)]]
    return max(blocked) if blocked else None


@dataclass(slots=True)
class _Planner:
    now: datetime
    end: datetime
    zone: ZoneInfo
    days: list[_Day]
    cap: int
    spacing: timedelta
    gap: timedelta
    events: list[datetime]  # sorted, every repost taken or planned
    mine: dict[str, list[datetime]]  # sorted, per person
    per_day: Counter[date]

    def add(self, person_id: str, at: datetime) -> None:
        insort(self.events, at)
        insort(self.mine.setdefault(person_id, []), at)
        self.per_day[at.astimezone(self.zone).date()] += 1

    def _occupied(self, share: _Share) -> bool:
        i = bisect_left(self.events, share.start)
        return i < len(self.events) and self.events[i] < share.stop

    def place(self, person_id: str, *, with_gap: bool = True) -> datetime | None:
        mine = self.mine.get(person_id, []) if with_gap else []
        for day in self.days:
            if self.per_day[day.day] >= self.cap:
                continue
            for share in day.shares:
                if share.stop <= self.now or self._occupied(share):
                    continue
                j = bisect_left(day.free, self.now, share.lo, share.hi)
                while j < share.hi and (t := day.free[j]) < self.end:
                    later = [u for u in (_clear_until(t, self.events, self.spacing),
                                         _clear_until(t, mine, self.gap)) if u is not None]
                    if not later:
                        return t
                    j = bisect_left(day.free, max(later), j + 1, share.hi)
        return None


def plan_slots(wins: Sequence[Win], *, now: datetime, zone: ZoneInfo, quiet: QuietHours,
               daily_cap: int, gap_per_person: timedelta, min_spacing: timedelta,
               taken: Sequence[Taken] = (), horizon: timedelta = HORIZON) -> RepostPlan:
    """Plan a repost time for each win (see the module docstring for the rule). Deterministic.

    ``taken``: reposts already planned or done; they count against caps, spacing and gaps.
    Pass each win once and not wins already planned (a post id listed twice is planned once).
    """
    now = _utc("now", now)
    if daily_cap < 0 or gap_per_person < timedelta(0) or min_spacing < timedelta(0):
        raise ValueError("daily_cap, gap_per_person and min_spacing must not be negative")
    end = now + horizon
    planner = _Planner(now, end, zone, _days(now, end, zone, quiet, daily_cap), daily_cap,
                       min_spacing, gap_per_person, [], {}, Counter())
    for t in taken:
        planner.add(t.person_id, _utc("taken.at", t.at))
    seen: set[str] = set()
    ordered = sorted(wins, key=lambda w: (_utc("posted_at", w.posted_at), len(w.post_id), w.post_id))
    slots: list[Slot] = []
    skipped: list[Skipped] = []
    for win in ordered:
        if win.post_id in seen:
            continue
        seen.add(win.post_id)
        at = planner.place(win.person_id)
        if at is None:
            skipped.append(Skipped(win.post_id, win.person_id, _why_not(planner, win.person_id, horizon)))
            continue
        planner.add(win.person_id, at)
        slots.append(Slot(win.post_id, win.person_id, at))
    return RepostPlan(slots, skipped)


def _why_not(planner: _Planner, person_id: str, horizon: timedelta) -> str:
    within = f"within {_span(horizon)}"
    if planner.cap == 0:
        return "the daily repost cap is 0"
    if not any(planner.now <= t < planner.end for day in planner.days for t in day.free):
        return f"quiet hours leave no time to repost {within}"
    if planner.place(person_id, with_gap=False) is not None:
        return f"this person's other reposts are too close to every free slot {within}"
    return f"the daily cap and spacing leave no free slot {within}"


def _span(delta: timedelta) -> str:
    if delta % timedelta(days=1) == timedelta(0):
        return f"{delta.days} day{'s' if delta.days != 1 else ''}"
    hours = delta / timedelta(hours=1)
    return f"{hours:g} hours"


def amplifiable(p: Participant | None) -> bool:
    """Whose wins the program reposts: an active mentee who has not said NO SHOUTOUTS."""
    return p is not None and p.role == "mentee" and p.status == "active" and p.shout_outs


def cancel_reason(post_exists: bool, author_active: bool, consent: bool) -> str | None:
    """Why a planned repost must not go out any more, or None when it still may."""
    if not post_exists:
        return "post deleted"
    if not author_active:
        return "author left the program"
    if not consent:
        return "author opted out of shout-outs"
    return None
