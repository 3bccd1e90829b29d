"""Post templates: which placeholders each kind may use, how they render, and their longest case.

A template is plain text with ``{name}`` placeholders (``{{`` and ``}}`` for literal braces).
Every placeholder has a bounded rendering (a handle is at most "@" + 15 characters, at most three
specialty labels are shown...), so :func:`worst_case` can prove at load time that no rendering of
a template can exceed X's 280 weighted characters. The composer must use the helpers here
(:func:`join_labels`, :func:`join_handles`, :func:`format_date`, :func:`until_text`, the text
constants) so that what it renders stays within those bounds.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date
from difflib import get_close_matches
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

from twitter_text import extract_urls

from .campaign import TEMPLATE_KINDS
from .text import MAX_WEIGHTED_LENGTH, weighted_length

if TYPE_CHECKING:  # pragma: no cover
    from .campaign import Campaign
    from .vocabulary import Vocabulary

__all__ = [
    "PLACEHOLDERS", "KINDS", "KindSpec", "Bounds", "TemplateProblem", "MIN_VARIANTS",
    "MAX_HANDLE", "MAX_SPECIALTIES_SHOWN", "MENTION_COST", "REPLY_PREFIX_WORST", "reply_text",
    "ROLE_TEXTS", "STATE_TEXTS", "UNKNOWN_STAGE", "NO_SPECIALTY", "ANY_SPECIALTY", "NO_MATCH",
    "UNTIL_RESUME", "COMMANDS_TEXT", "CONFIRM_FIRST", "confirm_command",
    "placeholders_in", "render", "worst_case", "template_problems", "variant_problems",
    "format_date", "until_text", "join_labels", "join_handles", "at",
]

MIN_VARIANTS = 2  # X refuses a text it has already seen from the account: the bot rotates wordings
MAX_HANDLE = 15  # X usernames: 1-15 of [A-Za-z0-9_]
MAX_SPECIALTIES_SHOWN = 3
REPLY_PREFIX_WORST = "@" + "x" * MAX_HANDLE + " "
MENTION_COST = 1 + 1 + MAX_HANDLE  # a separator, "@", the username: what #FollowFriday appends per person

ROLE_TEXTS = {"mentor": "mentor", "mentee": "mentee"}
STATE_TEXTS = {"active": "active", "paused": "paused", "pending": "awaiting approval"}
UNKNOWN_STAGE = "stage not stated"
NO_SPECIALTY = "no specialty stated"
ANY_SPECIALTY = "medicine"  # {specialty} when there is none to name
NO_MATCH = "no match yet"
UNTIL_RESUME = "until you reply RESUME"
COMMANDS_TEXT = ("STOP (leave), PAUSE (or PAUSE until a date), RESUME, STATUS, CAPACITY 2, "
                 "NEW MENTOR, NO SHOUTOUTS, DELETE (erase my data), HELP")
#: What the bot asks about when it read a request only in words it was not sure of: the intent ->
#: ({meaning}, {command}). The commands are words the phrase rules know, so the answer is certain;
#: :func:`confirm_command` adds the number or date the bot read ("CAPACITY 2", "PAUSE until ...").
CONFIRM_FIRST: dict[str, tuple[str, str]] = {
    "join": ("join the program", "SIGN ME UP"),
    "stop": ("leave the program", "STOP"),
    "pause": ("pause for a while", "PAUSE"),
    "resume": ("come back from your pause", "RESUME"),
    "decline": ("end this pairing and be matched again", "NEW MENTOR"),
    "capacity": ("change how many mentees you take", "CAPACITY"),
    "no_shoutouts": ("stop being reposted or tagged", "NO SHOUTOUTS"),
    "delete": ("erase everything the program holds about you", "DELETE MY DATA"),
}


def confirm_command(intent: str, *, capacity: int | None = None, until: date | None = None) -> str:
    """The exact words that confirm ``intent``, with the number or date the bot read."""
    command = CONFIRM_FIRST[intent][1]
    if intent == "capacity" and capacity is not None:
        return f"{command} {min(max(capacity, 0), 99)}"
    if intent == "pause" and until is not None:
        return f"{command} {until_text(until)}"
    return command

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")

#: Every placeholder, with what it stands for (shown to organizers in error messages).
PLACEHOLDERS: dict[str, str] = {
    "bot": "the bot's @handle",
    "hashtag": "the campaign's main hashtag, with its #",
    "handle": "the @handle of the person the bot answers",
    "mentor": "the mentor's @handle",
    "mentee": "the mentee's @handle",
    "role": "'mentor' or 'mentee'",
    "stage": "the career stage the bot understood",
    "mentor_stage": "the mentor's career stage",
    "mentee_stage": "the mentee's career stage",
    "specialties": f"up to {MAX_SPECIALTIES_SHOWN} specialties the bot understood",
    "specialty": "one specialty name",
    "capacity": "how many mentees a mentor takes (0-10)",
    "mentees": "a mentor's current mentees, as @handles",
    "matches": "the person's current matches, as @handles",
    "state": "active, paused, or waiting for approval",
    "until": f"'until Sunday, 15 January' or '{UNTIL_RESUME}'",
    "date": "a date such as 'Sunday, 15 January'",
    "week": "the week number (1-53)",
    "n": "the number of the post in a series (1, 2, ...)",
    "waiting": "how many mentees are waiting for a mentor",
    "commands": "the list of commands people can send",
    "meaning": "what the bot thinks the person asked for, e.g. 'leave the program'",
    "command": "the exact words that confirm it, e.g. 'STOP'",
}
_EVERYWHERE = frozenset({"bot", "hashtag"})


@dataclass(frozen=True, slots=True)
class KindSpec:
    """What one kind of template is for and which placeholders it may, must, or may lack."""

    kind: str
    purpose: str
    allowed: frozenset[str]
    required: frozenset[str] = frozenset()
    why_required: str = ""
    #: placeholders the composer sometimes has no value for: it then uses variants without them
    conditional: frozenset[str] = frozenset()
    #: #FollowFriday headers get up to ``limits.mentions_per_post`` mentions appended
    appends_mentions: bool = False
    #: replies start with "@handle " when the template has no {handle}: a reply then always
    #: differs from the bot's earlier ones (X refuses duplicate text) and reads naturally
    is_reply: bool = False


def _spec(kind: str, purpose: str, allowed: Iterable[str], required: Iterable[str] = (),
          why: str = "", conditional: Iterable[str] = (), appends_mentions: bool = False) -> KindSpec:
    allowed = frozenset(allowed)
    return KindSpec(kind, purpose, _EVERYWHERE | allowed, frozenset(required), why,
                    frozenset(conditional), appends_mentions, is_reply="handle" in allowed)


_UNDERSTOOD = "a join confirmation must tell the person what the bot understood, so they can correct it"
KINDS: dict[str, KindSpec] = {s.kind: s for s in (
    _spec("join_confirm_mentee", "the reply to a new mentee",
          ("handle", "role", "stage", "specialties"), ("stage", "specialties"), _UNDERSTOOD),
    _spec("join_confirm_mentor", "the reply to a new mentor",
          ("handle", "role", "stage", "specialties", "capacity"), ("stage", "specialties", "capacity"),
          _UNDERSTOOD),
    _spec("mentor_pending", "the reply to a mentor who waits for an organizer's approval",
          ("handle", "role", "stage", "specialties", "capacity")),
    _spec("stop_confirm", "the reply to STOP", ("handle",)),
    _spec("pause_confirm", "the reply to PAUSE", ("handle", "until")),
    _spec("resume_confirm", "the reply to RESUME", ("handle", "role")),
    _spec("delete_confirm", "the reply to DELETE", ("handle",)),
    _spec("status", "the reply to STATUS",
          ("handle", "role", "stage", "specialties", "capacity", "state", "matches")),
    _spec("help", "the reply to HELP", ("handle", "commands"), ("commands",),
          "the help reply exists to list the commands"),
    _spec("capacity_confirm", "the reply to CAPACITY n", ("handle", "capacity", "mentees"),
          ("capacity",), "the person must see the number the bot understood"),
    _spec("introduction", "the post that introduces a mentor and a mentee",
          ("mentor", "mentee", "specialty", "mentor_stage", "mentee_stage"), ("mentor", "mentee"),
          "an introduction must mention both people"),
    _spec("check_in", "the follow-up some weeks after an introduction", ("mentor", "mentee")),
    _spec("congratulate", "the congratulations on a mentee's win", ("mentee", "mentor"),
          ("mentee",), "the congratulations must name the mentee", conditional=("mentor",)),
    _spec("follow_friday_header", "the start of a #FollowFriday post (mentions are added after it)",
          ("specialty", "n", "week", "date"), appends_mentions=True),
    _spec("call_for_mentors", "the recurring call for mentors", ("date", "week", "waiting")),
    _spec("decline_confirm", "the reply to NEW MENTOR / not a fit: the pair ends, a new match follows",
          ("handle", "role")),
    _spec("check_in_thanks", "the reply to an answer to a check-in", ("handle",)),
    _spec("did_you_mean", "the question the bot asks before acting on a request it read only in "
          "words it was not sure of", ("handle", "meaning", "command", "date"), ("meaning", "command"),
          "the person must see what the bot thinks they meant and the exact words that confirm it"),
)}
assert tuple(KINDS) == TEMPLATE_KINDS


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    problem: str
    fix: str


# -- rendering helpers the composer uses ---------------------------------------------------------
def at(username: str) -> str:
    """``"jane_md"`` -> ``"@jane_md"``."""
    return "@" + username.lstrip("@")


def format_date(day: date) -> str:
    """``Sunday, 15 January`` (English names, whatever the machine's locale)."""
    return f"{_WEEKDAYS[day.weekday()]}, {day.day} {_MONTHS[day.month - 1]}"


def until_text(day: date | None) -> str:
    """The ``{until}`` value: ``until Sunday, 15 January``, or :data:`UNTIL_RESUME`."""
    return UNTIL_RESUME if day is None else f"until {format_date(day)}"


def _and_join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def join_labels(labels: Iterable[str], limit: int = MAX_SPECIALTIES_SHOWN,
                empty: str = NO_SPECIALTY) -> str:
    """``A``, ``A and B``, ``A, B and C``; beyond ``limit``: ``A, B, C and 2 more``."""
    items = list(labels)
    if not items:
        return empty
    shown, rest = items[:limit], len(items) - limit
    return ", ".join(shown) + f" and {rest} more" if rest > 0 else _and_join(shown)


def join_handles(usernames: Iterable[str], empty: str = NO_MATCH) -> str:
    """``@a``, ``@a and @b``, ``@a, @b and @c``; :data:`NO_MATCH` when there is none."""
    items = [at(u) for u in usernames]
    return _and_join(items) if items else empty


# -- parsing and rendering -------------------------------------------------------------------------
def _parse(template: str) -> list[tuple[str, str | None, str, str | None]]:
    """(literal, field name, format spec, conversion) tuples; ValueError on unbalanced braces."""
    return [(lit, name, spec or "", conv) for lit, name, spec, conv in string.Formatter().parse(template)]


def placeholders_in(template: str) -> tuple[str, ...]:
    """The placeholder names a template uses, in order, each once."""
    names: dict[str, None] = {}
    for _, name, _, _ in _parse(template):
        if name is not None:
            names.setdefault(name)
    return tuple(names)


def render(template: str, /, **values: object) -> str:
    """Fill in ``{name}`` placeholders. Only known, plain placeholders are accepted (no ``{x.y}``,
    ``{x!r}``, ``{x:>5}``); extra values are ignored; a missing one is a ``KeyError``."""
    out: list[str] = []
    for literal, name, spec, conv in _parse(template):
        out.append(literal)
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conv:
            raise ValueError(f"not a plain known placeholder: {{{name}}}")
        out.append(str(values[name]))
    return "".join(out)


# -- worst cases ----------------------------------------------------------------------------------
def _longest(options: Iterable[str]) -> str:
    return max(options, key=weighted_length, default="")


@dataclass(frozen=True, slots=True)
class Bounds:
    """The campaign facts that bound placeholder lengths. Defaults are generous."""

    bot_handle: str = "x" * MAX_HANDLE
    hashtags: tuple[str, ...] = ("x" * 30,)  # without "#"
    stage_labels: tuple[str, ...] = ("x" * 30,)
    specialty_labels: tuple[str, ...] = ("x" * 40,) * 38
    mentees_per_mentor: int = 10
    mentions_per_post: int = 10

    @classmethod
    def for_campaign(cls, campaign: Campaign, vocabulary: Vocabulary) -> Bounds:
        return cls(bot_handle=campaign.bot_handle, hashtags=campaign.hashtags,
                   stage_labels=vocabulary.stage_labels(),
                   specialty_labels=vocabulary.specialty_labels(),
                   mentees_per_mentor=campaign.limits.mentees_per_mentor,
                   mentions_per_post=campaign.limits.mentions_per_post)

    def worst_values(self) -> dict[str, str]:
        """For each placeholder, its longest possible rendering."""
        return dict(_worst_values(self))

    def reserve(self, kind: str) -> str:
        """Text the composer may add to a template of ``kind``: the #FollowFriday mentions, or
        the "@handle " that starts a reply whose template does not place {handle} itself."""
        if KINDS[kind].appends_mentions:
            return (" @" + "x" * MAX_HANDLE) * self.mentions_per_post
        if KINDS[kind].is_reply:
            return REPLY_PREFIX_WORST
        return ""


@lru_cache(maxsize=16)
def _worst_values(bounds: Bounds) -> tuple[tuple[str, str], ...]:
    """Cached: measuring every label with twitter-text is the slow part of loading a campaign."""
    handle = "@" + "x" * MAX_HANDLE
    stage = _longest((*bounds.stage_labels, UNKNOWN_STAGE))
    labels = sorted(bounds.specialty_labels, key=weighted_length, reverse=True)
    specialties = _longest((join_labels(labels), NO_SPECIALTY))
    date_text = f"{_longest(_WEEKDAYS)}, 30 {_longest(_MONTHS)}"  # at least as long as any real date
    handles = _longest((join_handles(["x" * MAX_HANDLE] * max(1, bounds.mentees_per_mentor)), NO_MATCH))
    return tuple({
        "bot": "@" + bounds.bot_handle,
        "hashtag": "#" + _longest(bounds.hashtags),
        "handle": handle, "mentor": handle, "mentee": handle,
        "role": _longest(ROLE_TEXTS.values()),
        "stage": stage, "mentor_stage": stage, "mentee_stage": stage,
        "specialties": specialties,
        "specialty": _longest((*bounds.specialty_labels, ANY_SPECIALTY)),
        "capacity": "10",
        "mentees": handles, "matches": handles,
        "state": _longest(STATE_TEXTS.values()),
        "until": _longest((f"until {date_text}", UNTIL_RESUME)),
        "date": date_text,
        "week": "53", "n": "99", "waiting": "9999",
        "commands": COMMANDS_TEXT,
        "meaning": _longest(meaning for meaning, _ in CONFIRM_FIRST.values()),
        "command": _longest((*(command for _, command in CONFIRM_FIRST.values()),
                             "CAPACITY 99", f"PAUSE until {date_text}")),
    }.items())


def worst_case(template: str, kind: str, bounds: Bounds | None = None) -> int:
    """The largest weighted length any rendering of ``template`` can have (plus appended mentions)."""
    bounds = bounds or Bounds()
    return weighted_length(render(template, **bounds.worst_values()) + bounds.reserve(kind))


# -- checks ---------------------------------------------------------------------------------------
_LITERAL_MENTION = re.compile(r"(?<![\w@])[@＠]([A-Za-z0-9_]+)")


def _names(names: Iterable[str]) -> str:
    return ", ".join("{" + n + "}" for n in sorted(names))


def template_problems(template: str, kind: str, bounds: Bounds | None = None, *,
                      allow_links: bool = False) -> list[TemplateProblem]:
    """Everything wrong with one template of ``kind``; empty when it is usable."""
    spec = KINDS[kind]
    if not template.strip():
        return [TemplateProblem("the text is empty", "write the text of the post, or remove this entry")]
    try:
        parts = _parse(template)
    except ValueError:
        return [TemplateProblem("it has a { or } without its partner",
                                "write placeholders as {name}; to show a brace itself write {{ or }}")]
    problems: list[TemplateProblem] = []
    used: set[str] = set()
    literals = [lit for lit, _, _, _ in parts]
    for lit, name, spec_text, conv in parts:
        if name is None:
            continue
        if not name.isidentifier():
            problems.append(TemplateProblem(
                f"'{{{name}}}' is not a placeholder name",
                f"use one of {_names(spec.allowed)}, or write {{{{ and }}}} to show a brace"))
            continue
        if spec_text or conv:
            problems.append(TemplateProblem(
                f"placeholder '{{{name}{'!' + conv if conv else ''}{':' + spec_text if spec_text else ''}}}' "
                "has extra formatting", f"write it plainly as {{{name}}}"))
        if name not in spec.allowed:
            close = get_close_matches(name, spec.allowed, n=1)
            hint = f"did you mean {{{close[0]}}}? " if close else ""
            allowed = f"the placeholders allowed here are {_names(spec.allowed)}"
            problems.append(TemplateProblem(
                f"unknown placeholder {{{name}}}" if name not in PLACEHOLDERS
                else f"{{{name}}} cannot be used in {spec.purpose}",
                hint + (allowed[0].upper() + allowed[1:] if hint else allowed)))
        used.add(name)
        if lit.endswith(("@", "#")) and name in {"bot", "handle", "mentor", "mentee", "hashtag"}:
            problems.append(TemplateProblem(
                f"'{lit[-1]}{{{name}}}' doubles the {lit[-1]}: {{{name}}} already includes it",
                f"write {{{name}}} without the {lit[-1]} before it"))
    for mention in (m for lit in literals for m in _LITERAL_MENTION.findall(lit)):
        problems.append(TemplateProblem(
            f"it mentions @{mention} directly; the bot only mentions people who joined",
            "remove the @ (write the name without it), or use {handle}, {mentor}, {mentee} or {bot}"))
    if not allow_links:
        for url in (u for lit in literals for u in extract_urls(lit)):
            problems.append(TemplateProblem(
                f"it contains a link ({url}); on X a post with a link costs 0.20 USD instead of 0.015",
                "remove the link, or set limits.allow_links = true if that cost is intended"))
    missing = spec.required - used
    if missing:
        problems.append(TemplateProblem(
            f"it does not use {_names(missing)}: {spec.why_required}", f"add {_names(missing)} to the text"))
    if problems:
        return problems
    length = worst_case(template, kind, bounds)
    if length > MAX_WEIGHTED_LENGTH:
        over = length - MAX_WEIGHTED_LENGTH
        room = (f" including room for {(bounds or Bounds()).mentions_per_post} mentions"
                if spec.appends_mentions else "")
        problems.append(TemplateProblem(
            f"its longest possible post is {length} weighted characters{room}, "
            f"{over} over X's limit of {MAX_WEIGHTED_LENGTH}",
            f"shorten it by at least {over} character{'s' if over != 1 else ''} "
            "(names, hashtags and lists count at their longest)"
            + (", or lower limits.mentions_per_post" if spec.appends_mentions else "")))
    return problems


def variant_problems(kind: str, variants: tuple[str, ...]) -> list[TemplateProblem]:
    """Problems of a kind's list as a whole: too few variants, repeats, conditional coverage."""
    spec = KINDS[kind]
    problems: list[TemplateProblem] = []
    if len(variants) < MIN_VARIANTS:
        problems.append(TemplateProblem(
            f"it has {len(variants)} text(s); X refuses to post the same text twice, so the bot "
            f"needs at least {MIN_VARIANTS} wordings to rotate",
            "add another wording of the same message to the list"))
    seen: dict[str, int] = {}
    for number, text in enumerate(variants, 1):
        key = " ".join(text.split()).casefold()
        if key in seen:
            problems.append(TemplateProblem(
                f"texts {seen[key]} and {number} are the same", f"reword text {number} or remove it"))
        seen.setdefault(key, number)
    if spec.conditional and len(variants) >= MIN_VARIANTS:
        try:
            plain = [v for v in variants if not spec.conditional & set(placeholders_in(v))]
        except ValueError:
            return problems  # the per-text check reports the broken braces
        if len(plain) < MIN_VARIANTS:
            problems.append(TemplateProblem(
                f"only {len(plain)} of its texts work without {_names(spec.conditional)}, which is "
                f"not always known (e.g. a mentee without a mentor yet)",
                f"make at least {MIN_VARIANTS} texts that do not use {_names(spec.conditional)}"))
    return problems


def reply_text(template: str, handle: str, /, **values: object) -> str:
    """Render a reply: the template, starting with "@handle " unless it places {handle} itself."""
    text = render(template, handle=at(handle), **values)
    return text if "handle" in placeholders_in(template) else f"{at(handle)} {text}"
