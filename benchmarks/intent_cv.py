"""How well the learned reading of intent generalises: 10-fold cross-validation on the labelled set.

The rules (postrules.py) were shaped on the first rows of tests/data/labelled_posts.jsonl (ids
starting p, h, b, c); every later row was written blind to the code, by people who saw neither
the rules nor the other rows. This script trains the learned reading on nine tenths of the whole
set and reads the held-out tenth, ten times, and reports intent accuracy on the blind-written rows
only: the phrase rules alone, then rules and model together as the bot runs them, with
- fixes: rows the rules got wrong and the pair gets right;
- mistakes acted on: rows the rules got right and the pair gets wrong, with an intent the bot acts
  on without asking (a HELP or STATUS reply, a noted win...);
- mistakes asked about: the same, but with an intent the bot asks about before acting
  (templates.CONFIRM_FIRST, or a check-in answer of "not a fit").
It is the development measure for every gate and threshold of ``Classifier._second_reading``; an
honest figure comes only from a blind batch measured once (tests/data/heldout_posts.jsonl).

Run: python benchmarks/intent_cv.py [-v] [TRUTH:READ ...]
(-v lists the confusions and each mistake; "join:none" lists the posts labelled join read as none)
"""
from __future__ import annotations

import json
import random
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from mentorbot.config.vocabulary import load_vocabulary
from mentorbot.domain.classify import Classifier
from mentorbot.domain.intentmodel import Example
from mentorbot.domain.templates import CONFIRM_FIRST

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "data" / "labelled_posts.jsonl"
SHAPED_THE_RULES = ("p", "h", "b", "c")  # id prefixes of the rows written with the rules in view
FOLDS = 10
TODAY = date(2026, 10, 1)


def main(verbose: bool, shown: set[str]) -> None:
    vocabulary = load_vocabulary()
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]
    order = list(range(len(rows)))
    random.Random(3).shuffle(order)
    rules = Classifier(vocabulary, remember=0)
    counts: Counter[str] = Counter()
    mistakes = []
    for fold in range(FOLDS):
        held = {*order[fold::FOLDS]}
        model = Classifier(vocabulary, remember=0, examples=[
            Example(row["text"], row["context"], row["intent"], row["checkin"],
                    row["role"] if row["intent"] == "join" else None)
            for n, row in enumerate(rows) if n not in held])
        for n in sorted(held):
            row = rows[n]
            if row["id"].startswith(SHAPED_THE_RULES):
                continue
            read = dict(context=row["context"], today=TODAY, bot_handle="MedMentorBot")
            alone = rules.classify(row["text"], row["bio"], **read).intent
            both = model.classify(row["text"], row["bio"], **read)
            truth = row["intent"]
            counts["rows"] += 1
            counts["rules"] += alone == truth
            counts["both"] += both.intent == truth
            counts["fixes"] += alone != truth and both.intent == truth
            if alone == truth != both.intent:
                asked = both.intent in CONFIRM_FIRST or both.checkin == "not_a_fit"
                counts["asked" if asked else "acted"] += 1
                mistakes.append(("asked" if asked else "ACTED", row["id"], truth, both.intent,
                                 row["text"][:90]))
            if both.intent != truth:
                counts[f"miss {truth} -> {both.intent}"] += 1
                if f"{truth}:{both.intent}" in shown:
                    print(f"  {row['id']} {truth}:{both.intent} ({alone}) {row['text'][:100]!r}")
    n = counts["rows"]
    print(f"{n} blind-written rows, {FOLDS}-fold: intent rules {counts['rules'] / n:.3f}, "
          f"rules + model {counts['both'] / n:.3f}; {counts['fixes']} fixes, "
          f"{counts['acted']} mistakes acted on, {counts['asked']} asked about")
    if verbose:
        for name, count in counts.most_common():
            if name.startswith("miss "):
                print(f"  {name}: {count}")
        for mistake in mistakes:
            print(" ", *mistake)


if __name__ == "__main__":
    main("-v" in sys.argv[1:], {arg for arg in sys.argv[1:] if ":" in arg})
