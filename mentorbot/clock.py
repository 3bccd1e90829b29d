"""Clocks: the one place that reads the time.

Services and the sandbox take a Clock; the simulator shares one VirtualClock between the bot
and the sandbox server so that weeks of a program run in seconds.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Protocol

__all__ = ["Clock", "RealClock", "VirtualClock"]


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""

    def timestamp(self) -> float:
        """The current time as unix seconds."""


class RealClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def timestamp(self) -> float:
        return time.time()


class VirtualClock:
    """A clock that moves only when told to. Thread-safe."""

    def __init__(self, start: datetime | None = None):
        start = start or datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
        if start.tzinfo is None:
            raise ValueError("VirtualClock needs a timezone-aware start")
        self._now = start.astimezone(timezone.utc)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def timestamp(self) -> float:
        return self.now().timestamp()

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("a clock does not go backwards")
        with self._lock:
            self._now += timedelta(seconds=seconds)
            return self._now

    def set(self, when: datetime) -> datetime:
        when = when.astimezone(timezone.utc)
        with self._lock:
            if when < self._now:
                raise ValueError("a clock does not go backwards")
            self._now = when
            return self._now
