"""Logging, configured once by the CLI: readable lines on stderr, or JSON lines for hosted workers.

Every line passes through a redacting sink: each configured secret (and its URL-encoded form)
is replaced by ``[REDACTED]`` wherever it would appear: in the message, in bound extras, in a
traceback, in the JSON record. Standard-library logging (tweepy, urllib3, APScheduler) is routed
through the same sink, and tweepy's DEBUG dump of request headers is silenced at the source.
"""
from __future__ import annotations

import json
import logging
import sys
import threading
from typing import Iterable, TextIO
from urllib.parse import quote

from loguru import logger

__all__ = ["configure_logging", "add_secrets", "Redactor", "REDACTED"]

REDACTED = "[REDACTED]"
_MIN_SECRET_LENGTH = 4  # shorter values would blank out ordinary words

_HUMAN_FORMAT = (
    "<green>{time:YYYY-MM-DD HH:mm:ss}</green> <level>{level: <7}</level> "
    "<cyan>{extra[campaign]}</cyan> {message}"
)


class Redactor:
    """Replaces known secrets in text. Thread-safe; secrets can be added after start-up."""

    def __init__(self, secrets: Iterable[str] = ()):
        self._lock = threading.Lock()
        self._needles: tuple[str, ...] = ()
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        forms = set(self._needles)
        for secret in secrets:
            if secret and len(secret) >= _MIN_SECRET_LENGTH:
                # Raw, URL-encoded (OAuth headers, query strings) and JSON-escaped (--log-json).
                forms.update({secret, quote(secret, safe=""), quote(secret, safe="~"),
                              json.dumps(secret)[1:-1]})
        with self._lock:
            # Longest first, so a secret that contains another is replaced whole.
            self._needles = tuple(sorted(forms, key=len, reverse=True))

    def __call__(self, text: str) -> str:
        for needle in self._needles:
            if needle in text:
                text = text.replace(needle, REDACTED)
        return text


_redactor = Redactor()


class _InterceptHandler(logging.Handler):
    """Sends standard-library log records to loguru (and so through the redacting sink)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            level: str | int = logger.level(record.levelname).name
        except ValueError:
            level = record.levelno
        logger.opt(depth=6, exception=record.exc_info).log(level, record.getMessage())


def add_secrets(secrets: Iterable[str]) -> None:
    """Register more values to redact (e.g. tokens a sandbox created at run time)."""
    _redactor.add(secrets)


def configure_logging(*, json_lines: bool = False, level: str = "INFO", secrets: Iterable[str] = (),
                      stream: TextIO | None = None) -> None:
    """Set up the one loguru sink. Call once, from the CLI (tests may call it again)."""
    _redactor.add(secrets)
    out = stream if stream is not None else sys.stderr

    def sink(message: str) -> None:
        out.write(_redactor(str(message)))
        out.flush()

    logger.remove()
    logger.configure(extra={"campaign": "-"})
    if json_lines:
        logger.add(sink, level=level, serialize=True, backtrace=False, diagnose=False)
    else:
        colorize = hasattr(out, "isatty") and out.isatty()
        logger.add(sink, level=level, format=_HUMAN_FORMAT, colorize=colorize,
                   backtrace=False, diagnose=False)
    logging.basicConfig(handlers=[_InterceptHandler()], level=logging.INFO, force=True)
    # tweepy logs full request headers (the bearer token among them) at DEBUG: never let that out.
    logging.getLogger("tweepy").setLevel(logging.INFO)
    logging.getLogger("urllib3").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
