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
from datetime import date
from typing import Any

from .classify import Classification
from .records import Participant
from .templates import CONFIRM_FIRST, confirm_command

__all__ = ["QUESTION_EVENT", "NO_CHANGE", "question_about", "command", "record", "answered"]

#: The event that records a question and what the bot read in the post it asks about.
QUESTION_EVENT = "asked"
NO_CHANGE = ""  # question_about: asking could change nothing


def question_about(cls: Classification, p: Participant | None, *, open_matches: int) -> str | None:
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
        "decline": open_matches == 0,
        "capacity": p is None or p.role != "mentor",
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


def answered(cls: Classification, question: dict[str, Any] | None) -> tuple[Classification, int | None]:
    """``cls`` completed from the question it answers, and the match that question was about.

    Only an answer that confirms what was asked takes anything from it ("STOP" to "did you mean
    to leave?"); the answer's own words win where it has them ("sign me up as a mentor")."""
    if not question or cls.intent != question.get("intent"):
        return cls, None
    explicit_role = any(line.startswith(f"role:{cls.role}<-'") for line in cls.evidence)
    until = question.get("until")
    merged = replace(
        cls,
        role=cls.role if explicit_role or not question.get("role") else question["role"],
        stage=cls.stage or question.get("stage"),
        specialties=cls.specialties or tuple(sorted(question.get("specialties") or ())),
        capacity=cls.capacity if cls.capacity is not None else question.get("capacity"),
        pause_until=cls.pause_until or (date.fromisoformat(until) if until else None))
    match = question.get("match")
    return merged, match if isinstance(match, int) else None
