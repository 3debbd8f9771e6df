"""A question as the exchange formats hold it: Moodle's question model, which GIFT and
Moodle XML both write (Moodle reads either into it), and what each type maps itself to.

A type module decides per format (its ``gift`` and ``moodle`` parts): an :class:`Exchange`
(write: our question → :class:`Foreign`; read: :class:`Foreign` → our question's keys, or
None when it is not one of this type's), or a str: the reason the format cannot carry the
type, which the command's report prints by name. Nothing is left out silently.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

FULL = 1 - 1e-6  # a fraction at or above this earns full marks


@dataclass
class Answer:
    """One answer of a foreign question: its text, its share of the mark (-1…1) and feedback."""

    text: str
    fraction: float = 0.0
    feedback: str | None = None
    tolerance: float = 0.0  # numerical answers only


@dataclass
class Foreign:
    """One question in Moodle's model. ``qtype`` is Moodle's name: multichoice, multichoiceset,
    truefalse, match, shortanswer, numerical, multianswer (cloze), ordering, or any other
    a file brings (description, essay, …), which no type reads."""

    qtype: str
    name: str
    stem: str
    general: str | None = None      # general feedback: our rationale
    weight: float = 1.0             # defaultgrade
    single: bool = True             # multichoice: one answer or several
    shuffle: bool = True
    answers: list[Answer] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)   # match: (premise, match); "" premise = distractor
    usecase: bool = False           # shortanswer
    unit: str | None = None         # numerical
    text: str | None = None         # multianswer: the text holding the blanks, as {#n}
    blanks: list["Foreign"] = field(default_factory=list)         # multianswer: its blanks, n from 1
    where: str = ""                 # file:line:col of the question, when read from a file
    notes: list[str] = field(default_factory=list)                # what the mapping could not keep


class Text(Protocol):
    """What a type's writer is given (exchange.Text): our Markdown made readable elsewhere, and
    the bank's defaults."""

    scoring: str  # the bank's multiple_scoring

    def md(self, text: str | None) -> str | None: ...


@dataclass(frozen=True)
class Exchange:
    """A type's mapping to Moodle's model: ``write(q, text) → Foreign`` and
    ``read(f, notes) → our keys (type, stem, …) or None`` when ``f`` is not one of this type."""

    write: Callable[[Any, Text], Foreign]
    read: Callable[[Foreign, list], dict | None]


def decision(t: Any, fmt: str) -> Exchange | str | None:
    """What type module ``t`` decided for format ``fmt``: a mapping, the reason it cannot, or None."""
    slot = getattr(t, fmt, None)
    return slot if isinstance(slot, (Exchange, str)) else None


def general(q: Any, text: Text) -> str | None:
    return text.md(q.rationale)


def fmt_number(x: float) -> str:
    return f"{x:.7g}"
