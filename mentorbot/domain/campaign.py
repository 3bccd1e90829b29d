"""A campaign: one mentorship program run around a hashtag, as validated values.

Pure values (no I/O). :func:`mentorbot.config.campaign.load_campaign` builds them from a TOML file
and checks every rule; the defaults here are the ones a file may leave out.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field, fields
from datetime import datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # pragma: no cover
    from .vocabulary import Vocabulary

__all__ = [
    "APPROVAL_POLICIES",
    "TEMPLATE_KINDS",
    "OPTIONAL_TEMPLATES",
    "Schedule",
    "Limits",
    "QuietHours",
    "MatchingWeights",
    "Matching",
    "MentorApproval",
    "Amplification",
    "Moderation",
    "Templates",
    "Campaign",
]

APPROVAL_POLICIES = ("automatic", "automatic_above_stage", "organizer")

#: Every kind of text the bot writes, in the order the example file lists them.
TEMPLATE_KINDS: tuple[str, ...] = (
    "join_confirm_mentee", "join_confirm_mentor", "mentor_pending", "stop_confirm", "pause_confirm",
    "resume_confirm", "delete_confirm", "status", "help", "capacity_confirm", "introduction",
    "check_in", "congratulate", "follow_friday_header", "call_for_mentors", "decline_confirm",
    "check_in_thanks", "did_you_mean",
)
#: Kinds a campaign file may leave out (added after campaigns were written): these texts are used.
OPTIONAL_TEMPLATES: dict[str, tuple[str, ...]] = {
    "did_you_mean": (
        "Just checking before I act on your post of {date}: do you want to {meaning}? If so, "
        "reply {command}. If not, nothing changes.",
        "Did I read your post of {date} right? It sounds like you'd like to {meaning}. Reply "
        "{command} to confirm; otherwise I'll leave things as they are.",
        "Reply {command} if you'd like to {meaning} (your post of {date}). If I misread you, "
        "ignore this: nothing changes.",
    ),
}


CHECK_INS_CRON = "0 10 * * *"  # the daily look for pairs due a check-in (campaign time)


@dataclass(frozen=True, slots=True)
class Schedule:
    """How often the bot polls and sends, and when the recurring jobs run (crontab, "" = off)."""

    poll_mentions_seconds: int = 60
    poll_search_seconds: int = 300
    send_actions_seconds: int = 30
    matching_round: str = "0 18 * * sun"
    follow_friday: str = "0 15 * * fri"
    call_for_mentors: str = "0 17 * * mon"
    check_in_after_days: int = 21

    def jobs(self) -> dict[str, str]:
        """The enabled recurring jobs: name -> crontab expression."""
        named = {"matching_round": self.matching_round, "follow_friday": self.follow_friday,
                 "call_for_mentors": self.call_for_mentors,
                 # Daily, mid-morning: pairs introduced check_in_after_days ago are asked how it goes.
                 "check_ins": CHECK_INS_CRON if self.check_in_after_days > 0 else ""}
        return {name: expr for name, expr in named.items() if expr}


@dataclass(frozen=True, slots=True)
class Limits:
    mentees_per_mentor: int = 3  # hard cap on any mentor's load, whatever they offer
    default_mentor_capacity: int = 2  # when a mentor does not say how many
    posts_per_day: int = 40  # every write: replies, posts, reposts
    reposts_per_day: int = 10
    replies_per_person_per_day: int = 3
    min_minutes_between_posts: int = 10  # between scheduled (non-reply) posts
    repost_gap_per_person_hours: int = 24
    mentions_per_post: int = 4  # #FollowFriday mentions per post
    monthly_budget_usd: float = 25.0
    budget_warning_share: float = 0.8
    allow_links: bool = False  # a post with a link costs 0.20 USD instead of 0.015

    def capacity(self, offered: int | None) -> int:
        """A mentor's effective capacity: what they offered (or the default), within the cap."""
        wanted = self.default_mentor_capacity if offered is None else offered
        return max(0, min(wanted, self.mentees_per_mentor))

    @property
    def budget_warning_usd(self) -> float:
        return self.monthly_budget_usd * self.budget_warning_share


@dataclass(frozen=True, slots=True)
class QuietHours:
    """Local hours in which the bot posts nothing scheduled. ``start == end`` means none."""

    start: time = time(22, 0)
    end: time = time(7, 0)

    @property
    def enabled(self) -> bool:
        return self.start != self.end

    def contains(self, local: time | datetime) -> bool:
        """True when ``local`` (a wall-clock time in the campaign's zone) is quiet.

        The range includes ``start`` and excludes ``end``; a range like 22:00-07:00 crosses midnight.
        """
        t = local.time() if isinstance(local, datetime) else local
        t = t.replace(tzinfo=None)
        if not self.enabled:
            return False
        if self.start < self.end:
            return self.start <= t < self.end
        return t >= self.start or t < self.end


@dataclass(frozen=True, slots=True)
class MatchingWeights:
    shared_specialty: float = 3.0
    adjacent_specialty: float = 1.0
    seniority: float = 2.0
    preference: float = 1.0


@dataclass(frozen=True, slots=True)
class Matching:
    require_approval: bool = False  # an organizer approves each proposed pair before the introduction
    min_stage_gap: int = 1  # a mentor is at least this many ranks above the mentee
    ideal_stage_gap: int = 2
    load_penalty: float = 1.0  # how strongly to spread mentees across mentors
    weights: MatchingWeights = field(default_factory=MatchingWeights)


@dataclass(frozen=True, slots=True)
class MentorApproval:
    """Who approves a person who volunteers as a mentor."""

    policy: str = "automatic"  # one of APPROVAL_POLICIES
    auto_approve_from_stage: str | None = None  # stage id; used by "automatic_above_stage"

    def is_automatic(self, stage: str | None, vocabulary: Vocabulary) -> bool:
        """True when a mentor at ``stage`` (None: not stated) is approved without an organizer."""
        if self.policy == "automatic":
            return True
        if self.policy == "organizer" or stage is None or self.auto_approve_from_stage is None:
            return False
        return vocabulary.rank(stage) >= vocabulary.rank(self.auto_approve_from_stage)


@dataclass(frozen=True, slots=True)
class Amplification:
    reposts: bool = True
    congratulate: bool = True
    congratulate_tags_mentor: bool = True


@dataclass(frozen=True, slots=True)
class Moderation:
    """Accounts and words the bot ignores. Usernames are stored lower case, without "@"."""

    blocked_accounts: frozenset[str] = frozenset()
    blocked_words: tuple[str, ...] = ()
    known_bots: frozenset[str] = frozenset()

    def ignores(self, username: str) -> bool:
        """True for a blocked account or a known bot."""
        name = username.lstrip("@").lower()
        return name in self.blocked_accounts or name in self.known_bots

    def blocked_word_in(self, text: str) -> str | None:
        """The first blocked word or phrase found in ``text`` (whole words, any case), else None."""
        if not self.blocked_words:
            return None
        found = _blocked_pattern(self.blocked_words).search(text)
        if found is None:
            return None
        return next(w for w in self.blocked_words if w.casefold() == found.group(1).casefold())


@lru_cache(maxsize=32)
def _blocked_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled alternation for a campaign's blocked words (longest first)."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Templates:
    """Two or more text variants for every kind of post (X refuses the same text twice)."""

    join_confirm_mentee: tuple[str, ...]
    join_confirm_mentor: tuple[str, ...]
    mentor_pending: tuple[str, ...]
    stop_confirm: tuple[str, ...]
    pause_confirm: tuple[str, ...]
    resume_confirm: tuple[str, ...]
    delete_confirm: tuple[str, ...]
    status: tuple[str, ...]
    help: tuple[str, ...]
    capacity_confirm: tuple[str, ...]
    introduction: tuple[str, ...]
    check_in: tuple[str, ...]
    congratulate: tuple[str, ...]
    follow_friday_header: tuple[str, ...]
    call_for_mentors: tuple[str, ...]
    decline_confirm: tuple[str, ...]
    check_in_thanks: tuple[str, ...]
    did_you_mean: tuple[str, ...] = OPTIONAL_TEMPLATES["did_you_mean"]

    def variants(self, kind: str) -> tuple[str, ...]:
        """The variants of one kind; ``KeyError`` for an unknown kind."""
        if kind not in TEMPLATE_KINDS:
            raise KeyError(kind)
        return getattr(self, kind)

    def pick(self, kind: str, index: int) -> str:
        """Variant ``index`` modulo the number of variants (callers rotate to vary texts)."""
        options = self.variants(kind)
        return options[index % len(options)]

    def as_dict(self) -> dict[str, tuple[str, ...]]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class Campaign:
    """One program. ``hashtags`` are stored without "#", as written; the first is the primary."""

    id: str
    name: str
    bot_handle: str  # without "@"
    hashtags: tuple[str, ...]
    timezone: str  # IANA name, e.g. "America/New_York"
    start: datetime  # timezone-aware; posts before it are ignored
    templates: Templates
    language: str = "en"
    allow_stated_preference: bool = False
    schedule: Schedule = field(default_factory=Schedule)
    limits: Limits = field(default_factory=Limits)
    quiet_hours: QuietHours = field(default_factory=QuietHours)
    matching: Matching = field(default_factory=Matching)
    mentors: MentorApproval = field(default_factory=MentorApproval)
    amplification: Amplification = field(default_factory=Amplification)
    moderation: Moderation = field(default_factory=Moderation)
    source: str = ""  # the file it was loaded from, for messages

    @property
    def primary_hashtag(self) -> str:
        """The first hashtag, with its "#"."""
        return "#" + self.hashtags[0]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def uses_hashtag(self, tag: str) -> bool:
        """True when ``tag`` (with or without "#", any case) is one of the campaign's hashtags."""
        wanted = tag.lstrip("#").casefold()
        return any(wanted == own.casefold() for own in self.hashtags)

    def is_quiet(self, moment: datetime) -> bool:
        """True when the aware ``moment`` falls in quiet hours, in the campaign's zone."""
        return self.quiet_hours.contains(moment.astimezone(self.zone).time())
