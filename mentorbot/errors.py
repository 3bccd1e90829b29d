"""mentorbot's exceptions, in one hierarchy.

    MentorbotError
    ├── ConfigError              a campaign, vocabulary or settings file is wrong (file, key, fix)
    ├── StoreError               the database cannot be opened or migrated
    └── PlatformError            a call to X (or the sandbox) failed
        ├── RateLimited          429: wait until ``retry_at`` (unix seconds)
        ├── UsageCapped          429 monthly cap: no more reads until the next period
        ├── CreditsExhausted     402: the pay-per-use credits or spending limit are used up
        ├── AuthError            401/403 on credentials or permissions, with a ``hint``
        ├── Refused              403: the platform refused a write for a reason of its own
        │   ├── DuplicatePost    the same text was already posted
        │   └── ReplyNotAllowed  the reply gate: the parent's author did not mention the bot
        ├── InvalidRequest       400: a parameter was wrong (a bug of ours, or a stale since_id)
        │   └── PostTooLong      the text is over 280 weighted characters
        ├── NotFound             404: the resource does not exist (or no longer exists)
        └── PlatformUnavailable  5xx, a timeout or a broken connection: try again later

Messages never contain secrets: the X adapter builds them from response bodies only.
"""
from __future__ import annotations

__all__ = [
    "MentorbotError",
    "ConfigError",
    "StoreError",
    "PlatformError",
    "RateLimited",
    "UsageCapped",
    "CreditsExhausted",
    "AuthError",
    "Refused",
    "DuplicatePost",
    "ReplyNotAllowed",
    "InvalidRequest",
    "PostTooLong",
    "NotFound",
    "PlatformUnavailable",
]


class MentorbotError(Exception):
    """Base class of every error mentorbot raises on purpose."""


class ConfigError(MentorbotError):
    """A configuration file is wrong; says which file, which key, and how to fix it."""

    def __init__(self, file: str, key: str, problem: str, fix: str):
        self.file, self.key, self.problem, self.fix = str(file), key, problem, fix
        super().__init__(f"{self.file}: {key}: {problem}. Fix: {fix}")


class StoreError(MentorbotError):
    """The database could not be opened, migrated or written."""


class PlatformError(MentorbotError):
    """A call to the platform failed. ``status`` is the HTTP status, when there was one."""

    def __init__(self, message: str, *, status: int | None = None):
        self.status = status
        super().__init__(message)


class RateLimited(PlatformError):
    """Too many requests; ``retry_at`` is the unix time at which the window resets."""

    def __init__(self, message: str, *, retry_at: float | None, status: int | None = 429):
        self.retry_at = retry_at
        super().__init__(message, status=status)


class UsageCapped(PlatformError):
    """The monthly product cap is reached."""


class CreditsExhausted(PlatformError):
    """Pay-per-use credits (or the account's spending limit) are used up."""


class AuthError(PlatformError):
    """Credentials are missing, wrong, or lack a permission; ``hint`` says which and what to do."""

    def __init__(self, message: str, *, hint: str, status: int | None = None):
        self.hint = hint
        super().__init__(f"{message} ({hint})", status=status)


class Refused(PlatformError):
    """The platform refused a write (403) for a reason that retrying will not change."""


class DuplicatePost(Refused):
    """The same text was already posted by this account."""


class ReplyNotAllowed(Refused):
    """The reply gate: the parent post's author did not mention or engage the bot."""


class InvalidRequest(PlatformError):
    """A request parameter was rejected (400)."""


class PostTooLong(InvalidRequest):
    """The post text is over 280 weighted characters (twitter-text v3)."""


class NotFound(PlatformError):
    """The resource does not exist (404)."""


class PlatformUnavailable(PlatformError):
    """A server error, a timeout or a broken connection: worth retrying later."""
