"""The command line: one click group, thin over the library. Logging is configured here, once."""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

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


@click.group()
@click.version_option(__version__, prog_name="mentorbot")
@click.option("--env-file", default=".env", show_default=True, metavar="PATH",
              help="Settings file read after the environment (the environment wins).")
@click.option("--log-json", is_flag=True, help="Write logs as JSON lines (for hosted workers).")
@click.option("--log-level", default="INFO", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False))
@click.pass_context
def cli(ctx: click.Context, env_file: str, log_json: bool, log_level: str) -> None:
    """mentorbot: run a hashtag-guided mentorship program on X."""
    configure_logging(json_lines=log_json, level=log_level.upper())
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

    sb = Sandbox(seed=seed)
    bot = sb.create_user(bot_handle, name=bot_handle,
                         description="Automated account: mentorship program bot (sandbox)")
    server = sb.serve(host=host, port=port)
    click.echo(f"Sandbox X API listening on {server.url}")
    click.echo(f"Admin API: {server.url}/sandbox/ (see README, 'The sandbox')")
    click.echo("Bot account .env lines (sandbox-only credentials):\n")
    click.echo(sb.env_lines(bot, server.url))
    click.echo("\nPress Ctrl-C to stop.")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        click.echo("Sandbox stopped.")


def main() -> None:
    try:
        cli(standalone_mode=True)
    except MentorbotError as exc:  # pragma: no cover - click handles most; this is the last net
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
