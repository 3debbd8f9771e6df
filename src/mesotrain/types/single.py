"""single: one right option among several; right or wrong."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from . import _choice
from ._choice import Option, feedback, interaction, key_text, options, public, sealed_names, widget  # noqa: F401
from .base import is_str, rename

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
