"""Crash safety: SIGKILL the bot at random moments of a simulated program, restart it, and check
against the sandbox's own record that nothing was posted twice and no mention was lost.

The sandbox (world and virtual clock) lives in this test process, so it survives the kills; the
bot runs in a child process (tests/support/crash_child.py) through tweepy over HTTP, with its
SQLite file on disk, exactly as a deployed worker would.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from mentorbot.adapters.sqlite_store import SQLiteStore
from mentorbot.clock import VirtualClock
from mentorbot.sandbox import Sandbox
from mentorbot.simulation import generate_scenario, save_scenario
from mentorbot.simulation.demo import BOT_BIO
from mentorbot.simulation.player import ScenarioPlayer

REPO = Path(__file__).resolve().parents[1]
CAMPAIGN = REPO / "config" / "campaigns" / "medmentormatch.toml"
CHILD = REPO / "tests" / "support" / "crash_child.py"
START = datetime(2026, 1, 5, 13, 0, tzinfo=timezone.utc)  # Monday 08:00 in New York
KILLS = 12


@pytest.fixture
def world(tmp_path):
    clock = VirtualClock(START)
    sb = Sandbox(clock=clock, seed=11)
    bot = sb.create_user("MedMentorBot", description=BOT_BIO)
    scenario = generate_scenario(seed=11, start=START, weeks=1, mentees=10, mentors=4, bystanders=3,
                                 trolls=1, spammers=1, bots=1)
    scenario_path = tmp_path / "scenario.json"
    save_scenario(scenario, scenario_path)
    with SQLiteStore.memory() as scratch:
        ScenarioPlayer(sb, scenario, scratch).create_people()
    server = sb.serve()
    env = {**os.environ, "MENTORBOT_DB": str(tmp_path / "bot.db")}
    env.update(line.split("=", 1) for line in sb.env_lines(bot, server.url).splitlines() if "=" in line)
    yield sb, bot, server, scenario, scenario_path, env, tmp_path
    server.close()


def _start(server, scenario_path, until, env, log):
    return subprocess.Popen([sys.executable, str(CHILD), server.url, str(scenario_path), str(CAMPAIGN),
                             until.isoformat()], env=env, stdout=log, stderr=subprocess.STDOUT)


def _kill_right_after_a_write(proc, sb, timeout: float = 5.0) -> None:
    """Wait until the sandbox has applied one more write, then kill at once: the bot has sent
    it but most likely not yet recorded it, the case its outbox must reconcile."""
    before = len(sb.writes())
    deadline = time.monotonic() + timeout
    while len(sb.writes()) == before and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.0005)


def test_sigkill_at_random_moments_posts_nothing_twice_and_loses_no_mention(world):
    """Kills at random instants and right after writes, then a run to the end: the record is clean."""
    sb, bot, server, scenario, scenario_path, env, tmp = world
    until = scenario.end + timedelta(days=1)  # a quiet last day drains the outbox
    rng = random.Random(2026)
    kills_landed = 0
    with open(tmp / "child.log", "w") as log:
        for _ in range(KILLS):
            proc = _start(server, scenario_path, until, env, log)
            time.sleep(rng.uniform(0.3, 2.5))
            if kills_landed % 4:  # most kills right after a write: the case that matters
                _kill_right_after_a_write(proc, sb)
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills_landed += 1
            proc.wait(timeout=30)
        proc = _start(server, scenario_path, until, env, log)
        assert proc.wait(timeout=240) == 0, (tmp / "child.log").read_text()[-3000:]
    log_text = (tmp / "child.log").read_text()
    assert "finished" in log_text
    assert "reconciled" in log_text, "no kill landed between a send and its record: nothing was tested"
    assert kills_landed >= KILLS // 2, "the bot finished before most kills: make the scenario longer"

    writes = [w for w in sb.writes() if w["author_id"] == bot.id]
    created = [w for w in writes if not w["refused"] and w["kind"] in ("create", "reply")]
    # Nothing twice: one reply per post replied to (a thread under the bot's own post aside), no
    # text posted twice, no post reposted twice.
    own = {w["id"] for w in created}
    replies = Counter(w["reply_to"] for w in created if w["reply_to"] and w["reply_to"] not in own)
    assert [post for post, n in replies.items() if n > 1] == []
    reposts = Counter(w["repost_of"] for w in writes if not w["refused"] and w["kind"] == "repost")
    assert [post for post, n in reposts.items() if n > 1] == []
    assert [text for text, n in Counter(w["text"] for w in created).items() if n > 1] == []
    dup = [(w["kind"], w["text"], w["reason"]) for w in writes if w["refused"] and w["reason"] == "duplicate"]
    assert not dup
    assert not [w for w in writes if w["refused"] and w["reason"] == "reply_gate"]

    with SQLiteStore.open(tmp / "bot.db") as store:
        # No lost intake: every mention of the bot in the world was seen (or its author erased).
        seen = {row["post_id"] for row in store.db.query("SELECT post_id FROM posts_seen")}
        for post in sb.posts(include_deleted=False):
            if post["author_id"] == bot.id or "@medmentorbot" not in post["text"].lower():
                continue
            if store.is_forgotten(post["author_id"]):
                continue
            assert post["id"] in seen, f"mention {post['id']} by @{post['username']} was never read"
        # Every reply the bot decided on went out exactly once, and nothing is left half-sent.
        actions = list(store.db.query("SELECT key, status, in_reply_to, result_id FROM actions WHERE kind = 'reply'"))
        assert actions, "the scenario should have made the bot reply"
        assert not [a for a in actions if a["status"] == "sending"]
        done = [a for a in actions if a["status"] == "done"]
        assert len(done) >= len(actions) * 0.9, Counter(a["status"] for a in actions)
        for action in done:
            assert replies[action["in_reply_to"]] == 1, action
        assert {w["id"] for w in created} >= {a["result_id"] for a in done}
