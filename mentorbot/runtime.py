"""What the worker commands do: run, pause/resume, status, cost. The CLI stays thin over these."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from loguru import logger

from .adapters.sqlite_store import SQLiteStore
from .bootstrap import build_campaign_bot, build_platform, open_store
from .clock import RealClock
from .config.campaign import load_campaign
from .config.env import Settings
from .config.vocabulary import load_vocabulary
from .domain.asking import unanswered
from .domain.campaign import Campaign
from .domain.policy import month_start, project_month
from .errors import ConfigError
from .services.campaign_bot import KILL_SWITCH
from .worker import Worker

__all__ = ["run_worker", "set_kill_switch", "status_report", "cost_report", "mark_simulated",
           "SIMULATED_UNTIL"]

#: Flag on a database written by a simulation (`mentorbot demo`): the simulated moment it ended.
#: Reports on such a database speak of that moment, not of today: a demo of January has spent
#: nothing "this month" in November.
SIMULATED_UNTIL = "simulated_until"


def _campaigns(files: list[Path]) -> list[Campaign]:
    vocabulary = load_vocabulary()
    return [load_campaign(path, vocabulary) for path in files]


def run_worker(settings: Settings, files: list[Path], *, dry_run: bool = False) -> str:
    """Build every campaign's jobs and run them until SIGTERM/SIGINT."""
    missing = settings.credentials.missing()
    if missing:
        raise ConfigError(settings.source, ", ".join(missing), "not set",
                          "set them in the environment or in .env (see .env.example)")
    vocabulary = load_vocabulary()
    campaigns = [load_campaign(path, vocabulary) for path in files]
    clock = RealClock()
    store = open_store(settings)
    jobs = []
    for campaign in campaigns:
        bot = build_campaign_bot(campaign, vocabulary, store=store, clock=clock, dry_run=dry_run,
                                 platform_factory=lambda meter: build_platform(settings, observer=meter))
        jobs += bot.jobs()
        logger.bind(campaign=campaign.id).info(
            "campaign {} for @{} ({}){}", campaign.name, bot.bot.username,
            " ".join("#" + h for h in campaign.hashtags), ", DRY RUN: nothing will be sent" if dry_run else "")
    store.set_flag(SIMULATED_UNTIL, None)  # a real worker: reports use the real clock again
    if store.flag(KILL_SWITCH):
        logger.warning("the kill switch is on: jobs will be skipped until `mentorbot resume`")
    Worker(jobs).run()
    store.close()
    return f"Worker stopped after running {len(campaigns)} campaign(s)."


def mark_simulated(store: SQLiteStore, until: datetime) -> None:
    """Record that ``store`` holds a simulation that ended at ``until`` (see SIMULATED_UNTIL)."""
    store.set_flag(SIMULATED_UNTIL, until.astimezone(timezone.utc).isoformat(), until)


def _report_now(store: SQLiteStore) -> tuple[datetime, str]:
    """The moment reports speak of, and a note when it is a simulation's, not the real time."""
    simulated = store.flag(SIMULATED_UNTIL)
    if simulated:
        until = datetime.fromisoformat(simulated)
        return until, f"   (a simulation, as of {until:%Y-%m-%d %H:%M} UTC)"
    return datetime.now(timezone.utc), ""


def set_kill_switch(settings: Settings, *, on: bool) -> None:
    with open_store(settings) as store:
        store.set_flag(KILL_SWITCH, "on" if on else None, datetime.now(timezone.utc))


def status_report(settings: Settings, files: list[Path]) -> str:
    lines: list[str] = []
    queued = 0
    with open_store(settings) as store:
        now, note = _report_now(store)
        lines.append(f"Database: {settings.db_path}   kill switch: {'ON' if store.flag(KILL_SWITCH) else 'off'}"
                     + note)
        for campaign in _campaigns(files):
            cid = campaign.id
            lines.append(f"\nCampaign {cid} (@{campaign.bot_handle}, {campaign.primary_hashtag})")
            cursor = store.cursor(cid, "mentions")
            lines.append(f"  mentions cursor: {cursor or 'none yet'}")
            sizes = {k: v for k, v in store.queue_sizes(cid).items() if v}
            queued += sizes.get("planned", 0) + sizes.get("sending", 0)
            lines.append("  outbox: " + (", ".join(f"{k} {v}" for k, v in sizes.items()) or "empty"))
            proposed = store.matches(cid, status="proposed")
            if proposed:
                oldest = min(m.proposed_at for m in proposed)
                lines.append(f"  matches waiting for approval: {len(proposed)} (oldest proposed "
                             f"{oldest:%Y-%m-%d}; mentorbot matches approve ID ... or --all)")
            spent = store.spend_between(month_start(now, campaign.zone), now, cid)
            lines.append(f"  spend this month: ${spent:.3f} of ${campaign.limits.monthly_budget_usd:.2f}"
                         f" (projected ${project_month(spent, now, campaign.zone):.2f} for the month)")
            failures = store.events(campaign_id=cid, kind="job_failed")[-3:]
            for event in failures:
                lines.append(f"  last error {event.at:%Y-%m-%d %H:%M}: {event.data.get('job')}: "
                             f"{event.data.get('error')}")
            if not failures:
                lines.append("  last errors: none")
            limits = json.loads(store.flag(f"rate_limits:{cid}") or "{}")
            for endpoint, rl in sorted(limits.items()):
                reset = datetime.fromtimestamp(rl["reset_at"], tz=timezone.utc)
                lines.append(f"  rate limit {endpoint}: {rl['remaining']}/{rl['limit']} left, resets {reset:%H:%M:%S} UTC")
    lines.append(f"\nStatus of {len(files)} campaign(s): {queued} action(s) waiting to be sent; the worker is "
                 + ("paused (mentorbot resume)." if "kill switch: ON" in lines[0] else "free to act."))
    return "\n".join(lines)


def cost_report(settings: Settings, files: list[Path]) -> str:
    lines: list[str] = []
    total = 0.0
    with open_store(settings) as store:
        now, note = _report_now(store)
        if note:
            lines.append(note.strip())
        for campaign in _campaigns(files):
            start = month_start(now, campaign.zone)
            rows = list(store.db.query(
                "SELECT kind, sum(usd) AS usd, sum(resources) AS n FROM spend WHERE campaign_id = ? "
                "AND at >= ? GROUP BY kind ORDER BY usd DESC",
                [campaign.id, start.astimezone(timezone.utc).isoformat(timespec="microseconds")]))
            spent = store.spend_between(start, now, campaign.id)
            projected = project_month(spent, now, campaign.zone)
            budget = campaign.limits.monthly_budget_usd
            lines.append(f"Campaign {campaign.id}: ${spent:.3f} spent since {start:%d %b %Y} "
                         f"(budget ${budget:.2f}); projected ${projected:.2f} for the month"
                         + (" - OVER BUDGET pace: the bot will slow down and drop optional posts"
                            if projected > budget else ""))
            for row in rows:
                lines.append(f"  {row['kind']:<18} ${row['usd']:.3f}  ({row['n']} resources)")
            total += spent
    if not files:
        return "No campaign files."
    lines.append(f"Spent ${total:.3f} this month across {len(files)} campaign(s).")
    return "\n".join(lines)


def participant_report(settings: Settings, handle: str) -> str | None:
    """One person across campaigns: understood profile, status, matches, consent history."""
    with open_store(settings) as store:
        person = store.person_by_handle(handle)
        if person is None:
            return None
        lines = [f"@{person.username} (id {person.id})", f"  bio: {person.description or '(empty)'}"]
        for row in store.campaigns():
            p = store.participant(row["id"], person.id)
            if p is None:
                continue
            lines.append(f"\nCampaign {row['id']}: {p.role}, {p.status}"
                         + (f" until {p.paused_until:%Y-%m-%d}" if p.paused_until else ""))
            lines.append(f"  stage: {p.stage or 'not stated'}; specialties: {', '.join(p.specialties) or 'none'}"
                         + (f"; capacity {p.capacity}" if p.role == "mentor" else "")
                         + ("" if p.shout_outs else "; no shout-outs"))
            lines.append(f"  joined {p.joined_at:%Y-%m-%d %H:%M} UTC from post {p.source_post_id}")
            if p.evidence:
                lines.append(f"  understood from: {'; '.join(p.evidence)}")
            for m in store.matches(row["id"], person_id=person.id):
                lines.append(f"  match #{m.id} ({m.status}): mentee {m.mentee_id}, mentor {m.mentor_id}, "
                             f"score {m.score:.2f}")
        events = store.events(subject_id=person.id)
        lines.append("\nConsent and profile history:" if events else "\nNo recorded changes.")
        for event in events:
            source = event.source_post_id or event.data.get("source")
            detail = ", ".join(f"{k}={v}" for k, v in event.data.items() if k != "source" and v is not None)
            lines.append(f"  {event.at:%Y-%m-%d %H:%M} {event.kind}"
                         + (f" ({detail})" if detail else "")
                         + (" by an organizer" if source == "organizer" else f" from post {source}" if source else ""))
        question = unanswered(events)
        if question is not None:
            asked, until = question.asked, question.until
            lines.append(
                f"\nUnanswered: the question of {asked.at:%Y-%m-%d %H:%M} ({asked.data.get('intent')}) "
                + (f"lapsed on {until:%Y-%m-%d}; a reply now counts for its own words only"
                   if datetime.now(timezone.utc) > until else
                   f'is open until {until:%Y-%m-%d %H:%M}: the reply "{question.words}" confirms it; '
                   "nothing changes before"))
        return "\n".join(lines)
