"""`mentorbot check` and `mentorbot sandbox serve`, through click's runner and a real process."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from mentorbot.cli import cli
from mentorbot.sandbox import Sandbox

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "config" / "campaigns" / "medmentormatch.toml"


@pytest.fixture
def sandbox_env(monkeypatch, tmp_path):
    """A served sandbox with the example campaign's bot, and the env vars that point at it."""
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's checkout
    sb = Sandbox(seed=3)
    bot = sb.create_user("MedMentorBot", description="Automated. Run by @OrganizerDoc")
    server = sb.serve()
    env = dict(line.split("=", 1) for line in sb.env_lines(bot, server.url).splitlines() if "=" in line)
    for name in list(os.environ):
        if name.startswith("X_"):
            monkeypatch.delenv(name)
    yield sb, env
    server.close()


def _run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


class TestCheck:
    def test_a_good_setup_passes_and_names_the_bot(self, sandbox_env):
        """Valid campaign + working credentials: exit 0 and the bot's handle is printed."""
        _, env = sandbox_env
        result = _run("check", "--campaign", str(EXAMPLE), env=env)
        assert result.exit_code == 0, result.output
        assert "bot account: @MedMentorBot" in result.output
        assert "All checks passed." in result.output

    def test_wrong_credentials_fail_with_a_hint_and_no_secret(self, sandbox_env):
        """A bad consumer secret: exit 1, the hint names the keys, the values are not shown."""
        _, env = sandbox_env
        env = {**env, "X_CONSUMER_SECRET": "definitely-wrong-secret"}
        result = _run("check", "--campaign", str(EXAMPLE), env=env)
        assert result.exit_code == 1
        assert "X_CONSUMER_KEY" in result.output or "X_ACCESS_TOKEN" in result.output
        for value in env.values():
            if not value.startswith("http"):
                assert value not in result.output

    def test_a_campaign_for_another_account_is_flagged(self, sandbox_env, tmp_path):
        """bot_handle must be the account the tokens belong to."""
        _, env = sandbox_env
        other = tmp_path / "other.toml"
        other.write_text(EXAMPLE.read_text().replace('bot_handle = "MedMentorBot"', 'bot_handle = "OtherBot"'))
        result = _run("check", "--campaign", str(other), env=env)
        assert result.exit_code == 1
        assert 'set bot_handle = "MedMentorBot"' in result.output

    def test_a_broken_campaign_names_file_key_and_fix(self, tmp_path, monkeypatch):
        """Offline check of a file with a bad timezone: the error says where and how to fix it."""
        monkeypatch.chdir(tmp_path)
        broken = tmp_path / "broken.toml"
        broken.write_text(re.sub(r'timezone = "[^"]+"', 'timezone = "Mars/Olympus"', EXAMPLE.read_text(), count=1))
        result = _run("check", "--offline", "--campaign", str(broken), env={})
        assert result.exit_code == 1
        assert str(broken) in result.output and "campaign.timezone" in result.output
        assert "Fix:" in result.output

    def test_missing_credentials_are_listed_by_name(self, tmp_path, monkeypatch):
        """No .env and no environment: every missing variable is named with where to put it."""
        monkeypatch.chdir(tmp_path)
        for name in list(os.environ):
            if name.startswith("X_"):
                monkeypatch.delenv(name)
        result = _run("check", "--campaign", str(EXAMPLE))
        assert result.exit_code == 1
        assert "X_BEARER_TOKEN" in result.output and ".env" in result.output


def test_json_logs_at_debug_never_show_a_secret(sandbox_env):
    """--log-json --log-level DEBUG while talking to the sandbox: no credential in any output."""
    _, env = sandbox_env
    proc = subprocess.run(
        [sys.executable, "-m", "mentorbot", "--log-json", "--log-level", "DEBUG", "check",
         "--campaign", str(EXAMPLE)],
        env={**os.environ, **env}, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip(), "expected debug log lines"
    secrets = [v for k, v in env.items() if k != "X_API_BASE_URL"]
    for secret in secrets:
        assert secret not in proc.stderr and secret not in proc.stdout


def test_sandbox_serve_prints_working_env_lines_and_stops_on_ctrl_c(tmp_path):
    """The printed .env lines authenticate against the running server; SIGINT stops it cleanly."""
    proc = subprocess.Popen([sys.executable, "-m", "mentorbot", "sandbox", "serve", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        lines: dict[str, str] = {}
        while "X_ACCESS_TOKEN_SECRET" not in lines:
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            if "=" in line:
                key, value = line.strip().split("=", 1)
                lines[key] = value
        url = lines["X_API_BASE_URL"]
        me = requests.get(f"{url}/2/users/by/username/MedMentorBot",
                          headers={"Authorization": f"Bearer {lines['X_BEARER_TOKEN']}"}, timeout=5)
        assert me.status_code == 200 and me.json()["data"]["username"] == "MedMentorBot"
        assert requests.get(f"{url}/2/users/me", timeout=5).status_code == 401
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert "Sandbox stopped." in out
