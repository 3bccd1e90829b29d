"""Loading configuration: campaign files, the vocabulary, and deployment settings."""
from __future__ import annotations

from .env import Settings, XCredentials, load_settings

__all__ = ["Settings", "XCredentials", "load_settings"]
