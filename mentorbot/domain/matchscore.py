"""Who may be paired with whom, and how well they fit: the values and the score of one pair.

Pure. :mod:`mentorbot.domain.matching` solves a whole round with these rules; :func:`score_pair`
recomputes the score and its explanation for any single pair (for example a stored match).

Hard constraints (a pair that breaks one gets no score at all):

- both stages known and the mentor at least ``min_stage_gap`` ranks above the mentee; a mentee who
  did not state a stage may be paired only with attendings and more senior mentors (seniority then
  scores 0), and a mentor without a stated stage is never paired;
- neither person lists the other in ``exclude`` (declined, ended badly, blocked).

The score, with the campaign's weights (:class:`~mentorbot.domain.campaign.MatchingWeights`):

- ``shared_specialty`` for each specialty both have, counting at most two;
- ``adjacent_specialty`` once, when one of the mentee's specialties that the mentor does not have is
  adjacent (:meth:`Vocabulary.adjacent`) to one the mentor has;
- ``seniority`` x ``max(0, 1 - |gap - ideal| / max(1, ideal))``;
- ``preference`` x the share of the mentee's own stated preferences (specialty or stage ids) that
  the mentor has, only when the campaign allows stated preferences.

Every part is kept in whole thousandths of a point (:func:`in_thousandths`) and the score is their
sum, so the integer score the solver optimises is exactly the sum of the parts' integers: the
solver may price parts separately (stage part on one arc, specialty part on another) and still
optimise exactly the score shown.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .campaign import Matching
from .vocabulary import Vocabulary

__all__ = [
    "MILLI",
    "UNKNOWN_STAGE_FLOOR",
    "Person",
    "ScorePart",
    "Pair",
    "stage_allowed",
    "seniority_points",
    "preference_points",
    "score_pair",
    "milli",
    "in_thousandths",
]

#: Scores are compared as integers in thousandths of a point (the flow solver needs integers).
MILLI = 1000

#: A mentee without a stated stage may only be paired with mentors at this stage or above.
UNKNOWN_STAGE_FLOOR = "attending"

Role = Literal["mentor", "mentee"]
PartKind = Literal["shared_specialty", "adjacent_specialty", "seniority", "preference"]


@dataclass(frozen=True, slots=True)
class Person:
    """One participant as the solver sees them (ids only, nothing published).

    ``capacity`` is the total number of mentees a mentor offers and ``load`` how many they have
    now. ``exclude`` holds ids never to pair with (either side's list forbids the pair);
    ``preferred`` the specialty or stage ids a mentee asked for in their own words.
    """

    id: str
    role: Role
    stage: str | None
    specialties: tuple[str, ...] = ()
    capacity: int = 0
    load: int = 0
    exclude: frozenset[str] = frozenset()
    preferred: frozenset[str] = frozenset()
    #: When a mentee started waiting (any comparable number, e.g. a timestamp): among mentees the
    #: solver cannot tell apart, those waiting longest get the seats, so no one is left out
    #: round after round just for their id.
    waiting_since: float = 0.0


@dataclass(frozen=True, slots=True)
class ScorePart:
    """One reason a pair fits, with its points and the words it rests on (vocabulary labels)."""

    kind: PartKind
    points: float
    words: tuple[str, ...]
    note: str = ""  # seniority: "gap 2 (ideal 2)"

    @property
    def reason(self) -> str:
        """One human line, e.g. ``shared specialty: cardiology (+3.0)``."""
        words = [w.lower() for w in self.words]
        if self.kind == "shared_specialty":
            head = "shared specialty" if len(words) == 1 else "shared specialties"
            text = f"{head}: {', '.join(words)}"
        elif self.kind == "adjacent_specialty":
            text = f"adjacent: {words[0]} ~ {words[1]}"
        elif self.kind == "seniority":
            head = f"stage {self.note}" if self.note else "stage"
            text = f"{head}: {words[0]} -> {words[1]}"
        else:
            text = f"stated preference: {', '.join(words)}"
        return f"{text} ({self.points:+.1f})"


@dataclass(frozen=True, slots=True)
class Pair:
    """A mentee paired with a mentor, the score and the parts it is made of."""

    mentee: str
    mentor: str
    score: float
    parts: tuple[ScorePart, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """The parts as human lines, in a fixed order (specialties, seniority, preference)."""
        return tuple(part.reason for part in self.parts)


def stage_allowed(mentee_stage: str | None, mentor_stage: str | None, *, vocabulary: Vocabulary,
                  min_stage_gap: int) -> bool:
    """The seniority rule: may a mentor at ``mentor_stage`` mentor a mentee at ``mentee_stage``?"""
    if mentor_stage is None:
        return False
    if mentee_stage is None:
        return vocabulary.rank(mentor_stage) >= vocabulary.rank(UNKNOWN_STAGE_FLOOR)
    return vocabulary.stage_gap(mentor_stage, mentee_stage) >= min_stage_gap


def seniority_points(mentee_stage: str | None, mentor_stage: str, *, vocabulary: Vocabulary,
                     matching: Matching) -> float:
    """Points for how close the stage gap is to the ideal one (0 for a mentee without a stage)."""
    if mentee_stage is None:
        return 0.0
    gap = vocabulary.stage_gap(mentor_stage, mentee_stage)
    ideal = matching.ideal_stage_gap
    return matching.weights.seniority * max(0.0, 1.0 - abs(gap - ideal) / max(1, ideal))


def preference_points(weight: float, matched: int, stated: int) -> float:
    """Points for meeting ``matched`` of a mentee's ``stated`` preferences."""
    return weight * matched / stated if stated else 0.0


def milli(points: float) -> int:
    """Points as integer thousandths, the unit the solver optimises in."""
    return round(points * MILLI)


def in_thousandths(points: float) -> float:
    """``points`` rounded to whole thousandths (``milli(in_thousandths(x)) == milli(x)``)."""
    return milli(points) / MILLI


def score_pair(mentee: Person, mentor: Person, *, vocabulary: Vocabulary, matching: Matching,
               allow_preference: bool) -> Pair | None:
    """The pair's score and explanation, or None when a hard constraint forbids it.

    Capacity is not checked here: it belongs to a whole round (see :func:`matching.solve`).
    """
    if not stage_allowed(mentee.stage, mentor.stage, vocabulary=vocabulary,
                         min_stage_gap=matching.min_stage_gap):
        return None
    if mentor.id in mentee.exclude or mentee.id in mentor.exclude:
        return None
    assert mentor.stage is not None  # stage_allowed refuses a mentor without one
    weights = matching.weights
    parts: list[ScorePart] = []
    mine, theirs = set(mentee.specialties), set(mentor.specialties)
    shared = sorted(mine & theirs)[:2]
    if shared and weights.shared_specialty:
        parts.append(ScorePart("shared_specialty", in_thousandths(weights.shared_specialty * len(shared)),
                               tuple(vocabulary.label(s) for s in shared)))
    near = _adjacent_pair(sorted(mine - theirs), sorted(theirs), vocabulary)
    if near is not None and weights.adjacent_specialty:
        parts.append(ScorePart("adjacent_specialty", in_thousandths(weights.adjacent_specialty),
                               (vocabulary.label(near[0]), vocabulary.label(near[1]))))
    stage_words = (_stage_label(mentee.stage, vocabulary), _stage_label(mentor.stage, vocabulary))
    note = ("" if mentee.stage is None else
            f"gap {vocabulary.stage_gap(mentor.stage, mentee.stage)} (ideal {matching.ideal_stage_gap})")
    parts.append(ScorePart("seniority", in_thousandths(seniority_points(
        mentee.stage, mentor.stage, vocabulary=vocabulary, matching=matching)), stage_words, note))
    if allow_preference and mentee.preferred:
        met = sorted(p for p in mentee.preferred if p in theirs or p == mentor.stage)
        points = preference_points(weights.preference, len(met), len(mentee.preferred))
        if met and points:
            parts.append(ScorePart("preference", in_thousandths(points),
                                   tuple(_any_label(p, vocabulary) for p in met)))
    return Pair(mentee=mentee.id, mentor=mentor.id, score=sum(milli(p.points) for p in parts) / MILLI,
                parts=tuple(parts))


def _adjacent_pair(mine: list[str], theirs: list[str], vocabulary: Vocabulary) -> tuple[str, str] | None:
    """The first (mentee specialty, mentor specialty) pair that is adjacent, in id order."""
    for a in mine:
        for b in theirs:
            if vocabulary.adjacent(a, b):
                return a, b
    return None


def _stage_label(stage: str | None, vocabulary: Vocabulary) -> str:
    return "stage not stated" if stage is None else vocabulary.stage(stage).label


def _any_label(item: str, vocabulary: Vocabulary) -> str:
    """The label of a stage or specialty id (an id the vocabulary does not know stays as it is)."""
    if item in vocabulary.stage_ids:
        return vocabulary.stage(item).label
    try:
        return vocabulary.label(item)
    except KeyError:
        return item
