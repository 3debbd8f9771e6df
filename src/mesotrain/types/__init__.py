"""Question types: one module per type, each owning its model, scoring rule, widget, sealing
and result handling (see base.PARTS). ``TYPES`` lists them in the schema's order."""
from __future__ import annotations

from . import case, cloze, hotspot, matching, multiple, numeric, ordering, single, true_false
from .base import OPTIONAL, PARTS, REGISTRY, of

TYPES = (single, multiple, true_false, numeric, ordering, matching, cloze, case, hotspot)

for _t in TYPES:
    for _name, _default in OPTIONAL.items():
        if not hasattr(_t, _name):
            setattr(_t, _name, _default)
    REGISTRY[_t.NAME] = _t

NAMES = tuple(REGISTRY)

__all__ = ["NAMES", "OPTIONAL", "PARTS", "REGISTRY", "TYPES", "of"]
