"""The numbers an organizer asks for, computed from one :class:`CampaignData` (pure: no I/O).

`mentorbot stats` prints them, `mentorbot report` puts them above its charts, and
`mentorbot dashboard` asks the same questions in SQL; tests hold the three to the same answers.

Definitions, and why:
- *Mentees* (the denominator of the matched share) are the mentees whose status is ``active``:
  paused, pending, blocked and departed people are not waiting for a mentor.
- *Matched* means having a match that is proposed, active or completed (a finished pair still
  gave the mentee a mentor); declined and ended pairs do not count.
- *Time to match* runs from joining to the first match ever proposed to the mentee.
- *Mentor load* counts proposed and active matches, over every active mentor (zeros included,
  so that the Gini coefficient sees the mentors who carry nothing) plus anyone else still
  carrying a pair.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime
from statistics import mean, median
from typing import Any, Mapping

from ..domain.fairness import LoadSummary, load_summary
from ..domain.policy import project_month
from .data import LIVE_MATCH_STATUSES, LOAD_MATCH_STATUSES, CampaignData

__all__ = ["CampaignStats", "compute_stats", "mentor_loads", "days_to_match", "render_stats",
           "UNSTATED"]

#: The stage column of someone whose career stage the bot could not tell.
UNSTATED = "unstated"
_DAY = 86400.0


@dataclass(frozen=True, slots=True)
class CampaignStats:
    """One campaign's figures as of ``now``; counts are plain ints, durations days."""

    campaign_id: str
    now: datetime
    participants: Mapping[str, Mapping[str, int]]  # role -> stage -> people (every status)
    statuses: Mapping[str, Mapping[str, int]]  # role -> status -> people
    waiting_mentees: int  # active mentees (see the module docstring)
    matched_mentees: int
    matched_share: float | None  # None while there are no active mentees
    median_days_to_match: float | None
    mean_days_to_match: float | None
    matches: Mapping[str, int]  # status -> matches
    check_ins: Mapping[str, int]  # answer -> matches
    wins_amplified: int  # reposts done
    posts_made: Mapping[str, int]  # action kind -> done
    load: LoadSummary
    mentors_counted: int
    spent_usd: float
    budget_usd: float
    projected_usd: float
    month_start: datetime

    @property
    def active_matches(self) -> int:
        return self.matches.get("active", 0)

    @property
    def declined_matches(self) -> int:
        return self.matches.get("declined", 0)

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values (datetimes as ISO text), for ``mentorbot stats --json``."""
        out = asdict(self)
        out["load"] = asdict(self.load)
        out["now"], out["month_start"] = self.now.isoformat(), self.month_start.isoformat()
        out["active_matches"], out["declined_matches"] = self.active_matches, self.declined_matches
        return out


def days_to_match(data: CampaignData) -> list[float]:
    """For each mentee ever matched: days from joining to their first proposed match."""
    joined = {p.person_id: p.joined_at for p in data.participants if p.role == "mentee"}
    first: dict[str, datetime] = {}
    for m in data.matches:
        if m.mentee_id in joined and (m.mentee_id not in first or m.proposed_at < first[m.mentee_id]):
            first[m.mentee_id] = m.proposed_at
    return [max(0.0, (at - joined[who]).total_seconds() / _DAY) for who, at in first.items()]


def mentor_loads(data: CampaignData) -> dict[str, int]:
    """Mentor id -> open pairs (proposed or active): every active mentor, and anyone carrying one."""
    loads = {p.person_id: 0 for p in data.participants if p.role == "mentor" and p.status == "active"}
    for m in data.matches:
        if m.status in LOAD_MATCH_STATUSES:
            loads[m.mentor_id] = loads.get(m.mentor_id, 0) + 1
    return loads


def compute_stats(data: CampaignData, *, budget_usd: float, zone: str) -> CampaignStats:
    """Every figure of the module docstring for one campaign."""
    participants: dict[str, Counter[str]] = {}
    statuses: dict[str, Counter[str]] = {}
    for p in data.participants:
        participants.setdefault(p.role, Counter())[p.stage or UNSTATED] += 1
        statuses.setdefault(p.role, Counter())[p.status] += 1
    waiting = {p.person_id for p in data.participants if p.role == "mentee" and p.status == "active"}
    matched = {m.mentee_id for m in data.matches if m.status in LIVE_MATCH_STATUSES} & waiting
    durations = days_to_match(data)
    loads = mentor_loads(data)
    spent = round(sum(s.usd for s in data.month_spend), 6)
    return CampaignStats(
        campaign_id=data.campaign_id, now=data.now,
        participants={role: dict(sorted(c.items())) for role, c in sorted(participants.items())},
        statuses={role: dict(sorted(c.items())) for role, c in sorted(statuses.items())},
        waiting_mentees=len(waiting), matched_mentees=len(matched),
        matched_share=len(matched) / len(waiting) if waiting else None,
        median_days_to_match=median(durations) if durations else None,
        mean_days_to_match=mean(durations) if durations else None,
        matches=dict(sorted(Counter(m.status for m in data.matches).items())),
        check_ins=dict(sorted(Counter(m.check_in for m in data.matches if m.check_in).items())),
        wins_amplified=sum(1 for a in data.done if a.kind == "repost"),
        posts_made=dict(sorted(Counter(a.kind for a in data.done).items())),
        load=load_summary(sorted(loads.values())), mentors_counted=len(loads),
        spent_usd=spent, budget_usd=budget_usd,
        projected_usd=round(project_month(spent, data.now, zone), 6),
        month_start=data.month_start)


def _counts(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "none"


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} days"


def render_stats(s: CampaignStats, *, name: str | None = None, note: str = "") -> str:
    """The terminal rendering: a short block per campaign, labels aligned, plain words."""
    share = "-" if s.matched_share is None else f"{s.matched_share:.0%}"
    rows: list[tuple[str, str]] = []
    for role, stages in s.participants.items():
        rows.append((f"{role}s", f"{sum(stages.values())} ({_counts(stages)})"))
        rows.append((f"  by status", _counts(s.statuses.get(role, {}))))
    if not s.participants:
        rows.append(("participants", "none yet"))
    rows += [
        ("matched", f"{s.matched_mentees} of {s.waiting_mentees} active mentees ({share})"),
        ("time to match", f"median {_days(s.median_days_to_match)}, mean {_days(s.mean_days_to_match)}"),
        ("matches", f"{s.active_matches} active, {s.declined_matches} declined"
                    f" (all: {_counts(s.matches)})"),
        ("check-in answers", _counts(s.check_ins)),
        ("wins amplified", str(s.wins_amplified)),
        ("posts made", _counts(s.posts_made)),
        ("mentor load", f"mean {s.load.mean:.2f}, max {s.load.max}, Gini {s.load.gini:.2f}"
                        f" over {s.mentors_counted} mentors"),
        ("API spend", f"${s.spent_usd:.3f} of ${s.budget_usd:.2f} since {s.month_start:%d %b %Y}"
                      f" ({s.spent_usd / s.budget_usd:.0%}; projected ${s.projected_usd:.2f})"
                      if s.budget_usd > 0 else f"${s.spent_usd:.3f} (no budget set)"),
    ]
    width = max(len(label) for label, _ in rows)
    head = f"Campaign {s.campaign_id}" + (f" ({name})" if name else "") + f", as of {s.now:%Y-%m-%d %H:%M} UTC"
    return "\n".join([head + note] + [f"  {label:<{width}}  {value}" for label, value in rows])
