"""Fixtures shared by the test modules."""
from __future__ import annotations

import sys

import pytest
from loguru import logger


@pytest.fixture
def log_lines():
    """Every loguru line emitted during the test, as "LEVEL {extra} message"."""
    lines: list[str] = []
    sink = logger.add(lambda m: lines.append(str(m)), format="{level} {extra} {message}", level="DEBUG")
    yield lines
    logger.remove(sink)


@pytest.fixture
def restore_cli_logging():
    """After a command run through click's runner: the CLI pointed loguru at the runner's
    (closed) stderr, so put a plain sink back."""
    yield
    logger.remove()
    logger.add(lambda message: sys.stderr.write(message), level="WARNING")


@pytest.fixture(scope="session")
def organizer_db(tmp_path_factory):
    """A real database after one simulated week of a small community, with mentors waiting for
    an organizer's approval (the example campaign with ``approval = "organizer"``):
    (database path, campaign file). Copy the database before changing it."""
    from pathlib import Path

    from mentorbot.simulation.demo import run_demo

    root = tmp_path_factory.mktemp("organizer")
    example = Path(__file__).resolve().parents[1] / "config" / "campaigns" / "medmentormatch.toml"
    campaign = root / "organized.toml"
    text = example.read_text(encoding="utf-8")
    assert 'approval = "automatic_above_stage"' in text
    campaign.write_text(text.replace('approval = "automatic_above_stage"', 'approval = "organizer"'),
                        encoding="utf-8")
    result = run_demo(campaign_path=campaign, seed=5, weeks=1, out=root / "run",
                      community=dict(mentees=8, mentors=5, bystanders=2, trolls=1, spammers=1, bots=0))
    result.store.close()
    return result.db_path, campaign
