"""Plain-text tables for the terminal: the CLI's listings and the demo's story."""
from __future__ import annotations

from typing import Any, Sequence

__all__ = ["table"]


def table(headers: Sequence[Any], rows: Sequence[Sequence[Any]], *, indent: str = "",
          rule: bool = False) -> str:
    """Rows as left-aligned columns, two spaces apart, under a header line (and a line of dashes
    under it with ``rule``)."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[Any]) -> str:
        return (indent + "  ".join(str(c).ljust(w) for c, w in zip(cells, widths))).rstrip()
    ruler = [line(["-" * w for w in widths])] if rule else []
    return "\n".join([line(headers), *ruler, *(line(r) for r in rows)])
