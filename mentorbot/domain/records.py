"""The stored things services plan and read: participants, outbox actions, matches, events.

Pure values (frozen, slotted, keyword-only because they have many fields). The Store port
persists them; datetimes are always timezone-aware UTC. Each record checks its enumerated
fields on construction, so a typo in a status fails where it is made, not in a report later.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Mapping

__all__ = [
    "Participant", "Action", "Match", "Event",
    "ROLES", "PARTICIPANT_STATUSES", "ACTION_KINDS", "ACTION_STATUSES", "MATCH_STATUSES",
    "TERMINAL_ACTION_STATUSES",
]

Role = Literal["mentor", "mentee"]
ParticipantStatus = Literal["active", "paused", "left", "pending", "blocked"]
ActionKind = Literal["reply", "post", "repost", "undo_repost", "delete"]
ActionStatus = Literal["planned", "sending", "done", "failed", "refused", "cancelled"]
MatchStatus = Literal["proposed", "active", "declined", "ended", "completed"]

ROLES: tuple[str, ...] = ("mentor", "mentee")
PARTICIPANT_STATUSES: tuple[str, ...] = ("active", "paused", "left", "pending", "blocked")
ACTION_KINDS: tuple[str, ...] = ("reply", "post", "repost", "undo_repost", "delete")
ACTION_STATUSES: tuple[str, ...] = ("planned", "sending", "done", "failed", "refused", "cancelled")
# Once here an action never moves again: the outbox only ever sends "planned" ones.
TERMINAL_ACTION_STATUSES: frozenset[str] = frozenset({"done", "failed", "refused", "cancelled"})
MATCH_STATUSES: tuple[str, ...] = ("proposed", "active", "declined", "ended", "completed")


def _check(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")


def _check_aware(name: str, value: datetime | None) -> None:
    if value is not None and value.tzinfo is None:
        raise ValueError(f"{name} must be timezone-aware (UTC)")


@dataclass(frozen=True, slots=True, kw_only=True)
class Participant:
    """A person's registration in one campaign, as a mentor or a mentee."""

    campaign_id: str
    person_id: str
    handle: str
    role: Role
    joined_at: datetime
    consented_at: datetime | None = None
    stage: str | None = None  # a stage id: premed, student, resident, fellow, attending, senior
    specialties: tuple[str, ...] = ()
    capacity: int | None = None  # mentors only: how many mentees they will take
    status: ParticipantStatus = "active"
    paused_until: datetime | None = None
    source_post_id: str | None = None  # the post they joined with
    shout_outs: bool = True  # "no shout-outs" turns off optional mentions
    preference: str | None = None  # self-stated matching preference; never published
    evidence: tuple[str, ...] = ()  # the trigger words the classifier relied on

    def __post_init__(self) -> None:
        _check("role", self.role, ROLES)
        _check("status", self.status, PARTICIPANT_STATUSES)
        for name in ("joined_at", "consented_at", "paused_until"):
            _check_aware(name, getattr(self, name))


@dataclass(frozen=True, slots=True, kw_only=True)
class Action:
    """One write in the outbox, keyed for idempotency (``reply:<post id>``, ...).

    ``person_ids`` lists everyone the action mentions or reposts, so that an opt-out can
    cancel it and a deletion can erase it. ``optional`` actions (reposts, congratulations)
    may be dropped by policy; replies may not. ``thread_key`` names an earlier action whose
    result this post should reply to.
    """

    key: str
    campaign_id: str
    kind: ActionKind
    not_before: datetime
    created_at: datetime
    text: str | None = None
    in_reply_to: str | None = None
    target_post_id: str | None = None
    person_ids: tuple[str, ...] = ()
    optional: bool = False
    status: ActionStatus = "planned"
    attempts: int = 0
    result_id: str | None = None
    error: str | None = None
    retry_at: datetime | None = None
    updated_at: datetime | None = None  # None means "same as created_at"
    thread_key: str | None = None

    def __post_init__(self) -> None:
        _check("kind", self.kind, ACTION_KINDS)
        _check("status", self.status, ACTION_STATUSES)
        for name in ("not_before", "created_at", "retry_at", "updated_at"):
            _check_aware(name, getattr(self, name))


@dataclass(frozen=True, slots=True, kw_only=True)
class Match:
    """A proposed or running mentee-mentor pair; ``id`` is None until stored."""

    campaign_id: str
    mentee_id: str
    mentor_id: str
    proposed_at: datetime
    score: float = 0.0
    reasons: tuple[str, ...] = ()  # the explanation of the score, for organizers
    status: MatchStatus = "proposed"
    updated_at: datetime | None = None  # None means "same as proposed_at"
    check_in: str | None = None  # the answer to the check-in, when there is one
    id: int | None = None

    def __post_init__(self) -> None:
        _check("status", self.status, MATCH_STATUSES)
        _check_aware("proposed_at", self.proposed_at)
        _check_aware("updated_at", self.updated_at)


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """One line of the audit trail. Ids only: no handles, names, bios or post text."""

    kind: str
    at: datetime
    campaign_id: str | None = None
    subject_id: str | None = None  # the person the event is about
    source_post_id: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    id: int | None = None

    def __post_init__(self) -> None:
        _check_aware("at", self.at)
