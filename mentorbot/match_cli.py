"""`mentorbot match`: match a cohort from a JSON lines file, offline, the way a round would.

Organizers use it to try a cohort (and a campaign's matching settings) before a round; the
benchmark uses the same path. Input, one JSON object a line::

    {"id": "ana", "role": "mentee", "stage": "student", "specialties": ["cardiology"]}
    {"id": "dr_b", "role": "mentor", "stage": "attending", "specialties": ["cardiology"], "capacity": 2,
     "exclude": ["ana"]}

``stage`` is a stage id of the vocabulary or null; ``specialties`` specialty ids; ``capacity``
(mentors) how many mentees they offer (the campaign's default when left out; the campaign's
``mentees_per_mentor`` caps it); optional ``exclude`` ids never to pair with, ``load`` mentees a
mentor already has, and ``preferred`` stage or specialty ids a mentee asked for (used only when the
campaign allows stated preferences).

A line that cannot be read stops the command before anything is matched, with every problem
listed by line number (up to 20): matching a cohort with people silently left out would give
pairs that differ from the real round's. Output: one line per mentee, in input order,
``{"mentee", "mentor" (null if unmatched), "score" (null if unmatched), "reasons": [...]}``.
"""
from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .config.campaign import load_campaign
from .config.vocabulary import load_vocabulary
from .domain.campaign import Limits, Matching
from .domain.fairness import LoadSummary, load_summary
from .domain.matching import Person, Solution, solve
from .domain.vocabulary import Vocabulary

__all__ = ["DEFAULT_CAMPAIGN", "InputError", "MatchRun", "read_people", "match_lines", "summary", "run_match"]

DEFAULT_CAMPAIGN = Path("config/campaigns/medmentormatch.toml")
MAX_PROBLEMS = 20
#: from this many people on, each phase says on stderr what it did and how long it took
PROGRESS_FROM = 1_000


class InputError(ValueError):
    """The input file has lines that cannot be read; ``problems`` says which and why."""

    def __init__(self, problems: list[str], more: int = 0):
        self.problems, self.more = problems, more
        extra = f"\n... and {more} more problem(s)" if more else ""
        super().__init__("\n".join(problems) + extra)


@dataclass(frozen=True, slots=True)
class MatchRun:
    """What one run did, for the summary lines."""

    mentees: int
    mentors: int
    matched: int
    mean_score: float
    loads: LoadSummary
    seconds_read: float
    seconds_solve: float


def read_people(lines: Iterable[str], vocabulary: Vocabulary, limits: Limits) -> tuple[list[Person], list[Person]]:
    """The mentees and mentors of a JSON lines cohort, in input order; ``InputError`` if any line is bad."""
    stages, specialties = set(vocabulary.stage_ids), set(vocabulary.specialty_ids)
    mentees: list[Person] = []
    mentors: list[Person] = []
    seen: dict[str, int] = {}
    problems: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            problems.append(f"line {number}: not JSON ({exc.msg})")
            continue
        try:
            person = _person(item, stages, specialties, limits)
        except ValueError as exc:
            problems.append(f"line {number}: {exc}")
            continue
        if person.id in seen:
            problems.append(f"line {number}: id {person.id!r} already used on line {seen[person.id]}")
            continue
        seen[person.id] = number
        (mentees if person.role == "mentee" else mentors).append(person)
    if problems:
        raise InputError(problems[:MAX_PROBLEMS], max(0, len(problems) - MAX_PROBLEMS))
    return mentees, mentors


def _person(item: Any, stages: set[str], specialties: set[str], limits: Limits) -> Person:
    if not isinstance(item, dict):
        raise ValueError('expected a JSON object like {"id": "ana", "role": "mentee", "stage": "student", '
                         '"specialties": ["cardiology"]}')
    ident = _id(item.get("id"), "id")
    role = item.get("role")
    if role not in ("mentor", "mentee"):
        raise ValueError(f'"role" must be "mentor" or "mentee", not {json.dumps(role)}')
    stage = item.get("stage")
    if stage is not None and stage not in stages:
        raise ValueError(f'"stage" {json.dumps(stage)} is not a stage id; use one of {", ".join(sorted(stages))} '
                         "or null")
    wanted = _list(item, "specialties")
    unknown = [s for s in wanted if s not in specialties]
    if unknown:
        raise ValueError(f'unknown specialty id(s) {", ".join(map(json.dumps, unknown))} '
                         "(ids of the vocabulary, e.g. \"internal_medicine\")")
    exclude = frozenset(_id(x, "exclude") for x in _list(item, "exclude"))
    preferred = frozenset(str(x) for x in _list(item, "preferred"))
    capacity, load = 0, 0
    if role == "mentor":
        offered = item.get("capacity")
        if offered is not None and (type(offered) is not int or offered < 0):
            raise ValueError(f'"capacity" must be a whole number from 0, not {json.dumps(offered)}')
        capacity = limits.capacity(offered)
        load = item.get("load", 0)
        if type(load) is not int or load < 0:
            raise ValueError(f'"load" must be a whole number from 0, not {json.dumps(load)}')
    return Person(id=ident, role=role, stage=stage, specialties=tuple(dict.fromkeys(wanted)),
                  capacity=capacity, load=load, exclude=exclude, preferred=preferred)


def _id(value: Any, field: str) -> str:
    if type(value) is int or (isinstance(value, str) and value.strip()):
        return str(value)
    raise ValueError(f'"{field}" must hold non-empty strings or whole numbers, not {json.dumps(value)}')


def _list(item: dict, field: str) -> list:
    value = item.get(field)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f'"{field}" must be a list, not {json.dumps(value)}')
    return value


def match_lines(source: Iterable[str], sink: TextIO, *, campaign_path: str | Path | None = None,
                progress: Callable[[str], None] = lambda line: None) -> MatchRun:
    """Match the cohort in ``source`` and write one line per mentee to ``sink``.

    ``campaign_path`` None: the example campaign when it is there, else the built-in defaults.
    ``progress`` receives one line per phase for large cohorts.
    """
    vocabulary = load_vocabulary()
    path = Path(campaign_path) if campaign_path else DEFAULT_CAMPAIGN
    if campaign_path or path.is_file():
        campaign = load_campaign(path, vocabulary)
        matching, limits, allow_preference = campaign.matching, campaign.limits, campaign.allow_stated_preference
    else:
        progress(f"no campaign file (looked for {path}): using the built-in matching defaults")
        matching, limits, allow_preference = Matching(), Limits(), False

    started = time.perf_counter()
    mentees, mentors = read_people(source, vocabulary, limits)
    read = time.perf_counter() - started
    large = len(mentees) + len(mentors) >= PROGRESS_FROM
    if large:
        progress(f"read {len(mentees):,} mentees and {len(mentors):,} mentors in {read:.2f} s; solving...")
    started = time.perf_counter()
    solution = solve(mentees, mentors, vocabulary=vocabulary, matching=matching,
                     max_load=limits.mentees_per_mentor, allow_preference=allow_preference)
    solved = time.perf_counter() - started
    if large:
        progress(f"solved in {solved:.2f} s (one min-cost flow over the whole cohort)")
    _write(solution, mentees, sink)
    scores = [p.score for p in solution.pairs]
    return MatchRun(mentees=len(mentees), mentors=len(mentors), matched=len(scores),
                    mean_score=sum(scores) / len(scores) if scores else 0.0,
                    loads=load_summary([solution.loads[m.id] for m in mentors]),
                    seconds_read=read, seconds_solve=solved)


def _write(solution: Solution, mentees: list[Person], sink: TextIO) -> None:
    by_mentee = {p.mentee: p for p in solution.pairs}
    for mentee in mentees:
        pair = by_mentee.get(mentee.id)
        line = ({"mentee": mentee.id, "mentor": None, "score": None, "reasons": []} if pair is None else
                {"mentee": mentee.id, "mentor": pair.mentor, "score": round(pair.score, 3),
                 "reasons": list(pair.reasons)})
        sink.write(json.dumps(line, ensure_ascii=False) + "\n")


def summary(run: MatchRun) -> str:
    """The stderr summary: matched share, mean score, mentor loads."""
    share = run.matched / run.mentees if run.mentees else 0.0
    return (f"matched {run.matched:,} of {run.mentees:,} mentees ({share:.1%}); mean score {run.mean_score:.2f}; "
            f"mentor load mean {run.loads.mean:.2f}, max {run.loads.max}, Gini {run.loads.gini:.3f} "
            f"({run.mentors:,} mentors)")


def run_match(input_path: str, campaign_path: str | None, output_path: str | None) -> None:
    """The `mentorbot match` command: read, solve, write, and say what was done on stderr."""
    import sys

    import click

    from .errors import ConfigError

    def progress(line: str) -> None:
        click.echo(line, err=True)

    out_name = output_path or "stdout"
    try:
        with click.open_file(input_path, encoding="utf-8") as source:
            if output_path:  # the file is written only once the cohort is matched
                buffer = io.StringIO()
                run = match_lines(source, buffer, campaign_path=campaign_path, progress=progress)
                Path(output_path).write_text(buffer.getvalue(), encoding="utf-8")
            else:
                run = match_lines(source, sys.stdout, campaign_path=campaign_path, progress=progress)
                sys.stdout.flush()
    except InputError as exc:
        raise click.ClickException(f"{input_path}: nothing matched, fix these lines first:\n{exc}") from exc
    except (ConfigError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    progress(summary(run))
    progress(f"Matched {run.matched:,} of {run.mentees:,} mentee(s) with {run.mentors:,} mentor(s) "
             f"in {run.seconds_solve:.2f} s; wrote {run.mentees:,} line(s) to {out_name}.")
