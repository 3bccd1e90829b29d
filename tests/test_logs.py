"""Secrets never reach the log output, in human and JSON modes alike."""
from __future__ import annotations

import io
import json
import logging

import pytest
from loguru import logger

from mentorbot.logs import REDACTED, Redactor, configure_logging

SECRETS = ["AAAAbearer%2Ftoken+value", "consumerKEY123", "1234567890-accesstokenXYZ", "sec\"ret\\x"]


def _emit_everywhere() -> None:
    bearer, key, token, odd = SECRETS
    logger.info("calling with bearer {}", bearer)
    logger.bind(token=token, nested={"k": key}).warning("token in extras")
    logger.info("url-encoded form: oauth_consumer_key=\"consumerKEY123\" oauth_token=\"1234567890-accesstokenXYZ\"")
    logger.info("quoted in json: {}", odd)
    try:
        raise RuntimeError(f"request failed for {key}")
    except RuntimeError:
        logger.exception("traceback carries {}", token)
    # tweepy logs headers through the standard library at DEBUG; other libraries log at INFO.
    logging.getLogger("tweepy.client").debug("Headers: {'Authorization': 'Bearer %s'}", bearer)
    logging.getLogger("somelib").warning("stdlib record with %s", key)


@pytest.mark.parametrize("json_lines", [False, True], ids=["human", "json"])
def test_no_secret_appears_in_any_log_line(json_lines: bool) -> None:
    """Messages, extras, tracebacks and std-lib records are all redacted."""
    out = io.StringIO()
    configure_logging(json_lines=json_lines, level="DEBUG", secrets=SECRETS, stream=out)
    _emit_everywhere()
    text = out.getvalue()
    for secret in SECRETS:
        assert secret not in text
        assert json.dumps(secret)[1:-1] not in text
    assert "consumerKEY" not in text and "accesstokenXYZ" not in text
    assert text.count(REDACTED) >= 6
    assert "stdlib record with" in text  # std-lib logging does reach the sink
    if json_lines:
        records = [json.loads(line) for line in text.splitlines()]
        assert all("record" in r for r in records)


def test_tweepy_debug_header_dump_is_silenced() -> None:
    """tweepy's DEBUG request dump (headers with the bearer token) is not even emitted."""
    out = io.StringIO()
    configure_logging(level="DEBUG", stream=out)
    logging.getLogger("tweepy.client").debug("Headers: secret-header-dump")
    assert "secret-header-dump" not in out.getvalue()


def test_redactor_replaces_longest_secret_first() -> None:
    """A secret containing another secret is replaced whole, not left half-visible."""
    redact = Redactor(["abcd", "abcdefgh"])
    assert redact("x abcdefgh y abcd") == f"x {REDACTED} y {REDACTED}"


def test_redactor_ignores_values_too_short_to_be_secrets() -> None:
    """Empty or tiny values are not secrets and must not blank ordinary text."""
    redact = Redactor(["", "ab"])
    assert redact("ab cd") == "ab cd"
