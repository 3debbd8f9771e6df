"""true_false: a statement judged true or false; right or wrong."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..model.base import Md
from .base import as_given, no_names, nothing_public
from .foreign import FULL, Answer, Exchange, Foreign, general

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


# --- exchange: Moodle's truefalse; each answer carries the feedback shown when it is chosen ---

def _write(q, text) -> Foreign:
    return Foreign("truefalse", q.id, text.md(q.stem), general(q, text), q.weight,
                   answers=[Answer("true", 1.0 if q.answer else 0.0, text.md(q.feedback_true)),
                            Answer("false", 0.0 if q.answer else 1.0, text.md(q.feedback_false))])


def _read(f: Foreign, notes: list) -> dict | None:
    if f.qtype != "truefalse":
        return None
    said = {a.text.strip().lower(): a for a in f.answers}
    yes, no = said.get("true"), said.get("false")
    out = {"type": NAME, "stem": f.stem, "answer": bool(yes and yes.fraction >= FULL)}
    for key, a in (("feedback_true", yes), ("feedback_false", no)):
        if a and a.feedback:
            out[key] = a.feedback
    return out


moodle = gift = Exchange(_write, _read)


def qti(q, item) -> None:
    item.choice(q.stem, [("true", "True", q.feedback_true), ("false", "False", q.feedback_false)],
                [answer(q, q.answer)], shuffle=False)
