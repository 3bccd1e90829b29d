"""A post's tokens with the intent phrases found in them, and the questions rules ask of them.

Is this phrase negated ("not looking for")? Does it stand alone in its sentence ("I'm in!")?
How many other words does the post have besides a command ("@bot STOP" vs "can't stop
smiling")? Also the vetoes applied while phrases are found ("stop by", "passed away").
"""
from __future__ import annotations

from typing import Sequence

from .intents import FILLERS, MONTHS, NEGATORS, NUMBERS, UNITS
from .lexicon import Hit, Term
from .textnorm import BOUNDARIES, COMMA, HARD, QUESTION, Tokens

__all__ = ["PostPhrases", "Span", "MAX_PER_TAG", "CLAUSE", "PHRASE", "is_word", "accept_phrase", "watched_phrase",
           "typos"]

Span = tuple[int, int]
#: Rules look at the first few phrases of each kind only: a person says "stop" once or twice,
#: and a pasted wall of 4,000 "stop"s must not make the rules quadratic.
MAX_PER_TAG = 32
#: Where a clause ends (a sentence, a question) and where a phrase ends (a comma too).
CLAUSE = frozenset({HARD, QUESTION})
PHRASE = frozenset({HARD, COMMA, QUESTION})
# Words that are a command's arguments, not other content ("pause until Jan 15", "capacity 3").
_ARGS = frozenset({*MONTHS, *UNITS, "until", "till", "til", "through", "thru", "hasta", "ate",
                   "for", "durante", "next", "mentees", "mentee", "more", "max", "week", "month"})
_TYPO_WORDS = frozenset({"looking", "mentor", "mentorship", "unsubscribe", "searching"})
_REAL_WORDS = frozenset({"menor", "mento"})  # words in their own right are no typos
_PEOPLE = frozenset({"me", "us", "you", "him", "her", "them"})
_WIN_NEXT_VETO = {"matched": frozenset({"with", *_PEOPLE}),
                  "passed": frozenset({"away", "on", "by", "along", *_PEOPLE}),
                  "named": frozenset({"after"}),
                  "in": frozenset({"late", "trouble", "touch", "line", "bed", "the", "my", "a"})}
# "Stop by our booth", "leave it", "back pain", "back from leave": the word in another sense.
_COMMAND_NEXT_VETO = {"stop": frozenset({"by", "in", "at", "the", "being", "smiling", "talking",
                                         "thinking", "worrying", "it", "and", "to", "for"}),
                      "leave": frozenset({"it", "a", "the", "your", "comments", "of", "for"}),
                      "back": frozenset({"to", "in", "at", "from", "on", "home", "pain"})}
_COMMAND_PREV_VETO = {"leave": frozenset({"from", "on", "my", "of", "annual", "sick", "maternity",
                                          "paternity", "parental", "medical", "study"})}


def is_word(key: str) -> bool:
    first = key[0]
    return (first.isalnum() or first == "'") and key not in BOUNDARIES


class PostPhrases:
    """A post's tokens and the intent phrases found in them, with the questions rules ask."""

    __slots__ = ("toks", "keys", "hits", "by_tag", "_cover", "_words", "memo")

    def __init__(self, toks: Tokens, hits: list[Hit]) -> None:
        self.toks, self.keys, self.hits = toks, toks.keys, hits
        self.by_tag: dict[str, list[Hit]] = {}
        for hit in hits:
            for tag in hit.term.value:
                found = self.by_tag.setdefault(tag, [])
                if len(found) < MAX_PER_TAG:
                    found.append(hit)
        self._cover: list[Hit | None] | None = None
        self._words = -1
        self.memo: dict[object, object] = {}  # answers rules compute once per post

    @property
    def cover(self) -> list[Hit | None]:
        """For each token, the phrase it belongs to, if any."""
        if self._cover is None:
            self._cover = [None] * len(self.keys)
            for hit in self.hits:
                for k in range(hit.start, hit.end):
                    self._cover[k] = hit
        return self._cover

    def tagged(self, tag: str) -> Sequence[Hit]:
        return self.by_tag.get(tag, ())

    @property
    def words(self) -> int:
        """How many words the post has (hashtags, emoji and punctuation aside)."""
        if self._words < 0:
            self._words = sum(1 for key in self.keys if is_word(key))
        return self._words

    def before(self, start: int, size: int) -> list[str]:
        """Up to ``size`` keys before ``start`` in the same clause, nearest first."""
        keys, out, k = self.keys, [], start - 1
        while k >= 0 and len(out) < size and keys[k] not in BOUNDARIES:
            out.append(keys[k])
            k -= 1
        return out

    def negated(self, hit: Hit) -> bool:
        return any(key in NEGATORS for key in self.before(hit.start, 4))

    def segment(self, k: int, stops: frozenset[str]) -> Span:
        keys, a, b = self.keys, k, k
        while a > 0 and keys[a - 1] not in stops:
            a -= 1
        while b < len(keys) and keys[b] not in stops:
            b += 1
        return a, b

    def ends_with_question(self, k: int) -> bool:
        b = self.segment(k, CLAUSE)[1]
        return b < len(self.keys) and self.keys[b] == QUESTION

    def others(self, hit: Hit, same: str | None = None) -> int:
        """Words outside ``hit`` that are neither fillers, arguments, nor the same command."""
        same_tags = {f"cmd:{same}", f"cmd!:{same}"}
        count, cover = 0, self.cover
        for k, key in enumerate(self.keys):
            if hit.start <= k < hit.end or not is_word(key) or key in FILLERS or key in _ARGS \
                    or key in NUMBERS or key[0].isdigit():
                continue
            other = cover[k]
            if other is not None and other.term.value & same_tags:
                continue
            count += 1
        return count

    def alone(self, hit: Hit) -> bool:
        """True when the phrase is all its sentence says, give or take fillers."""
        a, b = self.segment(hit.start, PHRASE)
        keys = self.keys
        return all(hit.start <= k < hit.end or keys[k] in FILLERS or not is_word(keys[k])
                   or keys[k] in _ARGS or keys[k][0].isdigit() for k in range(a, b))


def typos(word: str) -> list[str]:
    """One letter missing or two swapped ("lookin", "mentro") for the few words that matter most."""
    if word not in _TYPO_WORDS:
        return []
    out = {word[:i] + word[i + 1:] for i in range(len(word))}
    out |= {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}
    return sorted(out - _REAL_WORDS - {word})


def watched_phrase(term: Term) -> bool:
    """The phrases :func:`accept_phrase` may veto."""
    first, last = term.keys[0], term.keys[-1]
    return (len(term.keys) == 1 and (first in _COMMAND_PREV_VETO or first in _COMMAND_NEXT_VETO)) \
        or last in _WIN_NEXT_VETO


def accept_phrase(tokens: Tokens, start: int, end: int, term: Term) -> bool:
    """Veto a phrase used in another sense ("stop by", "passed away", "on leave")."""
    keys = tokens.keys
    single = end - start == 1
    if single and start > 0:
        veto = _COMMAND_PREV_VETO.get(keys[start])
        if veto is not None and keys[start - 1] in veto:
            return False
    if end >= len(keys):
        return True
    nxt = keys[end]
    veto = _WIN_NEXT_VETO.get(keys[end - 1])
    if veto is not None and nxt in veto and "win" in term.value:
        return False
    veto = _COMMAND_NEXT_VETO.get(keys[end - 1])
    return not (veto is not None and single and nxt in veto)
