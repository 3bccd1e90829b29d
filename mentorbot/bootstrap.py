"""The composition root: the one place that builds adapters and hands them to services."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from loguru import logger

from .adapters.sqlite_store import SQLiteStore
from .adapters.x_platform import XPlatform
from .clock import Clock
from .config.classifier import build_classifier
from .config.env import Settings
from .domain.campaign import Campaign
from .domain.model import CallRecord
from .domain.vocabulary import Vocabulary
from .ports import Platform
from .services.campaign_bot import CampaignBot
from .services.amplify import Amplifier
from .services.intake import Intake
from .services.metering import SpendMeter
from .services.rounds import MatchingRound

__all__ = ["build_platform", "open_store", "build_campaign_bot"]


def build_platform(settings: Settings, *, observer: Callable[[CallRecord], None] | None = None,
                   timeout: float = 10.0) -> XPlatform:
    """The X adapter for the configured account, pointed at ``X_API_BASE_URL`` when set."""
    return XPlatform(settings.credentials, base_url=settings.api_base_url, timeout=timeout,
                     observer=observer)


def open_store(settings: Settings) -> SQLiteStore:
    """The SQLite store at ``MENTORBOT_DB`` (created and migrated if needed)."""
    path = Path(settings.db_path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    return SQLiteStore.open(path)


def build_campaign_bot(campaign: Campaign, vocabulary: Vocabulary, *, store: SQLiteStore, clock: Clock,
                       platform_factory: Callable[[SpendMeter], Platform], dry_run: bool = False,
                       seed: int | None = None) -> CampaignBot:
    """Wire one campaign: its spend meter observes the platform it is given, the intake
    interprets mentions, and the bot account is asked once who it is."""
    meter = SpendMeter(store, clock, campaign.id, zone=campaign.timezone)
    platform = platform_factory(meter)
    me = platform.me()
    if me.username.lower() != campaign.bot_handle.lower():
        logger.warning("campaign {} is for @{} but the credentials are @{}'s",
                       campaign.id, campaign.bot_handle, me.username)
    amplifier = Amplifier(store, campaign, vocabulary, clock, platform)
    intake = Intake(campaign, vocabulary, clock, classifier=build_classifier(vocabulary), amplifier=amplifier)
    rounds = MatchingRound(store, campaign, vocabulary, clock, classifier=intake.classifier)
    bot = CampaignBot(campaign=campaign, store=store, platform=platform, clock=clock, bot=me,
                      interpret=intake, on_search_post=intake.search_outcome, meter=meter,
                      dry_run=dry_run, seed=seed, precheck=amplifier.blocker)
    bot.calendar.update(matching_round=rounds.run, follow_friday=amplifier.follow_friday,
                        call_for_mentors=amplifier.call_for_mentors, check_ins=rounds.check_ins)
    return bot
