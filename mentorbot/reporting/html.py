"""The report page: one self-contained HTML file (inline CSS, charts as data: URIs, no scripts).

It must open offline, from an e-mail attachment or a USB stick, years later: nothing is fetched.
Charts are SVG embedded as ``data:image/svg+xml;base64`` images, so their internal ids never
clash and a browser draws them like any picture.
"""
from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Sequence

from .charts import (Chart, coverage_chart, joins_chart, load_chart, spend_chart, time_to_match_chart,
                     wins_chart)
from .data import CampaignData
from .series import coverage_by_day, joins_per_week, load_distribution, spend_line, wins_per_week
from .stats import CampaignStats, compute_stats, days_to_match

__all__ = ["CampaignSection", "build_section", "render_page", "CHART_COUNT"]

CHART_COUNT = 6

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #222;
       background: #f6f7f9; }
header { background: #1f4e79; color: white; padding: 18px 32px; }
header h1 { margin: 0 0 4px 0; font-size: 24px; }
header p { margin: 0; opacity: 0.85; }
main { padding: 16px 32px 40px; }
section.campaign { margin-bottom: 32px; }
h2 { font-size: 20px; margin: 16px 0 8px; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 10px;
           margin-bottom: 16px; }
.figure { background: white; border-radius: 8px; padding: 10px 14px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.figure .value { font-size: 22px; font-weight: 600; }
.figure .label { font-size: 13px; color: #555; }
.charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 14px; }
.panel { background: white; border-radius: 8px; padding: 12px 14px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.panel h3 { margin: 0 0 6px; font-size: 16px; }
.panel img { width: 100%; height: auto; display: block; }
.panel .caption { font-size: 13px; color: #555; margin-top: 4px; }
.panel.empty .nodata { height: 220px; display: flex; align-items: center; justify-content: center;
                       text-align: center; color: #777; background: #fafafa; border: 2px dashed #ddd;
                       border-radius: 6px; padding: 0 24px; }
.panel.empty .nodata strong { display: block; font-size: 18px; color: #999; margin-bottom: 6px; }
footer { color: #777; font-size: 12px; padding: 0 32px 24px; }
"""


@dataclass(frozen=True, slots=True)
class CampaignSection:
    """One campaign's part of the page: its figures and its six charts."""

    name: str
    stats: CampaignStats
    charts: tuple[Chart, ...]


def build_section(data: CampaignData, *, name: str, zone: str, budget_usd: float, warning_usd: float,
                  progress: Callable[[str], None] | None = None) -> CampaignSection:
    """Compute the figures and draw every chart of one campaign (``progress`` hears each step)."""
    say = progress or (lambda _: None)
    stats = compute_stats(data, budget_usd=budget_usd, zone=zone)
    steps: list[tuple[str, Callable[[], Chart]]] = [
        ("joins per week", lambda: joins_chart(joins_per_week(data, zone))),
        ("match coverage", lambda: coverage_chart(coverage_by_day(data, zone))),
        ("time to match", lambda: time_to_match_chart(days_to_match(data))),
        ("mentor load", lambda: load_chart(load_distribution(data), stats.load.gini)),
        ("wins amplified", lambda: wins_chart(wins_per_week(data, zone))),
        ("spend", lambda: spend_chart(spend_line(data, zone=zone, budget_usd=budget_usd,
                                                        warning_usd=warning_usd))),
    ]
    charts = []
    for i, (label, make) in enumerate(steps, start=1):
        say(f"{data.campaign_id}: chart {i}/{len(steps)} ({label})")
        charts.append(make())
    return CampaignSection(name, stats, tuple(charts))


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _figures(s: CampaignStats) -> str:
    people = {role: sum(stages.values()) for role, stages in s.participants.items()}
    share = "-" if s.matched_share is None else f"{s.matched_share:.0%}"
    median = "-" if s.median_days_to_match is None else f"{s.median_days_to_match:.1f} d"
    items = [
        (str(people.get("mentee", 0)), "mentees"),
        (str(people.get("mentor", 0)), "mentors"),
        (share, f"matched ({s.matched_mentees} of {s.waiting_mentees} active mentees)"),
        (median, "median time to match"),
        (f"{s.active_matches} / {s.declined_matches}", "active / declined matches"),
        (", ".join(f"{k.replace('_', ' ')} {v}" for k, v in s.check_ins.items()) or "-", "check-in answers"),
        (str(s.wins_amplified), "wins amplified"),
        (str(sum(s.posts_made.values())), "posts made (" + (", ".join(
            f"{k} {v}" for k, v in s.posts_made.items()) or "none") + ")"),
        (f"{s.load.mean:.2f} / {s.load.max} / {s.load.gini:.2f}", "mentor load: mean / max / Gini"),
        (f"${s.spent_usd:.2f}", f"API spend this month of ${s.budget_usd:.2f}"
                                f" (projected ${s.projected_usd:.2f})"),
    ]
    cells = "".join(f'<div class="figure"><div class="value">{_e(v)}</div><div class="label">{_e(label)}'
                    f"</div></div>" for v, label in items)
    return f'<div class="figures">{cells}</div>'


def _panel(chart: Chart) -> str:
    if chart.svg is None:
        return (f'<div class="panel empty" id="{_e(chart.key)}"><h3>{_e(chart.title)}</h3>'
                f'<div class="nodata"><div><strong>No data yet</strong>{_e(chart.empty_reason)}</div></div></div>')
    data = base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
    return (f'<div class="panel" id="{_e(chart.key)}"><h3>{_e(chart.title)}</h3>'
            f'<img alt="{_e(chart.title)}" src="data:image/svg+xml;base64,{data}">'
            f'<div class="caption">{_e(chart.caption)}</div></div>')


def render_page(sections: Sequence[CampaignSection], *, generated_at: datetime, note: str = "") -> str:
    """The whole page; ``note`` says when the data is a simulation's."""
    body = []
    for section in sections:
        s = section.stats
        body.append(f'<section class="campaign"><h2>{_e(section.name)} <small>({_e(s.campaign_id)})</small></h2>'
                    f"{_figures(s)}<div class=\"charts\">{''.join(_panel(c) for c in section.charts)}</div>"
                    f"</section>")
    if not sections:
        body.append('<div class="panel empty"><div class="nodata"><div><strong>No data yet</strong>'
                    "No campaign to report on.</div></div></div>")
    as_of = sections[0].stats.now if sections else generated_at
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mentorbot report</title><style>{_CSS}</style></head>
<body><header><h1>mentorbot report</h1>
<p>As of {as_of:%Y-%m-%d %H:%M} UTC{_e(note)}</p></header>
<main>{''.join(body)}</main>
<footer>Made by mentorbot on {generated_at:%Y-%m-%d %H:%M} UTC. Self-contained: this file fetches nothing.</footer>
</body></html>
"""
