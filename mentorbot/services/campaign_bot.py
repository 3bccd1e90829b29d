"""One campaign's jobs, defined once as APScheduler triggers.

``mentorbot run`` fires them in real time (:mod:`mentorbot.worker`); the simulator fires the
same triggers on a virtual clock (:mod:`mentorbot.simulation.runner`). Every job is guarded: the
kill switch is honoured, reads are paced by the rate-limit headers and the budget, and a failure
is logged with its campaign and retried at the next firing, never propagated.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from loguru import logger

from ..clock import Clock
from ..domain.campaign import Campaign
from ..domain.model import User
from ..domain.records import Action
from ..domain.policy import budget_level, poll_interval, read_gate, reads_allowed
from ..domain.pricing import worst_page_usd
from ..errors import AuthError, PlatformError, RateLimited
from ..ports import Platform, Store
from .ingest import Interpreter, MentionIngest
from .metering import SpendMeter
from .outbox import Sender
from .search import HashtagSearch, OnPost

__all__ = ["Job", "CampaignBot", "KILL_SWITCH"]

KILL_SWITCH = "paused"  # flag name; any value pauses every campaign
_MENTIONS_ENDPOINT = "GET /2/users/:id/mentions"
_SEARCH_ENDPOINT = "GET /2/tweets/search/recent"


@dataclass(frozen=True)
class Job:
    """A named, guarded unit of work and the trigger that fires it."""

    id: str
    campaign_id: str
    trigger: BaseTrigger
    run: Callable[[], object]


class CampaignBot:
    """The jobs of one campaign over shared adapters (store, platform, clock, meter)."""

    def __init__(self, *, campaign: Campaign, store: Store, platform: Platform, clock: Clock,
                 bot: User, interpret: Interpreter, meter: SpendMeter, on_search_post: OnPost,
                 dry_run: bool = False, seed: int | None = None,
                 precheck: Callable[[Action], str | None] | None = None):
        self.campaign, self.store, self.platform, self.clock = campaign, store, platform, clock
        self.bot, self.meter, self.dry_run = bot, meter, dry_run
        self.ingest = MentionIngest(store, platform, campaign, clock, bot=bot, interpret=interpret)
        self.search = HashtagSearch(store, platform, campaign, clock, bot=bot, on_post=on_search_post)
        self.sender = Sender(store, platform, campaign, clock, bot_id=bot.id,
                             spent_usd=meter.month_to_date, rng=random.Random(seed), dry_run=dry_run,
                             precheck=precheck)
        self.calendar: dict[str, Callable[[], object]] = {}  # matching_round, follow_friday, ...
        self._next_read: dict[str, datetime] = {}
        self._log = logger.bind(campaign=campaign.id)
        store.ensure_campaign(campaign.id, campaign.name, campaign.hashtags, clock.now())

    # --- the job list -----------------------------------------------------------------------

    def jobs(self) -> list[Job]:
        c, sched = self.campaign, self.campaign.schedule
        start = max(c.start, self.clock.now())

        def every(seconds: int) -> IntervalTrigger:
            return IntervalTrigger(seconds=seconds, start_date=start, timezone=timezone.utc)

        jobs = [
            Job(f"{c.id}:poll_mentions", c.id, every(sched.poll_mentions_seconds),
                self._guarded("poll_mentions", self.poll_mentions)),
            Job(f"{c.id}:poll_search", c.id, every(sched.poll_search_seconds),
                self._guarded("poll_search", self.poll_search)),
            Job(f"{c.id}:send_actions", c.id, every(sched.send_actions_seconds),
                self._guarded("send_actions", self.send_actions)),
        ]
        for name, expr in sched.jobs().items():
            if name in self.calendar:
                trigger = CronTrigger.from_crontab(expr, timezone=c.zone)
                trigger.start_date = c.start  # calendar jobs wait for the campaign, like pollers
                jobs.append(Job(f"{c.id}:{name}", c.id, trigger, self._guarded(name, self.calendar[name])))
        return jobs

    def _guarded(self, name: str, work: Callable[[], object]) -> Callable[[], object]:
        def run() -> object:
            if self.store.flag(KILL_SWITCH):
                self._log.debug("{} skipped: the kill switch is on (mentorbot resume)", name)
                return None
            try:
                return work()
            except AuthError as exc:
                self._log.error("{} failed: {} (hint: {})", name, exc, exc.hint)
                self._record_failure(name, exc)
            except PlatformError as exc:
                self._log.warning("{} failed: {}; retrying at its next firing", name, exc)
                self._record_failure(name, exc)
            except Exception as exc:  # a bug must not stop the worker: log it whole
                self._log.exception("{} crashed: {!r}; retrying at its next firing", name, exc)
                self._record_failure(name, exc)
            finally:
                self._save_rate_limits()
            return None
        run.__name__ = name
        return run

    def _record_failure(self, job: str, exc: Exception) -> None:
        try:
            self.store.record_event("job_failed", self.clock.now(), campaign_id=self.campaign.id,
                                    data={"job": job, "error": f"{type(exc).__name__}: {exc}"[:300]})
        except Exception:  # the store itself may be what failed
            self._log.error("could not record the failure of {}", job)

    def _save_rate_limits(self) -> None:
        """Keep the last rate-limit state where `mentorbot status` can read it."""
        limits = self.platform.rate_limits()
        if limits:
            state = {name: {"limit": rl.limit, "remaining": rl.remaining, "reset_at": rl.reset_at}
                     for name, rl in limits.items()}
            try:
                self.store.set_flag(f"rate_limits:{self.campaign.id}", json.dumps(state), self.clock.now())
            except Exception:
                self._log.debug("could not save the rate-limit state")

    # --- the jobs ---------------------------------------------------------------------------

    def poll_mentions(self):
        """Read and handle new mentions, unless pacing or the budget says to wait."""
        now = self.clock.now()
        if not self._may_read("mentions", _MENTIONS_ENDPOINT, self.campaign.schedule.poll_mentions_seconds,
                              owned=True, now=now):
            return None
        try:
            report = self.ingest.poll()
        except RateLimited as exc:
            if exc.retry_at:
                self._next_read["mentions"] = datetime.fromtimestamp(exc.retry_at, tz=timezone.utc)
            raise
        if report.handled:
            summary = ", ".join(f"{k} {v}" for k, v in report.outcomes.most_common())
            self._log.info("mentions: {} new post(s) on {} page(s): {}", report.handled, report.pages, summary)
        return report

    def poll_search(self):
        """Read participants' hashtag posts (for amplification and statistics)."""
        now = self.clock.now()
        if not self._may_read("search", _SEARCH_ENDPOINT, self.campaign.schedule.poll_search_seconds,
                              owned=False, now=now):
            return None
        try:
            report = self.search.poll()
        except RateLimited as exc:
            if exc.retry_at:
                self._next_read["search"] = datetime.fromtimestamp(exc.retry_at, tz=timezone.utc)
            raise
        if report.handled:
            summary = ", ".join(f"{k} {v}" for k, v in report.outcomes.most_common())
            self._log.info("search: {} participant post(s) from {} quer(y/ies): {}", report.handled,
                           report.queries, summary)
        return report

    def send_actions(self):
        report = self.sender.send_due()
        if report.stopped:
            self._log.info("sending paused: {}", report.stopped)
        return report

    def _may_read(self, stream: str, endpoint: str, base_seconds: int, *, owned: bool,
                  now: datetime) -> bool:
        spent = self.meter.month_to_date()
        level = budget_level(spent, self.campaign.limits)
        if not reads_allowed(spent, self.campaign.limits, owned=owned, worst_usd=worst_page_usd(owned=owned)):
            return False
        due = self._next_read.get(stream)
        if due is not None and now < due:
            return False
        gate = read_gate(self.platform.rate_limits().get(endpoint), now.timestamp())
        if gate > now.timestamp():
            self._next_read[stream] = datetime.fromtimestamp(gate, tz=timezone.utc)
            self._log.info("{}: pacing reads to the rate limit until {:%H:%M:%S}", stream,
                           self._next_read[stream])
            return False
        # Past the budget's warning level, poll less often than the trigger fires.
        interval = poll_interval(base_seconds, level)
        self._next_read[stream] = now + timedelta(seconds=interval - 1)
        return True
