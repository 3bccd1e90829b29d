"""Fires the bot's own triggers on a virtual clock: weeks of a program in seconds.

The jobs are the very ones ``mentorbot run`` schedules (:meth:`CampaignBot.jobs`); only time is
different. Between firings the clock jumps straight to the next instant anything happens: a
job's next fire time (asked from its APScheduler trigger) or a scenario beat. At equal instants
the world acts first, then the bot.
"""
from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable, Protocol

from ..services.campaign_bot import Job

__all__ = ["Simulation", "SimulationStats", "SettableClock"]


class SettableClock(Protocol):
    def now(self) -> datetime: ...
    def set(self, when: datetime) -> datetime: ...


@dataclass
class SimulationStats:
    firings: dict[str, int] = field(default_factory=dict)
    beats: int = 0
    ended_at: datetime | None = None


class Simulation:
    def __init__(self, clock: SettableClock, jobs: Iterable[Job]):
        self.clock = clock
        self.jobs = list(jobs)
        # Each job's next fire time not reached by the last run (APScheduler keeps it in its job
        # store): asking the trigger afresh at a firing instant would fire that instant again.
        self._pending: dict[str, datetime] = {}

    def run(self, until: datetime, *, beats: Iterable[tuple[datetime, Callable[[], object]]] = (),
            on_fire: Callable[[Job, object], None] | None = None,
            should_stop: Callable[[], bool] | None = None) -> SimulationStats:
        """Advance to ``until``, running each beat and each job firing in time order."""
        stats = SimulationStats()
        order = itertools.count()
        queue: list[tuple[datetime, int, int, object]] = []
        now = self.clock.now()
        for at, act in beats:
            if now <= at < until:
                heapq.heappush(queue, (at, 0, next(order), act))
        for job in self.jobs:
            first = self._pending.pop(job.id, None)
            if first is None or first < now:  # never run, or the clock was moved past it
                first = job.trigger.get_next_fire_time(None, now)
            if first is not None and first < until:
                heapq.heappush(queue, (first, 1, next(order), job))
            elif first is not None:
                self._pending[job.id] = first
        while queue:
            if should_stop is not None and should_stop():
                break
            at, _, _, item = heapq.heappop(queue)
            if at > self.clock.now():
                self.clock.set(at)
            if isinstance(item, Job):
                result = item.run()
                stats.firings[item.id] = stats.firings.get(item.id, 0) + 1
                if on_fire is not None:
                    on_fire(item, result)
                # ``now`` as APScheduler passes it: the current instant. Not ``at + 1 us``: ``at``
                # is local wall time, and in the hour that repeats when DST ends the sum lands an
                # hour earlier, so the same firing came back forever.
                following = item.trigger.get_next_fire_time(at, self.clock.now())
                if following is not None and following < until:
                    heapq.heappush(queue, (following, 1, next(order), item))
                elif following is not None:
                    self._pending[item.id] = following
            else:
                item()
                stats.beats += 1
        for at, _, _, item in queue:  # stopped early: these firings are still due
            if isinstance(item, Job):
                self._pending[item.id] = at
        if until > self.clock.now() and not (should_stop and should_stop()):
            self.clock.set(until)
        stats.ended_at = self.clock.now()
        return stats
