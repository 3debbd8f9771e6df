"""What single and multiple share: options with ids a, b, c … by default."""
from __future__ import annotations

from markupsafe import Markup
from pydantic import Field, model_validator

from ..model.base import Id, Md, Model
from .base import ITEMS, choice_tokens, described, shown_order, unique


class Option(Model):
    id: Id | None = Field(None, description="Stable id; defaults to a, b, c … by position.")
    text: Md
    correct: bool = False
    feedback: Md | None = None


class Choice:
    @model_validator(mode="after")
    def _ids(self):
        object.__setattr__(self, "options", [o if o.id else o.model_copy(update={"id": chr(ord("a") + i)})
                                             for i, o in enumerate(self.options)])
        unique([o.id for o in self.options], "option")
        return self


def keys(q) -> list[str]:
    return [o.id for o in q.options if o.correct]


def widget(q, fd, scope, ctx) -> None:
    ids = [o.id for o in q.options]
    values = dict(zip(ids, ctx.names(scope, "option", ids, [o.text for o in q.options])))
    fd.choices = [{"value": values[o.id], "html": Markup(ctx.html(o.text))}
                  for o in shown_order(q, scope, q.options, lambda o: o.text, ctx)]


def feedback(q, ctx) -> dict:
    return {o.id: ctx.html(o.feedback) for o in q.options if o.feedback}


def key_text(q, ctx) -> str:
    return ", ".join(ctx.html(o.text) for o in q.options if o.correct)


def sealed_names(q, scope) -> dict:
    return {"option": dict(zip(choice_tokens(scope, "option", [o.text for o in q.options]),
                               [o.id for o in q.options]))}


def public(q) -> dict:
    return {"options": sorted(o.text for o in q.options)}


def options(q) -> list[tuple]:
    return [(o.id, o.text, o.correct) for o in q.options]


def interaction(q) -> dict:
    return {"type": "choice", "correct": [ITEMS.join(keys(q))], "weight": float(q.weight),
            "choices": described([(o.id, o.text) for o in q.options])}


def option(text: str, correct: bool, feedback: str | None) -> dict:
    """An option as written in YAML (ids by position), for the exchange readers."""
    out = {"text": text}
    if correct:
        out["correct"] = True
    if feedback:
        out["feedback"] = feedback
    return out


def qti_choices(q) -> list[tuple]:
    return [(o.id, o.text, o.feedback) for o in q.options]
