"""`mentorbot matches list|approve|end`: the organizer's view of who is paired with whom, and why.

Thin over the store and the rounds service: approving plans the introductions exactly as an
automatic round does; ending cancels the pair's pending posts. Every change is an event.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from .cli_options import CAMPAIGN_REF
from .cli_people import existing_store
from .config.env import Settings
from .domain.records import MATCH_STATUSES
from .tables import table

if TYPE_CHECKING:  # loaded when a command runs, so `mentorbot --help` and other commands stay quick
    from .domain.campaign import Campaign
    from .domain.records import Match
    from .domain.vocabulary import Vocabulary

__all__ = ["matches"]

_END_STATUSES = ("ended", "declined", "completed")


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj.settings  # the root command's context object (see cli.py)


def _campaigns(files: tuple[str, ...]) -> tuple[dict[str, Campaign], Vocabulary]:
    """The campaigns named by files (default: every config/campaigns/*.toml), by id, and the
    vocabulary they were read with."""
    from .config.campaign import load_campaign
    from .config.vocabulary import load_vocabulary

    paths = [Path(f) for f in files] or sorted(Path("config/campaigns").glob("*.toml"))
    vocabulary = load_vocabulary()
    return {c.id: c for c in (load_campaign(p, vocabulary) for p in paths)}, vocabulary


@click.group()
def matches() -> None:
    """Pairs: list them with their explanations, approve proposed ones, end one."""


@matches.command("list")
@click.option("--campaign", "campaign_id", type=CAMPAIGN_REF,
              help="Only this campaign (its id, e.g. medmentormatch, or its file).")
@click.option("--status", type=click.Choice(MATCH_STATUSES), help="Only matches in this status.")
@click.option("--reasons/--no-reasons", default=True, show_default=True,
              help="Show why each pair was made (the score's parts).")
@click.pass_context
def matches_list(ctx: click.Context, campaign_id: str | None, status: str | None, reasons: bool) -> None:
    """Every match with its status, score and explanation."""
    store = existing_store(_settings(ctx))
    try:
        ids = [campaign_id] if campaign_id else [c["id"] for c in store.campaigns()]
        found: list[tuple[Match, str, str]] = []
        for cid in ids:
            for m in store.matches(cid, status=status):
                found.append((m, _handle(store, m.mentee_id), _handle(store, m.mentor_id)))
    finally:
        store.close()
    if not found:
        click.echo("No matches" + (f" in status {status}" if status else "") + ".")
        return
    rows = [[str(m.id), m.campaign_id, "@" + mentee, "@" + mentor, m.status, f"{m.score:.2f}",
             m.check_in or "", f"{(m.updated_at or m.proposed_at):%Y-%m-%d}"] for m, mentee, mentor in found]
    click.echo(table(["id", "campaign", "mentee", "mentor", "status", "score", "check-in", "since"], rows,
                     rule=True))
    if reasons:
        click.echo("")
        for m, mentee, mentor in found:
            click.echo(f"#{m.id} @{mentee} + @{mentor}: " + ("; ".join(m.reasons) or "no explanation stored"))
    click.echo(f"Listed {len(found)} match(es).")


@matches.command("approve")
@click.argument("match_ids", nargs=-1, type=int)
@click.option("--all", "approve_all", is_flag=True, help="Approve every proposed match.")
@click.option("--campaign", "campaign_files", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="Campaign file (repeatable). Default: every config/campaigns/*.toml.")
@click.pass_context
def matches_approve(ctx: click.Context, match_ids: tuple[int, ...], approve_all: bool,
                    campaign_files: tuple[str, ...]) -> None:
    """Approve proposed matches by id: their introductions are planned for the worker to post."""
    if not match_ids and not approve_all:
        raise click.UsageError("name the match ids to approve, or use --all")
    from .clock import RealClock
    from .services.rounds import MatchingRound  # the solver loads only for commands that need it
    (campaigns, vocabulary), store = _campaigns(campaign_files), existing_store(_settings(ctx))
    try:
        approved: list[int] = []
        for cid, campaign in campaigns.items():
            wanted = [m.id for m in store.matches(cid, status="proposed")
                      if m.id is not None and (approve_all or m.id in match_ids)]
            if wanted:
                approved += MatchingRound(store, campaign, vocabulary, RealClock()).approve(wanted)
    finally:
        store.close()
    skipped = sorted(set(match_ids) - set(approved))
    if skipped:
        click.echo(f"Not approved (unknown, not proposed, or campaign file not given): "
                   f"{', '.join(map(str, skipped))}", err=True)
    click.echo(f"Approved {len(approved)} match(es); their introductions are planned.")
    if skipped and not approved:
        ctx.exit(1)


@matches.command("end")
@click.argument("match_id", type=int)
@click.option("--status", "status", type=click.Choice(_END_STATUSES), default="ended", show_default=True,
              help="How it ends: ended (organizer decision), declined (never pair them again) or completed.")
@click.option("--reason", default="organizer", show_default=True, help="Recorded with the event.")
@click.option("--campaign", "campaign_files", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="Campaign file (repeatable). Default: every config/campaigns/*.toml.")
@click.pass_context
def matches_end(ctx: click.Context, match_id: int, status: str, reason: str,
                campaign_files: tuple[str, ...]) -> None:
    """End one proposed or active match; its pending introduction or check-in is cancelled."""
    from .clock import RealClock
    from .services.rounds import MatchingRound
    (campaigns, vocabulary), store = _campaigns(campaign_files), existing_store(_settings(ctx))
    try:
        match = store.match(match_id)
        if match is None:
            raise click.ClickException(f"no match #{match_id}")
        campaign = campaigns.get(match.campaign_id)
        if campaign is None:
            raise click.ClickException(f"match #{match_id} belongs to campaign {match.campaign_id}; "
                                       "give its file with --campaign")
        if not MatchingRound(store, campaign, vocabulary, RealClock()).end(
                match_id, status=status, reason=reason):
            raise click.ClickException(f"match #{match_id} is {match.status}; only proposed or active "
                                       "matches can be ended")
    finally:
        store.close()
    click.echo(f"Match #{match_id} is now {status}; the mentee waits for the next round.")


def _handle(store, person_id: str) -> str:
    person = store.person(person_id)
    return person.username if person is not None else person_id
