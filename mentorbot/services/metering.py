"""The spend meter: prices every X call the adapter makes and writes it to the store.

Plug it in as the X adapter's observer (``XPlatform(..., observer=SpendMeter(store, clock))``).
Reads are charged once per resource per UTC day; the day's read keys live in memory, so after a
restart a resource read again that day is charged again: the meter may over-count, never under.
"""
from __future__ import annotations

import threading
from datetime import date, datetime, timezone, tzinfo

from loguru import logger

from ..clock import Clock
from ..domain.campaign import Limits
from ..domain.model import CallRecord
from ..domain.policy import BudgetLevel, budget_level, month_start, next_month_start, project_month
from ..domain.pricing import Charges, ReadKey, call_charges
from ..ports import Store

__all__ = ["SpendMeter"]


class SpendMeter:
    """Records the cost of each call; answers this month's spend and its projection.

    ``zone`` sets the month the budget is counted in (the campaign's timezone, so that the spend
    starts again when :func:`mentorbot.domain.policy.next_month_start` says it does).
    """

    def __init__(self, store: Store, clock: Clock, campaign_id: str | None = None, *,
                 zone: str | tzinfo = "UTC"):
        self.store, self.clock, self.campaign_id, self.zone = store, clock, campaign_id, zone
        self._lock = threading.Lock()  # the adapter may be called from several scheduler threads
        self._day: date | None = None
        self._read_today: set[ReadKey] = set()

    def __call__(self, record: CallRecord) -> None:
        """Meter one call. Never raises: a metering failure must not fail the call it meters."""
        try:
            self._meter(record)
        except Exception as exc:
            logger.error("spend meter failed on {}: {!r}", record.endpoint, exc)

    def _meter(self, record: CallRecord) -> None:
        at = datetime.fromtimestamp(record.at, tz=timezone.utc)
        with self._lock:
            day = at.date()
            if self._day is None or day > self._day:
                self._day, self._read_today = day, set()
            # A late record from yesterday (another thread) is charged afresh: over, never under.
            seen = self._read_today if day == self._day else set()
            charges: Charges = call_charges(record, seen)
            if charges.items:
                with self.store.transaction():
                    for charge in charges.items:
                        self.store.record_spend(at, record.endpoint, charge.kind, charge.usd,
                                                charge.resources, self.campaign_id)
            seen.update(charges.new_reads)  # only once stored: if storing failed, the next read pays
        if charges.items:
            logger.debug("spent {:.3f} USD on {}", charges.total_usd, record.endpoint)

    def month_to_date(self) -> float:
        """USD spent since the start of this month (in ``zone``)."""
        now = self.clock.now()
        # Up to next month's start, not to now: a call stamped at this very instant counts.
        return self.store.spend_between(month_start(now, self.zone), next_month_start(now, self.zone),
                                        self.campaign_id)

    def projection(self) -> float:
        """This month's spend at its end, at the pace so far."""
        return project_month(self.month_to_date(), self.clock.now(), self.zone)

    def level(self, limits: Limits) -> BudgetLevel:
        """The budget level this month's spend has reached."""
        return budget_level(self.month_to_date(), limits)
