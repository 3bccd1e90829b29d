"""The long-running worker: the campaigns' jobs on APScheduler, in real time.

Jobs run one at a time on a single worker thread (SQLite has one writer anyway), so a job never
overlaps itself or another. SIGTERM and SIGINT stop the scheduler: the job running at that
moment finishes its current step (each step is one transaction, or one call then one update),
and no new job starts. The kill switch (``mentorbot pause``) is read by each job as it starts.
"""
from __future__ import annotations

import signal
import threading
from datetime import datetime, timezone
from typing import Iterable

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger
from loguru import logger

from .services.campaign_bot import Job

__all__ = ["Worker"]


class Worker:
    def __init__(self, jobs: Iterable[Job]):
        self.jobs = list(jobs)
        self._stop = threading.Event()
        self.scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30},
            timezone="UTC")
        now = datetime.now(timezone.utc)
        for job in self.jobs:
            self.scheduler.add_job(job.run, trigger=job.trigger, id=job.id, name=job.id,
                                   next_run_time=_first_run(job.trigger, now))

    def stop(self, *_: object) -> None:
        self._stop.set()

    def run(self, *, install_signals: bool = True) -> None:
        """Run until SIGTERM/SIGINT (or :meth:`stop`), then shut down cleanly."""
        if install_signals:
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        self.scheduler.start()
        for job in self.scheduler.get_jobs():
            logger.info("scheduled {} (next run {})", job.id, job.next_run_time)
        try:
            while not self._stop.wait(0.5):
                pass
        finally:
            logger.info("stopping: finishing the current step")
            self.scheduler.shutdown(wait=True)
            logger.info("stopped cleanly")


def _first_run(trigger: BaseTrigger, now: datetime) -> datetime | None:
    """The first firing, as the simulator has it: an interval job whose start has just passed
    runs at its start (now), not one whole interval later, which is what APScheduler would
    compute a few milliseconds after the trigger was made (a poll every minute would first
    read a minute after start-up)."""
    start = getattr(trigger, "start_date", None)
    if isinstance(trigger, IntervalTrigger) and start is not None and start <= now < start + trigger.interval:
        return start
    return trigger.get_next_fire_time(None, now)
