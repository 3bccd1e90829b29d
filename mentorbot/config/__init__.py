"""Loading configuration: campaign files, the vocabulary, and deployment settings.

The names below are imported on first use (PEP 562): a command that needs only the settings
does not pay for the campaign loader's imports (twitter-text's tables: about 0.2 s).
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "ConfigProblems",
    "Settings",
    "XCredentials",
    "default_vocabulary_path",
    "load_campaign",
    "load_settings",
    "load_vocabulary",
]

_WHERE = {
    "ConfigProblems": "._validate",
    "load_campaign": ".campaign",
    "Settings": ".env",
    "XCredentials": ".env",
    "load_settings": ".env",
    "default_vocabulary_path": ".vocabulary",
    "load_vocabulary": ".vocabulary",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value
