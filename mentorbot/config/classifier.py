"""Building the classifier the bot runs: the vocabulary's phrase rules plus the learned second
reading of intent, trained on the labelled posts that ship with the package.

``mentorbot/data/labelled_posts.jsonl`` is the hand-labelled set the tests measure the classifier
on (``tests/data/labelled_posts.jsonl``; the packaged name links to it, and wheels carry the file
itself). Each line is a JSON object with at least ``text``, ``context`` and ``intent`` (and
``checkin``, the answer, for answers to a check-in; ``role`` for a join).
"""
from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from ..domain.classify import CONTEXTS, INTENTS, Classifier
from ..domain.intentmodel import Example
from ..domain.vocabulary import Vocabulary
from ..errors import ConfigError

__all__ = ["build_classifier", "load_examples", "MIN_NONE"]

_PACKAGED = "data/labelled_posts.jsonl"
_ANSWERS = (None, "good", "unsure", "not_a_fit")
_ROLES = (None, "mentor", "mentee")
#: A model that never saw chatter reads every post as a request: at least this many "none" rows.
MIN_NONE = 5


def load_examples(path: Path | str | None = None) -> tuple[Example, ...]:
    """The labelled posts in ``path`` (default: the packaged set), checked.

    A line that is not a labelled post is an error naming the file, the line and the fix: the
    model would otherwise learn from half a file without anyone noticing. A set without enough
    chatter ("none") is refused too: its model would take any post for a request.
    """
    if path is None:
        return _packaged()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(path, "(file)", f"cannot read the labelled posts ({exc.strerror or exc})",
                          "give the path of a readable JSON-lines file") from None
    return _parse(str(path), text)


@lru_cache(maxsize=1)
def _packaged() -> tuple[Example, ...]:
    # Read through importlib.resources, so a zipped install works too.
    return _parse(f"mentorbot/{_PACKAGED}", files("mentorbot").joinpath(_PACKAGED).read_text(encoding="utf-8"))


def _parse(name: str, text: str) -> tuple[Example, ...]:
    examples = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(name, f"line {number}", f"not JSON ({exc.msg})",
                              "write one JSON object per line") from None
        text_, context, intent, answer, role = (row.get(key) if isinstance(row, dict) else None
                                                for key in ("text", "context", "intent", "checkin", "role"))
        if not isinstance(text_, str) or intent not in INTENTS or context not in CONTEXTS \
                or answer not in _ANSWERS or role not in _ROLES:
            raise ConfigError(
                name, f"line {number}", "not a labelled post",
                f'give "text" (a string), "intent" (one of {", ".join(INTENTS)}) and "context" '
                '(null, call, intro, checkin or confirm); "checkin", when given, is good, unsure '
                'or not_a_fit; "role", when given, is mentor or mentee')
        examples.append(Example(text_, context, intent, answer, role if intent == "join" else None))
    counts = Counter(example.intent for example in examples)
    if counts["none"] < MIN_NONE or len(counts) < 2:
        raise ConfigError(name, "(file)",
                          f"{len(examples)} labelled posts, {counts['none']} of them \"none\" and "
                          f"{len(counts)} intent(s) in all",
                          f"label at least {MIN_NONE} posts \"none\" (chatter, thanks, jokes) and "
                          "posts of at least one other intent: a model that never saw chatter reads "
                          "every post as a request")
    return tuple(examples)


@lru_cache(maxsize=8)
def _build(vocabulary: Vocabulary, examples: tuple[Example, ...]) -> Classifier:
    return Classifier(vocabulary, examples=examples)


def build_classifier(vocabulary: Vocabulary, examples: Path | str | None = None) -> Classifier:
    """The classifier with its second reading trained on ``examples`` (default: packaged).

    Trained once per vocabulary and set of examples in a process (about a quarter of a second
    for the packaged 3,883 posts), and shared: a classifier holds no state but its memo of
    recent readings, which is the same whoever asks.
    """
    return _build(vocabulary, load_examples(examples))
