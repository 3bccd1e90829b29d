"""`mentorbot init` and `mentorbot campaign validate|list`: writing and checking campaign files.

``init`` writes a campaign from the example (``config/campaigns/medmentormatch.toml``; an installed
mentorbot uses ``mentorbot/data/campaign.example.toml``, a symlink to it that a wheel stores as a file), changing only the answers it was
given, so every comment and every template of the example stays for the organizer to read and
edit. The result goes through the real loader before it is written: ``init`` never leaves a file
that ``mentorbot run`` would refuse.
"""
from __future__ import annotations

import json
import re
import sys
import tempfile
from datetime import date, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from .config._validate import ConfigProblems
from .config.campaign import ID_PATTERN, USERNAME_PATTERN, check_crontab, load_campaign
from .config.vocabulary import HASHTAG_PATTERN
from .errors import ConfigError

__all__ = ["init", "campaign", "render_campaign", "example_campaign_text", "example_env_text"]

DEFAULT_DIR = Path("config/campaigns")
_EXAMPLE_HEAD = "# MedMentorMatch: an example mentorbot campaign. Copy this file to start your own program."


_CHECKOUT = Path(__file__).resolve().parents[1]  # the repository, when run from a checkout


def _shipped(repository_copy: str, packaged: str) -> str:
    """The repository's file when mentorbot runs from a checkout (the one people edit), else the
    copy packaged with mentorbot, which tests keep identical to it."""
    local = _CHECKOUT / repository_copy
    if local.is_file():
        return local.read_text(encoding="utf-8")
    return (files("mentorbot") / "data" / packaged).read_text(encoding="utf-8")


def example_campaign_text() -> str:
    """The example campaign (works from any directory)."""
    return _shipped("config/campaigns/medmentormatch.toml", "campaign.example.toml")


def example_env_text() -> str:
    """``.env.example`` (works from any directory)."""
    return _shipped(".env.example", "env.example")


# -- answers: each checked on its own, so a prompt can ask again and a flag fails early -----------
def _hashtag(value: str) -> str:
    body = value.strip().lstrip("#")
    if not HASHTAG_PATTERN.match(body):
        raise click.BadParameter(f"{value!r} is not a hashtag X would recognise. Fix: letters, digits "
                                 "and underscores only, no spaces, e.g. PedsMentorMatch")
    return body


def _handle(value: str) -> str:
    body = value.strip().lstrip("@")
    if not USERNAME_PATTERN.match(body):
        raise click.BadParameter(f"{value!r} is not an X username. Fix: 1 to 15 letters, digits or "
                                 "underscores, e.g. PedsMentorBot")
    return body


def _zone(value: str) -> str:
    try:
        ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(f"{value!r} is not a time zone name. Fix: an IANA name such as "
                                 "America/New_York, Europe/London or America/Sao_Paulo") from None
    return value.strip()


def _cron(value: str) -> str:
    value = value.strip()
    if value in ("", "off"):
        return ""
    bad = check_crontab(value, ZoneInfo("UTC"))
    if bad:
        raise click.BadParameter(f"{bad[0]}. Fix: {bad[1]}")
    return value


def _slug(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise click.BadParameter(f"{value!r} is not a valid id. Fix: lower-case letters, digits, "
                                 '"-" or "_", e.g. pedsmentormatch')
    return value


def _checked(check: Callable[[str], str]) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A click callback running ``check`` on a given flag (None: not given, asked later)."""
    def callback(_ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        return None if value is None else check(value)
    return callback


# -- the file -------------------------------------------------------------------------------------
def _toml(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string for any text we accept
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def render_campaign(template: str, settings: dict[str, dict[str, Any]], *, header: str) -> str:
    """``template`` with the given ``{section: {key: value}}`` settings replaced in place.

    Only the value after ``key =`` changes; comments, order and templates stay as they are. A
    key the template does not have is a bug here, not the organizer's: it raises.
    """
    lines = template.splitlines(keepends=True)
    section, left = "", {s: dict(kv) for s, kv in settings.items()}
    for i, line in enumerate(lines):
        head = re.match(r"^\[([A-Za-z0-9_.]+)\]\s*$", line)
        if head:
            section = head.group(1)
            continue
        setting = re.match(r"^([A-Za-z0-9_]+)(\s*=\s*)", line)
        if setting and setting.group(1) in left.get(section, {}):
            value = left[section].pop(setting.group(1))
            lines[i] = f"{setting.group(1)}{setting.group(2)}{_toml(value)}\n"
    missing = [f"{s}.{k}" for s, kv in left.items() for k in kv]
    if missing:
        raise ValueError(f"the example campaign has no setting {', '.join(missing)}")
    text = "".join(lines)
    return text.replace(_EXAMPLE_HEAD, header, 1) if text.startswith(_EXAMPLE_HEAD) else header + "\n" + text


def _validate_text(text: str, name: str) -> None:
    """Load ``text`` with the real loader (from a scratch file named like the target)."""
    with tempfile.TemporaryDirectory(prefix="mentorbot-init-") as scratch:
        path = Path(scratch) / name
        path.write_text(text, encoding="utf-8")
        load_campaign(path)


def _ask(value: Any, prompt: str, default: Any, check: Callable[[str], Any], no_input: bool,
         flag: str, *, required: bool = False) -> Any:
    if value is not None:
        return value
    if no_input:
        if required:
            raise click.UsageError(f"{flag} is needed with --no-input (e.g. {flag} {default})")
        return check(str(default)) if isinstance(default, str) else default
    return click.prompt(prompt, default=default, value_proc=check, show_default=True)


def _problem_lines(exc: ConfigError) -> list[str]:
    return [str(p) for p in exc.problems] if isinstance(exc, ConfigProblems) else [str(exc)]


@click.command()
@click.option("--dir", "directory", default=str(DEFAULT_DIR), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Where to write the campaign file.")
@click.option("--hashtag", callback=_checked(_hashtag), help="The program's hashtag, e.g. PedsMentorMatch.")
@click.option("--bot", "bot", callback=_checked(_handle), help="The bot's X username, e.g. PedsMentorBot.")
@click.option("--id", "campaign_id", callback=_checked(_slug),
              help="The campaign id (default: the hashtag in lower case); also the file name.")
@click.option("--timezone", callback=_checked(_zone), help="IANA time zone of the schedules, e.g. America/Chicago.")
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]),
              help="The program's first day, YYYY-MM-DD (default: today). Earlier posts are ignored.")
@click.option("--mentees-per-mentor", type=click.IntRange(1, 10), help="The most mentees any mentor takes (1-10).")
@click.option("--matching-round", callback=_checked(_cron), metavar="CRON",
              help="When pairs are made, crontab with day names, e.g. '0 18 * * sun'; '' for off.")
@click.option("--follow-friday", callback=_checked(_cron), metavar="CRON",
              help="When #FollowFriday posts go out, e.g. '0 12 * * fri'; '' for off.")
@click.option("--call-for-mentors", callback=_checked(_cron), metavar="CRON",
              help="When the call for mentors goes out, e.g. '0 17 * * mon'; '' for off.")
@click.option("--force", is_flag=True, help="Overwrite an existing campaign file (.env is never overwritten).")
@click.option("--no-input", is_flag=True, help="Ask nothing: take flags, and the example's values for the rest.")
@click.pass_context
def init(ctx: click.Context, directory: Path, hashtag: str | None, bot: str | None, campaign_id: str | None,
         timezone: str | None, start: datetime | None, mentees_per_mentor: int | None,
         matching_round: str | None, follow_friday: str | None, call_for_mentors: str | None,
         force: bool, no_input: bool) -> None:
    """Write a new campaign file from a few answers (or flags), and .env if there is none."""
    import tomllib

    template = example_campaign_text()
    example = tomllib.loads(template)
    sched, limits = example["schedule"], example["limits"]
    hashtag = _ask(hashtag, "Program hashtag (without #)", "PedsMentorMatch", _hashtag, no_input,
                   "--hashtag", required=True)
    bot = _ask(bot, "Bot's X username (without @)", "PedsMentorBot", _handle, no_input, "--bot", required=True)
    timezone = _ask(timezone, "Time zone", example["campaign"]["timezone"], _zone, no_input, "--timezone")
    mentees_per_mentor = _ask(mentees_per_mentor, "Most mentees per mentor (1-10)", limits["mentees_per_mentor"],
                              _int_1_10, no_input, "--mentees-per-mentor")
    matching_round = _ask(matching_round, "Matching rounds (crontab with day names; off = none)", sched["matching_round"],
                          _cron, no_input, "--matching-round")
    follow_friday = _ask(follow_friday, "#FollowFriday posts (crontab; off = none)", sched["follow_friday"], _cron,
                         no_input, "--follow-friday")
    call_for_mentors = _ask(call_for_mentors, "Calls for mentors (crontab; off = none)", sched["call_for_mentors"], _cron,
                            no_input, "--call-for-mentors")
    campaign_id = campaign_id or _slug_from(hashtag)
    first_day = start.date() if start else datetime.now(ZoneInfo(timezone)).date()

    target = directory / f"{campaign_id}.toml"
    if target.exists() and not force:
        raise click.ClickException(f"{target} exists; nothing written. Fix: pass --force to replace it, "
                                   "or --id/--hashtag for another campaign")
    text = render_campaign(template, {
        "campaign": {"id": campaign_id, "name": hashtag, "bot_handle": bot, "hashtags": [hashtag],
                     "timezone": timezone, "start": first_day},
        "schedule": {"matching_round": matching_round, "follow_friday": follow_friday,
                     "call_for_mentors": call_for_mentors},
        "limits": {"mentees_per_mentor": mentees_per_mentor,
                   "default_mentor_capacity": min(limits["default_mentor_capacity"], mentees_per_mentor)},
    }, header=f"# {hashtag}: a mentorbot campaign, written by `mentorbot init` on {date.today():%Y-%m-%d} "
              "from the example. Edit freely.")
    try:
        _validate_text(text, target.name)
    except ConfigError as exc:  # an answer the per-answer checks let through: say which, write nothing
        raise click.ClickException("the campaign would not load; nothing written:\n"
                                   + "\n".join(_problem_lines(exc))) from exc
    directory.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")

    env_path = Path(ctx.obj.env_file if ctx.obj is not None else ".env")
    wrote_env = not env_path.exists()
    if wrote_env:
        env_path.write_text(example_env_text(), encoding="utf-8")
    env_note = f"and {env_path} (fill in the X keys)" if wrote_env else f"({env_path} exists, kept)"
    click.echo(f"Wrote {target} for #{hashtag} (@{bot}) {env_note}. Next: try it with "
               f"`mentorbot sandbox serve --bot {bot}`, or put the X keys in {env_path} and run `mentorbot check`.")


def _int_1_10(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise click.BadParameter(f"{value!r} is not a whole number. Fix: a number from 1 to 10") from None
    if not 1 <= number <= 10:
        raise click.BadParameter(f"{number} is out of range. Fix: a number from 1 to 10")
    return number


def _slug_from(hashtag: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", hashtag.lower()).strip("-_")[:64]
    return slug if ID_PATTERN.match(slug) else "campaign"


# -- campaign validate | list -----------------------------------------------------------------------
@click.group()
def campaign() -> None:
    """Check campaign files and list the campaigns on disk and in the database."""


@campaign.command("validate")
@click.argument("file", type=click.Path(dir_okay=False))
def campaign_validate(file: str) -> None:
    """Check one campaign file; print every problem with its key and fix (exit status 1)."""
    try:
        loaded = load_campaign(file)
    except ConfigError as exc:
        problems = _problem_lines(exc)
        for line in problems:
            click.echo(f"[ERR] {line}")
        click.echo(f"{file}: {len(problems)} problem(s); fix them and run "
                   f"`mentorbot campaign validate {file}` again.")
        sys.exit(1)
    jobs = [name for name in ("matching_round", "follow_friday", "call_for_mentors")
            if getattr(loaded.schedule, name)]
    click.echo(f"{file} is valid: campaign '{loaded.id}' for @{loaded.bot_handle}, "
               f"{' '.join('#' + h for h in loaded.hashtags)}, {loaded.timezone}, "
               f"starts {loaded.start:%Y-%m-%d}, jobs: {', '.join(jobs) or 'none'}.")


@campaign.command("list")
@click.option("--dir", "directory", default=str(DEFAULT_DIR), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Where campaign files are.")
@click.pass_obj
def campaign_list(obj: Any, directory: Path) -> None:
    """Campaign files under config/campaigns, and the campaigns the database knows."""
    from .cli_people import existing_store
    from .tables import table

    paths = sorted(directory.glob("*.toml"))
    rows, ids_on_disk = [], set()
    for path in paths:
        try:
            c = load_campaign(path)
        except ConfigError as exc:
            rows.append([str(path), "-", "-", f"INVALID: {exc.key}: {exc.problem}"])
            continue
        ids_on_disk.add(c.id)
        rows.append([str(path), c.id, "@" + c.bot_handle, " ".join("#" + h for h in c.hashtags)])
    click.echo(f"Campaign files in {directory}/:" if rows else f"No campaign files in {directory}/.")
    if rows:
        click.echo(table(["file", "id", "bot", "hashtags"], rows, indent="  "))

    db_path = obj.settings.db_path
    store = existing_store(obj.settings, required=False)
    in_db = []
    if store is None:
        click.echo(f"\nNo database yet at {db_path} (the bot creates it when it first runs).")
    else:
        with store:
            for c in store.campaigns():
                people = store.participants(c["id"])
                in_db.append([c["id"], c["name"], " ".join("#" + h for h in c["hashtags"]),
                              str(sum(p.role == "mentee" for p in people)),
                              str(sum(p.role == "mentor" for p in people)),
                              "yes" if c["id"] in ids_on_disk else "no"])
        click.echo(f"\nCampaigns in the database {db_path}:" if in_db else f"\nNo campaigns in {db_path} yet.")
        if in_db:
            click.echo(table(["id", "name", "hashtags", "mentees", "mentors", "file"], in_db, indent="  "))
    click.echo(f"{len(paths)} campaign file(s), {len(in_db)} campaign(s) in the database.")
