"""`mentorbot stats`, `mentorbot report` and `mentorbot dashboard`: the organizer's views of the data.

They only read. The database is opened read-only (``mode=ro``), so a report never creates an
empty database by mistake and never takes a write lock from the running bot. On a database a
simulation wrote (`mentorbot demo`), "now" is the moment the simulation ended.
"""
from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click

from ..errors import MentorbotError
from .data import CampaignData, read_campaign

__all__ = ["stats", "report", "dashboard"]

_CAMPAIGN_HELP = "Campaign file (repeatable). Default: every config/campaigns/*.toml."


@dataclass(frozen=True, slots=True)
class _Loaded:
    name: str
    zone: str
    budget_usd: float
    warning_usd: float
    data: CampaignData


def _db_path(obj: Any, given: str | None) -> Path:
    path = Path(given or obj.settings.db_path)
    if not path.is_file():
        raise click.ClickException(
            f"no database at {path}. Fix: set MENTORBOT_DB (or --db) to the bot's database; "
            "to try the reports, run `mentorbot demo --out demo` and use demo/mentorbot.db")
    return path


def _connect_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _report_now(conn: sqlite3.Connection) -> tuple[datetime, str]:
    """The moment the report speaks of, and a note when it is a simulation's (see runtime)."""
    from ..runtime import SIMULATED_UNTIL

    row = conn.execute("SELECT value FROM flags WHERE name = ?", [SIMULATED_UNTIL]).fetchone()
    if row:
        until = datetime.fromisoformat(row[0]).astimezone(timezone.utc)
        return until, " (simulated time: when the simulation ended)"
    return datetime.now(timezone.utc), ""


def _load(obj: Any, campaigns: tuple[str, ...], db: str | None,
          progress: bool = False) -> tuple[Path, list[_Loaded], str]:
    """Read every campaign's rows from the database, with its campaign file's settings."""
    from ..cli import _campaign_files
    from ..config.campaign import load_campaign
    from ..config.vocabulary import load_vocabulary

    files = _campaign_files(campaigns)
    if not files:
        raise click.ClickException("no campaign files found. Fix: pass --campaign FILE, or run from the "
                                   "directory that holds config/campaigns/")
    path = _db_path(obj, db)
    vocabulary = load_vocabulary()
    try:
        loaded_campaigns = [load_campaign(f, vocabulary) for f in files]
    except MentorbotError as exc:
        raise click.ClickException(str(exc)) from exc
    conn = _connect_readonly(path)
    try:
        now, note = _report_now(conn)
        out = []
        for campaign in loaded_campaigns:
            if progress:
                click.echo(f"Reading campaign {campaign.id} from {path}...", err=True)
            data = read_campaign(conn, campaign.id, now, campaign.timezone)
            out.append(_Loaded(campaign.name, campaign.timezone, campaign.limits.monthly_budget_usd,
                               campaign.limits.budget_warning_usd, data))
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"cannot read {path}: {exc}. Is it a mentorbot database?") from exc
    finally:
        conn.close()
    return path, out, note


@click.command()
@click.option("--campaign", "campaigns", multiple=True, type=click.Path(dir_okay=False), help=_CAMPAIGN_HELP)
@click.option("--db", type=click.Path(dir_okay=False), help="Database file. Default: MENTORBOT_DB.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per campaign, in a list.")
@click.pass_obj
def stats(obj: Any, campaigns: tuple[str, ...], db: str | None, as_json: bool) -> None:
    """Per campaign: participants, matched share, time to match, check-ins, wins, posts, mentor load, spend."""
    from .stats import compute_stats, render_stats

    path, loaded, note = _load(obj, campaigns, db)
    figures = [compute_stats(c.data, budget_usd=c.budget_usd, zone=c.zone) for c in loaded]
    if as_json:
        click.echo(json.dumps([s.as_json() for s in figures], indent=2))
        return
    for c, s in zip(loaded, figures):
        click.echo(render_stats(s, name=c.name, note=note) + "\n")
    click.echo(f"Stats for {len(figures)} campaign(s) from {path}.")


@click.command()
@click.option("--out", "out_path", default="report.html", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="The HTML file to write.")
@click.option("--campaign", "campaigns", multiple=True, type=click.Path(dir_okay=False), help=_CAMPAIGN_HELP)
@click.option("--db", type=click.Path(dir_okay=False), help="Database file. Default: MENTORBOT_DB.")
@click.pass_obj
def report(obj: Any, out_path: Path, campaigns: tuple[str, ...], db: str | None) -> None:
    """Write one self-contained HTML page of charts (opens offline; send it as an attachment)."""
    from .charts import MissingExtra, require_matplotlib

    started = time.monotonic()
    try:
        require_matplotlib()
    except MissingExtra as exc:
        raise click.ClickException(str(exc)) from exc
    from .html import build_section, render_page

    path, loaded, note = _load(obj, campaigns, db, progress=True)
    sections = [build_section(c.data, name=c.name, zone=c.zone, budget_usd=c.budget_usd,
                              warning_usd=c.warning_usd, progress=lambda m: click.echo(f"  {m}", err=True))
                for c in loaded]
    page = render_page(sections, generated_at=datetime.now(timezone.utc), note=note)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(page, encoding="utf-8")
    drawn = sum(1 for s in sections for c in s.charts if c.svg is not None)
    total = sum(len(s.charts) for s in sections)
    click.echo(f"Wrote {out_path} ({len(page.encode()) / 1024:.0f} KB): {len(sections)} campaign(s), "
               f"{drawn} of {total} charts with data, in {time.monotonic() - started:.1f} s.")


def _serve_until_stopped(server: Any) -> int:
    """Wait for the Datasette process; on Ctrl-C or SIGTERM stop it too, never leave it orphaned."""
    import signal

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        try:
            server.wait(timeout=10)
        except Exception:  # it would not stop: end it
            server.kill()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


@click.command()
@click.option("--db", type=click.Path(dir_okay=False), help="Database file. Default: MENTORBOT_DB.")
@click.option("--campaign", "campaigns", multiple=True, type=click.Path(dir_okay=False),
              help="Campaign file whose budget the spend query shows (repeatable). "
                   "Default: every config/campaigns/*.toml.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.option("--print-metadata", is_flag=True,
              help="Print Datasette's metadata (the canned queries) as JSON and exit, starting nothing.")
@click.pass_obj
def dashboard(obj: Any, db: str | None, campaigns: tuple[str, ...], host: str, port: int,
              print_metadata: bool) -> None:
    """Browse the database in Datasette, read-only, with canned queries for the stats questions."""
    from ..cli import _campaign_files
    from ..config.campaign import load_campaign
    from .dashboard import INSTALL_HINT, dashboard_metadata, datasette_command

    path = _db_path(obj, db)
    budgets = {}
    for f in _campaign_files(campaigns):
        try:
            c = load_campaign(f)
        except MentorbotError as exc:
            raise click.ClickException(str(exc)) from exc
        budgets[c.id] = c.limits.monthly_budget_usd
    metadata = dashboard_metadata(path.stem, budgets)
    if print_metadata:
        click.echo(json.dumps(metadata, indent=2))
        return
    try:
        from importlib.metadata import version

        datasette_version = version("datasette")
    except Exception as exc:  # PackageNotFoundError, or a broken install
        raise click.ClickException(f"the dashboard needs Datasette, which is not installed. "
                                   f"Fix: {INSTALL_HINT}") from exc
    import subprocess

    with tempfile.TemporaryDirectory(prefix="mentorbot-dashboard-") as tmp:
        meta_path = Path(tmp) / "metadata.json"
        meta_path.write_text(json.dumps(metadata), encoding="utf-8")
        command = datasette_command(path, meta_path, host=host, port=port, datasette_version=datasette_version)
        click.echo(f"Datasette on http://{host}:{port}/{path.stem} (read-only; "
                   f"{len(metadata['databases'][path.stem]['queries'])} canned queries). Ctrl-C stops it.",
                   err=True)
        code = _serve_until_stopped(subprocess.Popen(command))
    click.echo(f"Dashboard stopped (Datasette exit code {code}).")
    if code not in (0, -2, 130):
        sys.exit(code)
