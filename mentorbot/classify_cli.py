"""`mentorbot classify`: JSON lines in, JSON lines out, as fast as the classifier goes."""
from __future__ import annotations

import json
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any, TextIO

from .config.campaign import load_campaign
from .config.vocabulary import load_vocabulary
from .domain.classify import Classifier

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
    campaign = load_campaign(campaign_path, vocabulary) if campaign_path else None
    classify = Classifier(vocabulary).classify
    bot_handle = campaign.bot_handle if campaign else None
    allow_preference = campaign.allow_stated_preference if campaign else False
    counts = Counts()
    dumps, write, decode, word = json.dumps, sink.write, _DECODER.decode, _Words()
    for number, line in enumerate(source, start=1):
        if not line or line.isspace():
            continue
        counts.lines += 1
        try:
            item = decode(line)
        except ValueError:
            item = _NOT_JSON
        if type(item) is not dict or not isinstance(item.get("text"), str):
            counts.errors += 1
            problem = ("not JSON; expected an object like {\"id\": 1, \"text\": \"...\", \"bio\": \"...\"}"
                       if item is _NOT_JSON else "expected a JSON object with a \"text\" string")
            write(dumps({"id": None, "error": f"line {number}: {problem}"}) + "\n")
            continue
        bio = item.get("bio") or ""
        result = classify(item["text"], bio if isinstance(bio, str) else "", bot_handle=bot_handle,
                          allow_preference=allow_preference)
        # The line json.dumps would write for {"id", "intent", "role", "stage", "specialties"
        # [, "evidence"]} with ensure_ascii=False, composed from pieces: the words repeat.
        specialties = ", ".join(map(word.__getitem__, sorted(result.specialties)))
        write(f'{{"id": {_value(item.get("id"))}, "intent": {word[result.intent]}, '
              f'"role": {word[result.role]}, "stage": {word[result.stage]}, "specialties": [{specialties}]'
              + (f', "evidence": {dumps(list(result.evidence), ensure_ascii=False)}}}\n' if evidence
                 else "}\n"))
    return counts


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
