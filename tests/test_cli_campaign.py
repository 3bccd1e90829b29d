"""`mentorbot init` and `mentorbot campaign validate`: campaign files an organizer can trust."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mentorbot.cli import cli
from mentorbot.config import load_campaign

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "config" / "campaigns" / "medmentormatch.toml"
FLAGS = ("--hashtag", "PedsMentorMatch", "--bot", "PedsMentorBot", "--timezone", "America/Chicago")


@pytest.fixture(autouse=True)
def _in_empty_dir(tmp_path, monkeypatch, restore_cli_logging):
    monkeypatch.chdir(tmp_path)


def _run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_the_packaged_examples_are_the_repository_files():
    """An installed mentorbot's init uses the packaged examples: symlinks to the repository's
    files (a wheel stores their content), so they cannot drift."""
    assert (REPO / "mentorbot" / "data" / "campaign.example.toml").read_text() == EXAMPLE.read_text(), \
        "mentorbot/data/campaign.example.toml must link to config/campaigns/medmentormatch.toml"
    assert (REPO / "mentorbot" / "data" / "env.example").read_text() == (REPO / ".env.example").read_text(), \
        "mentorbot/data/env.example must link to .env.example"


def test_init_from_flags_writes_a_campaign_the_loader_accepts_and_an_env(tmp_path):
    result = _run("init", *FLAGS, "--mentees-per-mentor", "1", "--start", "2027-02-01",
                  "--call-for-mentors", "", "--no-input")
    assert result.exit_code == 0, result.output
    target = tmp_path / "config" / "campaigns" / "pedsmentormatch.toml"
    assert result.output.strip().splitlines() == [result.output.strip()]  # one line
    assert result.output.startswith(f"Wrote {Path('config/campaigns/pedsmentormatch.toml')} for #PedsMentorMatch")
    assert "mentorbot sandbox serve --bot PedsMentorBot" in result.output
    campaign = load_campaign(target)
    assert (campaign.id, campaign.bot_handle, campaign.hashtags) == ("pedsmentormatch", "PedsMentorBot",
                                                                     ("PedsMentorMatch",))
    assert campaign.timezone == "America/Chicago" and f"{campaign.start:%Y-%m-%d}" == "2027-02-01"
    assert campaign.limits.mentees_per_mentor == 1 and campaign.limits.default_mentor_capacity == 1
    assert campaign.schedule.call_for_mentors == ""
    written, example = tomllib.loads(target.read_text()), tomllib.loads(EXAMPLE.read_text())
    assert written["templates"] == example["templates"]  # the templates are kept
    assert target.read_text().count("\n#") == EXAMPLE.read_text().count("\n#")  # and every comment
    assert (tmp_path / ".env").read_text() == (REPO / ".env.example").read_text()


def test_init_refuses_to_overwrite_without_force(tmp_path):
    assert _run("init", *FLAGS, "--no-input").exit_code == 0
    target = tmp_path / "config" / "campaigns" / "pedsmentormatch.toml"
    target.write_text("# my edits\n" + target.read_text())
    (tmp_path / ".env").write_text("X_BEARER_TOKEN=mine\n")
    refused = _run("init", *FLAGS, "--timezone", "Europe/London", "--no-input")
    assert refused.exit_code == 1
    assert "exists; nothing written" in refused.output and "--force" in refused.output
    assert target.read_text().startswith("# my edits")
    forced = _run("init", *FLAGS[:4], "--timezone", "Europe/London", "--no-input", "--force")
    assert forced.exit_code == 0 and "(.env exists, kept)" in forced.output
    assert load_campaign(target).timezone == "Europe/London"
    assert (tmp_path / ".env").read_text() == "X_BEARER_TOKEN=mine\n"  # secrets are never overwritten


def test_init_asks_again_until_each_answer_is_usable(tmp_path):
    answers = ["#Bad Tag", "OrthoMatch", "@OrthoBot", "Mars/Olympus", "Europe/London", "12", "2",
               "0 18 * * 0", "0 18 * * sun", "", "off"]
    result = _run("init", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "is not a hashtag" in result.output and "is not a time zone name" in result.output
    assert "out of range" in result.output and "day names" in result.output
    campaign = load_campaign(tmp_path / "config" / "campaigns" / "orthomatch.toml")
    assert (campaign.bot_handle, campaign.timezone, campaign.limits.mentees_per_mentor) == ("OrthoBot",
                                                                                           "Europe/London", 2)
    assert campaign.schedule.matching_round == "0 18 * * sun"
    assert campaign.schedule.follow_friday == "0 12 * * fri"  # Enter keeps the example's
    assert campaign.schedule.call_for_mentors == ""


def test_init_without_input_needs_the_hashtag_and_rejects_bad_flags(tmp_path):
    missing = _run("init", "--bot", "PedsMentorBot", "--no-input")
    assert missing.exit_code == 2 and "--hashtag is needed with --no-input" in missing.output
    bad = _run("init", *FLAGS, "--matching-round", "0 18 * * 0", "--no-input")
    assert bad.exit_code == 2 and "--matching-round" in bad.output and "day names" in bad.output
    assert not (tmp_path / "config").exists()


def test_validate_accepts_the_example():
    result = _run("campaign", "validate", str(EXAMPLE))
    assert result.exit_code == 0
    assert result.output.startswith(f"{EXAMPLE} is valid: campaign 'medmentormatch' for @MedMentorBot")


def test_validate_names_the_file_the_key_and_the_fix(tmp_path):
    broken = tmp_path / "mine.toml"
    broken.write_text(EXAMPLE.read_text().replace('timezone = "America/New_York"', 'timezone = "Mars/Olympus"')
                      .replace("mentions_per_post = 4", "mentions_per_post = 40"))
    result = _run("campaign", "validate", str(broken))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(line.startswith(f"[ERR] {broken}: campaign.timezone: 'Mars/Olympus' is not a time zone name")
               and "Fix:" in line for line in lines)
    assert any(f"{broken}: limits.mentions_per_post" in line and "Fix:" in line for line in lines)
    assert lines[-1] == f"{broken}: 2 problem(s); fix them and run `mentorbot campaign validate {broken}` again."


def test_validate_reports_a_missing_file_and_broken_toml(tmp_path):
    missing = _run("campaign", "validate", "nowhere.toml")
    assert missing.exit_code == 1 and "nowhere.toml: (file): the file does not exist" in missing.output
    bad = tmp_path / "bad.toml"
    bad.write_text("[campaign]\nid = medmentormatch\n")
    result = _run("campaign", "validate", str(bad))
    assert result.exit_code == 1 and "line 2" in result.output and "double quotes" in result.output
