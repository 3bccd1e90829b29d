"""`mentorbot stats`, `report` and `dashboard` on a real database that a simulated week filled.

The fixture runs the demo's real code path (sandbox over HTTP, the bot, SQLite) for one week of a
small community, then adds a few matches with check-in answers through the store, so that every
figure and chart has something to show. Figures are checked against SQL written independently.
"""
from __future__ import annotations

import asyncio
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from loguru import logger

from mentorbot.adapters.sqlite_store import SQLiteStore
from mentorbot.cli import cli
from mentorbot.domain.fairness import gini
from mentorbot.domain.records import Match
from mentorbot.reporting.dashboard import CANNED_QUERIES, datasette_command
from mentorbot.reporting.data import CampaignData, DoneAction, MatchRow, ParticipantRow, SpendRow
from mentorbot.reporting.stats import compute_stats
from mentorbot.runtime import mark_simulated
from mentorbot.simulation.demo import run_demo

CAMPAIGN = Path(__file__).resolve().parent.parent / "config" / "campaigns" / "medmentormatch.toml"
CID = "medmentormatch"
UTC = timezone.utc
SMALL = {"mentees": 10, "mentors": 5, "bystanders": 2, "trolls": 1, "spammers": 1, "bots": 0}


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """One simulated week, plus hand-added matches: active, declined, completed, with check-ins."""
    out = tmp_path_factory.mktemp("reporting-demo")
    logger.disable("mentorbot")  # a simulated week logs every HTTP call: quiet, and faster
    try:
        result = run_demo(campaign_path=CAMPAIGN, seed=11, weeks=1, out=out, community=SMALL)
    finally:
        logger.enable("mentorbot")
    store = result.store
    mark_simulated(store, result.ended)
    mentees = [p for p in store.participants(CID, role="mentee") if p.status == "active"]
    mentors = [p for p in store.participants(CID, role="mentor") if p.status == "active"]
    assert len(mentees) >= 3 and len(mentors) >= 2, "the scenario should have people to match"
    at = result.ended - timedelta(days=2)
    for mentee, status, answer in zip(mentees, ("active", "declined", "completed"), ("good", "not_a_fit", "good")):
        store.add_match(Match(campaign_id=CID, mentee_id=mentee.person_id, mentor_id=mentors[-1].person_id,
                              proposed_at=at, status=status, check_in=answer, score=2.0,
                              updated_at=at + timedelta(hours=5)))
    store.close()
    return result.db_path


@pytest.fixture
def run(demo_db):
    def invoke(*args: str, db: Path | None = None):
        return CliRunner().invoke(cli, ["--env-file", "/dev/null", *args, "--campaign", str(CAMPAIGN)],
                                  env={"MENTORBOT_DB": str(db or demo_db)}, catch_exceptions=False)
    return invoke


def _sql(db: Path, sql: str, params=()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def _stats_json(run) -> dict:
    result = run("stats", "--json")
    assert result.exit_code == 0, result.output
    (figures,) = json.loads(result.stdout)
    return figures


class TestStats:
    def test_counts_agree_with_the_database(self, run, demo_db):
        """People by role and stage, matches by status, done actions by kind: as SQL counts them."""
        s = _stats_json(run)
        people = Counter()
        for role, stage, n in _sql(demo_db, "SELECT role, coalesce(stage, 'unstated'), count(*) FROM participants"
                                            " WHERE campaign_id = ? GROUP BY 1, 2", [CID]):
            people[(role, stage)] = n
        assert {(r, st): n for r, stages in s["participants"].items() for st, n in stages.items()} == dict(people)
        assert s["matches"] == dict(_sql(demo_db, "SELECT status, count(*) FROM matches GROUP BY 1"))
        assert s["posts_made"] == dict(_sql(demo_db, "SELECT kind, count(*) FROM actions WHERE status = 'done'"
                                                     " GROUP BY 1"))
        assert s["wins_amplified"] == s["posts_made"].get("repost", 0)
        assert s["check_ins"] == dict(_sql(demo_db, "SELECT check_in, count(*) FROM matches"
                                                    " WHERE check_in IS NOT NULL GROUP BY 1"))
        assert s["check_ins"]["good"] >= 2 and s["check_ins"]["not_a_fit"] >= 1
        assert s["declined_matches"] >= 1 and s["active_matches"] >= 1

    def test_matched_share_counts_active_mentees_with_a_live_match(self, run, demo_db):
        """Matched = active mentee with a proposed, active or completed match; declined does not count."""
        s = _stats_json(run)
        active = {r[0] for r in _sql(demo_db, "SELECT person_id FROM participants WHERE role = 'mentee'"
                                              " AND status = 'active'")}
        live = {r[0] for r in _sql(demo_db, "SELECT mentee_id FROM matches"
                                            " WHERE status IN ('proposed', 'active', 'completed')")}
        assert s["waiting_mentees"] == len(active)
        assert s["matched_mentees"] == len(active & live)
        assert s["matched_share"] == pytest.approx(len(active & live) / len(active))

    def test_mentor_load_is_open_pairs_over_active_mentors(self, run, demo_db):
        """Mean, max and Gini of open pairs per active mentor, zeros included."""
        s = _stats_json(run)
        mentors = [r[0] for r in _sql(demo_db, "SELECT person_id FROM participants WHERE role = 'mentor'"
                                               " AND status = 'active'")]
        open_pairs = Counter(r[0] for r in _sql(demo_db, "SELECT mentor_id FROM matches"
                                                        " WHERE status IN ('proposed', 'active')"))
        loads = [open_pairs.get(m, 0) for m in mentors]
        assert set(open_pairs) <= set(mentors)
        assert s["load"] == {"mean": pytest.approx(sum(loads) / len(loads)), "max": max(loads),
                             "gini": pytest.approx(gini(loads))}
        assert s["load"]["max"] >= 1

    def test_spend_is_this_months_against_the_campaign_budget(self, run, demo_db):
        """The simulation ended in January 2026: spend since 1 Jan (New York), budget from the file."""
        s = _stats_json(run)
        (until,) = _sql(demo_db, "SELECT value FROM flags WHERE name = 'simulated_until'")[0]
        assert s["now"] == datetime.fromisoformat(until).astimezone(UTC).isoformat()
        (spent,) = _sql(demo_db, "SELECT sum(usd) FROM spend WHERE at < ?", [until])[0]
        assert s["spent_usd"] == pytest.approx(spent) and spent > 0
        assert s["budget_usd"] == 25.0 and s["projected_usd"] > s["spent_usd"]

    def test_terminal_rendering_names_every_figure_and_ends_with_one_line(self, run):
        result = run("stats")
        assert result.exit_code == 0
        for label in ("mentees", "mentors", "matched", "time to match", "matches", "check-in answers",
                      "wins amplified", "posts made", "mentor load", "API spend"):
            assert re.search(rf"^  {label}\s", result.output, re.M), label
        assert "simulated time" in result.output
        assert result.output.strip().splitlines()[-1].startswith("Stats for 1 campaign(s) from ")

    def test_a_missing_database_is_an_error_that_says_what_to_do(self, run, tmp_path):
        result = run("stats", db=tmp_path / "nope.db")
        assert result.exit_code == 1
        assert "no database at" in result.output and "Fix:" in result.output
        assert not (tmp_path / "nope.db").exists()  # read-only: never creates one

    def test_time_to_match_runs_from_joining_to_the_first_proposal(self):
        """Pure: a mentee matched twice counts once, from their first match."""
        t0 = datetime(2026, 3, 2, 12, tzinfo=UTC)
        people = tuple(ParticipantRow(f"m{i}", "mentee", "student", "active", t0, t0) for i in range(3))
        matches = (MatchRow("m0", "x", "declined", 1.0, t0 + timedelta(days=1), t0 + timedelta(days=2), None),
                   MatchRow("m0", "y", "active", 1.0, t0 + timedelta(days=3), t0 + timedelta(days=3), None),
                   MatchRow("m1", "y", "active", 1.0, t0 + timedelta(days=5), t0 + timedelta(days=5), None))
        data = CampaignData(CID, t0 + timedelta(days=9), t0, people, matches,
                            (DoneAction("repost", t0),), (SpendRow(t0, 0.5),), t0)
        s = compute_stats(data, budget_usd=10.0, zone="UTC")
        assert (s.median_days_to_match, s.mean_days_to_match) == (3.0, 3.0)
        assert (s.matched_mentees, s.waiting_mentees) == (2, 3)
        assert (s.load.max, s.mentors_counted) == (2, 1)  # y carries two; x's pair was declined
        assert s.wins_amplified == 1 and s.spent_usd == 0.5


def _report(run, tmp_path, db=None) -> tuple[Path, str, object]:
    out = tmp_path / "report.html"
    result = run("report", "--out", str(out), db=db)
    assert result.exit_code == 0, result.output
    return out, out.read_text(encoding="utf-8"), result


class TestReport:
    def test_every_chart_has_data_and_the_page_fetches_nothing(self, run, tmp_path):
        out, page, result = _report(run, tmp_path)
        assert page.count('src="data:image/svg+xml;base64,') == 6
        assert "No data yet" not in page
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//|url\(|<script|@import""", page, re.I)
        assert "chart 6/6" in result.stderr
        assert result.stdout.strip().splitlines()[-1].startswith(f"Wrote {out} (")
        assert "6 of 6 charts with data" in result.stdout

    def test_an_empty_database_shows_no_data_panels_not_a_crash(self, run, tmp_path):
        db = tmp_path / "empty.db"
        with SQLiteStore.open(db) as store:
            store.ensure_campaign(CID, "MedMentorMatch", ["MedMentorMatch"])
        out, page, result = _report(run, tmp_path, db=db)
        assert page.count("No data yet") == 6
        assert "0 of 6 charts with data" in result.stdout
        assert run("stats", db=db).exit_code == 0

    def test_without_matplotlib_it_says_how_to_install_it(self, run, tmp_path, monkeypatch):
        monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes `import matplotlib` fail
        result = run("report", "--out", str(tmp_path / "r.html"))
        assert result.exit_code == 1
        assert "pip install -e '.[report]'" in result.output
        assert not (tmp_path / "r.html").exists()

    @pytest.mark.skipif(shutil.which("chromium") is None,
                        reason="chromium is not installed (Debian: apt-get install chromium); "
                               "the headless rendering check needs it")
    def test_the_report_renders_in_headless_chromium_with_every_chart(self, run, tmp_path):
        """The screenshot holds each chart's colour: the charts were drawn, not just the page."""
        from matplotlib.image import imread

        out, _, _ = _report(run, tmp_path)
        shot = tmp_path / "report.png"
        subprocess.run(["chromium", "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
                        f"--screenshot={shot}", "--window-size=1200,1600", out.resolve().as_uri()],
                       check=True, capture_output=True, timeout=120)
        pixels = imread(shot)
        assert pixels.shape[:2] == (1600, 1200)
        rgb = Counter(tuple(int(round(c * 255)) for c in px[:3]) for px in pixels[::3, ::3].reshape(-1, pixels.shape[2]))
        for colour in ((0x2a, 0x7a, 0xb0), (0xe0, 0x7b, 0x39), (0x27, 0xae, 0x60)):  # blue, orange, green
            assert sum(n for c, n in rgb.items() if all(abs(a - b) <= 6 for a, b in zip(c, colour))) > 50, colour
        assert len(rgb) > 200  # text, axes and bars, not a blank or error page


def _metadata(run) -> dict:
    result = run("dashboard", "--print-metadata")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


class TestDashboard:
    def test_every_canned_query_runs_on_the_real_database(self, run, demo_db):
        queries = _metadata(run)["databases"][demo_db.stem]["queries"]
        assert set(queries) == set(CANNED_QUERIES)
        for name, query in queries.items():
            rows = _sql(demo_db, query["sql"])
            assert rows, f"{name} returned no rows on a database with data"

    def test_canned_queries_give_the_same_answers_as_stats(self, run, demo_db):
        s = _stats_json(run)
        queries = {n: q["sql"] for n, q in _metadata(run)["databases"][demo_db.stem]["queries"].items()}
        (_, waiting, matched, _pct), = _sql(demo_db, queries["matched_share"])
        assert (waiting, matched) == (s["waiting_mentees"], s["matched_mentees"])
        (_, mentors, mean, top, g), = _sql(demo_db, queries["mentor_load_summary"])
        assert (mentors, top) == (s["mentors_counted"], s["load"]["max"])
        assert mean == pytest.approx(s["load"]["mean"], abs=0.005) and g == pytest.approx(s["load"]["gini"], abs=5e-4)
        assert {a: n for _, a, n in _sql(demo_db, queries["check_in_answers"])} == s["check_ins"]
        assert {k: n for _, k, n in _sql(demo_db, queries["posts_made"])} == s["posts_made"]
        assert sum(n for *_, n in _sql(demo_db, queries["wins_amplified_per_week"])) == s["wins_amplified"]
        days = sorted(r[-1] for r in _sql(demo_db, queries["time_to_match"]))
        assert days[len(days) // 2] == pytest.approx(s["median_days_to_match"], abs=0.01) or len(days) % 2 == 0
        assert sum(r[2] for r in _sql(demo_db, queries["spend_by_month"])) == pytest.approx(s["spent_usd"], abs=0.002)
        assert {r[3] for r in _sql(demo_db, queries["spend_by_month"])} == {25.0}

    def test_datasette_serves_every_canned_query(self, run, demo_db):
        """Through Datasette's own client (no server, no port): each query page answers 200 with rows."""
        datasette_app = pytest.importorskip("datasette.app")
        metadata = _metadata(run)
        ds = datasette_app.Datasette(files=[str(demo_db)], metadata=metadata)

        async def fetch_all():
            return {name: await ds.client.get(f"/{demo_db.stem}/{name}.json?_shape=array")
                    for name in metadata["databases"][demo_db.stem]["queries"]}

        for name, response in asyncio.run(fetch_all()).items():
            assert response.status_code == 200, (name, response.text[:300])
            assert response.json(), name

    def test_the_server_command_opens_the_file_read_only_with_the_metadata(self, tmp_path):
        command = datasette_command(tmp_path / "m.db", tmp_path / "meta.json", host="127.0.0.1", port=8123,
                                    datasette_version="0.65.1")
        assert command[1:5] == ["-m", "datasette", "serve", str(tmp_path / "m.db")]
        assert "--metadata" in command and "--immutable" not in command and "8123" in command
        assert "--config" in datasette_command(tmp_path / "m.db", tmp_path / "c.json", host="h", port=1,
                                               datasette_version="1.0a19")
