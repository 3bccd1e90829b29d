"""Longest-match phrase lookup over token keys.

Terms are indexed by their first key, longest first, so a scan costs one dictionary lookup per
token plus a few comparisons where a term may start: far cheaper than one big regex alternation
over hundreds of terms, which Python's regex engine would try one by one at every position.
"""
from __future__ import annotations

from dataclasses import dataclass
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

    Candidates are grouped by their second key too, so a common first word ("i", "in", "my")
    costs one more lookup instead of a comparison with every phrase it starts.
    """

    def __init__(self, *indexes: PhraseIndex) -> None:
        self._count = len(indexes)
        merged: dict[str, list[tuple]] = {}
        for n, index in enumerate(indexes):
            for key, candidates in index.candidates.items():
                by_second: dict[str, list[tuple]] = {}
                singles = []
                for length, second, rest, term, check in candidates:
                    if length == 1:
                        singles.append((term, check))
                    else:
                        by_second.setdefault(second, []).append((length, rest, term, check))
                merged.setdefault(key, []).append(
                    (n, {k: tuple(v) for k, v in by_second.items()}, tuple(singles)))
        self._by_first = {key: tuple(entries) for key, entries in merged.items()}

    def scan(self, tokens: Tokens) -> list[list[Hit]]:
        """Each index's hits: the longest non-overlapping terms, left to right."""
        keys, surfaces, get = tokens.keys, tokens.surfaces, self._by_first.get
        results: list[list[Hit]] = [[] for _ in range(self._count)]
        free = [0] * self._count  # the first token each index may still use
        n = len(keys)
        for i, key in enumerate(keys):
            entries = get(key)
            if entries is None:
                continue
            following = keys[i + 1] if i + 1 < n else None
            for which, by_second, singles in entries:
                if i < free[which]:
                    continue
                hit = None
                longer = by_second.get(following) if by_second else None
                if longer is not None:
                    for length, rest, term, check in longer:
                        end = i + length
                        if end > n or (rest and keys[i + 2:end] != rest):
                            continue
                        if term.upper and not all(is_upper(surfaces[k]) for k in range(i, end)):
                            continue
                        if check is not None and not check(tokens, i, end, term):
                            continue
                        hit = Hit(i, end, term)
                        break
                if hit is None:
                    for term, check in singles:
                        if term.upper and not is_upper(surfaces[i]):
                            continue
                        if check is not None and not check(tokens, i, i + 1, term):
                            continue
                        hit = Hit(i, i + 1, term)
                        break
                if hit is not None:
                    results[which].append(hit)
                    free[which] = hit.end
        return results
