"""A scenario: the people of a simulated community and what they post when, as plain data.

The runner creates the personas as sandbox accounts and posts each beat at its time on the
virtual clock. The truth fields (``stage``, ``specialties``, ``capacity``, ``expect``) are never
shown to the bot; they are there to check what it understood.

Files are JSON, one persona or beat per line so that a scenario reads (and diffs) like a script.
:func:`load_scenario` checks everything the runner relies on and raises
:class:`~mentorbot.errors.ConfigError` naming the key and the fix.
"""
from __future__ import annotations

import json
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .checks import (BEAT_KINDS, HANDLE_PATTERN, INTENTS, LANGS, PERSONA_KINDS, REPLY_TARGETS, scenario_problems,
                     surely_fits)

__all__ = [
    "Persona",
    "Beat",
    "Scenario",
    "PERSONA_KINDS",
    "BEAT_KINDS",
    "INTENTS",
    "LANGS",
    "REPLY_TARGETS",
    "HANDLE_PATTERN",
    "load_scenario",
    "save_scenario",
    "scenario_problems",
    "surely_fits",
]

FORMAT = "mentorbot-scenario"
VERSION = 1


@dataclass(frozen=True, slots=True)
class Persona:
    """One account in the community; ``stage``, ``specialties`` and ``capacity`` are the truth."""

    handle: str  # X username rules: 1-15 of [A-Za-z0-9_]
    name: str
    bio: str
    kind: str  # one of PERSONA_KINDS
    stage: str | None
    specialties: tuple[str, ...]  # canonical specialty ids
    protected: bool = False
    lang: str = "en"
    capacity: int | None = None  # mentors: how many mentees they first offer (None: unsaid)


@dataclass(frozen=True, slots=True)
class Beat:
    """One thing a persona does at a moment: a post, a reply, or deleting an earlier post."""

    id: str
    at: datetime  # aware UTC
    handle: str
    kind: str  # one of BEAT_KINDS
    text: str  # "" for delete_post
    reply_to: str | None = None  # None, one of REPLY_TARGETS, or "beat:<id>" of an earlier beat
    target: str | None = None  # delete_post: the id of the beat whose post is deleted
    expect: str | None = None  # one of INTENTS; None for delete_post


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole community and its script, beats sorted by ``(at, id)``."""

    seed: int | None
    start: datetime
    weeks: int
    bot_handle: str
    hashtag: str  # without "#"
    personas: tuple[Persona, ...]
    beats: tuple[Beat, ...]
    _by_handle: dict[str, Persona] = field(init=False, repr=False, compare=False)
    _by_id: dict[str, Beat] = field(init=False, repr=False, compare=False)
    _times: list[datetime] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_handle", {p.handle.casefold(): p for p in self.personas})
        object.__setattr__(self, "_by_id", {b.id: b for b in self.beats})
        object.__setattr__(self, "_times", [b.at for b in self.beats])

    @property
    def end(self) -> datetime:
        return self.start + timedelta(weeks=self.weeks)

    def persona(self, handle: str) -> Persona:
        """The persona with this handle (any capitalisation, "@" allowed); ``KeyError`` if none."""
        return self._by_handle[handle.lstrip("@").casefold()]

    def between(self, start: datetime, end: datetime) -> tuple[Beat, ...]:
        """The beats with ``start <= at < end``, in order."""
        return self.beats[bisect_left(self._times, start):bisect_left(self._times, end)]

    def beat(self, beat_id: str) -> Beat:
        """The beat with this id; ``KeyError`` if none."""
        return self._by_id[beat_id]


# -- JSON -------------------------------------------------------------------------------------

def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _persona_json(p: Persona) -> dict[str, Any]:
    out: dict[str, Any] = {"handle": p.handle, "kind": p.kind, "stage": p.stage,
                           "specialties": list(p.specialties), "lang": p.lang}
    if p.capacity is not None:
        out["capacity"] = p.capacity
    if p.protected:
        out["protected"] = True
    out.update(name=p.name, bio=p.bio)
    return out


def _beat_json(b: Beat) -> dict[str, Any]:
    out: dict[str, Any] = {"id": b.id, "at": _iso(b.at), "handle": b.handle, "kind": b.kind}
    for key in ("reply_to", "target", "expect"):
        if getattr(b, key) is not None:
            out[key] = getattr(b, key)
    out["text"] = b.text
    return out


def save_scenario(scenario: Scenario, path: str | Path) -> None:
    """Write ``scenario`` as JSON: stable key order, UTF-8, one persona or beat per line."""
    dump = lambda value: json.dumps(value, ensure_ascii=False)  # noqa: E731
    head = {"format": FORMAT, "version": VERSION, "seed": scenario.seed, "start": _iso(scenario.start),
            "weeks": scenario.weeks, "bot_handle": scenario.bot_handle, "hashtag": scenario.hashtag}
    lines = ["{"] + [f"  {dump(k)}: {dump(v)}," for k, v in head.items()]
    for name, rows in (("personas", [_persona_json(p) for p in scenario.personas]),
                       ("beats", [_beat_json(b) for b in scenario.beats])):
        lines.append(f'  "{name}": [')
        lines += [f"    {dump(row)}{',' if j < len(rows) - 1 else ''}" for j, row in enumerate(rows)]
        lines.append("  ]," if name == "personas" else "  ]")
    lines.append("}")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


class _Reader:
    """Reads typed values out of parsed JSON; every mistake is a ConfigError with key and fix."""

    def __init__(self, file: str):
        self.file = file

    def fail(self, key: str, problem: str, fix: str) -> ConfigError:
        return ConfigError(self.file, key, problem, fix)

    def get(self, obj: dict[str, Any], key: str, where: str, kinds: tuple[type, ...], *,
            default: Any = ..., example: str) -> Any:
        full = f"{where}.{key}" if where else key
        if key not in obj:
            if default is ...:
                raise self.fail(full, "this key is missing", f"add it, e.g. {example}")
            return default
        value = obj[key]
        if value is None and type(None) in kinds:
            return None
        if isinstance(value, bool) and bool not in kinds:
            raise self.fail(full, f"expected {_names(kinds)}, found {json.dumps(value)}", f"write e.g. {example}")
        if not isinstance(value, tuple(k for k in kinds if k is not type(None))):
            raise self.fail(full, f"expected {_names(kinds)}, found {json.dumps(value, ensure_ascii=False)[:40]}",
                            f"write e.g. {example}")
        return value

    def moment(self, obj: dict[str, Any], key: str, where: str) -> datetime:
        text = self.get(obj, key, where, (str,), example='"2026-09-07T12:00:00Z"')
        full = f"{where}.{key}" if where else key
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise self.fail(full, f"{text!r} is not a date and time",
                            'use ISO 8601, e.g. "2026-09-07T12:00:00Z"') from None
        if moment.tzinfo is None:
            raise self.fail(full, f"{text!r} has no time zone", 'add "Z" for UTC, e.g. "2026-09-07T12:00:00Z"')
        return moment.astimezone(timezone.utc)


def _names(kinds: tuple[type, ...]) -> str:
    words = {str: "text", int: "a whole number", bool: "true or false", list: "a list",
             dict: "an object", type(None): "null"}
    return " or ".join(words[k] for k in kinds)


_PERSONA_KEYS = {"handle", "name", "bio", "kind", "stage", "specialties", "protected", "lang", "capacity"}
_BEAT_KEYS = {"id", "at", "handle", "kind", "text", "reply_to", "target", "expect"}
_TOP_KEYS = {"format", "version", "seed", "start", "weeks", "bot_handle", "hashtag", "personas", "beats"}


def _unknown(r: _Reader, obj: dict[str, Any], allowed: set[str], where: str) -> None:
    for key in obj:
        if key not in allowed:
            raise r.fail(f"{where}.{key}" if where else key, "this key is not known",
                         f"remove it; known keys: {', '.join(sorted(allowed))}")


def _read_persona(r: _Reader, raw: Any, where: str) -> Persona:
    if not isinstance(raw, dict):
        raise r.fail(where, "a persona must be an object", 'write {"handle": "...", "kind": "mentee", ...}')
    _unknown(r, raw, _PERSONA_KEYS, where)
    specialties = r.get(raw, "specialties", where, (list,), default=[], example='["cardiology"]')
    if not all(isinstance(s, str) for s in specialties):
        raise r.fail(f"{where}.specialties", "every specialty must be text", 'write e.g. ["cardiology"]')
    capacity = r.get(raw, "capacity", where, (int, type(None)), default=None, example="2")
    return Persona(
        handle=r.get(raw, "handle", where, (str,), example='"maya_md"'),
        name=r.get(raw, "name", where, (str,), example='"Maya Johnson"'),
        bio=unicodedata.normalize("NFC", r.get(raw, "bio", where, (str,), default="", example='"MS3 | cards"')),
        kind=r.get(raw, "kind", where, (str,), example='"mentee"'),
        stage=r.get(raw, "stage", where, (str, type(None)), default=None, example='"student"'),
        specialties=tuple(specialties),
        protected=r.get(raw, "protected", where, (bool,), default=False, example="false"),
        lang=r.get(raw, "lang", where, (str,), default="en", example='"en"'),
        capacity=capacity,
    )


def _read_beat(r: _Reader, raw: Any, where: str) -> Beat:
    if not isinstance(raw, dict):
        raise r.fail(where, "a beat must be an object", 'write {"id": "b0001", "at": "...", ...}')
    _unknown(r, raw, _BEAT_KEYS, where)
    return Beat(
        id=r.get(raw, "id", where, (str,), example='"b0001"'),
        at=r.moment(raw, "at", where),
        handle=r.get(raw, "handle", where, (str,), example='"maya_md"'),
        kind=r.get(raw, "kind", where, (str,), example='"join"'),
        text=r.get(raw, "text", where, (str,), default="", example='"@MedMentorBot #MedMentorMatch MS3 here"'),
        reply_to=r.get(raw, "reply_to", where, (str, type(None)), default=None, example='"call"'),
        target=r.get(raw, "target", where, (str, type(None)), default=None, example='"b0001"'),
        expect=r.get(raw, "expect", where, (str, type(None)), default=None, example='"join"'),
    )


def load_scenario(path: str | Path) -> Scenario:
    """Read and check a scenario file; keys in errors count personas and beats from 0, as written."""
    file = str(path)
    r = _Reader(file)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise r.fail("(file)", "the file does not exist",
                     "check the path, or generate one with mentorbot.simulation.generate_scenario") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise r.fail("(file)", f"the file cannot be read as UTF-8 text ({exc.__class__.__name__})",
                     "save it as UTF-8 JSON") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise r.fail(f"line {exc.lineno}", f"this is not valid JSON: {exc.msg} (column {exc.colno})",
                     "check quotes, commas and brackets around that line") from None
    if not isinstance(raw, dict):
        raise r.fail("(file)", "the file must hold one JSON object",
                     'start with {"format": "mentorbot-scenario", ...}')
    _unknown(r, raw, _TOP_KEYS, "")
    if raw.get("format", FORMAT) != FORMAT or raw.get("version", VERSION) != VERSION:
        raise r.fail("format", f"this is not a version {VERSION} {FORMAT} file",
                     f'set "format": "{FORMAT}" and "version": {VERSION}')
    personas = r.get(raw, "personas", "", (list,), example="[{...}]")
    beats = r.get(raw, "beats", "", (list,), example="[{...}]")
    scenario = Scenario(
        seed=r.get(raw, "seed", "", (int, type(None)), default=None, example="7"),
        start=r.moment(raw, "start", ""),
        weeks=r.get(raw, "weeks", "", (int,), example="4"),
        bot_handle=r.get(raw, "bot_handle", "", (str,), example='"MedMentorBot"'),
        hashtag=r.get(raw, "hashtag", "", (str,), example='"MedMentorMatch"').lstrip("#"),
        personas=tuple(_read_persona(r, p, f"personas[{i}]") for i, p in enumerate(personas)),
        beats=tuple(_read_beat(r, b, f"beats[{i}]") for i, b in enumerate(beats)),
    )
    problems = scenario_problems(scenario)
    if problems:
        key, problem, fix = problems[0]
        more = f" ({len(problems) - 1} more problem(s) after this one)" if len(problems) > 1 else ""
        raise ConfigError(file, key, problem + more, fix)
    return scenario
