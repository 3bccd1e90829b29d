"""Fixtures shared by the test modules."""
from __future__ import annotations

import pytest
from loguru import logger


@pytest.fixture
def log_lines():
    """Every loguru line emitted during the test, as "LEVEL {extra} message"."""
    lines: list[str] = []
    sink = logger.add(lambda m: lines.append(str(m)), format="{level} {extra} {message}", level="DEBUG")
    yield lines
    logger.remove(sink)
