"""A matching round, as pure steps: who can be matched, and the posts that introduce and check in.

The service (:mod:`mentorbot.services.rounds`) reads the participants and matches, calls
:func:`cohort`, solves it with :func:`mentorbot.domain.matching.solve`, stores the matches and
plans what :func:`introduction` and :func:`check_in` return. Only people who joined (consent)
and are active are ever in a cohort, so an introduction only mentions people who opted in.
"""
from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable

from .campaign import Campaign
from .matchscore import Person
from .records import Action, Match, Participant
from .templates import ANY_SPECIALTY, UNKNOWN_STAGE, at, render
from .vocabulary import Vocabulary

__all__ = ["OPEN", "Cohort", "cohort", "introduction", "check_in", "intro_key", "check_in_key", "pair_post_keys",
           "pair_ended_reason", "cancelled_because_pair_ended",
           "match_id_from_key", "pair_specialty"]

OPEN = ("proposed", "active")  # statuses that hold a mentor's seat
_INTRO, _CHECK_IN = "intro:", "checkin:"


@dataclass(frozen=True, slots=True)
class Cohort:
    mentees: tuple[Person, ...]
    mentors: tuple[Person, ...]
    waiting: int  # active mentees without an open match


def intro_key(match_id: int) -> str:
    return f"{_INTRO}{match_id}"


def check_in_key(match_id: int) -> str:
    return f"{_CHECK_IN}{match_id}"


def pair_post_keys(match_id: int) -> tuple[str, str]:
    """The outbox keys of the posts that name a pair: to cancel when the pair ends."""
    return intro_key(match_id), check_in_key(match_id)


_PAIR_ENDED = "match "


def pair_ended_reason(status: str, by: str | None = None) -> str:
    """Why a pair's pending posts were cancelled when the pair itself ended ("match declined")."""
    return f"{_PAIR_ENDED}{status}" + (f" by {by}" if by else "")


def cancelled_because_pair_ended(reason: str | None) -> bool:
    """Was a post cancelled because its pair ended (not because someone paused or left)?"""
    return (reason or "").startswith(_PAIR_ENDED)


def match_id_from_key(key: str) -> int | None:
    """The match id in an introduction's or check-in's outbox key, else None."""
    for prefix in (_INTRO, _CHECK_IN):
        if key.startswith(prefix) and key[len(prefix):].isdigit():
            return int(key[len(prefix):])
    return None


def cohort(participants: Iterable[Participant], matches: Iterable[Match], campaign: Campaign,
           preferred: Callable[[str], frozenset[str]] | None = None,
           never_introduced: frozenset[int] = frozenset()) -> Cohort:
    """The round's input: active mentees without an open match, active mentors with their load.

    Every earlier pair (declined, ended or completed) is excluded both ways: a mentee is never
    introduced twice to the same mentor. Pairs in ``never_introduced`` (released because someone
    paused or left before the introduction went out) are not history: they may meet later.
    ``preferred`` reads a stated preference into vocabulary ids; it is used only when the
    campaign allows stated preferences.
    """
    matches = list(matches)
    load = Counter(m.mentor_id for m in matches if m.status in OPEN)
    busy = {m.mentee_id for m in matches if m.status in OPEN}
    history: dict[str, set[str]] = {}
    for m in matches:
        if m.id in never_introduced:
            continue
        history.setdefault(m.mentee_id, set()).add(m.mentor_id)
        history.setdefault(m.mentor_id, set()).add(m.mentee_id)
    mentees, mentors = [], []
    for p in participants:
        if p.status != "active":
            continue
        exclude = frozenset(history.get(p.person_id, ()))
        if p.role == "mentee" and p.person_id not in busy:
            wants = (preferred(p.preference) if preferred and p.preference and campaign.allow_stated_preference
                     else frozenset())
            mentees.append(Person(id=p.person_id, role="mentee", stage=p.stage, specialties=p.specialties,
                                  exclude=exclude, preferred=wants, waiting_since=p.joined_at.timestamp()))
        elif p.role == "mentor":
            mentors.append(Person(id=p.person_id, role="mentor", stage=p.stage, specialties=p.specialties,
                                  capacity=campaign.limits.capacity(p.capacity), load=load[p.person_id],
                                  exclude=exclude))
    return Cohort(tuple(mentees), tuple(mentors), len(mentees))


def pair_specialty(mentee: Participant, mentor: Participant, vocabulary: Vocabulary) -> str:
    """The specialty an introduction names: a shared one, else the mentee's, else the mentor's."""
    shared = [s for s in mentee.specialties if s in mentor.specialties]
    for options in (shared, list(mentee.specialties), list(mentor.specialties)):
        if options:
            return vocabulary.label(options[0])
    return ANY_SPECIALTY


def _stage(p: Participant, vocabulary: Vocabulary) -> str:
    return vocabulary.stage(p.stage).label if p.stage else UNKNOWN_STAGE


def introduction(match: Match, mentee: Participant, mentor: Participant, *, campaign: Campaign,
                 vocabulary: Vocabulary, now: datetime) -> Action:
    """The one original post that introduces a pair (it mentions both, who both opted in)."""
    assert match.id is not None
    variants = campaign.templates.variants("introduction")
    text = render(variants[zlib.crc32(str(match.id).encode()) % len(variants)],
                  hashtag=campaign.primary_hashtag, bot="@" + campaign.bot_handle,
                  mentee=at(mentee.handle), mentor=at(mentor.handle),
                  mentee_stage=_stage(mentee, vocabulary), mentor_stage=_stage(mentor, vocabulary),
                  specialty=pair_specialty(mentee, mentor, vocabulary))
    return Action(key=intro_key(match.id), campaign_id=campaign.id, kind="post", text=text,
                  person_ids=(mentee.person_id, mentor.person_id), not_before=now, created_at=now)


def check_in(match: Match, mentee: Participant, mentor: Participant, *, campaign: Campaign,
             now: datetime) -> Action:
    """The follow-up, threaded under the introduction so that answers arrive in context."""
    assert match.id is not None
    variants = campaign.templates.variants("check_in")
    text = render(variants[zlib.crc32(str(match.id).encode()) % len(variants)],
                  hashtag=campaign.primary_hashtag, bot="@" + campaign.bot_handle,
                  mentee=at(mentee.handle), mentor=at(mentor.handle))
    return Action(key=check_in_key(match.id), campaign_id=campaign.id, kind="post", text=text,
                  person_ids=(mentee.person_id, mentor.person_id), not_before=now, created_at=now,
                  thread_key=intro_key(match.id))
