"""The engine's commands (demo, pause, resume, status, cost, --help) through click's runner, on real files."""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from loguru import logger

from mentorbot.adapters.sqlite_store import SQLiteStore
from mentorbot.cli import cli
from mentorbot.domain.text import fits
from mentorbot.services.campaign_bot import KILL_SWITCH

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "config" / "campaigns" / "medmentormatch.toml"
POST_KEYS = {"id", "author", "text", "reply_to", "created_at", "refused", "reason"}
SEED = 3


def _clean_env(mp: pytest.MonkeyPatch, where: Path) -> None:
    """Run from an empty directory (no stray .env) with no X_* credentials from the developer's shell."""
    mp.chdir(where)
    for name in list(os.environ):
        if name.startswith("X_") or name == "MENTORBOT_DB":
            mp.delenv(name)


def _run(*args: str, db: Path | None = None) -> Result:
    env = {"MENTORBOT_DB": str(db)} if db is not None else None
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def _demo(out: Path) -> Result:
    return _run("demo", "--weeks", "1", "--seed", str(SEED), "--out", str(out), "--campaign", str(EXAMPLE))


def _plain_logging() -> None:
    """The CLI points loguru at the runner's (soon closed) stderr: put a plain sink back."""
    logger.remove()
    logger.add(lambda message: sys.stderr.write(message), level="DEBUG")


@pytest.fixture(autouse=True)
def _restore_logging():
    yield
    _plain_logging()


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """One simulated week of the example campaign, kept in a directory: (result, directory)."""
    root = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as mp:
        _clean_env(mp, root)
        result = _demo(root / "out")
    _plain_logging()
    return result, root / "out"


@pytest.fixture
def here(tmp_path, monkeypatch):
    _clean_env(monkeypatch, tmp_path)
    return tmp_path


class TestDemo:
    def test_it_tells_the_story_section_by_section_and_ends_with_done(self, demo_run):
        """Exit 0; every section of the story is there; the last line is the 'Done:' summary."""
        result, out = demo_run
        assert result.exit_code == 0, result.output
        for section in ("Who joined", "Posts the bot made", "Refused by X", "API calls", "Metered cost"):
            assert section in result.stdout, section
        assert result.stdout.strip().splitlines()[-1].startswith("Done: 1 week simulated in")
        assert str(out) in result.stdout.strip().splitlines()[-1]

    def test_it_keeps_the_database_and_the_records(self, demo_run):
        """--out DIR holds the bot's database and the sandbox's JSON-lines records."""
        _, out = demo_run
        assert {"mentorbot.db", "posts.jsonl", "world.jsonl"} <= {p.name for p in out.iterdir()}
        with SQLiteStore.open(out / "mentorbot.db") as store:
            assert store.participants("medmentormatch"), "nobody joined in a week"
            assert store.cursor("medmentormatch", "mentions") is not None

    def test_every_post_record_is_json_with_the_documented_fields(self, demo_run):
        """Each line of posts.jsonl is one of the bot's writes; the ones X accepted fit in 280."""
        _, out = demo_run
        lines = (out / "posts.jsonl").read_text(encoding="utf-8").splitlines()
        assert lines, "the bot wrote nothing"
        for line in lines:
            record = json.loads(line)
            assert POST_KEYS <= set(record), record
            assert record["author"] == "MedMentorBot"
            if record["kind"] == "repost":
                assert record["repost_of"] and record["text"] is None, record
            elif not record["refused"]:
                assert record["id"] and fits(record["text"]), record
        assert any(json.loads(line)["reply_to"] for line in lines), "no reply at all"

    def test_the_same_seed_writes_the_same_posts(self, demo_run, here):
        """Determinism: a second run with the same seed produces byte-identical posts.jsonl."""
        _, out = demo_run
        again = _demo(here / "again")
        assert again.exit_code == 0, again.output
        assert (here / "again" / "posts.jsonl").read_text(encoding="utf-8") == \
            (out / "posts.jsonl").read_text(encoding="utf-8")

    def test_x_refuses_nothing_the_bot_writes(self, demo_run):
        """No reply-gate refusal, no duplicate, nothing too long: the story says 0 refused."""
        result, _ = demo_run
        assert "Refused by X (the sandbox): 0 " in result.stdout

    def test_outside_the_repository_it_runs_the_packaged_example(self, here):
        """From any directory (a pip-installed mentorbot), the default campaign is the shipped one."""
        assert not (Path.cwd() / "config").exists()
        result = _run("demo", "--weeks", "1", "--seed", "2")
        assert result.exit_code == 0, result.output
        assert "#MedMentorMatch" in result.output and "Done: 1 week simulated" in result.output

    def test_a_missing_campaign_file_is_named_with_a_fix(self, here):
        """A wrong --campaign path: exit 1, the path and the fix are printed."""
        result = _run("demo", "--weeks", "1", "--campaign", str(here / "nope.toml"))
        assert result.exit_code == 1
        assert "nope.toml not found" in result.output and "Fix:" in result.output


class TestKillSwitch:
    def test_pause_turns_it_on_and_resume_turns_it_off(self, here):
        """pause -> status says ON and the flag is in the file; resume -> off and the flag is gone."""
        db = here / "bot.db"
        assert _run("pause", db=db).exit_code == 0
        status = _run("status", "--campaign", str(EXAMPLE), db=db)
        assert status.exit_code == 0, status.output
        assert "kill switch: ON" in status.stdout
        with SQLiteStore.open(db) as store:
            assert store.flag(KILL_SWITCH) == "on"

        resumed = _run("resume", db=db)
        assert resumed.exit_code == 0 and "Resumed" in resumed.stdout
        assert "kill switch: off" in _run("status", "--campaign", str(EXAMPLE), db=db).stdout
        with SQLiteStore.open(db) as store:
            assert store.flag(KILL_SWITCH) is None

    def test_pausing_twice_is_harmless(self, here):
        """The switch is a flag, not a counter: one resume undoes two pauses."""
        db = here / "bot.db"
        for command in ("pause", "pause", "resume"):
            assert _run(command, db=db).exit_code == 0
        with SQLiteStore.open(db) as store:
            assert store.flag(KILL_SWITCH) is None


def _dollars(pattern: str, text: str) -> float:
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not in:\n{text}"
    return float(match.group(1))


class TestReports:
    def test_status_of_the_demo_shows_campaign_cursor_outbox_and_spend(self, demo_run, here):
        """On the demo's database: the campaign, its cursor, the outbox sizes, spend > 0, a projection."""
        _, out = demo_run
        result = _run("status", "--campaign", str(EXAMPLE), db=out / "mentorbot.db")
        assert result.exit_code == 0, result.output
        text = result.stdout
        assert "Campaign medmentormatch (@MedMentorBot, #MedMentorMatch)" in text
        assert re.search(r"mentions cursor: \d{15,}", text), text
        assert re.search(r"outbox: .*done \d+", text), text
        assert _dollars(r"spend this month: \$(\d+\.\d{3})", text) > 0
        assert _dollars(r"projected \$(\d+\.\d{2})", text) > 0
        assert "a simulation, as of 2026-01-12" in text  # the demo's own month, not today's
        assert text.strip().splitlines()[-1] == (
            "Status of 1 campaign(s): 0 action(s) waiting to be sent; the worker is free to act.")

    def test_cost_of_the_demo_matches_the_bots_own_spend_record(self, demo_run, here):
        """cost prints spend > 0 by kind and a projection; the total is the one the story printed."""
        result_demo, out = demo_run
        result = _run("cost", "--campaign", str(EXAMPLE), db=out / "mentorbot.db")
        assert result.exit_code == 0, result.output
        spent = _dollars(r"Campaign medmentormatch: \$(\d+\.\d{3}) spent", result.stdout)
        assert spent > 0
        assert _dollars(r"projected \$(\d+\.\d{2}) for the month", result.stdout) >= spent
        assert spent == _dollars(r"The bot's own spend record: \$(\d+\.\d{3})", result_demo.stdout)
        assert re.search(r"^\s+reply\s+\$\d+\.\d{3}\s+\(\d+ resources\)", result.stdout, re.M), result.stdout
        assert result.stdout.strip().splitlines()[-1] == f"Spent ${spent:.3f} this month across 1 campaign(s)."

    def test_a_new_database_has_spent_nothing(self, here):
        """No spend yet: cost says $0.000, status says no cursor and an empty outbox."""
        db = here / "fresh.db"
        cost = _run("cost", "--campaign", str(EXAMPLE), db=db)
        assert cost.exit_code == 0, cost.output
        assert "Campaign medmentormatch: $0.000 spent" in cost.stdout
        assert "projected $0.00" in cost.stdout
        status = _run("status", "--campaign", str(EXAMPLE), db=db).stdout
        assert "mentions cursor: none yet" in status and "outbox: empty" in status
        assert "simulation" not in status


def _commands(group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield prefix + (name,), command
        if hasattr(command, "commands"):
            yield from _commands(command, prefix + (name,))


class TestHelp:
    def test_the_top_level_help_lists_every_command(self, here):
        """`mentorbot --help` names each command, with its one-line description."""
        result = _run("--help")
        assert result.exit_code == 0
        names = set(cli.commands)
        assert {"run", "demo", "pause", "resume", "status", "cost", "check", "sandbox"} <= names
        for name, command in cli.commands.items():
            assert re.search(rf"^\s+{name}\s+\S", result.stdout, re.M), f"{name} missing from --help"

    @pytest.mark.parametrize("path", [p for p, _ in _commands(cli)], ids=" ".join)
    def test_every_command_has_a_help_page_with_a_description(self, here, path):
        """`mentorbot <command> --help` exits 0 and says what the command does."""
        command = dict(_commands(cli))[path]
        result = _run(*path, "--help")
        assert result.exit_code == 0, result.output
        words = " ".join(result.stdout.split())  # click wraps the text to the terminal's width
        assert command.help and " ".join(command.help.split("\n")[0].split()) in words
        assert f"{' '.join(path)} [OPTIONS]" in words
