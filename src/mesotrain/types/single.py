"""single: one right option among several; right or wrong."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from . import _choice
from ._choice import Option, feedback, interaction, qti_choices, key_text, options, public, sealed_names, widget  # noqa: F401
from .base import is_str, rename
from .foreign import FULL, Answer, Exchange, Foreign, general

NAME = "single"


class Body(_choice.Choice):
    type: Literal["single"]
    options: list[Option] = Field(min_length=2)
    shuffle: bool = True

    @model_validator(mode="after")
    def _one_key(self):
        if sum(o.correct for o in self.options) != 1:
            raise ValueError("a single-answer question needs exactly one option with correct: true")
        return self


def share(q, r, ms, neg) -> float:
    return 1.0 if is_str(r) and r == _choice.keys(q)[0] else 0.0


def key(q):
    return _choice.keys(q)[0]


def key_position(q) -> int:
    return next(j for j, o in enumerate(q.options) if o.correct)


def unseal(q, r, names, scope):
    return rename(names["option"], r)


def to_page(q, r, inverse, scope):
    return rename(inverse["option"], r)



def answer(q, r) -> str:
    return r if is_str(r) else ""


# --- exchange: Moodle's multichoice with one answer (GIFT and Moodle XML alike) -------------

def _write(q, text) -> Foreign:
    return Foreign("multichoice", q.id, text.md(q.stem), general(q, text), q.weight, single=True,
                   shuffle=q.shuffle, answers=[Answer(text.md(o.text), 1.0 if o.correct else 0.0, text.md(o.feedback))
                                               for o in q.options])


def _read(f: Foreign, notes: list) -> dict | None:
    if f.qtype != "multichoice" or not f.single or len(f.answers) < 2:
        return None
    best = max(a.fraction for a in f.answers)
    if best <= 0:
        return None
    key = next(a for a in f.answers if a.fraction == best)
    if best < FULL:
        notes.append(f"no answer earned full marks; '{key.text}' ({best:.0%}) is taken as the key")
    for a in f.answers:
        if a is not key and a.fraction > 0:
            notes.append(f"answer '{a.text}' earned {a.fraction:.0%}; one answer is right here, so it counts as wrong")
    return {"type": NAME, "stem": f.stem, **({} if f.shuffle else {"shuffle": False}),
            "options": [_choice.option(a.text, a is key, a.feedback) for a in f.answers]}


moodle = gift = Exchange(_write, _read)


def qti(q, item) -> None:
    item.choice(q.stem, qti_choices(q), [key(q)], shuffle=q.shuffle)
