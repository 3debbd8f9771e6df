"""numeric: a number within a tolerance of the answer, absolute or relative."""
from __future__ import annotations

import math
from typing import Any, Literal

from markupsafe import escape
from pydantic import Field

from .base import EPSILON, RANGE, as_given, no_names, nothing_public, num, number
from .foreign import FULL, Answer, Exchange, Foreign, fmt_number, general

NAME = "numeric"


class Body:
    type: Literal["numeric"]
    answer: float
    tolerance: float = Field(0, ge=0)
    tolerance_mode: Literal["absolute", "relative"] = "absolute"
    unit: str | None = None
    min: float | None = Field(None, description="Lowest value the input accepts.")
    max: float | None = Field(None, description="Highest value the input accepts.")


def _number(r: Any) -> float | None:
    if isinstance(r, bool) or not isinstance(r, (int, float)):
        return None
    try:
        value = float(r)
    except OverflowError:
        return None
    return value if math.isfinite(value) else None


def share(q, r, ms, neg) -> float:
    """Within tolerance of the answer; a number outside the question's min/max earns nothing."""
    value = _number(r)
    if value is None:
        return 0.0
    if (q.min is not None and value < q.min) or (q.max is not None and value > q.max):
        return 0.0
    allowed = _allowed(q)
    slack = EPSILON * max(1.0, abs(q.answer))
    return 1.0 if abs(value - q.answer) <= allowed + slack else 0.0


def key(q):
    return q.answer


def widget(q, fd, scope, ctx) -> None:
    hint = []
    if q.min is not None and q.max is not None:
        hint.append(f"Between {num(q.min)} and {num(q.max)}.")
    elif q.min is not None:
        hint.append(f"At least {num(q.min)}.")
    elif q.max is not None:
        hint.append(f"At most {num(q.max)}.")
    fd.numeric = {"unit": q.unit, "hint": " ".join(hint), "min": q.min, "max": q.max}


def feedback(q, ctx) -> dict:
    return {}


def key_text(q, ctx) -> str:
    tol = "" if not q.tolerance else (f" (± {num(q.tolerance * 100)} %)" if q.tolerance_mode == "relative"
                                      else f" (± {num(q.tolerance)})")
    return escape(f"{num(q.answer)}{' ' + q.unit if q.unit else ''}{tol}")


sealed_names, public, unseal, to_page = no_names, nothing_public, as_given, as_given


def interaction(q) -> dict:
    """The range that earns credit, "low[:]high" (low == high for an exact answer), within min/max."""
    low, high = _range(q)
    return {"type": "numeric", "correct": [number(low) + RANGE + number(high)], "weight": float(q.weight)}


def _allowed(q) -> float:
    return q.tolerance * abs(q.answer) if q.tolerance_mode == "relative" else q.tolerance


def _range(q) -> tuple[float, float]:
    """The values that earn credit: the answer ± its tolerance, within min and max."""
    low, high = q.answer - _allowed(q), q.answer + _allowed(q)
    if q.min is not None:
        low = max(low, q.min)
    if q.max is not None:
        high = min(high, q.max)
    return low, high


def answer(q, r) -> str:
    value = _number(r)
    return "" if value is None else number(value)


# --- exchange: Moodle's numerical, the answer with an absolute tolerance ----------------------

def _write(q, text) -> Foreign:
    tol = _allowed(q)
    f = Foreign("numerical", q.id, text.md(q.stem), general(q, text), q.weight, unit=q.unit,
                answers=[Answer(fmt_number(q.answer), 1.0, None, tolerance=tol)])
    low, high = q.answer - tol, q.answer + tol
    if (q.min is not None and q.min > low) or (q.max is not None and q.max < high):
        f.notes.append("its limits (min/max) cut into the accepted range and are not carried")
    return f


def _read(f: Foreign, notes: list) -> dict | None:
    if f.qtype != "numerical" or not f.answers:
        return None
    full = [a for a in f.answers if a.fraction >= FULL]
    if not full:
        return None
    try:
        value = float(full[0].text)
    except ValueError:
        return None
    for a in f.answers:
        if a is not full[0]:
            notes.append(f"answer {a.text} ({a.fraction:.0%}) is left out: one answer and its tolerance count here")
    if full[0].feedback:
        notes.append("the answer's feedback is left out: a numeric question here has only its rationale")
    out = {"type": NAME, "stem": f.stem, "answer": value}
    if full[0].tolerance:
        out["tolerance"] = abs(full[0].tolerance)
    if f.unit:
        out["unit"] = f.unit
    return out


moodle = gift = Exchange(_write, _read)


def qti(q, item) -> None:
    """Any value in the range earns the credit, widened by the float slack share() forgives."""
    low, high = _range(q)
    slack = EPSILON * max(1.0, abs(q.answer))
    item.numeric(q.stem, q.answer, low - slack, high + slack, unit=q.unit)
