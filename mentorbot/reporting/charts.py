"""The report's charts, drawn with matplotlib (Agg, no display) and returned as SVG text.

Each function takes the series of :mod:`.series` and returns a :class:`Chart`: SVG text, or
``None`` with the reason when there is nothing to draw yet, so that the page shows a clear
"no data yet" panel instead of an empty axis (or a crash). matplotlib is an optional extra
(``pip install 'mentorbot[report]'``): :func:`require_matplotlib` says how to get it.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from statistics import median
from typing import Any, Callable

from ..errors import MentorbotError
from .series import Coverage, SpendLine, Weekly

__all__ = ["Chart", "require_matplotlib", "joins_chart", "coverage_chart", "time_to_match_chart",
           "load_chart", "wins_chart", "spend_chart", "INSTALL_HINT"]

INSTALL_HINT = "pip install -e '.[report]' in a clone of mentorbot (or: pip install 'matplotlib>=3.8')"
_ROLE_COLOURS = {"mentee": "#2a7ab0", "mentor": "#e07b39"}
_ACCENT, _MUTED, _ALERT = "#2a7ab0", "#8c8c8c", "#c0392b"


class MissingExtra(MentorbotError):
    """An optional dependency is not installed."""


@dataclass(frozen=True, slots=True)
class Chart:
    """One panel of the report: its title, and SVG text or why there is none yet."""

    key: str
    title: str
    svg: str | None
    empty_reason: str = ""
    caption: str = ""


def require_matplotlib() -> Any:
    """matplotlib on the Agg backend, or a MissingExtra that says how to install it."""
    try:
        import matplotlib
    except ImportError as exc:
        raise MissingExtra(f"the report needs matplotlib, which is not installed. Fix: {INSTALL_HINT}") from exc
    matplotlib.use("Agg")  # headless: never open a window, never need a display
    return matplotlib


def _draw(draw: Callable[[Any], None], *, width: float = 6.4, height: float = 3.4) -> str:
    """Run ``draw(axes)`` on a fresh figure and return it as SVG text (text kept as text)."""
    matplotlib = require_matplotlib()
    from matplotlib.figure import Figure

    style = {"svg.fonttype": "none", "svg.hashsalt": "mentorbot", "font.size": 10,
             "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
             "grid.alpha": 0.3, "axes.axisbelow": True}
    with matplotlib.rc_context(style):
        fig = Figure(figsize=(width, height), layout="constrained")
        draw(fig.add_subplot())
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def _week_labels(weeks: tuple[date, ...]) -> list[str]:
    return [f"{w:%d %b}" for w in weeks]


def _thin_ticks(ax: Any, labels: list[str], most: int = 12) -> None:
    step = max(1, -(-len(labels) // most))
    ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=30, ha="right")


def joins_chart(weekly: Weekly) -> Chart:
    title = "Joins per week, by role"
    if weekly.total == 0:
        return Chart("joins", title, None, "Nobody has joined yet: joins appear here as people post to the bot.")

    def draw(ax: Any) -> None:
        x = list(range(len(weekly.weeks)))
        width = 0.8 / max(1, len(weekly.counts))
        for i, (role, counts) in enumerate(weekly.counts.items()):
            offsets = [v - 0.4 + width * (i + 0.5) for v in x]
            ax.bar(offsets, counts, width, label=f"{role}s", color=_ROLE_COLOURS.get(role, _MUTED))
        _thin_ticks(ax, _week_labels(weekly.weeks))
        ax.set_xlabel("week starting")
        ax.set_ylabel("people")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.legend(frameon=False)

    caption = ", ".join(f"{sum(c)} {role}s" for role, c in weekly.counts.items())
    return Chart("joins", title, _draw(draw), caption=caption)


def coverage_chart(coverage: Coverage) -> Chart:
    title = "Match coverage over time"
    if not coverage.days or not any(coverage.matched):
        reason = ("No mentees yet." if not coverage.days
                  else "No mentee has been matched yet: the first matching round fills this in.")
        return Chart("coverage", title, None, reason)

    def draw(ax: Any) -> None:
        shares = [100 * s if s is not None else float("nan") for s in coverage.shares]
        ax.plot(coverage.days, shares, color=_ACCENT, linewidth=2, drawstyle="steps-post")
        ax.fill_between(coverage.days, shares, step="post", alpha=0.15, color=_ACCENT)
        ax.set_ylim(0, 105)
        ax.set_ylabel("% of active mentees matched")
        twin = ax.twinx()
        twin.plot(coverage.days, coverage.mentees, color=_MUTED, linestyle="--", linewidth=1)
        twin.set_ylabel("active mentees (dashed)", color=_MUTED)
        twin.set_ylim(0, max(coverage.mentees) * 1.15 + 1)
        twin.grid(False)
        ax.xaxis.set_major_formatter(_date_format())
        ax.figure.autofmt_xdate()

    last = coverage.shares[-1]
    caption = f"now {coverage.matched[-1]} of {coverage.mentees[-1]} active mentees matched" + (
        f" ({last:.0%})" if last is not None else "")
    return Chart("coverage", title, _draw(draw), caption=caption)


def time_to_match_chart(days: list[float]) -> Chart:
    title = "Time to match"
    if not days:
        return Chart("time_to_match", title, None, "No mentee has been matched yet.")

    def draw(ax: Any) -> None:
        top = max(days)
        bins = max(1, min(20, int(top) + 1))
        ax.hist(days, bins=bins, range=(0, max(1.0, bins)), color=_ACCENT, edgecolor="white")
        ax.set_xlabel("days from joining to the first proposed match")
        ax.set_ylabel("mentees")
        ax.yaxis.get_major_locator().set_params(integer=True)

    return Chart("time_to_match", title, _draw(draw),
                 caption=f"{len(days)} mentees; median {median(days):.1f} days, longest {max(days):.1f} days")


def load_chart(distribution: dict[int, int], gini: float) -> Chart:
    title = "Mentor load distribution"
    if not distribution:
        return Chart("load", title, None, "No active mentors yet.")

    def draw(ax: Any) -> None:
        loads = list(distribution)
        ax.bar(loads, list(distribution.values()), color=_ROLE_COLOURS["mentor"], width=0.6)
        ax.set_xticks(loads, [str(k) for k in loads])
        ax.set_xlabel("open pairs (proposed or active) per mentor")
        ax.set_ylabel("mentors")
        ax.yaxis.get_major_locator().set_params(integer=True)

    mentors = sum(distribution.values())
    return Chart("load", title, _draw(draw),
                 caption=f"{mentors} mentors; Gini {gini:.2f} (0 = evenly spread, 1 = one mentor carries all)")


def wins_chart(weekly: Weekly) -> Chart:
    title = "Wins amplified per week"
    if weekly.total == 0:
        return Chart("wins", title, None, "No win has been amplified yet: reposts of mentees' wins appear here.")

    def draw(ax: Any) -> None:
        counts = weekly.counts["repost"]
        ax.bar(range(len(counts)), counts, color="#27ae60", width=0.6)
        _thin_ticks(ax, _week_labels(weekly.weeks))
        ax.set_xlabel("week starting")
        ax.set_ylabel("reposts")
        ax.yaxis.get_major_locator().set_params(integer=True)

    return Chart("wins", title, _draw(draw), caption=f"{weekly.total} wins amplified")


def spend_chart(line: SpendLine) -> Chart:
    title = "API spend per month against the budget"
    if not line.times:
        return Chart("spend", title, None,
                     f"Nothing spent yet this month or the two before (budget ${line.budget_usd:.2f} a month).")

    def draw(ax: Any) -> None:
        ax.plot(line.times, line.cumulative, color=_ACCENT, linewidth=2, label="spent this month so far")
        ax.plot([line.now, line.month_end], [line.this_month_usd, line.projected_usd], color=_ACCENT,
                linestyle="--", linewidth=1, label=f"projected ${line.projected_usd:.2f}")
        ax.axhline(line.budget_usd, color=_ALERT, linewidth=1.5, label=f"budget ${line.budget_usd:.2f}")
        ax.axhline(line.warning_usd, color=_ALERT, linewidth=1, linestyle=":",
                   label=f"warning ${line.warning_usd:.2f}")
        for start in line.month_starts[1:]:
            ax.axvline(start, color=_MUTED, linewidth=0.8, alpha=0.5)
        top = max(line.budget_usd, line.projected_usd, max(line.cumulative))
        ax.set_ylim(0, top * 1.1 or 1.0)
        ax.set_xlim(line.month_starts[0], line.month_end)
        ax.set_ylabel("USD spent in the month")
        ax.xaxis.set_major_formatter(_date_format())
        ax.legend(frameon=False, loc="center left", fontsize=8)
        ax.figure.autofmt_xdate()

    share = f" ({line.this_month_usd / line.budget_usd:.1%} of the budget)" if line.budget_usd > 0 else ""
    return Chart("spend", title, _draw(draw),
                 caption=f"${line.this_month_usd:.3f} spent this month{share}; "
                         f"${line.projected_usd:.2f} projected at this pace")


def _date_format() -> Any:
    from matplotlib.dates import DateFormatter

    return DateFormatter("%d %b")
