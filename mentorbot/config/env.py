"""Deployment settings and secrets, from the environment or a ``.env`` file.

Secrets never appear in ``repr``: ``XCredentials`` hides them, and ``Settings.secrets()``
lists them for the log redaction filter.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from dotenv import dotenv_values

from ..errors import ConfigError

__all__ = ["XCredentials", "Settings", "load_settings", "SECRET_VARIABLES"]

SECRET_VARIABLES = (
    "X_BEARER_TOKEN",
    "X_CONSUMER_KEY",
    "X_CONSUMER_SECRET",
    "X_ACCESS_TOKEN",
    "X_ACCESS_TOKEN_SECRET",
)
DEFAULT_DB = "./mentorbot.db"


@dataclass(frozen=True, slots=True)
class XCredentials:
    """The app's keys and the bot account's tokens. ``repr`` never shows a value."""

    bearer_token: str = field(default="", repr=False)
    consumer_key: str = field(default="", repr=False)
    consumer_secret: str = field(default="", repr=False)
    access_token: str = field(default="", repr=False)
    access_token_secret: str = field(default="", repr=False)

    def __repr__(self) -> str:
        given = [name for name, value in self._named() if value]
        return f"XCredentials(set={given})"

    def _named(self) -> list[tuple[str, str]]:
        return list(zip(SECRET_VARIABLES, (self.bearer_token, self.consumer_key, self.consumer_secret,
                                           self.access_token, self.access_token_secret)))

    def missing(self) -> list[str]:
        """Names of the environment variables that are empty."""
        return [name for name, value in self._named() if not value]

    def values(self) -> list[str]:
        return [value for _, value in self._named() if value]

    @property
    def user_id(self) -> str | None:
        """The bot's user id, as X encodes it in the access token (``<user id>-<random>``)."""
        head, sep, _ = self.access_token.partition("-")
        return head if sep and head.isdigit() else None


@dataclass(frozen=True, slots=True)
class Settings:
    credentials: XCredentials
    api_base_url: str | None = None
    db_path: str = DEFAULT_DB
    source: str = "environment"

    def secrets(self) -> list[str]:
        return self.credentials.values()


def load_settings(env_file: str | Path | None = ".env",
                  environ: Mapping[str, str] | None = None) -> Settings:
    """Read settings: the process environment wins over ``env_file`` (if it exists)."""
    environ = os.environ if environ is None else environ
    from_file: dict[str, str] = {}
    source = "environment"
    if env_file is not None and Path(env_file).is_file():
        from_file = {k: v for k, v in dotenv_values(env_file).items() if v is not None}
        source = f"environment and {env_file}"

    def get(name: str, default: str = "") -> str:
        return (environ.get(name) or from_file.get(name) or default).strip()

    base_url = get("X_API_BASE_URL") or None
    if base_url and not base_url.startswith(("http://", "https://")):
        raise ConfigError(str(env_file or "environment"), "X_API_BASE_URL",
                          f"{base_url!r} is not an http(s) URL",
                          "set it to the sandbox address, e.g. http://127.0.0.1:8787, or remove it")
    creds = XCredentials(*(get(name) for name in SECRET_VARIABLES))
    return Settings(credentials=creds, api_base_url=base_url,
                    db_path=get("MENTORBOT_DB", DEFAULT_DB), source=source)
