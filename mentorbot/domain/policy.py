"""When a write may go and how often to read: budget, daily caps, quiet hours, spacing, pacing.

Pure: the time is always a parameter and every datetime is timezone-aware; results are UTC.
"Days" and "months" are the campaign's local ones (its ``timezone``); a midnight that DST skips
is the first instant of the day that follows it.

Choices made here, and why:
- Replies may go during quiet hours and need no spacing: they answer someone who just wrote to
  the bot, so a prompt answer is expected and is not noise. Quiet hours and spacing hold for the
  bot's own scheduled posts and reposts.
- Deletions and undone reposts are corrections (an opt-out, a deletion request): they only shrink
  what the bot has published, so no cap, quiet hours or spacing holds them back. The budget does.
- The budget is never crossed: a required write that would cross it waits for next month; an
  optional one (repost, congratulation) is dropped, and already from the warning level on, so
  that optional writes go first and replies last. Optional writes also stop once less than the
  dearest write (0.20 USD) is left, so that with any warning share no optional write is sent
  after a required one has had to wait for the budget.
- When the budget is exhausted reads cost money too: only the bot's own mentions go on being
  read (at 1/16 the rate), so that "stop" and "delete my data" are still heard. Those reads are
  owned (0.001 USD a new mention; an empty poll is free), the one spend allowed past the budget.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo

from .campaign import Campaign, Limits
from .model import RateLimit
from .pricing import MAX_WRITE_USD
from .records import Action

__all__ = [
    "BudgetLevel", "Verdict", "SCHEDULED_KINDS", "CAPPED_KINDS", "POLL_SLOWDOWN",
    "BACKOFF_BASE_SECONDS", "BACKOFF_CAP_SECONDS", "BACKOFF_FLOOR_SECONDS", "WINDOW_SECONDS",
    "SendContext", "SendDecision",
    "budget_level", "poll_interval", "reads_allowed", "send_decision", "next_allowed_time",
    "local_midnight_before", "local_midnight_after", "quiet_period_end", "month_start",
    "next_month_start", "read_gate", "backoff_delay", "project_month",
]

BudgetLevel = Literal["normal", "warning", "exhausted"]
Verdict = Literal["send", "wait", "drop"]

SCHEDULED_KINDS = frozenset({"post", "repost"})  # quiet hours and spacing apply
CAPPED_KINDS = frozenset({"reply", "post", "repost"})  # what Limits.posts_per_day counts
POLL_SLOWDOWN: dict[str, int] = {"normal": 1, "warning": 4, "exhausted": 16}
BACKOFF_BASE_SECONDS = 30.0
BACKOFF_CAP_SECONDS = 3600.0
BACKOFF_FLOOR_SECONDS = 1.0  # full jitter may draw 0: never retry in a hot loop
WINDOW_SECONDS = 900.0  # X's rate-limit window (15 minutes) for every read endpoint
_EPSILON_USD = 1e-9  # sums of float prices: 24.985 + 0.015 must not "exceed" 25
_PROJECTION_MIN_SECONDS = 3600.0


@dataclass(frozen=True, slots=True)
class SendContext:
    """What the sender knows when it asks about one action.

    ``sent_today``: replies, posts and reposts done since the campaign's local midnight (counting
    deletions too only makes the cap stricter). ``last_post_at``: the last post or repost (not
    reply). ``spent_usd``: this month's spend so far.
    """

    now: datetime
    sent_today: int
    reposts_today: int
    last_post_at: datetime | None
    spent_usd: float


@dataclass(frozen=True, slots=True)
class SendDecision:
    """``send`` now, ``wait`` until ``not_before``, or ``drop`` the action; ``reason`` says why."""

    verdict: Verdict
    not_before: datetime | None
    reason: str


def _aware(name: str, moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return moment.astimezone(timezone.utc)


def _zone(zone: str | tzinfo) -> tzinfo:
    return ZoneInfo(zone) if isinstance(zone, str) else zone


def _day_start(day: date, zone: tzinfo) -> datetime:
    # fold=0 on a wall time DST skips uses the old offset: the instant the day really begins.
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(timezone.utc)


# --- calendar helpers ---------------------------------------------------------------------------

def local_midnight_before(now: datetime, zone: str | tzinfo) -> datetime:
    """The first instant of ``now``'s local day (<= now)."""
    now = _aware("now", now)
    start = _day_start(now.astimezone(_zone(zone)).date(), _zone(zone))
    return min(start, now)


def local_midnight_after(now: datetime, zone: str | tzinfo) -> datetime:
    """The first instant of the next local day (> now)."""
    now, tz = _aware("now", now), _zone(zone)
    day = now.astimezone(tz).date()
    while (start := _day_start(day + timedelta(days=1), tz)) <= now:
        day += timedelta(days=1)
    return start


def month_start(now: datetime, zone: str | tzinfo) -> datetime:
    """The first instant of ``now``'s local month."""
    now, tz = _aware("now", now), _zone(zone)
    return min(_day_start(now.astimezone(tz).date().replace(day=1), tz), now)


def next_month_start(now: datetime, zone: str | tzinfo) -> datetime:
    """The first instant of the next local month (> now)."""
    now, tz = _aware("now", now), _zone(zone)
    local = now.astimezone(tz).date()
    first = date(local.year + local.month // 12, local.month % 12 + 1, 1)
    return max(_day_start(first, tz), now + timedelta(microseconds=1))


def quiet_period_end(now: datetime, campaign: Campaign) -> datetime:
    """``now`` when it is not quiet, else the next end of quiet hours (local ``end``).

    When DST skips the end's wall time, the end comes when the clock shows it again after the
    jump (up to an hour late), never early.
    """
    now = _aware("now", now)
    if not campaign.is_quiet(now):
        return now
    tz, end = campaign.zone, campaign.quiet_hours.end
    day = now.astimezone(tz).date()
    candidate = now
    for offset in range(8):  # the next end is today or tomorrow; DST oddities may skip one
        candidate = datetime.combine(day + timedelta(days=offset), end, tzinfo=tz).astimezone(timezone.utc)
        if candidate > now and not campaign.is_quiet(candidate):
            return candidate
    return candidate  # pragma: no cover - only a zone without the end's wall time for a week


def next_allowed_time(now: datetime, campaign: Campaign, kind: str,
                      last_post_at: datetime | None = None) -> datetime:
    """The first instant >= ``now`` that quiet hours and spacing allow for a write of ``kind``.

    Only posts and reposts are held; for other kinds it is ``now``.
    """
    t = _aware("now", now)
    if kind not in SCHEDULED_KINDS:
        return t
    gap = timedelta(minutes=campaign.limits.min_minutes_between_posts)
    spaced = _aware("last_post_at", last_post_at) + gap if last_post_at is not None else None
    for _ in range(4):  # spacing's end is fixed: two rounds settle it, the rest is a margin
        if spaced is not None and t < spaced:
            t = spaced
        if not campaign.is_quiet(t):
            return t
        t = quiet_period_end(t, campaign)
    return t  # pragma: no cover


# --- budget -------------------------------------------------------------------------------------

def budget_level(spent_usd: float, limits: Limits) -> BudgetLevel:
    """``exhausted`` at the monthly budget, ``warning`` from the warning amount, else ``normal``."""
    if spent_usd >= limits.monthly_budget_usd - _EPSILON_USD:
        return "exhausted"
    if spent_usd >= limits.budget_warning_usd - _EPSILON_USD:
        return "warning"
    return "normal"


def poll_interval(base_seconds: float, level: BudgetLevel) -> float:
    """Seconds between polls: x1, x4 past the warning, x16 exhausted (see :func:`reads_allowed`)."""
    return float(base_seconds) * POLL_SLOWDOWN[level]


def reads_allowed(spent_usd: float, limits: Limits, *, owned: bool, worst_usd: float) -> bool:
    """Whether a read of at most ``worst_usd`` may be made without crossing the budget.

    The bot's own mentions (``owned``: the cheap, required intake, where STOP and DELETE
    arrive) are read while even a worst-case page stays within the budget. Searches feed
    optional amplification, so they stop at the warning level, like reposts.
    """
    if spent_usd + worst_usd - limits.monthly_budget_usd > _EPSILON_USD:
        return False
    return owned or budget_level(spent_usd, limits) == "normal"


def project_month(spent_usd: float, now: datetime, zone: str | tzinfo) -> float:
    """This month's spend at the end of the month, at the pace so far (linear).

    The first hour counts as an hour: a minute's reads would otherwise project absurdly.
    """
    start, end = month_start(now, zone), next_month_start(now, zone)
    elapsed = max((_aware("now", now) - start).total_seconds(), _PROJECTION_MIN_SECONDS)
    return spent_usd * (end - start).total_seconds() / elapsed


# --- the send decision ------------------------------------------------------------------------

def send_decision(action: Action, campaign: Campaign, ctx: SendContext,
                  cost_usd: float) -> SendDecision:
    """Send ``action`` now, wait, or drop it. Rules in order: budget, caps, quiet hours, spacing.

    A ``not_before`` is always later than ``ctx.now`` and, for posts and reposts, itself outside
    quiet hours and spacing (a cap's midnight in quiet hours becomes the end of quiet hours).
    """
    now, limits, kind = _aware("ctx.now", ctx.now), campaign.limits, action.kind
    last = _aware("ctx.last_post_at", ctx.last_post_at) if ctx.last_post_at is not None else None

    def wait(until: datetime, reason: str) -> SendDecision:
        return SendDecision("wait", next_allowed_time(until, campaign, kind, last), reason)

    after = ctx.spent_usd + cost_usd
    if after - limits.monthly_budget_usd > _EPSILON_USD:
        if action.optional:
            return SendDecision("drop", None, "budget_exhausted")
        return wait(next_month_start(now, campaign.zone), "budget_exhausted")
    if action.optional and (after - limits.budget_warning_usd > _EPSILON_USD or
                            ctx.spent_usd + MAX_WRITE_USD - limits.monthly_budget_usd > _EPSILON_USD):
        return SendDecision("drop", None, "budget_warning")
    if kind in CAPPED_KINDS and ctx.sent_today >= limits.posts_per_day:
        return wait(local_midnight_after(now, campaign.zone), "daily_cap")
    if kind == "repost" and ctx.reposts_today >= limits.reposts_per_day:
        return wait(local_midnight_after(now, campaign.zone), "repost_cap")
    if kind in SCHEDULED_KINDS:
        if campaign.is_quiet(now):
            return wait(quiet_period_end(now, campaign), "quiet_hours")
        allowed = next_allowed_time(now, campaign, kind, last)
        if allowed > now:
            return SendDecision("wait", allowed, "spacing")
    return SendDecision("send", None, "ok")


# --- pacing reads and retries -----------------------------------------------------------------

def read_gate(limit: RateLimit | None, now_ts: float, reserve: int = 1, *,
              window_seconds: float = WINDOW_SECONDS) -> float:
    """The earliest unix time for the next call to an endpoint, so that polling never meets a 429.

    - no limit known, or its window already reset: now;
    - ``remaining <= reserve``: the reset (``reserve`` calls stay for what cannot wait);
    - otherwise calls are spread only when they are ahead of the window's steady pace
      (``limit / window_seconds``): when fewer calls remain than that pace would allow until the
      reset, the next one waits ``(reset - now) / (remaining - reserve + 1)``. The ``+ 1`` puts
      the last usable call one interval before the reset rather than on it, where a clock a
      little ahead of X's would spend it in the old window. A caller at or behind the pace (a
      poll every minute) is never held, a burst (pagination) slows down before it stalls, and
      the answer is before the reset while ``remaining > reserve``.
    ``window_seconds`` defaults to X's 15 minutes; a longer real window only makes it cautious.
    """
    if limit is None or limit.reset_at <= now_ts:
        return now_ts
    if limit.remaining <= reserve:
        return limit.reset_at
    interval = (limit.reset_at - now_ts) / (limit.remaining - reserve + 1)
    pace = window_seconds / max(limit.limit, 1)
    return now_ts if interval <= pace else now_ts + interval


def backoff_delay(attempts: int, jitter: float) -> float:
    """Seconds before retry number ``attempts`` (0 or 1 for the first): full jitter.

    ``jitter * min(1 h, 30 s * 2 ** (attempts - 1))``, at least one second; ``jitter`` is a
    draw in [0, 1) that the caller makes, so the result is deterministic for its inputs.
    """
    if not 0.0 <= jitter < 1.0:
        raise ValueError(f"jitter must be in [0, 1); got {jitter!r}")
    exponent = min(max(attempts, 1) - 1, 32)  # 2 ** 32 * 30 s is far past the cap already
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** exponent)
    return max(BACKOFF_FLOOR_SECONDS, ceiling * jitter)
