"""Small validation helpers shared by the campaign and vocabulary loaders.

Messages are written for organizers, not developers: say what was found, in plain words, and
what to write instead. Problems are collected, so that one run of the loader lists them all.
"""
from __future__ import annotations

import re
import tomllib
from datetime import date, datetime, time
from difflib import get_close_matches
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import ConfigError

__all__ = ["ConfigProblems", "Problems", "Table", "read_toml", "describe", "MISSING"]

MISSING: Any = object()


class ConfigProblems(ConfigError):
    """Several problems in one file. Behaves as the first; ``problems`` lists them all."""

    def __init__(self, problems: list[ConfigError]):
        first = problems[0]
        super().__init__(first.file, first.key, first.problem, first.fix)
        self.problems = tuple(problems)
        self.args = (f"{len(problems)} problems:\n" + "\n".join(f"- {p}" for p in problems),)


class Problems:
    """Collects the problems found in one file; :meth:`raise_if_any` raises them."""

    def __init__(self, file: str | Path):
        self.file = str(file)
        self.items: list[ConfigError] = []

    def add(self, key: str, problem: str, fix: str) -> None:
        self.items.append(ConfigError(self.file, key, problem, fix))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if len(self.items) == 1:
            raise self.items[0]
        if self.items:
            raise ConfigProblems(self.items)


def read_toml(path: str | Path) -> dict[str, Any]:
    """Parse a TOML file; every failure becomes a ConfigError naming the file (and the line)."""
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ConfigError(file, "(file)", "the file does not exist",
                          "check the path, or copy config/campaigns/medmentormatch.toml to start") from None
    except OSError as exc:
        raise ConfigError(file, "(file)", f"the file cannot be read ({exc.strerror})",
                          "check that the path is a file you may read") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(file, f"line {line}", "the file is not UTF-8 text",
                          "save the file as UTF-8 (plain text) in your editor") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"at line (\d+), column (\d+)", message)
        reason = re.sub(r"\s*\(at line \d+, column \d+\)|\s*\(at end of document\)", "", message)
        key = f"line {found.group(1)}" if found else "end of file"
        where = f"line {found.group(1)}, column {found.group(2)}" if found else "the end of the file"
        raise ConfigError(file, key, f"this is not valid TOML: {reason.rstrip('.')} (at {where})",
                          f"look at {where}: text values need double quotes (\"...\"), each setting "
                          "is 'name = value', lists are [\"a\", \"b\"], and a key may appear once") from None


def describe(value: Any) -> str:
    """A value as an organizer would recognise it in their file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    if isinstance(value, dict):
        return "a section of settings"
    if isinstance(value, list):
        return f"a list of {len(value)} item(s)"
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value)


class Table:
    """One TOML table, its dotted path, and typed getters that record problems instead of raising.

    A getter returns the value, the default, or ``None`` after recording a problem; the loader
    raises everything at the end, so a ``None`` never reaches a dataclass.
    """

    def __init__(self, data: Any, path: str, problems: Problems):
        self.data = data if isinstance(data, dict) else {}
        self.path = path
        self.problems = problems

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def check_keys(self, allowed: Iterable[str], what: str = "setting") -> None:
        """Report every key not in ``allowed``, with a "did you mean" suggestion when there is one."""
        allowed = list(allowed)
        for name in self.data:
            if name in allowed:
                continue
            close = get_close_matches(name, allowed, n=1, cutoff=0.6)
            if close:
                self.problems.add(self.key(name), f"unknown {what} '{name}' (did you mean '{close[0]}'?)",
                                  f"rename it to '{close[0]}', or remove it")
            else:
                self.problems.add(self.key(name), f"unknown {what} '{name}'",
                                  f"remove it; the {what}s allowed here are: {', '.join(allowed)}")

    def has(self, name: str) -> bool:
        return name in self.data

    def section(self, name: str, *, required: bool = False) -> Table:
        """A nested table; missing is an empty table (or a problem when ``required``)."""
        value = self.data.get(name, MISSING)
        if value is MISSING:
            if required:
                self.problems.add(self.key(name), "this section is missing",
                                  f"add a [{self.key(name)}] section; the example campaign has one to copy")
            return Table({}, self.key(name), self.problems)
        if not isinstance(value, dict):
            self.problems.add(self.key(name), f"expected a section of settings, got {describe(value)}",
                              f"write it as a section: a line [{self.key(name)}] followed by its settings")
            return Table({}, self.key(name), self.problems)
        return Table(value, self.key(name), self.problems)

    def _get(self, name: str, default: Any, example: str) -> Any:
        value = self.data.get(name, MISSING)
        if value is MISSING and default is MISSING:
            self.problems.add(self.key(name), "this setting is missing", f"add a line such as {name} = {example}")
            return None
        return default if value is MISSING else value

    def _wrong(self, name: str, expected: str, value: Any, fix: str) -> None:
        self.problems.add(self.key(name), f"expected {expected}, got {describe(value)}", fix)

    def text(self, name: str, default: Any = MISSING, *, example: str = '"..."',
             allow_empty: bool = False) -> str | None:
        value = self._get(name, default, example)
        if value is None or value is default:
            return value
        if not isinstance(value, str):
            self._wrong(name, "text in double quotes", value, f"write it in quotes, e.g. {name} = {example}")
            return None
        if not allow_empty and not value.strip():
            self.problems.add(self.key(name), "it is empty", f"write a value, e.g. {name} = {example}")
            return None
        return value.strip()

    def boolean(self, name: str, default: Any = MISSING) -> bool | None:
        value = self._get(name, default, "true")
        if value is None or isinstance(value, bool):
            return value
        self._wrong(name, "true or false", value, f"write true or false, without quotes, e.g. {name} = true")
        return None

    def integer(self, name: str, default: Any = MISSING, *, low: int | None = None,
                high: int | None = None, example: int | None = None) -> int | None:
        shown = example if example is not None else (default if default is not MISSING else low or 1)
        value = self._get(name, default, str(shown))
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self._wrong(name, "a whole number", value, f"write a number such as {shown} (no quotes)")
            return None
        return value if self._in_range(name, value, low, high, shown) else None

    def number(self, name: str, default: Any = MISSING, *, low: float | None = None,
               high: float | None = None, above: float | None = None,
               example: float | None = None) -> float | None:
        shown = example if example is not None else (default if default is not MISSING else low or 1)
        value = self._get(name, default, str(shown))
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self._wrong(name, "a number", value, f"write a number such as {shown} (no quotes)")
            return None
        if above is not None and not value > above:
            self.problems.add(self.key(name), f"must be more than {above:g}, got {value:g}",
                              f"write a number above {above:g}, such as {shown}")
            return None
        return float(value) if self._in_range(name, value, low, high, shown) else None

    def _in_range(self, name: str, value: float, low: float | None, high: float | None,
                  shown: Any) -> bool:
        if (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                bounds = f"between {low:g} and {high:g}"
            elif low is not None:
                bounds = f"at least {low:g}"
            else:
                bounds = f"at most {high:g}"
            self.problems.add(self.key(name), f"must be {bounds}, got {value:g}",
                              f"write a number {bounds}, such as {shown}")
            return False
        return True

    def text_list(self, name: str, default: Any = MISSING, *, example: str = '["..."]',
                  min_items: int = 0) -> list[str] | None:
        value = self._get(name, default, example)
        if value is None:
            return None
        if isinstance(value, str):
            value = [value]  # a single text where a list was meant: accept it
        if not isinstance(value, list):
            self._wrong(name, "a list of texts", value, f"write a list, e.g. {name} = {example}")
            return None
        ok = True
        for index, item in enumerate(value, 1):
            if not isinstance(item, str):
                self.problems.add(f"{self.key(name)}[{index}]", f"expected text in quotes, got {describe(item)}",
                                  "put the item in double quotes")
                ok = False
        if ok and len(value) < min_items:
            self.problems.add(self.key(name), f"the list needs at least {min_items} item(s), it has {len(value)}",
                              f"add items, e.g. {name} = {example}")
            ok = False
        return list(value) if ok else None

    def items(self) -> Iterator[tuple[str, Any]]:
        return iter(self.data.items())
