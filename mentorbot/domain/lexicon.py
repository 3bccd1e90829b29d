"""Longest-match phrase lookup over token keys.

Terms are indexed by their first key and then as a trie over the keys that follow, so a scan
costs one dictionary lookup per token plus one per further key a term continues with: far cheaper than one big regex alternation
over hundreds of terms, which Python's regex engine would try one by one at every position.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import compress
from typing import Any, Callable, Generic, Iterable, NamedTuple, TypeVar

from .textnorm import Tokens, is_upper

__all__ = ["Term", "Hit", "PhraseIndex", "MultiIndex"]

V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Term(Generic[V]):
    """A phrase to find: its keys, how it was written, whether it only counts in capitals."""

    keys: tuple[str, ...]
    text: str
    upper: bool
    value: V


class Hit(NamedTuple):
    """A term found at tokens ``[start, end)`` (a named tuple: made often, made cheaply)."""

    start: int
    end: int
    term: Term

    @property
    def value(self) -> Any:
        return self.term.value


Accept = Callable[[Tokens, int, int, Term], bool]
_new = tuple.__new__  # Hit(a, b, c) without the named tuple's Python-level __new__
_NONE = 1 << 30  # no such hit


class PhraseIndex(Generic[V]):
    """Terms by first key; :meth:`scan` finds the longest non-overlapping ones, left to right.

    ``accept`` may veto a candidate where it stands (then shorter ones are tried); ``watch``
    says which terms it needs to see, so that most candidates skip the call.
    """

    def __init__(self, terms: Iterable[Term[V]], accept: Accept | None = None,
                 watch: Callable[[Term[V]], bool] | None = None) -> None:
        by_first: dict[str, list[Term[V]]] = {}
        seen: set[tuple[tuple[str, ...], bool]] = set()
        for term in terms:
            if not term.keys or (term.keys, term.upper) in seen:
                continue
            seen.add((term.keys, term.upper))
            by_first.setdefault(term.keys[0], []).append(term)
        check = accept if accept is not None else None
        # Per first key, longest first: (length, second key, the rest, term, veto check or None).
        self.candidates = {
            k: tuple((len(t.keys), t.keys[1] if len(t.keys) > 1 else None, list(t.keys[2:]), t,
                      check if check is not None and (watch is None or watch(t)) else None)
                     for t in sorted(v, key=lambda t: -len(t.keys)))
            for k, v in by_first.items()}

    def __contains__(self, key: str) -> bool:
        return key in self.candidates

    def scan(self, tokens: Tokens) -> list[Hit]:
        """Greedy longest match, left to right."""
        return MultiIndex(self).scan(tokens)[0]


class MultiIndex:
    """Several indexes scanned in one pass: one dictionary lookup per token for all of them.

    Each index's terms that start with a key form a trie over the following keys, so a common
    start ("interested in", "would love") costs one lookup per further key that matches instead
    of a comparison with every phrase it starts.
    """

    def __init__(self, *indexes: PhraseIndex) -> None:
        self._count = len(indexes)
        merged: dict[str, list[tuple]] = {}
        for n, index in enumerate(indexes):
            for key, candidates in index.candidates.items():
                root: list = [None, []]  # [children by next key or None, (term, check) ending here]
                for _length, _second, _rest, term, check in candidates:  # longest first, as given
                    node = root
                    for following in term.keys[1:]:
                        if node[0] is None:
                            node[0] = {}
                        node = node[0].setdefault(following, [None, []])
                    node[1].append((term, check))
                merged.setdefault(key, []).append((n, _freeze(root)))
        self._by_first = {key: tuple(entries) for key, entries in merged.items()}

    def scan(self, tokens: Tokens) -> list[list[Hit]]:
        """Each index's hits: the longest non-overlapping terms, left to right."""
        return self.scan_upper(tokens)[0]

    def scan_upper(self, tokens: Tokens) -> tuple[list[list[Hit]], list[int]]:
        """Like :meth:`scan`, with, per index, the position in its hits of the first term that
        counts only in capitals (or ``_NONE`` when there is none): ``_shouting`` is asked then only."""
        keys, surfaces, by_first = tokens.keys, tokens.surfaces, self._by_first
        count = self._count
        results: list[list[Hit]] = [[] for _ in range(count)]
        free = [0] * count  # the first token each index may still use
        upper_at = [_NONE] * count
        n = len(keys)
        # Only tokens that may start a term cost Python work; the filtering runs in C.
        for i in compress(range(n), map(by_first.__contains__, keys)):
            for which, (children, terms) in by_first[keys[i]]:
                if i < free[which]:
                    continue
                hit = None
                if children is not None and i + 1 < n:
                    node = children.get(keys[i + 1])
                    if node is not None:
                        path = [node]  # the longest run of keys some term continues with
                        j = i + 2
                        while node[0] is not None and j < n:
                            node = node[0].get(keys[j])
                            if node is None:
                                break
                            path.append(node)
                            j += 1
                        end = i + 1 + len(path)
                        for node in reversed(path):  # longest first; a veto lets shorter ones try
                            for term, check in node[1]:
                                if term.upper and not all(is_upper(surfaces[k]) for k in range(i, end)):
                                    continue
                                if check is not None and not check(tokens, i, end, term):
                                    continue
                                hit = _new(Hit, (i, end, term))
                                break
                            if hit is not None:
                                break
                            end -= 1
                if hit is None:
                    for term, check in terms:
                        if term.upper and not is_upper(surfaces[i]):
                            continue
                        if check is not None and not check(tokens, i, i + 1, term):
                            continue
                        hit = _new(Hit, (i, i + 1, term))
                        break
                if hit is not None:
                    found = results[which]
                    if hit[2].upper and upper_at[which] == _NONE:
                        upper_at[which] = len(found)
                    found.append(hit)
                    free[which] = hit[1]
        return results, upper_at


def _freeze(node: list) -> tuple:
    """A built trie node as tuples: (children by next key or None, ((term, check), ...))."""
    children = None if node[0] is None else {k: _freeze(v) for k, v in node[0].items()}
    return children, tuple(node[1])
