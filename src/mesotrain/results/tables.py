"""Plain-text tables for the terminal: aligned columns, long cells cut with an ellipsis."""
from __future__ import annotations

from typing import Sequence

MAX_CELL = 40


def _cell(value: object) -> str:
    if value is None:
        return "–"
    text = str(value).replace("\n", " ")
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"


def table(header: Sequence[str], rows: Sequence[Sequence[object]], *, right: Sequence[int] = ()) -> str:
    """A table with a header rule; columns in ``right`` (numbers) are right-aligned."""
    cells = [[_cell(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if i in right else v.ljust(w)
                         for i, (v, w) in enumerate(zip(values, widths))).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in cells])


def pct(fraction: float | None) -> str:
    return "–" if fraction is None else f"{fraction * 100:.1f}%"
