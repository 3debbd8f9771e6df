"""Plain-text tables for the terminal: aligned columns (wide characters count two), long cells cut
with an ellipsis, control characters shown as escapes."""
from __future__ import annotations

from typing import Sequence

from .printable import fit, for_terminal, pad, width

MAX_CELL = 40


def _cell(value: object) -> str:
    if value is None:
        return "–"
    return fit(for_terminal(str(value).replace("\n", " ")), MAX_CELL)


def table(header: Sequence[str], rows: Sequence[Sequence[object]], *, right: Sequence[int] = ()) -> str:
    """A table with a header rule; columns in ``right`` (numbers) are right-aligned."""
    cells = [[_cell(c) for c in row] for row in rows]
    widths = [max([width(h)] + [width(r[i]) for r in cells]) for i, h in enumerate(header)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(pad(v, w, right=i in right)
                         for i, (v, w) in enumerate(zip(values, widths))).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in cells])


def pct(fraction: float | None) -> str:
    return "–" if fraction is None else f"{fraction * 100:.1f}%"
