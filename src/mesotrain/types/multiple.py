"""multiple: choose all that apply; partial credit or all-or-nothing."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from . import _choice
from ._choice import Option, feedback, interaction, qti_choices, key_text, options, public, sealed_names  # noqa: F401
from .base import ITEMS, id_list, in_order, rename
from .foreign import Answer, Exchange, Foreign, general

NAME = "multiple"


class Body(_choice.Choice):
    type: Literal["multiple"]
    options: list[Option] = Field(min_length=2)
    scoring: Literal["partial", "all_or_nothing"] | None = Field(
        None, description="Defaults to the bank's multiple_scoring.")
    shuffle: bool = True

    @model_validator(mode="after")
    def _some_key(self):
        if not any(o.correct for o in self.options):
            raise ValueError("a multiple-answer question needs at least one correct option")
        return self


def share(q, r, ms, neg) -> float:
    """Each right choice +1/n, each wrong one -1/n (n right options), or all-or-nothing."""
    chosen = id_list(r, {o.id for o in q.options})
    if not chosen:
        return 0.0
    keys = set(_choice.keys(q))
    if (q.scoring or ms) == "all_or_nothing":
        return 1.0 if set(chosen) == keys else 0.0
    right = sum(1 for c in chosen if c in keys)
    wrong = len(chosen) - right
    return (right - wrong) / len(keys)


def key(q):
    return _choice.keys(q)


def widget(q, fd, scope, ctx) -> None:
    _choice.widget(q, fd, scope, ctx)
    fd.hint = "Choose all that apply."


def unseal(q, r, names, scope):
    return rename(names["option"], r)


def to_page(q, r, inverse, scope):
    return rename(inverse["option"], r)



def answer(q, r) -> str:
    """The chosen ids in the options' order, whatever order they were ticked in."""
    return ITEMS.join(in_order([o.id for o in q.options], r))


# --- exchange: Moodle's multichoice with several answers (each right one +1/k, wrong -1/k, as
# our partial rule), or its all-or-nothing kind (multichoiceset, a Moodle plugin) -------------

def _write(q, text) -> Foreign:
    keys = sum(o.correct for o in q.options)
    whole = (q.scoring or text.scoring) == "all_or_nothing"
    return Foreign("multichoiceset" if whole else "multichoice", q.id, text.md(q.stem), general(q, text), q.weight,
                   single=False, shuffle=q.shuffle,
                   answers=[Answer(text.md(o.text), (1.0 if o.correct else 0.0) if whole else
                                   (1 / keys if o.correct else -1 / keys), text.md(o.feedback)) for o in q.options])


def _read(f: Foreign, notes: list) -> dict | None:
    whole = f.qtype == "multichoiceset"
    if not (whole or (f.qtype == "multichoice" and not f.single)) or len(f.answers) < 2:
        return None
    right = [a for a in f.answers if a.fraction > 0]
    if not right:
        return None
    if not whole:
        k = len(right)
        if any(abs(a.fraction - 1 / k) > 1e-3 for a in right) or any(abs(a.fraction + 1 / k) > 1e-3 and a.fraction != 0
                                                                      for a in f.answers if a not in right):
            notes.append("its answer weights differ from ours: here each right answer earns 1/"
                         f"{k} and each wrong one costs 1/{k}")
    return {"type": NAME, "stem": f.stem, **({"scoring": "all_or_nothing"} if whole else {}),
            **({} if f.shuffle else {"shuffle": False}),
            "options": [_choice.option(a.text, a in right, a.feedback) for a in f.answers]}


moodle = gift = Exchange(_write, _read)


def qti(q, item) -> None:
    """Partial credit as share() gives it: each right choice +1/n, each wrong one -1/n."""
    keys = _choice.keys(q)
    partial = (q.scoring or item.scoring) != "all_or_nothing"
    scores = {o.id: (1 if o.id in keys else -1) / len(keys) for o in q.options} if partial else None
    item.choice(q.stem, qti_choices(q), keys, max_choices=0, shuffle=q.shuffle, scores=scores)
