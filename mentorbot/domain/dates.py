"""Dates in "pause until ..." requests: "Jan 15", "15 de enero", "1/15", "2027-01-15", "for 2 weeks".

Pure: the caller passes ``today``; without it only dates that state their year can be read.
A date without a year is its next occurrence (today or later).
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Sequence

from .intents import MONTHS, NUMBERS, UNITS

__all__ = ["read_date", "read_duration", "add_months"]

_GLUE = frozenset({"the", "of", "de", "del", "el", "o", "do", "dia", "/", ",", "on", "la", "a"})
# A weekday before the date says nothing the date does not ("until Sunday, 1 February", as the
# bot itself writes dates): it is skipped like the glue words.
# The date must then fall on that weekday ("mon 3 4" is no date: 4 March is a Wednesday).
_WEEKDAYS = {
    **dict.fromkeys(("monday", "lunes", "segunda", "segunda-feira"), 0),
    **dict.fromkeys(("tuesday", "tues", "martes", "terca", "terca-feira"), 1),
    **dict.fromkeys(("wednesday", "miercoles", "quarta", "quarta-feira"), 2),
    **dict.fromkeys(("thursday", "thurs", "jueves", "quinta", "quinta-feira"), 3),
    **dict.fromkeys(("friday", "viernes", "sexta", "sexta-feira"), 4),
    **dict.fromkeys(("saturday", "sabado"), 5),
    **dict.fromkeys(("sunday", "domingo"), 6),
}
_ORDINALS = ("st", "nd", "rd", "th", "o", "a", "er", "º", "ª")


def _number(key: str) -> int | None:
    if key.isdigit():
        return int(key) if len(key) <= 4 else None
    for suffix in _ORDINALS:  # "15th", "1st", "1o"
        if key.endswith(suffix) and key[: -len(suffix)].isdigit():
            return int(key[: -len(suffix)])
    return None


def add_months(start: date, months: int) -> date:
    """``start`` plus whole calendar months, the day clamped to the month's length."""
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def read_duration(keys: Sequence[str], today: date | None) -> date | None:
    """``["2", "weeks"]`` -> today + 14 days (``"a week"``, ``"dos semanas"`` too)."""
    if today is None or len(keys) < 2:
        return None
    amount = NUMBERS.get(keys[0], 1 if keys[0] in ("a", "an", "one") else None)
    unit = UNITS.get(keys[1])
    if amount is None or unit is None or amount > 400:
        return None
    if unit == "months":
        return add_months(today, amount)
    return today + timedelta(days=amount * (7 if unit == "weeks" else 1))


def read_date(keys: Sequence[str], today: date | None, day_first: bool) -> tuple[date | None, int]:
    """Read a date at the start of ``keys``; returns (date or None, how many keys it used)."""
    month: int | None = None
    numbers: list[int] = []
    used = 0
    weekday: int | None = None
    for n, key in enumerate(keys[:8]):
        if key in MONTHS and month is None and (len(key) > 2):
            month = MONTHS[key]
        elif (value := _number(key)) is not None:
            numbers.append(value)
        elif key in _WEEKDAYS and weekday is None and month is None and not numbers:
            weekday = _WEEKDAYS[key]
            continue
        elif key in _GLUE or key == "-":
            continue
        else:
            break
        used = n + 1
    if month is None and len(numbers) < 2:
        return None, 0
    year: int | None = None
    if month is not None:
        rest = [x for x in numbers if x < 1000]
        years = [x for x in numbers if x >= 1000]
        day = rest[0] if rest else None
        year = years[0] if years else None
    elif numbers[0] >= 1000:
        if len(numbers) < 3:
            return None, 0
        year, month, day = numbers[0], numbers[1], numbers[2]
    else:
        first, second = numbers[0], numbers[1]
        if day_first and second <= 12 or first > 12:
            day, month = first, second
        else:
            month, day = first, second
        if len(numbers) > 2:
            year = numbers[2] + (2000 if numbers[2] < 100 else 0)
    found = _resolve(year, month, day, today)
    if found is not None and weekday is not None and found.weekday() != weekday:
        return None, 0  # "Monday 3 4" is no date when 4 March is a Wednesday
    return found, used


def _resolve(year: int | None, month: int | None, day: int | None, today: date | None) -> date | None:
    if month is None or not 1 <= month <= 12:
        return None
    try:
        if year is not None:
            return date(year, month, day or 1)
        if today is None:
            return None
        found = date(today.year, month, day or 1)
        # "until March" means the coming March 1st; "until Jan 15" the next Jan 15 (today counts).
        if found < today or (day is None and found <= today):
            found = date(today.year + 1, month, day or 1)
        return found
    except ValueError:  # "Feb 30", year 0...
        return None
