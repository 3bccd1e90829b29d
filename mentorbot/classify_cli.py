"""`mentorbot classify`: JSON lines in, JSON lines out, as fast as the classifier goes."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TextIO

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
    classifier = Classifier(vocabulary)
    options = {"bot_handle": campaign.bot_handle if campaign else None,
               "allow_preference": campaign.allow_stated_preference if campaign else False}
    counts = Counts()
    dumps, write = json.dumps, sink.write
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        counts.lines += 1
        item = _parse(line)
        if isinstance(item, str):
            counts.errors += 1
            write(dumps({"id": None, "error": f"line {number}: {item}"}) + "\n")
            continue
        bio = item.get("bio") or ""
        result = classifier.classify(item["text"], bio if isinstance(bio, str) else "", **options)
        out = {"id": item.get("id"), "intent": result.intent, "role": result.role, "stage": result.stage,
               "specialties": sorted(result.specialties)}
        if evidence:
            out["evidence"] = list(result.evidence)
        write(dumps(out, ensure_ascii=False) + "\n")
    return counts


def _parse(line: str) -> dict | str:
    """The line's object, or what is wrong with it."""
    try:
        item = json.loads(line)
    except ValueError:
        return "not JSON; expected an object like {\"id\": 1, \"text\": \"...\", \"bio\": \"...\"}"
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        return "expected a JSON object with a \"text\" string"
    return item
