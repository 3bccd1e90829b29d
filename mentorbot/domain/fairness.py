"""How evenly mentees are spread across mentors: the Gini coefficient and a load summary.

Pure values: the matching solver, the offline ``mentorbot match`` command and reports use them to
show whether a few willing mentors carry the program (the "minority tax").
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["LoadSummary", "gini", "load_summary"]


def gini(values: Sequence[float]) -> float:
    """The Gini coefficient of non-negative ``values`` (zeros included): 0 = equal, →1 = one holds all.

    0.0 for an empty sequence or when every value is zero.
    """
    ordered = sorted(float(v) for v in values)
    n = len(ordered)
    total = sum(ordered)
    if n == 0 or total <= 0:
        return 0.0
    # G = (2 * sum_i i * x_(i)) / (n * sum x) - (n + 1) / n, with 1-based ranks over sorted values.
    weighted = sum(rank * value for rank, value in enumerate(ordered, start=1))
    return max(0.0, 2.0 * weighted / (n * total) - (n + 1) / n)


@dataclass(frozen=True, slots=True)
class LoadSummary:
    """Mentor loads at a glance: mean and max mentees per mentor, and their Gini coefficient."""

    mean: float
    max: int
    gini: float


def load_summary(loads: Sequence[int]) -> LoadSummary:
    """Summarise mentor loads (one entry per mentor, zeros included); all zero for no mentors."""
    if not loads:
        return LoadSummary(mean=0.0, max=0, gini=0.0)
    return LoadSummary(mean=sum(loads) / len(loads), max=max(loads), gini=gini(loads))
