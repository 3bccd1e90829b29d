"""Building the classifier the bot runs: the vocabulary's phrase rules plus the learned second
reading of intent, trained on the labelled posts that ship with the package.

``mentorbot/data/labelled_posts.jsonl`` is the hand-labelled set the tests measure the rules on
(``tests/data/labelled_posts.jsonl``; the packaged name links to it). Each line is a JSON object
with at least ``text``, ``context`` and ``intent`` (and ``checkin``, the answer, for answers to a check-in); a reply to the bot's confirmation
(``"confirm"``) is read without a context, as the intake reads it.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import as_file, files
from pathlib import Path

from ..domain.classify import CONTEXTS, INTENTS, Classifier
from ..domain.intentmodel import Example
from ..domain.vocabulary import Vocabulary
from ..errors import ConfigError

__all__ = ["build_classifier", "default_examples_path", "load_examples"]


_ANSWERS = (None, "good", "unsure", "not_a_fit")


def default_examples_path() -> Path:
    """The packaged labelled posts."""
    with as_file(files("mentorbot") / "data" / "labelled_posts.jsonl") as path:
        return Path(path)


def load_examples(path: Path | str | None = None) -> tuple[Example, ...]:
    """The labelled post (text, context, intent, check-in answer) on every labelled post in ``path`` (default: the packaged set).

    A line that is not a labelled post is an error naming the file, the line and the fix: the
    model would otherwise learn from half a file without anyone noticing.
    """
    path = Path(path) if path is not None else default_examples_path()
    if path == default_examples_path() and path.is_file():
        return _packaged(path)
    return _read(path)


@lru_cache(maxsize=1)
def _packaged(path: Path) -> tuple[Example, ...]:
    return _read(path)


def _read(path: Path) -> tuple[Example, ...]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(path, "(file)", f"cannot read the labelled posts ({exc.strerror or exc})",
                          "give the path of a readable JSON-lines file") from None
    examples = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(path, f"line {number}", f"not JSON ({exc.msg})",
                              "write one JSON object per line") from None
        text, context, intent, answer = (row.get(key) if isinstance(row, dict) else None
                                         for key in ("text", "context", "intent", "checkin"))
        context = None if context == "confirm" else context
        if not isinstance(text, str) or intent not in INTENTS or context not in CONTEXTS \
                or answer not in _ANSWERS:
            raise ConfigError(
                path, f"line {number}", "not a labelled post",
                f'give "text" (a string), "intent" (one of {", ".join(INTENTS)}) and "context" '
                '(null, call, intro, checkin or confirm); "checkin", when given, is good, unsure '
                "or not_a_fit")
        examples.append(Example(text, context, intent, answer))
    if not examples:
        raise ConfigError(path, "(file)", "no labelled posts",
                          "add JSON lines with text, context and intent")
    return tuple(examples)


def build_classifier(vocabulary: Vocabulary, examples: Path | str | None = None) -> Classifier:
    """The classifier with its second reading trained on ``examples`` (default: packaged)."""
    return Classifier(vocabulary, examples=load_examples(examples))
