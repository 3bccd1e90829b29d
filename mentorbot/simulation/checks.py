"""What a sound scenario is: the kinds, intents and reply targets, and a check of all the rules.

:func:`scenario_problems` lists everything the runner would trip over (bad handles, beats out of
order, replies to later beats, duplicate texts per author, texts over 280 weighted characters).
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Callable

from ..domain.text import MAX_WEIGHTED_LENGTH, fits
from ..domain.vocabulary import SPECIALTY_IDS, STAGE_IDS

if TYPE_CHECKING:  # pragma: no cover
    from .scenario import Persona, Scenario

__all__ = ["PERSONA_KINDS", "BEAT_KINDS", "INTENTS", "LANGS", "REPLY_TARGETS", "HANDLE_PATTERN",
           "scenario_problems", "surely_fits"]

PERSONA_KINDS = ("mentee", "mentor", "bystander", "troll", "spammer", "bot")
BEAT_KINDS = (
    "join", "reply_to_call", "win", "pause", "resume", "stop", "delete", "status", "help",
    "capacity", "decline", "checkin_answer", "chatter", "thanks", "troll", "spam", "delete_post",
)
#: What a perfect classifier reads from a beat's text. "capacity" and "new_mentor" are the
#: commands CAPACITY n and NEW MENTOR; "achievement" is a win worth amplifying.
INTENTS = ("join", "stop", "pause", "resume", "delete", "help", "status", "capacity", "new_mentor",
           "achievement", "none")
LANGS = ("en", "es", "pt")
#: Symbolic reply targets the runner resolves at run time (plus "beat:<id>").
REPLY_TARGETS = ("call", "intro", "checkin", "confirm")
HANDLE_PATTERN = re.compile(r"^[A-Za-z0-9_]{1,15}$")
_BEAT_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# A URL needs a dot followed by a letter ("bit.ly", "x.com"); sentence ends do not count.
_URL_DOT = re.compile(r"\.[^\W\d_]")


def surely_fits(text: str) -> bool:
    """:func:`~mentorbot.domain.text.fits`, with a cheap upper bound first (it is ~0.5 ms a call).

    Weighted length is at most 2 per code point, and each URL (which needs a dot before a
    letter) adds at most 23 over its characters, so a short text is decided without parsing.
    """
    if not text.strip():
        return False
    if 2 * len(text) + 23 * len(_URL_DOT.findall(text)) <= MAX_WEIGHTED_LENGTH:
        return True
    return fits(text)


_Add = Callable[[str, str, str], None]


def scenario_problems(scenario: Scenario) -> list[tuple[str, str, str]]:
    """Everything wrong with a scenario, as ``(key, problem, fix)``; empty when it is sound."""
    out: list[tuple[str, str, str]] = []
    add = lambda key, problem, fix: out.append((key, problem, fix))  # noqa: E731
    if not HANDLE_PATTERN.match(scenario.bot_handle):
        add("bot_handle", f"{scenario.bot_handle!r} is not an X username",
            'use 1-15 letters, digits or "_", e.g. "MedMentorBot"')
    if not re.fullmatch(r"(?!\d+$)\w{1,100}", scenario.hashtag):
        add("hashtag", f"{scenario.hashtag!r} is not a hashtag",
            'write it without "#": letters, digits or "_", e.g. "MedMentorMatch"')
    if scenario.start.tzinfo is None:
        add("start", "the time has no time zone", 'write it in UTC with a "Z", e.g. "2026-09-07T12:00:00Z"')
    if scenario.weeks < 1:
        add("weeks", f"{scenario.weeks} is not a number of weeks", "use a whole number, 1 or more")
    seen: dict[str, int] = {scenario.bot_handle.casefold(): -1}
    for i, p in enumerate(scenario.personas):
        _check_persona(i, p, seen, add)
    if scenario.start.tzinfo is not None:
        _check_beats(scenario, add)
    return out


def _check_persona(i: int, p: Persona, seen: dict[str, int], add: _Add) -> None:
    key = f"personas[{i}]"
    if not HANDLE_PATTERN.match(p.handle):
        add(f"{key}.handle", f"{p.handle!r} is not an X username",
            'use 1-15 letters, digits or "_", e.g. "maya_md"')
    elif p.handle.casefold() in seen:
        other = seen[p.handle.casefold()]
        add(f"{key}.handle", f"{p.handle!r} is taken by " + ("the bot" if other < 0 else f"personas[{other}]"),
            "usernames are unique regardless of capitals: pick another")
    else:
        seen[p.handle.casefold()] = i
    if p.kind not in PERSONA_KINDS:
        add(f"{key}.kind", f"{p.kind!r} is not a kind of persona", f"use one of {', '.join(PERSONA_KINDS)}")
    if p.stage is not None and p.stage not in STAGE_IDS:
        add(f"{key}.stage", f"{p.stage!r} is not a career stage", f"use null or one of {', '.join(STAGE_IDS)}")
    for s in p.specialties:
        if s not in SPECIALTY_IDS:
            add(f"{key}.specialties", f"{s!r} is not a specialty id",
                "use the ids of the vocabulary's [specialties.*] sections, e.g. \"cardiology\"")
    if p.lang not in LANGS:
        add(f"{key}.lang", f"{p.lang!r} is not a supported language", f"use one of {', '.join(LANGS)}")
    if len(p.bio) > 160:
        add(f"{key}.bio", f"the bio has {len(p.bio)} characters", "X bios hold at most 160: shorten it")
    if not 1 <= len(p.name) <= 50:
        add(f"{key}.name", "the display name is empty or longer than 50 characters", "write 1-50 characters")
    if p.capacity is not None and not 0 <= p.capacity <= 10:
        add(f"{key}.capacity", f"{p.capacity} mentees is out of range", "use a number from 0 to 10, or null")


def _check_beats(scenario: Scenario, add: _Add) -> None:
    handles = {p.handle.casefold() for p in scenario.personas}
    index: dict[str, int] = {}
    deleted: set[str] = set()
    texts: dict[str, set[str]] = {}
    previous: tuple[datetime, str] | None = None
    end = scenario.end
    for i, b in enumerate(scenario.beats):
        key = f"beats[{i}]"
        if not _BEAT_ID.match(b.id):
            add(f"{key}.id", f"{b.id!r} is not a beat id", 'use letters, digits, "-" or "_", e.g. "b0042"')
        if b.id in index:
            add(f"{key}.id", f"{b.id!r} is used twice", "give every beat its own id")
        if b.at.tzinfo is None:
            add(f"{key}.at", "the time has no time zone", 'write it in UTC with a "Z"')
            continue
        if not scenario.start <= b.at < end:
            add(f"{key}.at", f"{b.at.isoformat()} is outside the scenario's {scenario.weeks} week(s)",
                "move it after start and before start + weeks, or change weeks")
        if previous is not None and (b.at, b.id) < previous:
            add(f"{key}.at", "the beats are not in time order", "sort the beats by time, then id")
        previous = (b.at, b.id)
        if b.handle.casefold() not in handles:
            add(f"{key}.handle", f"nobody in personas is called {b.handle!r}", "add the persona or fix the handle")
        if b.kind not in BEAT_KINDS:
            add(f"{key}.kind", f"{b.kind!r} is not a kind of beat", f"use one of {', '.join(BEAT_KINDS)}")
        if b.expect is not None and b.expect not in INTENTS:
            add(f"{key}.expect", f"{b.expect!r} is not an intent",
                f"use null or one of these intents: {', '.join(INTENTS)}")
        if b.reply_to is not None and b.reply_to not in REPLY_TARGETS:
            ref = b.reply_to[5:] if b.reply_to.startswith("beat:") else None
            if ref is None:
                add(f"{key}.reply_to", f"{b.reply_to!r} is not a reply target",
                    f'use null, one of {", ".join(REPLY_TARGETS)}, or "beat:<id>" of an earlier beat')
            elif ref not in index or scenario.beats[index[ref]].kind == "delete_post":
                add(f"{key}.reply_to", f"beat {ref!r} is not an earlier post",
                    "reply only to an earlier beat's post")
            elif ref in deleted:
                add(f"{key}.reply_to", f"beat {ref!r} was deleted before this reply",
                    "reply before the deletion, or delete later")
        if b.kind == "delete_post":
            target = scenario.beats[index[b.target]] if b.target in index else None
            if target is None:
                add(f"{key}.target", f"{b.target!r} is not an earlier beat", "name the id of an earlier beat")
            elif target.handle.casefold() != b.handle.casefold() or target.kind == "delete_post":
                add(f"{key}.target", f"beat {b.target!r} is not a post by {b.handle}",
                    "people can only delete their own posts")
            deleted.add(b.target or "")
        else:
            if b.target is not None:
                add(f"{key}.target", "only delete_post beats have a target", "remove the target")
            if not surely_fits(b.text):
                add(f"{key}.text", "the text is empty or longer than 280 weighted characters",
                    "shorten it (emoji count 2, links 23)")
            own = texts.setdefault(b.handle.casefold(), set())
            if b.text in own:
                add(f"{key}.text", f"{b.handle} already posts this text", "X refuses duplicate posts: vary it")
            own.add(b.text)
        index.setdefault(b.id, i)
