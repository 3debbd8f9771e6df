"""case: a vignette with parts of the other types; its parts' credit scaled to its weight."""
from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from ..model.base import Md
from .base import REGISTRY, credit, part_scope, part_weight, public_view, token, unique
from .base import to_page as to_page_as, unseal as unseal_as

NAME = "case"
COMPOSITE = True  # model/questions.py adds parts: list[Part]


class Body:
    """A vignette with sub-questions; its credit is its parts' credit, scaled to its weight."""

    type: Literal["case"]
    vignette: Md

    @model_validator(mode="after")
    def _ids(self):
        unique([p.id for p in self.parts], "part")
        return self


def share(q, r, ms, neg) -> float:
    if not isinstance(r, dict):
        return 0.0
    total = sum(float(p.weight) for p in q.parts)
    return sum(credit(p, r.get(p.id), ms, neg) for p in q.parts) / total


def key(q):
    return {p.id: REGISTRY[p.type].key(p) for p in q.parts}


def widget(q, fd, scope, ctx) -> None:
    """A case has no controls of its own: render/questions.py makes a field per part."""


def feedback(q, ctx) -> dict:
    return {p.id: REGISTRY[p.type].feedback(p, ctx) for p in q.parts}


def key_text(q, ctx) -> str:
    return "<ol>" + "".join(f"<li>{ctx.html(p.stem)} {REGISTRY[p.type].key_text(p, ctx)}</li>"
                            for p in q.parts) + "</ol>"


def sealed_names(q, scope) -> dict:
    return {"part": {token(q.id, "part", str(n)): p.id for n, p in enumerate(q.parts)}}


def public(q) -> dict:
    return {"parts": [public_view(p) for p in q.parts]}


def unseal(q, r, names, scope):
    if not isinstance(r, dict):
        return r
    out = {}
    for k, v in r.items():
        pid = names["part"].get(k, k)
        index = next((n for n, p in enumerate(q.parts) if p.id == pid), None)
        out[pid] = v if index is None else unseal_as(q.parts[index], v, part_scope(q.id, index),
                                                     getattr(names["part"], "misses", None))
    return out


def to_page(q, r, inverse, scope):
    return {inverse["part"][p.id]: to_page_as(p, r[p.id], part_scope(q.id, n))
            for n, p in enumerate(q.parts) if p.id in r}


interaction = "a case is one interaction per part: see parts(q)"


def parts(q) -> list[tuple]:
    """Its parts as (CASEID.N, part), N from 1: the ids its interactions go by."""
    return [(f"{q.id}.{n}", p) for n, p in enumerate(q.parts, 1)]


moodle = gift = ("a case's shared vignette and its parts' combined credit have no form in this format; "
                 "move its parts out of the case to export them one by one")


def qti(q, item) -> None:
    """One item: the vignette, then each part's interaction, scored as share() weighs parts."""
    item.block(q.vignette)
    for n, p in enumerate(q.parts, 1):
        part = REGISTRY[p.type].qti
        if not callable(part):
            item.cannot(f"part {p.id}: {part}")
        item.question(n, part_weight(q, p))
        part(p, item)
