"""`mentorbot participants list|approve|block|unblock|export`: the organizer's hand on who takes part.

Every change an organizer makes is a status change plus an event with ``source: organizer`` in
the same transaction, so `participants show` tells a person's whole history, bot's doings and
organizers' alike. Reading commands never create a database: a wrong ``MENTORBOT_DB`` is an
error that says so, not an empty table.
"""
from __future__ import annotations

import csv
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .cli_options import CAMPAIGN_REF

from .config.env import Settings
from .domain.records import PARTICIPANT_STATUSES, ROLES, Participant
from .tables import table

if TYPE_CHECKING:  # the store is imported when a command runs: `mentorbot --help` stays quick
    from .adapters.sqlite_store import SQLiteStore

__all__ = ["PARTICIPANT_COMMANDS", "existing_store", "table", "EXPORT_COLUMNS"]

ORGANIZER = "organizer"
EXPORT_COLUMNS = ("campaign", "handle", "role", "stage", "specialties", "capacity", "status", "joined_at")
_OPEN_MATCHES = ("proposed", "active")


def existing_store(settings: Settings, *, required: bool = True) -> SQLiteStore | None:
    """The database at ``MENTORBOT_DB`` if it exists; otherwise an error (or None)."""
    if Path(settings.db_path).is_file():
        from .bootstrap import open_store

        return open_store(settings)
    if not required:
        return None
    raise click.ClickException(f"no database at {settings.db_path}. Fix: set MENTORBOT_DB (environment or "
                               ".env) to the bot's database file, or run the bot first")


def _campaign_ids(store: SQLiteStore, campaign_id: str | None) -> list[str]:
    known = [c["id"] for c in store.campaigns()]
    if campaign_id is None:
        return known
    if campaign_id not in known:
        raise click.ClickException(f"no campaign '{campaign_id}' in the database. Fix: use one of: "
                                   f"{', '.join(known) or '(none yet)'}")
    return [campaign_id]


def _find(store: SQLiteStore, settings: Settings, handle: str, campaign_id: str | None) -> Participant:
    """The one participation ``handle`` names, or an error that says how to name it."""
    name = handle.lstrip("@")
    person = store.person_by_handle(name)
    if person is None:
        raise click.ClickException(f"no one with the handle @{name} in {settings.db_path}. Fix: check the "
                                   "spelling; `mentorbot participants list` shows everyone")
    found = [p for cid in _campaign_ids(store, campaign_id)
             if (p := store.participant(cid, person.id)) is not None]
    if not found:
        where = f"campaign '{campaign_id}'" if campaign_id else "any campaign"
        raise click.ClickException(f"@{person.username} is known but not a participant of {where}")
    if len(found) > 1:
        raise click.ClickException(f"@{person.username} takes part in several campaigns "
                                   f"({', '.join(p.campaign_id for p in found)}). Fix: pass --campaign ID")
    return found[0]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _status_text(p: Participant) -> str:
    return p.status + (f" until {p.paused_until:%Y-%m-%d}" if p.paused_until else "")


_campaign_option = click.option("--campaign", "campaign_id", type=CAMPAIGN_REF,
                                help="Campaign id or file (needed only when the person is in several).")


@click.command("list")
@click.option("--campaign", "campaign_id", type=CAMPAIGN_REF,
              help="Only this campaign, by id or file (default: every one).")
@click.option("--role", type=click.Choice(ROLES), help="Only mentors or only mentees.")
@click.option("--status", type=click.Choice(PARTICIPANT_STATUSES), help="Only people with this status.")
@click.pass_obj
def participants_list(obj: Any, campaign_id: str | None, role: str | None, status: str | None) -> None:
    """A table of participants: handle, role, status, stage, specialties, capacity, joined."""
    total = 0
    with existing_store(obj.settings) as store:
        ids = _campaign_ids(store, campaign_id)
        for cid in ids:
            people = store.participants(cid, role=role, status=status)
            total += len(people)
            click.echo(f"Campaign {cid}: {len(people)} participant(s)")
            if people:
                click.echo(table(
                    ["handle", "role", "status", "stage", "specialties", "capacity", "joined"],
                    [["@" + p.handle, p.role, _status_text(p), p.stage or "-", ", ".join(p.specialties) or "-",
                      str(p.capacity) if p.capacity is not None else "-", f"{p.joined_at:%Y-%m-%d}"]
                     for p in people], indent="  "))
    filters = ", ".join(f for f in (role and f"role {role}", status and f"status {status}") if f)
    click.echo(f"Listed {total} participant(s) in {len(ids)} campaign(s)" + (f" ({filters})" if filters else "")
               + ".")


def _campaign_file(directory: Path, campaign_id: str):
    """The campaign with this id among the files in ``directory`` (None if none loads)."""
    from .config.campaign import load_campaign
    from .errors import ConfigError

    for path in sorted(directory.glob("*.toml")):
        try:
            campaign = load_campaign(path)
        except ConfigError:
            continue
        if campaign.id == campaign_id:
            return campaign
    return None


@click.command("approve")
@click.argument("handle")
@_campaign_option
@click.option("--dir", "directory", default="config/campaigns", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Where the campaign files are (for the texts of the reply to the mentor).")
@click.pass_obj
def participants_approve(obj: Any, handle: str, campaign_id: str | None, directory: Path) -> None:
    """Accept a mentor who waits for approval: they are matched from the next round.

    The bot was told to answer them ("an organizer will confirm soon; I'll reply here"): the
    running worker replies to the post they joined with, with the campaign's mentor confirmation.
    """
    from .config.vocabulary import load_vocabulary
    from .domain.registration import approval_reply

    with existing_store(obj.settings) as store:
        p = _find(store, obj.settings, handle, campaign_id)
        if p.role != "mentor" or p.status != "pending":
            raise click.ClickException(f"@{p.handle} is a {p.role} with status {p.status} in {p.campaign_id}; "
                                       "only mentors waiting for approval (status pending) can be approved")
        campaign, now = _campaign_file(directory, p.campaign_id), _now()
        reply = approval_reply(p, campaign=campaign, vocabulary=load_vocabulary(), now=now) if campaign else None
        with store.transaction():
            store.set_participant_status(p.campaign_id, p.person_id, "active", now)
            store.record_event("mentor_approved", now, campaign_id=p.campaign_id, subject_id=p.person_id,
                               data={"source": ORGANIZER, "from": p.status})
            planned = reply is not None and store.plan(reply)
    told = ("the bot will reply to their post to tell them" if planned else
            f"no reply planned (no campaign file for {p.campaign_id} in {directory}/: tell them yourself)")
    click.echo(f"Approved @{p.handle} as a mentor in {p.campaign_id}: active, matched from the next round; {told}.")


@click.command("block")
@click.argument("handle")
@_campaign_option
@click.pass_obj
def participants_block(obj: Any, handle: str, campaign_id: str | None) -> None:
    """Take someone out of the program: no matches, no mentions; their planned posts are cancelled.

    A blocked person's mentions are ignored, except DELETE (erasure is always honoured). To keep
    an account out for good, also list it under [moderation] blocked_accounts.
    """
    with existing_store(obj.settings) as store:
        p = _find(store, obj.settings, handle, campaign_id)
        if p.status == "blocked":
            click.echo(f"@{p.handle} is already blocked in {p.campaign_id}; nothing changed.")
            return
        now, ended = _now(), 0
        with store.transaction():
            store.set_participant_status(p.campaign_id, p.person_id, "blocked", now)
            cancelled = store.cancel_for_person(p.campaign_id, p.person_id, "blocked by an organizer", now)
            for match in store.matches(p.campaign_id, person_id=p.person_id):
                if match.status in _OPEN_MATCHES:
                    store.set_match_status(match.id, "ended", now)
                    store.record_event("match_ended", now, campaign_id=p.campaign_id, subject_id=p.person_id,
                                       data={"match": match.id, "by": ORGANIZER})
                    ended += 1
            store.record_event("blocked", now, campaign_id=p.campaign_id, subject_id=p.person_id,
                               data={"source": ORGANIZER, "from": p.status})
    click.echo(f"Blocked @{p.handle} in {p.campaign_id}: out of matching, {cancelled} planned post(s) "
               f"cancelled, {ended} match(es) ended.")


@click.command("unblock")
@click.argument("handle")
@_campaign_option
@click.pass_obj
def participants_unblock(obj: Any, handle: str, campaign_id: str | None) -> None:
    """Lift a block: the person is back as before (someone who had left stays left)."""
    with existing_store(obj.settings) as store:
        p = _find(store, obj.settings, handle, campaign_id)
        if p.status != "blocked":
            raise click.ClickException(f"@{p.handle} is not blocked in {p.campaign_id} (status {p.status}); "
                                       "nothing changed")
        blocks = store.events(campaign_id=p.campaign_id, subject_id=p.person_id, kind="blocked")
        before = blocks[-1].data.get("from") if blocks else None
        # Consent comes first: a person who had left, or a mentor not yet approved, is not made
        # active by lifting a block.
        status = before if before in ("left", "pending") else "active"
        now = _now()
        with store.transaction():
            store.set_participant_status(p.campaign_id, p.person_id, status, now)
            store.record_event("unblocked", now, campaign_id=p.campaign_id, subject_id=p.person_id,
                               data={"source": ORGANIZER, "to": status})
    click.echo(f"Unblocked @{p.handle} in {p.campaign_id}: status {status} again.")


@click.command("export")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The CSV file to write (replaced if it exists).")
@click.option("--campaign", "campaign_id", type=CAMPAIGN_REF,
              help="Only this campaign, by id or file (default: every one).")
@click.option("--role", type=click.Choice(ROLES), help="Only mentors or only mentees.")
@click.option("--status", type=click.Choice(PARTICIPANT_STATUSES), help="Only people with this status.")
@click.pass_obj
def participants_export(obj: Any, out: Path, campaign_id: str | None, role: str | None,
                        status: str | None) -> None:
    """Write participants to a CSV file for spreadsheets (no bios, names or post texts)."""
    rows: list[list[str]] = []
    with existing_store(obj.settings) as store:
        ids = _campaign_ids(store, campaign_id)
        for cid in ids:
            for p in store.participants(cid, role=role, status=status):
                rows.append([cid, "@" + p.handle, p.role, p.stage or "", "; ".join(p.specialties),
                             "" if p.capacity is None else str(p.capacity), p.status,
                             p.joined_at.isoformat(timespec="seconds")])
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(EXPORT_COLUMNS)
            writer.writerows(rows)
        store.record_event("participants_exported", _now(), campaign_id=campaign_id,
                           data={"source": ORGANIZER, "rows": len(rows)})
    click.echo(f"Exported {len(rows)} participant(s) from {len(ids)} campaign(s) to {out}.")


PARTICIPANT_COMMANDS = (participants_list, participants_approve, participants_block, participants_unblock,
                        participants_export)
