"""The command line: one click group, thin over the library. Logging is configured here, once."""
from __future__ import annotations

import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

import click

from . import __version__
from .config.env import Settings, load_settings
from .errors import ConfigError, MentorbotError
from .logs import add_secrets, configure_logging

DEFAULT_CAMPAIGN_DIR = Path("config/campaigns")


@dataclass
class _Context:
    env_file: str
    _settings: Settings | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.env_file)
            add_secrets(self._settings.secrets())
        return self._settings


def _campaign_files(given: tuple[str, ...]) -> list[Path]:
    if given:
        return [Path(p) for p in given]
    return sorted(DEFAULT_CAMPAIGN_DIR.glob("*.toml"))


class _LazyGroup(click.Group):
    """A group whose commands in ``lazy`` ({name: "module:attribute"}) are imported when first
    asked for: ``mentorbot classify`` need not load the organizer commands' libraries."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        if args and args[0] not in self.commands and args[0] not in self.lazy:
            for name in self.lazy:  # an unknown name: load them all, so the hint names them too
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy and name not in self.commands:
            module, attribute = self.lazy[name].split(":")
            self.add_command(getattr(import_module(module, __package__), attribute), name)
        return super().get_command(ctx, name)


@click.group(cls=_LazyGroup, lazy={
    "init": ".cli_campaign:init", "campaign": ".cli_campaign:campaign", "matches": ".cli_matches:matches",
    "stats": ".reporting.cli:stats", "report": ".reporting.cli:report", "dashboard": ".reporting.cli:dashboard"})
@click.version_option(__version__, prog_name="mentorbot")
@click.option("--env-file", default=".env", show_default=True, metavar="PATH",
              help="Settings file read after the environment (the environment wins).")
@click.option("--log-json", is_flag=True, help="Write logs as JSON lines (for hosted workers).")
@click.option("--log-level", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
              help="Default INFO (WARNING for demo, whose output is its story).")
@click.pass_context
def cli(ctx: click.Context, env_file: str, log_json: bool, log_level: str | None) -> None:
    """mentorbot: run a hashtag-guided mentorship program on X."""
    quiet = ctx.invoked_subcommand == "demo"
    configure_logging(json_lines=log_json, level=(log_level or ("WARNING" if quiet else "INFO")).upper())
    ctx.obj = _Context(env_file=env_file)
    try:
        ctx.obj.settings  # load early so every secret is registered with the log redactor
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command()
@click.option("--campaign", "campaigns", multiple=True, type=click.Path(dir_okay=False),
              help="Campaign file to check (repeatable). Default: every config/campaigns/*.toml.")
@click.option("--offline", is_flag=True, help="Check the files only; do not call X.")
@click.pass_obj
def check(obj: _Context, campaigns: tuple[str, ...], offline: bool) -> None:
    """Validate campaign files and credentials, and say who the bot is."""
    from .checks import run_checks

    report = run_checks(obj.settings, _campaign_files(campaigns), call_platform=not offline)
    for line in report.lines:
        click.echo(line)
    click.echo(report.summary)
    if not report.ok:
        sys.exit(1)


@cli.group()
def sandbox() -> None:
    """The local sandbox X API server (no credentials, no network)."""


@sandbox.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8787, show_default=True, type=int, help="Port (0 picks a free one).")
@click.option("--bot", "bot_handle", default="MedMentorBot", show_default=True,
              help="Username of the bot account to create.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed for ids, tokens and faults.")
def sandbox_serve(host: str, port: int, bot_handle: str, seed: int) -> None:
    """Run the sandbox X API server until Ctrl-C, printing .env lines for the bot account."""
    from .sandbox import Sandbox

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):  # before anything starts: no window for a race
        signal.signal(signum, lambda *_: stop.set())
    sb = Sandbox(seed=seed)
    bot = sb.create_user(bot_handle, name=bot_handle,
                         description="Automated account: mentorship program bot (sandbox)")
    server = sb.serve(host=host, port=port)
    try:
        click.echo(f"Sandbox X API listening on {server.url}")
        click.echo(f"Admin API: {server.url}/sandbox/ (see README, 'The sandbox')")
        click.echo("Bot account .env lines (sandbox-only credentials):\n")
        click.echo(sb.env_lines(bot, server.url))
        click.echo("\nPress Ctrl-C to stop.")
        stop.wait()
    finally:
        server.close()
        click.echo("Sandbox stopped.")


@cli.command()
@click.option("--campaign", "campaigns", multiple=True, type=click.Path(dir_okay=False),
              help="Campaign file to run (repeatable). Default: every config/campaigns/*.toml.")
@click.option("--dry-run", is_flag=True,
              help="Plan and log every action, send nothing (use a scratch MENTORBOT_DB).")
@click.pass_obj
def run(obj: _Context, campaigns: tuple[str, ...], dry_run: bool) -> None:
    """Run the bot: poll mentions, plan and send actions, on each campaign's schedule."""
    from .runtime import run_worker

    files = _campaign_files(campaigns)
    if not files:
        raise click.ClickException("no campaign files found. Fix: create one under config/campaigns/ "
                                   "or pass --campaign FILE")
    summary = run_worker(obj.settings, files, dry_run=dry_run)
    click.echo(summary)


@cli.command()
@click.option("--campaign", "campaign_path", default=str(DEFAULT_CAMPAIGN_DIR / "medmentormatch.toml"),
              show_default=True, type=click.Path(dir_okay=False), help="The campaign to simulate.")
@click.option("--seed", default=7, show_default=True, type=int, help="Seed of the simulated community.")
@click.option("--weeks", default=4, show_default=True, type=click.IntRange(1, 12),
              help="Simulated weeks.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Keep the bot's database and the sandbox's records (JSON lines) in this directory.")
def demo(campaign_path: str, seed: int, weeks: int, out: Path | None) -> None:
    """Run a simulated program for a few weeks in the embedded sandbox and tell what happened."""
    from .runtime import mark_simulated
    from .simulation.demo import run_demo, story

    default = str(DEFAULT_CAMPAIGN_DIR / "medmentormatch.toml")
    if campaign_path == default and not Path(campaign_path).is_file():
        # Outside the repository: the example campaign shipped inside the package.
        campaign_path = str(Path(__file__).parent / "data" / "campaign.example.toml")
    if not Path(campaign_path).is_file():
        raise click.ClickException(f"{campaign_path} not found. Fix: pass --campaign FILE "
                                   "(`mentorbot init` writes one)")
    started = time.monotonic()
    with click.progressbar(length=weeks * 7, label="Simulating", file=sys.stderr,
                           show_eta=False) as bar:
        result = run_demo(campaign_path=campaign_path, seed=seed, weeks=weeks, out=out,
                          progress=lambda _: bar.update(1))
    click.echo(story(result))
    mark_simulated(result.store, result.ended)  # `status`/`cost` on it then speak of simulated time
    result.store.close()
    where = f"; database and records in {out}/" if out else ""
    click.echo(f"Done: {weeks} week{'s' if weeks != 1 else ''} simulated in {time.monotonic() - started:.1f} s{where}.")


@cli.command()
@click.pass_obj
def pause(obj: _Context) -> None:
    """Turn on the kill switch: the running worker stops acting within one tick."""
    from .runtime import set_kill_switch

    set_kill_switch(obj.settings, on=True)
    click.echo("Paused: the worker will skip every job until `mentorbot resume`.")


@cli.command()
@click.pass_obj
def resume(obj: _Context) -> None:
    """Turn off the kill switch."""
    from .runtime import set_kill_switch

    set_kill_switch(obj.settings, on=False)
    click.echo("Resumed: the worker acts again from its next tick.")


@cli.command()
@click.option("--campaign", "campaigns", multiple=True, type=click.Path(dir_okay=False),
              help="Campaign file (repeatable). Default: every config/campaigns/*.toml.")
@click.pass_obj
def status(obj: _Context, campaigns: tuple[str, ...]) -> None:
    """Per campaign: cursors, queue sizes, last errors, spend and rate-limit state."""
    from .runtime import status_report

    click.echo(status_report(obj.settings, _campaign_files(campaigns)))


@cli.command()
@click.option("--campaign", "campaigns", multiple=True, type=click.Path(dir_okay=False),
              help="Campaign file (repeatable). Default: every config/campaigns/*.toml.")
@click.pass_obj
def cost(obj: _Context, campaigns: tuple[str, ...]) -> None:
    """API spend so far this month, by kind, and the month's projection against the budget."""
    from .runtime import cost_report

    click.echo(cost_report(obj.settings, _campaign_files(campaigns)))


@cli.command()
@click.option("--campaign", "campaign_path", type=click.Path(dir_okay=False, exists=True),
              help="Use this campaign's settings (bot handle, stated preferences). Without it, "
                   "every post is read as addressed to the bot.")
@click.option("--vocabulary", "vocabulary_path", type=click.Path(dir_okay=False, exists=True),
              help="A vocabulary file to try instead of the shipped one.")
@click.option("--evidence", is_flag=True, help="Add the words behind each decision to every line "
                                                "(a guess of the learned reading shows as model(...)).")
def classify(campaign_path: str | None, vocabulary_path: str | None, evidence: bool) -> None:
    """Classify JSON lines {"id", "text", "bio"} from stdin; one JSON line out per line in.

    Output: {"id", "intent", "role", "stage", "specialties"} (specialties sorted, nulls as
    null). Organizers use it to try keywords on sample bios before a launch.
    """
    from .classify_cli import classify_lines

    counts = classify_lines(sys.stdin, sys.stdout, campaign_path=campaign_path,
                            vocabulary_path=vocabulary_path, evidence=evidence)
    sys.stdout.flush()
    click.echo(f"Classified {counts.lines} line(s)"
               + (f"; {counts.errors} could not be read (see the error lines)" if counts.errors else "")
               + ".", err=True)


@cli.command()
@click.option("--input", "input_path", required=True, type=click.Path(dir_okay=False, exists=True, allow_dash=True),
              help='JSON lines {"id", "role", "stage", "specialties", "capacity", "exclude"} ("-": stdin).')
@click.option("--campaign", "campaign_path", type=click.Path(dir_okay=False, exists=True),
              help="Matching settings from this campaign. Default: config/campaigns/medmentormatch.toml.")
@click.option("--output", "output_path", type=click.Path(dir_okay=False, writable=True),
              help="Write the pairs here instead of stdout.")
def match(input_path: str, campaign_path: str | None, output_path: str | None) -> None:
    """Match a cohort offline, as a round would; one JSON line out per mentee.

    Output: {"mentee", "mentor" (null if unmatched), "score", "reasons"}; on stderr, the matched
    share, the mean score and the mentors' load (mean, max, Gini). A bad input line stops the
    command with its line number; nothing is matched.
    """
    from .match_cli import run_match

    run_match(input_path, campaign_path, output_path)


@cli.group(cls=_LazyGroup, lazy={name: f".cli_people:participants_{name}"
                                  for name in ("list", "approve", "block", "unblock", "export")})
def participants() -> None:
    """People in a campaign and their consent history."""


@participants.command("show")
@click.argument("handle")
@click.pass_obj
def participants_show(obj: _Context, handle: str) -> None:
    """One person: what the bot understood, their status, and every change of consent."""
    from .runtime import participant_report

    report = participant_report(obj.settings, handle)
    if report is None:
        raise click.ClickException(f"no one with the handle {handle} in {obj.settings.db_path}")
    click.echo(report)



def main() -> None:
    try:
        cli(standalone_mode=True)
    except MentorbotError as exc:  # pragma: no cover - click handles most; this is the last net
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
