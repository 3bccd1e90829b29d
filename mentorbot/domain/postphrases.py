"""A post's tokens with the intent phrases found in them, and the questions rules ask of them.

Is this phrase negated ("not looking for")? Does it stand alone in its sentence ("I'm in!")?
How many other words does the post have besides a command ("@bot STOP" vs "can't stop
smiling")? Also the vetoes applied while phrases are found ("stop by", "passed away").
"""
from __future__ import annotations

from itertools import compress
from typing import Sequence

from .intents import COMMAND_PRIORITY, FILLERS, MONTHS, NEGATORS, NUMBERS, UNITS
from .lexicon import Hit, Term
from .textnorm import BOUNDARIES, COMMA, HARD, QUESTION, Memo, Tokens

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


def _content(key: str) -> bool:
    """A word that counts against a command dominating a post (see :meth:`PostPhrases.others`)."""
    return is_word(key) and key not in FILLERS and key not in _ARGS and key not in NUMBERS \
        and not key[0].isdigit()


def _breaks(key: str) -> bool:
    """A word that keeps a phrase from standing alone (see :meth:`PostPhrases.alone`)."""
    return is_word(key) and key not in FILLERS and key not in _ARGS and not key[0].isdigit()


# Per key, computed once: the questions above, asked of every token of every post.
_WORD, _CONTENT, _BREAKS = Memo(is_word), Memo(_content), Memo(_breaks)
_SAME = {name: frozenset({f"cmd:{name}", f"cmd!:{name}"}) for name in COMMAND_PRIORITY}


class PostPhrases:
    """A post's tokens and the intent phrases found in them, with the questions rules ask."""

    __slots__ = ("toks", "keys", "hits", "by_tag", "_cover", "_words", "_content", "_negators", "memo")

    def __init__(self, toks: Tokens, hits: list[Hit]) -> None:
        self.toks, self.hits = toks, hits
        keys = self.keys = toks.keys
        by_tag: dict[str, list[Hit]] = {}
        for hit in hits:
            for tag in hit[2].value:
                found = by_tag.get(tag)
                if found is None:
                    by_tag[tag] = [hit]
                elif len(found) < MAX_PER_TAG:
                    found.append(hit)
        self.by_tag = by_tag
        self._cover: list[Hit | None] | None = None
        self._words = -1
        self._content: list[int] | None = None
        self._negators = not NEGATORS.isdisjoint(keys)  # most posts negate nothing
        self.memo: dict[object, object] = {}  # answers rules compute once per post

    @property
    def cover(self) -> list[Hit | None]:
        """For each token, the phrase it belongs to, if any."""
        if self._cover is None:
            cover: list[Hit | None] = [None] * len(self.keys)
            for hit in self.hits:
                for k in range(hit[0], hit[1]):
                    cover[k] = hit
            self._cover = cover
        return self._cover

    def tagged(self, tag: str) -> Sequence[Hit]:
        return self.by_tag.get(tag, ())

    @property
    def words(self) -> int:
        """How many words the post has (hashtags, emoji and punctuation aside)."""
        if self._words < 0:
            self._words = sum(map(_WORD.__getitem__, self.keys))
        return self._words

    def mentions(self, words: frozenset[str]) -> bool:
        """True when any key of the post is one of ``words`` (rules ask before they look closer)."""
        found = self.memo.get(words)
        if found is None:
            found = self.memo[words] = not words.isdisjoint(self.keys)
        return found  # type: ignore[return-value]

    def before(self, start: int, size: int) -> list[str]:
        """Up to ``size`` keys before ``start`` in the same clause, nearest first."""
        keys, out, k = self.keys, [], start - 1
        while k >= 0 and len(out) < size and keys[k] not in BOUNDARIES:
            out.append(keys[k])
            k -= 1
        return out

    def negated(self, hit: Hit) -> bool:
        if not self._negators:
            return False
        keys, k, stop = self.keys, hit[0] - 1, hit[0] - 4
        while k >= 0 and k >= stop:
            key = keys[k]
            if key in BOUNDARIES:
                return False
            if key in NEGATORS:
                return True
            k -= 1
        return False

    def segment(self, k: int, stops: frozenset[str]) -> Span:
        keys, a, b = self.keys, k, k
        while a > 0 and keys[a - 1] not in stops:
            a -= 1
        n = len(keys)
        while b < n and keys[b] not in stops:
            b += 1
        return a, b

    def ends_with_question(self, k: int) -> bool:
        b = self.segment(k, CLAUSE)[1]
        return b < len(self.keys) and self.keys[b] == QUESTION

    def others(self, hit: Hit, same: str | None = None) -> int:
        """Words outside ``hit`` that are neither fillers, arguments, nor the same command."""
        if self._content is None:
            self._content = list(compress(range(len(self.keys)), map(_CONTENT.__getitem__, self.keys)))
        same_tags = _SAME.get(same) or frozenset({f"cmd:{same}", f"cmd!:{same}"})
        start, end = hit[0], hit[1]
        count, cover = 0, None
        for k in self._content:
            if start <= k < end:
                continue
            if cover is None:
                cover = self.cover
            other = cover[k]
            if other is not None and not other[2].value.isdisjoint(same_tags):
                continue
            count += 1
        return count

    def alone(self, hit: Hit) -> bool:
        """True when the phrase is all its sentence says, give or take fillers."""
        start, end = hit[0], hit[1]
        a, b = self.segment(start, PHRASE)
        keys, breaks = self.keys, _BREAKS
        for k in range(a, b):
            if breaks[keys[k]] and not start <= k < end:
                return False
        return True


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
