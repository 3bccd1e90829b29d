"""The worker in real time: APScheduler runs the jobs, stop() and SIGTERM end it cleanly."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from loguru import logger

from mentorbot.sandbox import Sandbox
from mentorbot.services.campaign_bot import Job
from mentorbot.worker import Worker

ROOT = Path(__file__).resolve().parents[1]
CAMPAIGN_FILE = ROOT / "config" / "campaigns" / "medmentormatch.toml"


def _wait_for(predicate, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


@pytest.fixture
def log_lines():
    lines: list[str] = []
    sink = logger.add(lambda m: lines.append(m.record["message"]), level="INFO")
    yield lines
    logger.remove(sink)


class TestInProcess:
    def test_it_runs_a_tiny_interval_job_and_stop_ends_it_cleanly(self, log_lines):
        """A job every 0.1 s runs at once and again; stop() ends the worker and no job runs after."""
        ticks: list[float] = []
        start = datetime.now(timezone.utc)
        job = Job("t:tick", "t", IntervalTrigger(seconds=0.1, start_date=start, timezone=timezone.utc),
                  lambda: ticks.append(time.monotonic()))
        worker = Worker([job])
        began = time.monotonic()
        thread = threading.Thread(target=worker.run, kwargs={"install_signals": False}, daemon=True)
        thread.start()
        assert _wait_for(lambda: len(ticks) >= 3, 5.0)
        assert ticks[0] - began < 0.5  # the first run is at start-up, not an interval later
        stopping = time.monotonic()
        worker.stop()
        thread.join(5.0)
        assert not thread.is_alive() and time.monotonic() - stopping < 2.0
        assert log_lines[-1] == "stopped cleanly"
        count = len(ticks)
        time.sleep(0.3)
        assert len(ticks) == count

    def test_stopping_lets_the_running_step_finish(self, log_lines):
        """stop() during a job: the job completes before the worker returns."""
        started, finished = threading.Event(), threading.Event()

        def slow_step():
            started.set()
            time.sleep(0.4)
            finished.set()

        job = Job("t:slow", "t", IntervalTrigger(seconds=30, start_date=datetime.now(timezone.utc),
                                                 timezone=timezone.utc), slow_step)
        worker = Worker([job])
        thread = threading.Thread(target=worker.run, kwargs={"install_signals": False}, daemon=True)
        thread.start()
        assert started.wait(5.0)
        worker.stop()
        thread.join(5.0)
        assert finished.is_set() and not thread.is_alive()
        assert log_lines.index("stopping: finishing the current step") < log_lines.index("stopped cleanly")


class SandboxedRun:
    """``python -m mentorbot run`` in a subprocess against a sandbox this test serves."""

    def __init__(self, tmp_path: Path):
        self.sb = Sandbox(seed=4)
        self.bot = self.sb.create_user("MedMentorBot", description="Automated mentorship bot")
        self.server = self.sb.serve()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("X_", "MENTORBOT_"))}
        for line in self.sb.env_lines(self.bot, self.server.url).splitlines():
            name, _, value = line.partition("=")
            self.env[name] = value
        self.env["MENTORBOT_DB"] = str(tmp_path / "bot.db")
        self.log = tmp_path / "worker.log"
        self.tmp_path = tmp_path
        self.proc: subprocess.Popen | None = None

    def start(self, *args: str) -> None:
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "mentorbot", "--env-file", str(self.tmp_path / "none.env"), "run",
                 "--campaign", str(CAMPAIGN_FILE), *args],
                cwd=self.tmp_path, env=self.env, stdout=out, stderr=subprocess.STDOUT)

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def terminate(self, timeout: float = 5.0) -> tuple[int, float]:
        assert self.proc is not None
        began = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=timeout)
        return code, time.monotonic() - began

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.server.close()


@pytest.fixture
def sandboxed(tmp_path):
    run = SandboxedRun(tmp_path)
    yield run
    run.close()


class TestMentorbotRun:
    def test_sigterm_stops_the_worker_cleanly_with_exit_code_0(self, sandboxed):
        """The real CLI against the sandbox: started, it polls; SIGTERM ends it in seconds, cleanly."""
        sandboxed.start()
        assert _wait_for(lambda: "GET /2/users/:id/mentions" in str(sandboxed.sb.requests()["by_route"]), 15.0), \
            sandboxed.text()
        code, took = sandboxed.terminate()
        log = sandboxed.text()
        assert code == 0 and took < 5.0, log
        assert "stopped cleanly" in log and "Worker stopped after running 1 campaign(s)." in log
        assert sandboxed.sb.app.bearer_token not in log and sandboxed.bot.access_token not in log

    def test_dry_run_logs_what_it_would_send_and_the_sandbox_records_no_write(self, sandboxed):
        """A join already waiting: --dry-run reads it, logs DRY RUN for the reply, writes nothing."""
        sandboxed.sb.create_user("drjane", description="MS3 | future cardiologist")
        post = sandboxed.sb.post("drjane", "@MedMentorBot #MedMentorMatch MS3 looking for a cardiology mentor")
        sandboxed.start("--dry-run")
        assert _wait_for(lambda: "DRY RUN" in sandboxed.text(), 10.0), sandboxed.text()
        time.sleep(0.5)
        code, _ = sandboxed.terminate()
        log = sandboxed.text()
        assert code == 0 and "stopped cleanly" in log
        dry = [line for line in log.splitlines() if "DRY RUN would" in line]
        assert len(dry) == 1 and f"reply:{post['id']}" in dry[0]
        assert sandboxed.sb.writes() == []
        assert "POST /2/tweets" not in sandboxed.sb.requests()["by_route"]
