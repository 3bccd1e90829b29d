"""Every command in the click tree explains itself (--help) and has its line in the README.

The commands are discovered from the `mentorbot` group, so a command added later is checked
without touching this file.
"""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from mentorbot.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _walk(command: click.Command, path: tuple[str, ...]):
    yield path, command
    if isinstance(command, click.Group):  # list/get, as click does: some commands load lazily
        context = click.Context(command)
        for name in command.list_commands(context):
            yield from _walk(command.get_command(context, name), path + (name,))


COMMANDS = [(path, command) for path, command in _walk(cli, ()) if path]
IDS = [" ".join(path) for path, _ in COMMANDS]


pytestmark = pytest.mark.usefixtures("restore_cli_logging")


def test_the_tree_is_discovered():
    assert {"init", "campaign validate", "participants list", "run", "sandbox serve"} <= set(IDS)


@pytest.mark.parametrize("path,command", COMMANDS, ids=IDS)
def test_every_command_has_help_text_and_help_for_every_option(path, command):
    assert (command.help or "").strip(), f"mentorbot {' '.join(path)} has no docstring"
    for param in command.params:
        if isinstance(param, click.Option) and param.name != "help":
            assert (param.help or "").strip(), f"mentorbot {' '.join(path)} {param.opts[0]} has no help"
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    first_line = command.help.strip().splitlines()[0]
    assert " ".join(first_line.split()[:4]) in " ".join(result.output.split())


@pytest.mark.parametrize("path,command", COMMANDS, ids=IDS)
def test_every_command_has_a_line_in_the_readme(path, command):
    name = "mentorbot " + " ".join(path)
    assert re.search(re.escape(name) + r"(?![\w-])", README), f"README.md never names `{name}`"


def test_the_command_line_loads_only_what_a_command_needs():
    """`mentorbot classify` and the other light commands do not pay for the organizer commands'
    libraries (twitter-text's tables, matplotlib, Datasette): about a quarter of a second."""
    import subprocess
    import sys

    code = ("import sys, mentorbot.cli; "
            "print(sorted(m for m in ('twitter_text', 'matplotlib', 'datasette', 'mentorbot.cli_campaign') "
            "if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_a_mistyped_command_is_answered_with_the_commands_that_load_later_too():
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["dashbord"])
    assert result.exit_code != 0 and "dashboard" in result.output
