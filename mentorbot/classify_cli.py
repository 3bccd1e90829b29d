"""`mentorbot classify`: JSON lines in, JSON lines out, as fast as the classifier goes."""
from __future__ import annotations

import json
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any, TextIO

from .config.classifier import build_classifier
from .config.vocabulary import load_vocabulary

__all__ = ["classify_lines", "Counts"]


@dataclass
class Counts:
    lines: int = 0
    errors: int = 0


def classify_lines(source: TextIO, sink: TextIO, *, campaign_path: str | None = None,
                   vocabulary_path: str | None = None, evidence: bool = False) -> Counts:
    """Classify each JSON line of ``source`` into ``sink``. A line that is not a JSON object with
    a text gets ``{"id", "error"}`` instead, and the rest go on."""
    vocabulary = load_vocabulary(vocabulary_path)
    campaign = None
    if campaign_path:
        from .config.campaign import load_campaign  # only then: its imports cost about 0.2 s
        campaign = load_campaign(campaign_path, vocabulary)
    classify = build_classifier(vocabulary).classify
    bot_handle = campaign.bot_handle if campaign else None
    allow_preference = campaign.allow_stated_preference if campaign else False
    counts = Counts()
    dumps, decode, word = json.dumps, _DECODER.decode, _Words()
    scan = _DECODER.scan_once  # the C scanner json.loads ends in, without its Python wrappers
    tails: dict[tuple, str] = {}  # (intent, role, stage, specialties) -> the rest of the line
    out: list[str] = []  # lines are written in batches: one write per _BATCH lines, not per line
    flush, write = out.clear, sink.write
    for number, line in enumerate(source, start=1):
        if not line or line.isspace():
            continue
        counts.lines += 1
        try:
            item, end = scan(line, 0)
            if end != len(line) and line[end:] not in _LINE_ENDS:
                raise ValueError("extra data")  # let json say what is wrong
        except (StopIteration, ValueError):
            try:
                item = decode(line)
            except ValueError:
                item = _NOT_JSON
        if type(item) is not dict or not isinstance(item.get("text"), str):
            counts.errors += 1
            problem = ("not JSON; expected an object like {\"id\": 1, \"text\": \"...\", \"bio\": \"...\"}"
                       if item is _NOT_JSON else "expected a JSON object with a \"text\" string")
            out.append(dumps({"id": None, "error": f"line {number}: {problem}"}) + "\n")
            continue
        bio = item.get("bio") or ""
        result = classify(item["text"], bio if isinstance(bio, str) else "", bot_handle=bot_handle,
                          allow_preference=allow_preference)
        # The line json.dumps would write for {"id", "intent", "role", "stage", "specialties"
        # [, "evidence"]} with ensure_ascii=False, composed from pieces: the rest repeats.
        key = (result.intent, result.role, result.stage, result.specialties)
        tail = tails.get(key)
        if tail is None:
            if len(tails) >= _TAILS:
                tails.clear()
            specialties = ", ".join(map(word.__getitem__, sorted(result.specialties)))
            tail = tails[key] = (f', "intent": {word[result.intent]}, "role": {word[result.role]}, '
                                 f'"stage": {word[result.stage]}, "specialties": [{specialties}]')
        out.append(f'{{"id": {_value(item.get("id"))}{tail}'
                   + (f', "evidence": {dumps(list(result.evidence), ensure_ascii=False)}}}\n' if evidence
                      else "}\n"))
        if len(out) >= _BATCH:
            write("".join(out))
            flush()
    if out:
        write("".join(out))
    return counts


_BATCH = 512  # lines per write
_TAILS = 1 << 16  # distinct results remembered (a few hundred in practice)
_LINE_ENDS = frozenset({"\n", "\r\n", "\r"})
_DECODER = json.JSONDecoder()  # what json.loads uses, without its per-call checks
_NOT_JSON = object()


class _Words(dict):
    """A word (or None) -> its JSON text, worked out once."""

    def __missing__(self, word: str | None) -> str:
        text = self[word] = "null" if word is None else encode_basestring(word)
        return text


def _value(value: Any) -> str:
    """Any JSON value as json.dumps(..., ensure_ascii=False) writes it."""
    if value is None:
        return "null"
    if type(value) is int:
        return int.__repr__(value)
    if type(value) is str:
        return encode_basestring(value)
    return json.dumps(value, ensure_ascii=False)
