"""A bot process for the crash-safety test: the real bot, on the sandbox's clock, over HTTP.

The test process owns the sandbox (world and virtual clock) and kills this process with SIGKILL
at random moments, then starts it again. Each run resumes where the world is: it learns which
scenario beats were already posted (so replaying them is harmless), then runs the simulation
from the sandbox's current time until ``--until``, moving the shared clock over the admin API.

    python tests/support/crash_child.py BASE_URL SCENARIO.json CAMPAIGN.toml UNTIL_ISO
    (credentials and MENTORBOT_DB from the environment, as for `mentorbot run`)
"""
from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from mentorbot.adapters.sqlite_store import SQLiteStore
from mentorbot.adapters.x_platform import XPlatform
from mentorbot.bootstrap import build_campaign_bot
from mentorbot.config.campaign import load_campaign
from mentorbot.config.env import load_settings
from mentorbot.config.vocabulary import load_vocabulary
from mentorbot.logs import configure_logging
from mentorbot.sandbox.testing import RemoteSandbox
from mentorbot.simulation import load_scenario
from mentorbot.simulation.demo import demo_campaign
from mentorbot.simulation.player import ScenarioPlayer
from mentorbot.simulation.runner import Simulation


def main(base_url: str, scenario_path: str, campaign_path: str, until: str) -> None:
    settings = load_settings(None)
    configure_logging(level="INFO", secrets=settings.secrets())
    scenario = load_scenario(scenario_path)
    vocabulary = load_vocabulary()
    campaign = demo_campaign(load_campaign(campaign_path, vocabulary), scenario.start)
    remote = RemoteSandbox(base_url)
    clock = remote.clock
    store = SQLiteStore.open(Path(settings.db_path))
    player = ScenarioPlayer(remote, scenario, store)
    player.resume()
    bot = build_campaign_bot(campaign, vocabulary, store=store, clock=clock, seed=1,
                             platform_factory=lambda meter: XPlatform(
                                 settings.credentials, base_url=base_url, observer=meter,
                                 time_source=clock.timestamp))
    now = clock.now()
    # Beats whose time has passed but that were never posted (a kill between moving the clock
    # and posting) are played at once; the rest at their time.
    beats = [(max(at, now), act) for at, act in player.beats()]
    Simulation(clock, bot.jobs()).run(datetime.fromisoformat(until), beats=beats)
    print("finished", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:5])
