"""The script being written: dated lines per person, the campaign's calendar, everyone's daytime.

Lines are drafted in any order and become :class:`~mentorbot.simulation.scenario.Beat` values
at the end, sorted by time and numbered ``b0001``, ``b0002``... so that an id's order is time
order and a reply always points to an earlier beat.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Callable
from zoneinfo import ZoneInfo

from .checks import surely_fits
from .people import Profile
from .phrasing import Voice, vary
from .scenario import Beat

__all__ = ["Script", "Line", "CAMPAIGN_ZONE", "CALL_TIME", "ROUND_TIME", "CHECK_IN_AFTER", "UTC"]

UTC = timezone.utc
CAMPAIGN_ZONE = ZoneInfo("America/New_York")
CALL_TIME = (0, time(17, 0))  # Monday 17:00, as config/campaigns/medmentormatch.toml
ROUND_TIME = (6, time(18, 0))  # Sunday 18:00
CHECK_IN_AFTER = timedelta(days=14)  # as config/campaigns/medmentormatch.toml
_HOURS = list(range(7, 23))
_HOUR_WEIGHTS = [2, 4, 4, 3, 3, 5, 5, 3, 3, 3, 3, 4, 5, 6, 6, 4]  # lunch and evening scrolling
_EXPECT = {"join": "join", "reply_to_call": "join", "win": "achievement", "pause": "pause", "resume": "resume",
           "stop": "stop", "delete": "delete", "status": "status", "help": "help", "capacity": "capacity",
           "decline": "new_mentor", "chatter": "none", "thanks": "none", "troll": "none", "spam": "none"}


@dataclass(slots=True)
class Line:
    at: datetime
    seq: int
    handle: str
    kind: str
    text: str
    reply_to: str | int | None  # a symbolic target, or the seq of an earlier draft
    target: int | None
    expect: str | None


class Script:
    """Collects lines; knows the campaign's calendar and each person's daytime."""

    def __init__(self, rng: random.Random, start: datetime, weeks: int, voice: Voice):
        self.rng, self.start, self.weeks, self.voice = rng, start, weeks, voice
        self.end = start + timedelta(weeks=weeks)
        self.days = weeks * 7
        self.lines: list[Line] = []
        self.by_seq: dict[int, Line] = {}
        self.used: dict[str, set[str]] = {}  # texts each person posted (X refuses duplicates)
        self.said: dict[str, set[str]] = {}  # phrasings each person used (people don't repeat a win)
        self.calls = self._weekly(*CALL_TIME)
        self.rounds = self._weekly(*ROUND_TIME)

    def _weekly(self, weekday: int, at: time) -> list[datetime]:
        first = self.start.astimezone(CAMPAIGN_ZONE).date()
        out = []
        for d in range(-1, self.days + 2):
            day = first + timedelta(days=d)
            if day.weekday() == weekday:
                moment = datetime.combine(day, at, CAMPAIGN_ZONE).astimezone(UTC)
                if self.start <= moment < self.end:
                    out.append(moment)
        return out

    # -- time -------------------------------------------------------------------------------
    def on_day(self, p: Profile, day: float) -> datetime | None:
        """A daytime moment in ``p``'s zone on day ``day`` of the scenario (None if past the end)."""
        rng = self.rng
        local_day = (self.start + timedelta(days=int(day))).astimezone(p.zone).date()
        clock = time(rng.choices(_HOURS, _HOUR_WEIGHTS)[0], rng.randrange(60), rng.randrange(60))
        moment = datetime.combine(local_day, clock, p.zone).astimezone(UTC)
        if moment < self.start:
            moment = self.start + timedelta(minutes=rng.randint(5, 600))
        return self.daytime(p, moment)

    def daytime(self, p: Profile, moment: datetime) -> datetime | None:
        """``moment``, or the next morning if ``p`` would be asleep then; None when past the end."""
        local = moment.astimezone(p.zone)
        if local.hour < 7 or local.hour >= 23:
            day = local.date() + timedelta(days=1 if local.hour >= 23 else 0)
            clock = time(self.rng.randint(7, 9), self.rng.randrange(60), self.rng.randrange(60))
            moment = datetime.combine(day, clock, p.zone).astimezone(UTC)
        moment = moment.replace(microsecond=0)
        return moment if moment < self.end else None

    def later(self, p: Profile, after: datetime | None, low_h: float, high_h: float) -> datetime | None:
        """A daytime moment ``low_h``-``high_h`` hours after ``after``, kept inside the scenario when it can be."""
        if after is None:
            return None
        left = (self.end - after).total_seconds() / 3600 - 2  # people act before the story ends
        high_h = min(high_h, max(low_h, left))
        return self.daytime(p, after + timedelta(hours=self.rng.uniform(low_h, high_h)))

    def round_after(self, moment: datetime) -> datetime | None:
        return next((r for r in self.rounds if r > moment + timedelta(hours=1)), None)

    # -- drafts -----------------------------------------------------------------------------
    def add(self, p: Profile, at: datetime | None, kind: str, make: Callable[[], str], *,
            reply_to: str | int | None = None, expect: str | None = None) -> int | None:
        if at is None:
            return None
        used = self.used.setdefault(p.handle, set())
        text = make()
        attempt = 0
        while text in used or not surely_fits(text):
            attempt += 1
            text = make() if attempt < 8 else vary(self.rng, text.rstrip(), attempt - 7)
            if attempt > 16:
                text = text[:200]
        used.add(text)
        return self._append(Line(at, len(self.by_seq), p.handle, kind, text, reply_to, None,
                                   expect if expect is not None else _EXPECT.get(kind)))

    def delete(self, p: Profile, at: datetime | None, target: int) -> None:
        if at is not None:
            self._append(Line(at, len(self.by_seq), p.handle, "delete_post", "", None, target, None))

    def _append(self, line: Line) -> int:
        self.lines.append(line)
        self.by_seq[line.seq] = line
        return line.seq

    def beats(self) -> tuple[Beat, ...]:
        """The lines as beats, in time order, numbered in that order; references become beat ids."""
        lines = sorted(self.lines, key=lambda d: (d.at, d.seq))
        width = max(4, len(str(len(lines))))
        ids = {d.seq: f"b{i + 1:0{width}d}" for i, d in enumerate(lines)}
        beats = []
        for d in lines:
            reply = f"beat:{ids[d.reply_to]}" if isinstance(d.reply_to, int) else d.reply_to
            beats.append(Beat(ids[d.seq], d.at, d.handle, d.kind, d.text, reply,
                              ids[d.target] if d.target is not None else None, d.expect))
        return tuple(beats)
