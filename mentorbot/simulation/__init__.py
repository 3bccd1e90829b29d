"""A synthetic #MedTwitter mentorship community, as data the simulator plays against the sandbox.

    scenario = generate_scenario(seed=7, start=datetime(2026, 9, 7, 12, tzinfo=timezone.utc))
    save_scenario(scenario, "config/scenarios/mine.json")
    for beat in load_scenario("config/scenarios/small.json").between(t0, t1): ...

``config/scenarios/small.json`` is ``generate_scenario(seed=50, start=2026-09-07 12:00 UTC, weeks=2,
mentees=5, mentors=3, bystanders=2, trolls=1, spammers=1, bots=0)``, saved with :func:`save_scenario`
and read through by hand. For benchmarks, ``weeks=10, mentees=1000, mentors=400, bystanders=450,
trolls=50, spammers=50, bots=50`` gives 2,000 people and about 19,000 beats in about a second.
"""
from __future__ import annotations

from .community import generate_scenario
from .scenario import (BEAT_KINDS, INTENTS, PERSONA_KINDS, REPLY_TARGETS, Beat, Persona, Scenario,
                       load_scenario, save_scenario, scenario_problems)

__all__ = [
    "Persona",
    "Beat",
    "Scenario",
    "generate_scenario",
    "load_scenario",
    "save_scenario",
    "scenario_problems",
    "PERSONA_KINDS",
    "BEAT_KINDS",
    "INTENTS",
    "REPLY_TARGETS",
]
