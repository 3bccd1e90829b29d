"""A learned second reading of intent, for the posts the phrase rules do not recognise.

The phrase rules (postrules.py) are exact about the wordings they know and blind to the ones
they do not: "you can turn me back on" after a sub-internship, "?? how do I use you", "Got the
K08!". This model is a multinomial naive Bayes over the words, word pairs, word pieces and the
reply context of posts labelled by hand (tests/data/labelled_posts.jsonl, shipped with the
package). It is trained when the classifier is built (3,883 posts: about a quarter of a second,
once per process) and consulted when the rules found nothing, or found something other than an
opt-out; the classifier then decides whether to believe it (``Classifier._second_reading``), and
the registration asks the person before acting on a guess that would change their consent or a
match.

Naive Bayes is chosen over a discriminative model because it is exact to train in one counting
pass, needs no tuning loop, and scores with a few dictionary lookups per word; on the blind batches
it was as accurate as logistic regression. Its probabilities are overconfident (it counts a word
once as a word, again in its pieces, pairs and context), so they are tempered (``_TEMPERATURE``)
before the classifier compares them with its thresholds; what else keeps guesses safe is what the
post must also show (a mention of the bot for a command, a reply context for a decline or check-in
answer, no negation for a join...) and the question asked before acting.

Only the tokeniser's keys are used: mentions, URLs and identity hashtags are gone before the model
sees a post, so it can neither learn nor echo who anyone is; every other hashtag is one feature,
"#", so it learns no campaign's hashtag as a sign of joining.
"""
from __future__ import annotations

import math
import re
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, NamedTuple, Sequence

from .textnorm import COMMA, HARD

__all__ = ["Example", "Guess", "IntentModel", "features"]

_DIGITS = re.compile(r"\d+")
_SKIP = frozenset({HARD, COMMA})
_PIECE = 4  # character n-grams of this length inside each word: typos and inflections still meet
_WORDS_REMEMBERED = 10_000  # (context, word) rows kept for scoring: a few MB at most
_ALPHA = 0.1  # additive smoothing: small, as most features are seen in one or two classes only
# Naive Bayes counts a word once as a word, again in its pieces, pairs and context: its log-odds
# are several times too steep, and untempered its first choice scores 1.00 on nearly every post.
# Dividing them by this temperature makes the probability thresholds of the classifier mean
# something (chosen by cross-validation: see Classifier._second_reading).
_TEMPERATURE = 4.0


def features(keys: Sequence[str], context: str | None) -> list[str]:
    """The features of one post: its words (digits as '0', any hashtag as '#'), adjacent pairs,
    4-letter pieces of each word, the reply context, and each word seen in that context."""
    words = [_word(key) for key in keys if key not in _SKIP]
    ctx = context or "-"
    found = [f"c:{ctx}"]
    for word in words:
        found.extend(_pieces(word))
    found.extend(f"b:{a} {b}" for a, b in zip(words, words[1:]))
    found.extend(f"c:{ctx} {word}" for word in words)
    return found


@lru_cache(maxsize=65_536)
def _word(key: str) -> str:
    """A key as the model sees it: digits as '0', any hashtag as '#'."""
    return "#" if key[0] == "#" else _DIGITS.sub("0", key)


@lru_cache(maxsize=65_536)
def _pieces(word: str) -> tuple[str, ...]:
    """The word itself and its 4-letter pieces (with < and > marking its ends)."""
    padded = f"<{word}>"
    return (f"w:{word}", *(f"g:{padded[i:i + _PIECE]}" for i in range(len(padded) - _PIECE + 1)))


class Example(NamedTuple):
    """One labelled post: its text, what it replies to, its intent, for an answer to a check-in
    the answer ("good", "unsure" or "not_a_fit"), and for a join the role ("mentor" or "mentee")."""

    text: str
    context: str | None
    intent: str
    answer: str | None = None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Guess:
    """The model's intent and its probability (tempered: see ``_TEMPERATURE``)."""

    intent: str
    probability: float


class IntentModel:
    """Multinomial naive Bayes over a post's features; see the module docstring. The labels are
    intents, or for the answers to a check-in, the answers."""

    __slots__ = ("_intents", "_base", "_weights", "_prior", "_words", "_zero")

    def __init__(self, intents: tuple[str, ...], prior: tuple[float, ...], base: tuple[float, ...],
                 weights: dict[str, tuple[float, ...]]) -> None:
        self._intents = intents
        self._prior = prior  # log P(intent)
        self._base = base  # log P(unseen-in-class feature | intent)
        # feature -> log(1 + count / alpha) for each intent (0 where unseen): one row per feature,
        # so scoring a post is one C-level sum per intent (zip and sum), not a loop per count
        self._weights = weights
        # (context, key) -> the key's word, how many of its own features are known, and their summed
        # row: a word's features (itself, its pieces, itself in the context) are the same in every post
        self._words: dict[tuple[str, str], tuple[str, int, Sequence[float]]] = {}
        self._zero = (0.0,) * len(intents)

    @classmethod
    def train(cls, examples: Iterable[tuple[Sequence[str], str | None, str]],
              alpha: float = _ALPHA) -> "IntentModel":
        """Count features per label over (keys, context, label) examples."""
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        posts: Counter[str] = Counter()
        for keys, context, intent in examples:
            posts[intent] += 1
            counts[intent].update(features(keys, context))
        if not posts:
            raise ValueError("an intent model needs at least one labelled example")
        intents = tuple(sorted(posts))
        rows: dict[str, list[float]] = {}  # filled from the counts: most features are in one class
        for n, intent in enumerate(intents):
            for feature, count in counts[intent].items():
                row = rows.get(feature)
                if row is None:
                    row = rows[feature] = [0.0] * len(intents)
                row[n] = math.log1p(count / alpha)
        total = sum(posts.values())
        prior = tuple(math.log(posts[i] / total) for i in intents)
        base = tuple(math.log(alpha / (sum(counts[i].values()) + alpha * len(rows))) for i in intents)
        return cls(intents, prior, base, {feature: tuple(row) for feature, row in rows.items()})

    @property
    def intents(self) -> tuple[str, ...]:
        return self._intents

    def guess(self, keys: Sequence[str], context: str | None, unless: str | None = None) -> Guess | None:
        """The most likely intent of a post (tokenised into ``keys``) in its reply ``context``;
        None when it is ``unless`` (the reading the model is asked to check: agreeing, it need not
        say how sure it is).
        The same sum as over ``features(keys, context)``, with each word's own features summed
        once per process (``_word_row``) rather than once per post."""
        ctx = context or "-"
        weights, remembered = self._weights, self._words
        known = [remembered.get((ctx, key)) or self._word_row(ctx, key) for key in keys if key not in _SKIP]
        words = [word for word, _, _ in known]
        rows = [row for _, _, row in known]
        rows.extend(row for row in map(weights.get, [f"b:{a} {b}" for a, b in zip(words, words[1:])])
                    if row is not None)
        count = sum(n for _, n, _ in known) + len(rows) - len(known)
        context_row = weights.get(f"c:{ctx}")
        if context_row is not None:
            rows.append(context_row)
            count += 1
        sums = map(sum, zip(*rows)) if rows else iter(self._zero)
        scores = [prior + count * base + gained for prior, base, gained in zip(self._prior, self._base, sums)]
        best = max(range(len(scores)), key=scores.__getitem__)
        if self._intents[best] == unless:
            return None
        top = scores[best]
        probability = 1.0 / sum(math.exp((score - top) / _TEMPERATURE) for score in scores)
        return Guess(self._intents[best], probability)

    def _word_row(self, ctx: str, key: str) -> tuple[str, int, Sequence[float]]:
        """A key as the model's word ('0' for digits, '#' for a hashtag), how many of that word's
        own features the model knows (the word, its pieces, the word in the context), and their
        summed row; remembered, up to a bound."""
        word = _word(key)
        rows = [row for row in map(self._weights.get, (*_pieces(word), f"c:{ctx} {word}")) if row is not None]
        found = (word, len(rows), array("d", map(sum, zip(*rows))) if rows else self._zero)
        if len(self._words) >= _WORDS_REMEMBERED:
            self._words.clear()
        self._words[ctx, key] = found
        return found

    def telling(self, keys: Sequence[str], intent: str, most: int = 3) -> tuple[str, ...]:
        """The words and word pairs of a post that favour ``intent`` most over the others on
        average: the evidence a person reads in the logs and in the status reply. Only words as
        written: not a number ("2nd" is the model's "0nd") nor a hashtag (its "#")."""
        chosen = self._intents.index(intent)
        ranked = []
        words = [_word(key) for key in keys if key not in _SKIP]
        for feature in dict.fromkeys([*(f"w:{word}" for word in words),
                                      *(f"b:{a} {b}" for a, b in zip(words, words[1:]))]):
            row = self._weights.get(feature)
            if row is None or feature[0] not in "wb" or "0" in feature or "#" in feature:
                continue
            lead = row[chosen] - sum(row) / len(row)
            if lead > 0:
                ranked.append((-lead, feature[2:]))
        ranked.sort()
        return tuple(word for _, word in ranked[:most])
