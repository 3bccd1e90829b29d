"""The composition root: the one place that builds adapters and hands them to services."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from .adapters.sqlite_store import SQLiteStore
from .adapters.x_platform import XPlatform
from .config.env import Settings
from .domain.model import CallRecord

__all__ = ["build_platform", "open_store"]


def build_platform(settings: Settings, *, observer: Callable[[CallRecord], None] | None = None,
                   timeout: float = 10.0) -> XPlatform:
    """The X adapter for the configured account, pointed at ``X_API_BASE_URL`` when set."""
    return XPlatform(settings.credentials, base_url=settings.api_base_url, timeout=timeout,
                     observer=observer)


def open_store(settings: Settings) -> SQLiteStore:
    """The SQLite store at ``MENTORBOT_DB`` (created and migrated if needed)."""
    path = Path(settings.db_path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    return SQLiteStore.open(path)
