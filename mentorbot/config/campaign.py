"""Loading and checking a campaign file (config/campaigns/*.toml).

``load_campaign(path)`` returns a frozen :class:`~mentorbot.domain.campaign.Campaign` or raises
:class:`~mentorbot.errors.ConfigError` naming the file, the dotted key (``limits.posts_per_day``,
``templates.introduction[2]``: texts are numbered from 1), the problem and the fix. When a file
has several problems they are all reported at once (a ``ConfigProblems``, itself a ConfigError
that behaves as the first problem). The example config/campaigns/medmentormatch.toml documents
every key.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time
from difflib import get_close_matches
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from apscheduler.triggers.cron import CronTrigger

from ..domain.campaign import (APPROVAL_POLICIES, OPTIONAL_TEMPLATES, TEMPLATE_KINDS, Amplification, Campaign, Limits,
                               Matching, MatchingWeights, MentorApproval, Moderation, QuietHours,
                               Schedule, Templates)
from ..domain.templates import Bounds, template_problems, variant_problems
from ..domain.vocabulary import Vocabulary
from ._validate import Problems, Table, describe, read_toml
from .vocabulary import HASHTAG_PATTERN, load_vocabulary

__all__ = ["load_campaign", "check_crontab", "SECTIONS", "USERNAME_PATTERN", "ID_PATTERN"]

SECTIONS: dict[str, tuple[str, ...]] = {
    "campaign": ("id", "name", "bot_handle", "hashtags", "timezone", "start", "language",
                 "allow_stated_preference"),
    "schedule": ("poll_mentions_seconds", "poll_search_seconds", "send_actions_seconds",
                 "matching_round", "follow_friday", "call_for_mentors", "check_in_after_days"),
    "limits": ("mentees_per_mentor", "default_mentor_capacity", "posts_per_day", "reposts_per_day",
               "replies_per_person_per_day", "min_minutes_between_posts", "repost_gap_per_person_hours",
               "mentions_per_post", "monthly_budget_usd", "budget_warning_share", "allow_links"),
    "quiet_hours": ("start", "end"),
    "matching": ("require_approval", "min_stage_gap", "ideal_stage_gap", "load_penalty", "weights"),
    "mentors": ("approval", "auto_approve_from_stage"),
    "amplification": ("reposts", "congratulate", "congratulate_tags_mentor"),
    "moderation": ("blocked_accounts", "blocked_words", "known_bots"),
    "templates": TEMPLATE_KINDS,
}
_WEIGHTS = ("shared_specialty", "adjacent_specialty", "seniority", "preference")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")  # a campaign id
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_]{1,15}$")  # an X username, without "@"
_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")
_CRON_EXAMPLE = "'0 9 * * fri' (Fridays at 09:00)"
_D = Schedule(), Limits(), QuietHours(), Matching(), MatchingWeights(), Amplification()


def load_campaign(path: str | Path, vocabulary: Vocabulary | None = None) -> Campaign:
    """Read and check a campaign file. ``vocabulary`` defaults to the one shipped with mentorbot."""
    vocabulary = vocabulary or load_vocabulary()
    problems = Problems(path)
    root = Table(read_toml(path), "", problems)
    _check_sections(root)
    head = _campaign(root.section("campaign", required=True))
    zone = ZoneInfo(head["timezone"]) if head.get("timezone") else ZoneInfo("UTC")
    schedule = _schedule(root.section("schedule"), zone, head.get("start"))
    limits = _limits(root.section("limits"))
    quiet = _quiet_hours(root.section("quiet_hours"))
    matching = _matching(root.section("matching"), vocabulary)
    mentors = _mentors(root.section("mentors"), vocabulary)
    amplification = _amplification(root.section("amplification"))
    moderation = _moderation(root.section("moderation"))
    # When a section above was wrong (None), its problem is already recorded: check the
    # templates against the defaults rather than report them as too long for a bad number.
    known_limits, known_amp = limits or _D[1], amplification or _D[5]
    bounds = Bounds(bot_handle=head.get("bot_handle") or "x",
                    hashtags=tuple(head.get("hashtags") or ("x",)),
                    stage_labels=vocabulary.stage_labels(),
                    specialty_labels=vocabulary.specialty_labels(),
                    mentees_per_mentor=known_limits.mentees_per_mentor,
                    mentions_per_post=known_limits.mentions_per_post)
    templates = _templates(root.section("templates", required=True), bounds,
                           allow_links=known_limits.allow_links,
                           tags_mentor=known_amp.congratulate_tags_mentor)
    problems.raise_if_any()
    return Campaign(templates=templates, schedule=schedule, limits=limits, quiet_hours=quiet,
                    matching=matching, mentors=mentors, amplification=amplification,
                    moderation=moderation, source=str(path), **head)


def _check_sections(root: Table) -> None:
    """Unknown sections, with a special word for settings written before any [section] line."""
    home = {key: section for section, keys in SECTIONS.items() for key in keys}
    for name, value in root.items():
        if name in SECTIONS:
            continue
        if name in home and not isinstance(value, dict):
            root.problems.add(name, f"'{name}' is not inside a section",
                              f"move it below the [{home[name]}] line (settings above the first "
                              "[section] line belong to no section)")
        else:
            Table({name: value}, "", root.problems).check_keys(SECTIONS, what="section")


# -- [campaign] -----------------------------------------------------------------------------------
def _campaign(t: Table) -> dict[str, Any]:
    t.check_keys(SECTIONS["campaign"])
    out: dict[str, Any] = {}
    slug = t.text("id", example='"medmentormatch"')
    if slug is not None and not ID_PATTERN.match(slug):
        suggestion = re.sub(r"[^a-z0-9_-]+", "-", slug.lower()).strip("-_")[:64] or "medmentormatch"
        t.problems.add(t.key("id"), f"{describe(slug)} is not a valid id",
                       f'use lower-case letters, digits, "-" or "_" only, e.g. id = "{suggestion}"')
        slug = None
    out["id"] = slug
    out["name"] = t.text("name", example='"MedMentorMatch"')
    handle = t.text("bot_handle", example='"MedMentorBot"')
    if handle is not None:
        handle = handle.removeprefix("@")
        if not USERNAME_PATTERN.match(handle):
            t.problems.add(t.key("bot_handle"), f"{describe(handle)} is not a valid X username",
                           "write the bot's X username: 1 to 15 letters, digits or underscores, "
                           'no spaces, e.g. bot_handle = "MedMentorBot"')
            handle = None
    out["bot_handle"] = handle
    out["hashtags"] = _hashtags(t)
    out["timezone"] = _timezone(t)
    out["start"] = _start(t, ZoneInfo(out["timezone"] or "UTC"))
    language = t.text("language", "en", example='"en"')
    if language is not None and not re.match(r"^[a-z]{2}$", language):
        t.problems.add(t.key("language"), f"{describe(language)} is not a two-letter language code",
                       'write a code such as "en", "es" or "pt"')
    out["language"] = language
    out["allow_stated_preference"] = t.boolean("allow_stated_preference", False)
    return out


def _hashtags(t: Table) -> tuple[str, ...] | None:
    tags = t.text_list("hashtags", example='["MedMentorMatch"]')
    if tags is None:
        return None
    if not tags:
        t.problems.add(t.key("hashtags"), "the list is empty; the campaign needs at least one hashtag",
                       'write e.g. hashtags = ["MedMentorMatch"] (the first one is the main hashtag)')
        return None
    out: list[str] = []
    for index, tag in enumerate(tags, 1):
        body = tag.strip().lstrip("#")
        if not HASHTAG_PATTERN.match(body):
            t.problems.add(f"{t.key('hashtags')}[{index}]", f"{describe(tag)} is not a hashtag X would recognise",
                           "use letters, digits and underscores only, no spaces, e.g. \"MedMentorMatch\"")
        elif body.casefold() in (o.casefold() for o in out):
            t.problems.add(f"{t.key('hashtags')}[{index}]", f"#{body} is listed twice", "remove one of them")
        else:
            out.append(body)
    return tuple(out)


def _timezone(t: Table) -> str | None:
    name = t.text("timezone", example='"America/New_York"')
    if name is None:
        return None
    try:
        ZoneInfo(name)
        return name
    except (ZoneInfoNotFoundError, ValueError):
        pass
    zones = {z.casefold(): z for z in available_timezones()}
    close = get_close_matches(name.casefold().replace(" ", "_"), list(zones), n=1, cutoff=0.6)
    fix = (f'write "{zones[close[0]]}"' if close else
           'write a name from the IANA list, e.g. "America/New_York", "Europe/London" or "America/Sao_Paulo"')
    problem = f"{describe(name)} is not a time zone name" + (f' (did you mean "{zones[close[0]]}"?)' if close else "")
    t.problems.add(t.key("timezone"), problem, fix)
    return None


def _start(t: Table, zone: ZoneInfo) -> datetime | None:
    value = t.data.get("start")
    fix = "write a date without quotes, e.g. start = 2026-01-15 (or 2026-01-15T08:00:00)"
    if value is None:
        t.problems.add(t.key("start"), "this setting is missing", fix)
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            t.problems.add(t.key("start"), f"expected a date, got {describe(value)}", fix)
            return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=zone)
    t.problems.add(t.key("start"), f"expected a date, got {describe(value)}", fix)
    return None


# -- [schedule] -----------------------------------------------------------------------------------
def check_crontab(expr: str, zone: ZoneInfo, start: datetime | None = None) -> tuple[str, str] | None:
    """``None`` when ``expr`` is a usable five-field crontab, else (problem, fix)."""
    fields = expr.split()
    fix = (f"write five parts: minute hour day-of-month month day-of-week, e.g. {_CRON_EXAMPLE}; "
           'or "" to turn this job off')
    if len(fields) != 5:
        return f"{expr!r} has {len(fields)} part(s), a schedule needs 5", fix
    if re.search(r"\d", fields[4]):
        return (f"the day of the week {fields[4]!r} is a number, which is ambiguous (classic cron counts "
                "0 = Sunday, this scheduler 0 = Monday)",
                "write day names instead: mon, tue, wed, thu, fri, sat, sun (e.g. 'fri' or 'mon-fri')")
    try:
        trigger = CronTrigger.from_crontab(expr, timezone=zone)
    except ValueError as exc:
        return f"{expr!r} is not a valid schedule ({exc})", fix
    reference = start or datetime(2026, 1, 1, tzinfo=zone)
    if trigger.get_next_fire_time(None, reference) is None:
        return f"{expr!r} never happens (no such date)", fix
    return None


def _schedule(t: Table, zone: ZoneInfo, start: datetime | None) -> Schedule | None:
    t.check_keys(SECTIONS["schedule"])
    d = _D[0]
    values: dict[str, Any] = {
        "poll_mentions_seconds": t.integer("poll_mentions_seconds", d.poll_mentions_seconds, low=15, high=3600),
        "poll_search_seconds": t.integer("poll_search_seconds", d.poll_search_seconds, low=60, high=86400),
        "send_actions_seconds": t.integer("send_actions_seconds", d.send_actions_seconds, low=5, high=3600),
        "check_in_after_days": t.integer("check_in_after_days", d.check_in_after_days, low=1, high=365),
    }
    for job in ("matching_round", "follow_friday", "call_for_mentors"):
        expr = t.text(job, getattr(d, job), example="\"0 9 * * fri\"", allow_empty=True)
        if expr:
            bad = check_crontab(expr, zone, start)
            if bad:
                t.problems.add(t.key(job), *bad)
                expr = None
        values[job] = expr
    return Schedule(**values) if None not in values.values() else None


# -- [limits], [quiet_hours], [matching], [mentors], [amplification], [moderation] ----------------
def _limits(t: Table) -> Limits | None:
    t.check_keys(SECTIONS["limits"])
    d = _D[1]
    cap = t.integer("mentees_per_mentor", d.mentees_per_mentor, low=1, high=10)
    values: dict[str, Any] = {
        "mentees_per_mentor": cap,
        "default_mentor_capacity": t.integer("default_mentor_capacity", d.default_mentor_capacity,
                                             low=1, high=10),
        "posts_per_day": t.integer("posts_per_day", d.posts_per_day, low=1, high=2400),
        "reposts_per_day": t.integer("reposts_per_day", d.reposts_per_day, low=0, high=2400),
        "replies_per_person_per_day": t.integer("replies_per_person_per_day", d.replies_per_person_per_day,
                                                low=1, high=50),
        "min_minutes_between_posts": t.integer("min_minutes_between_posts", d.min_minutes_between_posts,
                                               low=0, high=1440),
        "repost_gap_per_person_hours": t.integer("repost_gap_per_person_hours",
                                                 d.repost_gap_per_person_hours, low=0, high=24 * 30),
        "mentions_per_post": t.integer("mentions_per_post", d.mentions_per_post, low=1, high=10),
        "monthly_budget_usd": t.number("monthly_budget_usd", d.monthly_budget_usd, above=0, example=25),
        "budget_warning_share": t.number("budget_warning_share", d.budget_warning_share, above=0, high=1,
                                         example=0.8),
        "allow_links": t.boolean("allow_links", d.allow_links),
    }
    default = values["default_mentor_capacity"]
    if cap is not None and default is not None and default > cap:
        t.problems.add(t.key("default_mentor_capacity"),
                       f"it is {default}, more than mentees_per_mentor ({cap}), the most any mentor may take",
                       f"lower it to {cap} or less, or raise mentees_per_mentor")
        return None
    return Limits(**values) if None not in values.values() else None


def _clock(t: Table, name: str, default: time) -> time | None:
    value = t.data.get(name, default)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    match = _HHMM.match(value.strip()) if isinstance(value, str) else None
    if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
        return time(int(match.group(1)), int(match.group(2)))
    t.problems.add(t.key(name), f"expected a time of day as \"HH:MM\", got {describe(value)}",
                   f'write a 24-hour time in quotes, e.g. {name} = "{default:%H:%M}"')
    return None


def _quiet_hours(t: Table) -> QuietHours | None:
    t.check_keys(SECTIONS["quiet_hours"])
    start, end = _clock(t, "start", _D[2].start), _clock(t, "end", _D[2].end)
    return QuietHours(start, end) if start is not None and end is not None else None


def _matching(t: Table, vocabulary: Vocabulary) -> Matching | None:
    t.check_keys(SECTIONS["matching"])
    d = _D[3]
    ranks = [s.rank for s in vocabulary.stages]
    widest = max(ranks) - min(ranks)
    low_gap = t.integer("min_stage_gap", d.min_stage_gap, low=1, high=widest)
    ideal = t.integer("ideal_stage_gap", d.ideal_stage_gap, low=1, high=widest)
    if low_gap is not None and ideal is not None and ideal < low_gap:
        t.problems.add(t.key("ideal_stage_gap"), f"it is {ideal}, below min_stage_gap ({low_gap})",
                       f"make it at least {low_gap}")
        ideal = None
    w = t.section("weights")
    w.check_keys(_WEIGHTS)
    weights = {name: w.number(name, getattr(_D[4], name), low=0, example=getattr(_D[4], name))
               for name in _WEIGHTS}
    if None not in weights.values() and not any(weights.values()):
        w.problems.add(w.path, "every weight is 0, so all pairings would score the same",
                       "give shared_specialty a positive weight, e.g. 3")
        return None
    values = {"require_approval": t.boolean("require_approval", d.require_approval),
              "min_stage_gap": low_gap, "ideal_stage_gap": ideal,
              "load_penalty": t.number("load_penalty", d.load_penalty, low=0, example=1)}
    if None in values.values() or None in weights.values():
        return None
    return Matching(**values, weights=MatchingWeights(**weights))


def _mentors(t: Table, vocabulary: Vocabulary) -> MentorApproval | None:
    t.check_keys(SECTIONS["mentors"])
    policy = t.text("approval", "automatic", example='"automatic"')
    stage = t.text("auto_approve_from_stage", None, example='"resident"')
    choices = ", ".join(f'"{p}"' for p in APPROVAL_POLICIES)
    if policy is not None and policy not in APPROVAL_POLICIES:
        close = get_close_matches(policy, APPROVAL_POLICIES, n=1)
        t.problems.add(t.key("approval"), f"{describe(policy)} is not an approval policy"
                       + (f" (did you mean \"{close[0]}\"?)" if close else ""), f"write one of {choices}")
        return None
    if stage is not None and stage not in vocabulary.stage_ids:
        close = get_close_matches(stage, vocabulary.stage_ids, n=1)
        t.problems.add(t.key("auto_approve_from_stage"), f"{describe(stage)} is not a career stage"
                       + (f" (did you mean \"{close[0]}\"?)" if close else ""),
                       "write one of " + ", ".join(f'"{s}"' for s in vocabulary.stage_ids))
        return None
    if policy == "automatic_above_stage" and stage is None:
        t.problems.add(t.key("auto_approve_from_stage"),
                       'approval = "automatic_above_stage" needs the stage from which mentors are approved '
                       "automatically, and none is given",
                       'add auto_approve_from_stage = "resident" (or another stage), '
                       'or choose approval = "organizer"')
        return None
    return MentorApproval(policy, stage) if policy is not None else None


def _amplification(t: Table) -> Amplification | None:
    t.check_keys(SECTIONS["amplification"])
    values = {name: t.boolean(name, getattr(_D[5], name)) for name in SECTIONS["amplification"]}
    return Amplification(**values) if None not in values.values() else None


def _usernames(t: Table, name: str) -> frozenset[str] | None:
    names = t.text_list(name, [], example='["SomeAccount"]')
    if names is None:
        return None
    out: set[str] = set()
    for index, raw in enumerate(names, 1):
        username = raw.strip().removeprefix("@")
        if not USERNAME_PATTERN.match(username):
            t.problems.add(f"{t.key(name)}[{index}]", f"{describe(raw)} is not an X username",
                           "write the username only: 1 to 15 letters, digits or underscores, e.g. \"SpamBot\"")
        out.add(username.lower())
    return frozenset(out)


def _moderation(t: Table) -> Moderation | None:
    t.check_keys(SECTIONS["moderation"])
    blocked, bots = _usernames(t, "blocked_accounts"), _usernames(t, "known_bots")
    words = t.text_list("blocked_words", [], example='["crypto"]')
    if words is not None and any(not w.strip() for w in words):
        t.problems.add(t.key("blocked_words"), "the list contains an empty text", "remove the empty \"\"")
        return None
    if blocked is None or bots is None or words is None:
        return None
    return Moderation(blocked, tuple(w.strip() for w in words), bots)


# -- [templates] ----------------------------------------------------------------------------------
def _templates(t: Table, bounds: Bounds, *, allow_links: bool, tags_mentor: bool) -> Templates | None:
    t.check_keys(TEMPLATE_KINDS, what="template kind")
    values: dict[str, tuple[str, ...] | None] = {}
    for kind in TEMPLATE_KINDS:
        if not t.has(kind) and kind in OPTIONAL_TEMPLATES:
            texts: list[str] | None = list(OPTIONAL_TEMPLATES[kind])  # checked like the file's own
        elif not t.has(kind):
            t.problems.add(t.key(kind), "this kind of text is missing",
                           f"add {kind} = [\"...\", \"...\"] with at least 2 wordings; "
                           "config/campaigns/medmentormatch.toml has texts to copy")
            values[kind] = None
            continue
        else:
            texts = t.text_list(kind, example='["first wording", "second wording"]')
        if texts is None:
            values[kind] = None
            continue
        ok = True
        for number, text in enumerate(texts, 1):
            for p in template_problems(text, kind, bounds, allow_links=allow_links):
                t.problems.add(f"{t.key(kind)}[{number}]", p.problem, p.fix)
                ok = False
        for p in variant_problems(kind, tuple(texts)):
            t.problems.add(t.key(kind), p.problem, p.fix)
            ok = False
        if ok and kind == "congratulate" and tags_mentor and not any("{mentor}" in x for x in texts):
            t.problems.add(t.key(kind), "amplification.congratulate_tags_mentor is true, but no text uses {mentor}",
                           "add a text that names the mentor with {mentor}, or set congratulate_tags_mentor = false")
            ok = False
        values[kind] = tuple(texts) if ok else None
    return Templates(**values) if None not in values.values() else None  # type: ignore[arg-type]
