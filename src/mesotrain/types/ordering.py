"""ordering: items put in order; the share of item pairs in the right relative order."""
from __future__ import annotations

import random
from typing import Literal

from markupsafe import Markup
from pydantic import Field, model_validator

from ..model.base import Id, Md, Model
from .base import ITEMS, _digest, choice_tokens, described, display_order, id_list, rename, unique
from .foreign import Answer, Exchange, Foreign, general

NAME = "ordering"


class Item(Model):
    id: Id
    text: Md


class Body:
    type: Literal["ordering"]
    items: list[Item] = Field(min_length=3, description="In the correct order; shown shuffled.")

    @model_validator(mode="after")
    def _ids(self):
        unique([i.id for i in self.items], "item")
        return self


def share(q, r, ms, neg) -> float:
    """Pairs in the right order over all pairs; under negative marking a misplaced pair costs one."""
    ids = [i.id for i in q.items]
    given = id_list(r, set(ids))
    if given is None or len(given) != len(ids):
        return 0.0
    place = {item: n for n, item in enumerate(given)}
    pairs = len(ids) * (len(ids) - 1) // 2
    right = sum(1 for a in range(len(ids)) for b in range(a + 1, len(ids))
                if place[ids[a]] < place[ids[b]])
    wrong = pairs - right
    return (right - wrong) / pairs if neg else right / pairs


def key(q):
    return [i.id for i in q.items]


def sealed_order(scope: str, items: list, text, private: str) -> list:
    """The base order of a sealed ordering item (``items`` in the key's order).

    The exam page shows one rotation of it per attempt (exam-run.js picks which from the
    attempt id), so no rotation may be the key: no candidate meets the item solved. The
    base is drawn with ``private`` (the item's rationale, never on the page) as well as
    the key, so trying candidate keys against the page cannot single one out; the page
    tells only that the key is none of the rotations it can show.
    """
    n, key = len(items), list(items)
    rng = random.Random(_digest(scope, "base", private, *map(text, key)))
    while True:
        base = rng.sample(key, n)
        if n < 3 or all(base[k:] + base[:k] != key for k in range(n)):
            return base


def widget(q, fd, scope, ctx) -> None:
    values = ctx.names(scope, "item", [i.id for i in q.items], [i.text for i in q.items])
    by_id = dict(zip([i.id for i in q.items], values))
    if ctx.sealed:  # te-x08 was shown solved to every candidate
        shown = sealed_order(scope, q.items, lambda i: i.text, q.rationale or "")
    else:
        shown = display_order(scope, q.items, lambda i: i.text)
    if not ctx.sealed and [i.id for i in shown] == [i.id for i in q.items]:
        shown = shown[1:] + shown[:1]  # never show a practice ordering already solved
    fd.items = [{"value": by_id[i.id], "html": Markup(ctx.html(i.text))} for i in shown]
    fd.hint = "Put the items in order, first at the top."


def feedback(q, ctx) -> dict:
    return {}


def key_text(q, ctx) -> str:
    return "<ol>" + "".join(f"<li>{ctx.html(i.text)}</li>" for i in q.items) + "</ol>"


def sealed_names(q, scope) -> dict:
    return {"item": dict(zip(choice_tokens(scope, "item", [i.text for i in q.items]), [i.id for i in q.items]))}


def public(q) -> dict:
    return {"items": sorted(i.text for i in q.items)}


def unseal(q, r, names, scope):
    return rename(names["item"], r)


def to_page(q, r, inverse, scope):
    return rename(inverse["item"], r)


def interaction(q) -> dict:
    """xAPI names a sequencing interaction's items "choices"."""
    return {"type": "sequencing", "correct": [ITEMS.join(key(q))], "weight": float(q.weight),
            "choices": described([(i.id, i.text) for i in q.items])}


def answer(q, r) -> str:
    return ITEMS.join(r) if id_list(r, {i.id for i in q.items}) else ""


# --- exchange: Moodle's ordering question type (a plugin); answers in order, fraction = place ---
# Its "relative to all previous and next" grading counts, as we do, the pairs in the right order.

def _write(q, text) -> Foreign:
    return Foreign("ordering", q.id, text.md(q.stem), general(q, text), q.weight,
                   answers=[Answer(text.md(i.text), float(n)) for n, i in enumerate(q.items, 1)])


def _read(f: Foreign, notes: list) -> dict | None:
    if f.qtype != "ordering" or len(f.answers) < 3:
        return None
    items = sorted(f.answers, key=lambda a: a.fraction)
    return {"type": NAME, "stem": f.stem, "items": [{"id": f"i{n}", "text": a.text} for n, a in enumerate(items, 1)]}


moodle = Exchange(_write, _read)
gift = "GIFT has no ordering question; export to Moodle XML, which has one"


def qti(q, item) -> None:
    item.order(q.stem, [(i.id, i.text) for i in q.items], key(q))
    item.note("its partial credit (pairs of items in order) is all or nothing in QTI, whose standard "
              "processing compares the whole order")
