"""Loading configuration: campaign files, the vocabulary, and deployment settings."""
from __future__ import annotations

from ._validate import ConfigProblems
from .campaign import load_campaign
from .env import Settings, XCredentials, load_settings
from .vocabulary import default_vocabulary_path, load_vocabulary

__all__ = [
    "ConfigProblems",
    "Settings",
    "XCredentials",
    "default_vocabulary_path",
    "load_campaign",
    "load_settings",
    "load_vocabulary",
]
