"""`mentorbot dashboard`: the database in Datasette, read-only, with the stats questions as canned queries.

Datasette (an optional extra: ``pip install 'mentorbot[dashboard]'``) already does what an
organizer needs to browse: tables with facets, filters, CSV export, saved SQL. We only give it
the questions. It opens a mutable database file with ``?mode=ro`` and we define no writable
query, so nothing on the page can change the bot's data while the bot keeps running.

The SQL answers the same questions as :mod:`.stats` with the same definitions (active mentees;
proposed, active or completed matches count as matched; open pairs are proposed or active).
Weeks here are UTC weeks (SQLite knows no time zones); the report's are the campaign's.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Mapping

__all__ = ["CANNED_QUERIES", "dashboard_metadata", "datasette_command", "INSTALL_HINT"]

INSTALL_HINT = "pip install -e '.[dashboard]' in a clone of mentorbot (or: pip install 'datasette>=0.64')"

_OPEN = "('proposed', 'active')"
_LIVE = "('proposed', 'active', 'completed')"
_LOADS = f"""WITH mentors AS (
  SELECT campaign_id, person_id FROM participants WHERE role = 'mentor' AND status = 'active'
  UNION SELECT campaign_id, mentor_id FROM matches WHERE status IN {_OPEN}
), loads AS (
  SELECT x.campaign_id, x.person_id,
    (SELECT count(*) FROM matches m WHERE m.campaign_id = x.campaign_id AND m.mentor_id = x.person_id
       AND m.status IN {_OPEN}) AS open_pairs
  FROM mentors x
)"""

#: name -> (title, description, SQL). ``{budgets}`` becomes a VALUES list of the campaign files' budgets.
CANNED_QUERIES: dict[str, tuple[str, str, str]] = {
    "participants_by_role_and_stage": (
        "Participants by role and stage",
        "Everyone who joined, by role, career stage and current status.",
        "SELECT campaign_id, role, coalesce(stage, 'unstated') AS stage, status, count(*) AS people\n"
        "FROM participants GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"),
    "matched_share": (
        "Matched share of active mentees",
        "Active mentees with a proposed, active or completed match.",
        "SELECT w.campaign_id, count(DISTINCT w.person_id) AS active_mentees,\n"
        "  count(DISTINCT m.mentee_id) AS matched,\n"
        "  round(100.0 * count(DISTINCT m.mentee_id) / count(DISTINCT w.person_id), 1) AS matched_pct\n"
        "FROM participants w LEFT JOIN matches m ON m.campaign_id = w.campaign_id\n"
        f"  AND m.mentee_id = w.person_id AND m.status IN {_LIVE}\n"
        "WHERE w.role = 'mentee' AND w.status = 'active' GROUP BY w.campaign_id ORDER BY 1"),
    "time_to_match": (
        "Time to match, per mentee",
        "Days from joining to the first match proposed to each mentee.",
        "SELECT p.campaign_id, p.handle, p.joined_at, min(m.proposed_at) AS first_match_at,\n"
        "  round(max(0, julianday(min(m.proposed_at)) - julianday(p.joined_at)), 2) AS days_to_match\n"
        "FROM participants p JOIN matches m ON m.campaign_id = p.campaign_id AND m.mentee_id = p.person_id\n"
        "WHERE p.role = 'mentee' GROUP BY p.campaign_id, p.person_id ORDER BY 1, days_to_match"),
    "matches_by_status": (
        "Matches by status",
        "Proposed, active, declined, ended and completed pairs.",
        "SELECT campaign_id, status, count(*) AS matches FROM matches GROUP BY 1, 2 ORDER BY 1, 2"),
    "check_in_answers": (
        "Check-in answers",
        "How pairs answered \"how is it going?\".",
        "SELECT campaign_id, check_in AS answer, count(*) AS matches FROM matches\n"
        "WHERE check_in IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"),
    "wins_amplified_per_week": (
        "Wins amplified per week",
        "Reposts of mentees' wins that went out, by UTC week (Monday).",
        "SELECT campaign_id, date(updated_at, 'weekday 0', '-6 days') AS week_starting, count(*) AS reposts\n"
        "FROM actions WHERE kind = 'repost' AND status = 'done' GROUP BY 1, 2 ORDER BY 1, 2"),
    "posts_made": (
        "Posts made, by kind",
        "Every write that went out: replies, posts, reposts, deletions.",
        "SELECT campaign_id, kind, count(*) AS done FROM actions WHERE status = 'done'\n"
        "GROUP BY 1, 2 ORDER BY 1, 2"),
    "mentor_loads": (
        "Mentor loads",
        "Open pairs (proposed or active) per mentor, zeros included.",
        f"{_LOADS}\nSELECT l.campaign_id, p.handle, l.person_id, l.open_pairs, p.capacity\n"
        "FROM loads l LEFT JOIN participants p ON p.campaign_id = l.campaign_id AND p.person_id = l.person_id\n"
        "ORDER BY l.campaign_id, l.open_pairs DESC, p.handle"),
    "mentor_load_summary": (
        "Mentor load: mean, max and Gini",
        "Gini 0 = load spread evenly; towards 1 = a few mentors carry the program.",
        f"{_LOADS}, ranked AS (\n"
        "  SELECT campaign_id, open_pairs,\n"
        "    row_number() OVER (PARTITION BY campaign_id ORDER BY open_pairs) AS r FROM loads\n"
        ")\nSELECT campaign_id, count(*) AS mentors, round(avg(open_pairs), 2) AS mean_load,\n"
        "  max(open_pairs) AS max_load,\n"
        "  CASE WHEN sum(open_pairs) = 0 THEN 0.0 ELSE round(max(0.0, 2.0 * sum(r * open_pairs)\n"
        "    / (count(*) * sum(open_pairs)) - (count(*) + 1.0) / count(*)), 3) END AS gini\n"
        "FROM ranked GROUP BY campaign_id ORDER BY 1"),
    "spend_by_month": (
        "API spend against the monthly budget",
        "Spend per UTC month and the budget from the campaign files.",
        "WITH budgets(campaign_id, budget_usd) AS ({budgets})\n"
        "SELECT s.campaign_id, substr(s.at, 1, 7) AS month_utc, round(sum(s.usd), 3) AS spent_usd,\n"
        "  b.budget_usd, round(100.0 * sum(s.usd) / b.budget_usd, 1) AS budget_pct, sum(s.resources) AS resources\n"
        "FROM spend s LEFT JOIN budgets b ON b.campaign_id = s.campaign_id\n"
        "GROUP BY 1, 2 ORDER BY 1, 2 DESC"),
}


def _budgets_sql(budgets: Mapping[str, float]) -> str:
    if not budgets:
        return "SELECT NULL, NULL WHERE 0"  # no campaign files: the budget column stays empty
    def literal(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"
    return "VALUES " + ", ".join(f"({literal(cid)}, {float(usd)!r})" for cid, usd in sorted(budgets.items()))


def dashboard_metadata(db_name: str, budgets: Mapping[str, float]) -> dict:
    """Datasette metadata (0.x ``--metadata``; 1.x reads the same shape as ``--config``)."""
    queries = {name: {"title": title, "description": description,
                      "sql": sql.replace("{budgets}", _budgets_sql(budgets))}
               for name, (title, description, sql) in CANNED_QUERIES.items()}
    return {"title": "mentorbot",
            "description": "The bot's database, read-only. Canned queries answer the questions of "
                           "`mentorbot stats`.",
            "databases": {db_name: {"queries": queries}}}


def datasette_command(db_path: Path, metadata_path: Path, *, host: str, port: int,
                      datasette_version: str) -> list[str]:
    """The command line that serves ``db_path`` (opened ``mode=ro`` by Datasette)."""
    flag = "--config" if int(datasette_version.split(".")[0]) >= 1 else "--metadata"
    return [sys.executable, "-m", "datasette", "serve", str(db_path), flag, str(metadata_path),
            "--host", host, "--port", str(port)]
