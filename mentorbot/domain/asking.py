"""Asking before acting on a guess, and acting on the answer as the question meant it.

The learned reading of intent (intentmodel.py) marks what it reads ``guessed``. Where acting on
a guess would change someone's consent or a match, the bot asks instead, in its one reply to the
post ("Did I read that right? ... Reply STOP to confirm"), and records what it read in an
``asked`` event (the post, the intent, role, stage, specialties, capacity, pause date and the
match in question). When the person answers the question with the exact words, the answer is
read together with that record: "SIGN ME UP" keeps the "geriatrician, 1 mentee" of the post it
confirms, "NEW MENTOR" ends the match the question was about. Pure.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple, Sequence

from .classify import Classification
from .records import ROLES, Event, Participant
from .templates import CONFIRM_FIRST, confirm_command
from .vocabulary import STAGE_IDS

__all__ = ["QUESTION_EVENT", "QUESTION_DAYS", "NO_CHANGE", "question_about", "command", "record", "answered",
           "Unanswered", "unanswered", "open_until"]

#: The event that records a question and what the bot read in the post it asks about.
QUESTION_EVENT = "asked"
#: An answer older than this confirms nothing the question read (a pause date long past...):
#: the words of the answer alone count.
QUESTION_DAYS = 7
NO_CHANGE = ""  # question_about: asking could change nothing


def question_about(cls: Classification, p: Participant | None, *, open_matches: int,
                   match_known: bool = True) -> str | None:
    """The intent to ask about before acting on a guessed ``cls``; ``NO_CHANGE`` ("") when
    acting could change nothing (a stop from someone who has left, a pause while paused...), so
    neither a question nor an action is due; None when the bot may act on the guess at once (a
    HELP or STATUS reply, a correction the person made in reply to their confirmation, a check-in
    answer that ends nothing). A guessed win is neither: it is only noted (see registration)."""
    intent = cls.intent
    if intent == "checkin":
        if cls.checkin != "not_a_fit":
            return None
        intent = "decline"  # "not a fit" ends the pair
    if intent not in CONFIRM_FIRST:
        return None
    status = p.status if p is not None else None
    unchanged = {
        "join": status is not None and status != "left",
        "stop": status == "left",
        "pause": status in ("paused", "left"),
        "resume": status not in ("paused",),
        "decline": open_matches == 0 or not match_known,  # "NEW MENTOR" could end no clear pair
        "capacity": p is None or p.role != "mentor" or cls.capacity is None or cls.capacity == p.capacity,
        "no_shoutouts": p is None or not p.shout_outs,
        "delete": False,
    }
    return NO_CHANGE if unchanged[intent] else intent


def command(intent: str, cls: Classification) -> str:
    """The exact words that confirm the question, with the number or date the bot read."""
    return confirm_command(intent, capacity=cls.capacity, until=cls.pause_until)


def record(intent: str, cls: Classification, post_id: str, match_id: int | None) -> dict[str, Any]:
    """The ``asked`` event's data: enough to act on the answer as the question meant it."""
    return {"source": post_id, "intent": intent, "role": cls.role, "stage": cls.stage,
            "specialties": list(cls.specialties), "capacity": cls.capacity,
            "until": cls.pause_until.isoformat() if cls.pause_until else None, "match": match_id}


def answered(cls: Classification, question: Any) -> tuple[Classification, int | None]:
    """``cls`` completed from the question it answers, and the match that question was about.

    Only an answer that confirms what was asked takes anything from it ("STOP" to "did you mean
    to leave?"), and only what that intent uses: a join its role and, for the same role, stage,
    specialties and capacity; a pause its date; a capacity its number; a decline its match. A
    STOP or DELETE takes nothing. The answer's own words win ("sign me up as a mentor"). A record
    that is not what :func:`record` writes (an older database, a hand edit) gives nothing."""
    if not isinstance(question, dict) or cls.intent != question.get("intent"):
        return cls, None
    changes: dict[str, Any] = {}
    if cls.intent == "join":
        role = question.get("role")
        explicit = any(line.startswith(f"role:{cls.role}<-'") for line in cls.evidence)
        if role in ROLES and not explicit:
            changes["role"] = role
        if changes.get("role", cls.role) == role:  # what the post said of a mentor fits a mentor
            stage = question.get("stage")
            if cls.stage is None and stage in STAGE_IDS:
                changes["stage"] = stage
            specialties = question.get("specialties")
            if not cls.specialties and isinstance(specialties, list) \
                    and all(isinstance(s, str) for s in specialties):
                changes["specialties"] = tuple(sorted(specialties))
            if cls.capacity is None and _count(question.get("capacity")) is not None:
                changes["capacity"] = _count(question.get("capacity"))
    elif cls.intent == "capacity" and cls.capacity is None:
        if _count(question.get("capacity")) is not None:
            changes["capacity"] = _count(question.get("capacity"))
    elif cls.intent == "pause" and cls.pause_until is None:
        until = _day(question.get("until"))
        if until is not None:
            changes["pause_until"] = until
    if changes:
        cls = replace(cls, evidence=(*cls.evidence, f"from_question:{question.get('source')}"), **changes)
    match = question.get("match") if cls.intent == "decline" else None
    return cls, match if type(match) is int else None


class Unanswered(NamedTuple):
    """A person's last question, with nothing of theirs after it."""

    asked: Event
    words: str  # the exact reply that confirms it ("SIGN ME UP", "CAPACITY 3")
    until: datetime  # QUESTION_DAYS on: after it, an answer counts for its own words only


def unanswered(events: Sequence[Event]) -> Unanswered | None:
    """The question a person has not answered, from their events (oldest first): the last one,
    when it is a question; an answer, or anything else they did since, closes it."""
    if not events or events[-1].kind != QUESTION_EVENT:
        return None
    asked = events[-1]
    intent = asked.data.get("intent")
    if intent not in CONFIRM_FIRST:
        return None
    words = confirm_command(intent, capacity=_count(asked.data.get("capacity")), until=_day(asked.data.get("until")))
    return Unanswered(asked, words, open_until(asked))


def open_until(asked: Event) -> datetime:
    """Until when an answer to the question ``asked`` records also takes what it read."""
    return asked.at + timedelta(days=QUESTION_DAYS)


def _count(value: Any) -> int | None:
    return value if type(value) is int and 0 <= value <= 99 else None


def _day(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
