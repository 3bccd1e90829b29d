"""Options several commands share."""
from __future__ import annotations

from pathlib import Path

import click

__all__ = ["CampaignRef", "CAMPAIGN_REF"]


class CampaignRef(click.ParamType):
    """A campaign named by its id (``medmentormatch``) or by its file: both give the id, so
    every ``--campaign`` accepts what the organizer has at hand."""

    name = "ID|FILE"

    def convert(self, value, param, ctx) -> str:
        if not isinstance(value, str):
            return value
        if value.endswith(".toml") or Path(value).is_file():
            from .config.campaign import load_campaign
            from .config.vocabulary import load_vocabulary
            from .errors import ConfigError

            if not Path(value).is_file():
                self.fail(f"{value} not found (give a campaign file or a campaign id)", param, ctx)
            try:
                return load_campaign(Path(value), load_vocabulary()).id
            except ConfigError as exc:
                self.fail(str(exc), param, ctx)
        return value


CAMPAIGN_REF = CampaignRef()
