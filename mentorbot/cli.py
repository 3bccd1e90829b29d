"""The command line: one click group, thin over the library."""
from __future__ import annotations

import click

from . import __version__


@click.group()
@click.version_option(__version__, prog_name="mentorbot")
def cli() -> None:
    """mentorbot: run a mentorship program on X."""


def main() -> None:
    cli()
