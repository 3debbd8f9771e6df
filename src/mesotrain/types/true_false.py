"""true_false: a statement judged true or false; right or wrong."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..model.base import Md
from .base import as_given, no_names, nothing_public

NAME = "true_false"
STATEMENT = True


class Body:
    type: Literal["true_false"]
    answer: bool
    feedback_true: Md | None = Field(None, description="Shown when the trainee answers true.")
    feedback_false: Md | None = Field(None, description="Shown when the trainee answers false.")


def share(q, r, ms, neg) -> float:
    return 1.0 if isinstance(r, bool) and r == q.answer else 0.0


def key(q):
    return q.answer


def widget(q, fd, scope, ctx) -> None:
    fd.choices = [{"value": "true", "html": "True"}, {"value": "false", "html": "False"}]


def feedback(q, ctx) -> dict:
    return {k: ctx.html(v) for k, v in (("true", q.feedback_true), ("false", q.feedback_false)) if v}


def key_text(q, ctx) -> str:
    return "True" if q.answer else "False"


sealed_names, public, unseal, to_page = no_names, nothing_public, as_given, as_given


def options(q) -> list[tuple]:
    return [("true", "True", q.answer is True), ("false", "False", q.answer is False)]


def interaction(q) -> dict:
    return {"type": "true-false", "correct": [answer(q, q.answer)], "weight": float(q.weight)}


def answer(q, r) -> str:
    return ("true" if r else "false") if isinstance(r, bool) else ""
