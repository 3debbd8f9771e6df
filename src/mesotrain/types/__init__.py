"""Question types: one module per type, each owning its model, scoring rule, widget, sealing
and result handling (see base.PARTS). ``TYPES`` lists them in the schema's order."""
from __future__ import annotations

from . import case, cloze, hotspot, matching, multiple, numeric, ordering, single, true_false
from .base import OPTIONAL, PARTS, REGISTRY, of, part_weight

TYPES = (single, multiple, true_false, numeric, ordering, matching, cloze, case, hotspot)

for _t in TYPES:
    for _name, _default in OPTIONAL.items():
        if not hasattr(_t, _name):
            setattr(_t, _name, _default)
    REGISTRY[_t.NAME] = _t

NAMES = tuple(REGISTRY)


def interactions(q) -> list[tuple]:
    """[(id, part, interaction)]: a question as SCORM 2004 / xAPI interactions (base.py says
    what one holds). One for a question, one per part of a composite, with the id CASEID.N and
    the part's weight scaled as the composite scores it (parts' credit over their total weight,
    times its own). The interaction is None for a type that cannot be one (its slot says why)."""
    t = of(q)
    if not t.parts:
        return [(q.id, q, t.interaction(q) if callable(t.interaction) else None)]
    out = []
    for sub_id, p in t.parts(q):
        i = of(p).interaction(p) if callable(of(p).interaction) else None
        if i is not None:
            i["weight"] = part_weight(q, p)
        out.append((sub_id, p, i))
    return out


def answers(q, r) -> list[str]:
    """A response in our ids as learner-response strings, one per interaction of q."""
    if not of(q).parts:
        return [of(q).answer(q, r) if callable(of(q).answer) else ""]
    r = r if isinstance(r, dict) else {}
    return [of(p).answer(p, r.get(p.id)) if callable(of(p).answer) else "" for _, p in of(q).parts(q)]


__all__ = ["NAMES", "OPTIONAL", "PARTS", "REGISTRY", "TYPES", "answers", "interactions", "of"]
