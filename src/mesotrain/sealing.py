"""What a page may show of a question, how its choices are named there, and its fingerprint.

A sealed exam page must carry no key material, and author-chosen ids are key
material: defaults ``a, b, c`` follow the authored order (authors tend to write the
key first), matching choices are named by their premise's pair id, and ordering
items are authored in the correct order. So in sealed mode every choice is named by
an opaque token and shown in an order derived from public data only — a hash of the
question id and the choice's own text — never from ids, authored order or keys. The
certifier's tools turn a sealed response back into ids with :func:`unseal` (no secret
needed: the mapping depends only on what the page already shows). Each type's module
(mesotrain/types/) says how it names its choices and what its page shows.

Fingerprints tie a response to a version of its question: progress made on an older
version is not shown as answered, and a result file says which version was sat. The
sealed fingerprint hashes only the public view (choice texts sorted), so it reveals
nothing that brute-forcing candidate keys could confirm.
"""
from __future__ import annotations

import hashlib
import json

from .types.base import (choice_tokens, display_order, part_scope, public_view, sealed_names, token,
                         unseal)

__all__ = ["fingerprint", "token", "display_order", "choice_tokens", "unseal", "part_scope", "sealed_names"]


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def fingerprint(q, *, sealed: bool = False, weight: bool = True) -> str:
    """A short hash of a question's content: all of it, or (sealed) only what the page shows;
    without its weights (``weight=False``) for the exam's content hash, as weights are grading."""
    data = public_view(q) if sealed else q.model_dump(mode="json")
    if not weight:
        data = _unweighted(data)
    return _digest(json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")))[:12]


def _unweighted(value):
    if isinstance(value, dict):
        return {k: _unweighted(v) for k, v in value.items() if k != "weight"}
    if isinstance(value, list):
        return [_unweighted(v) for v in value]
    return value
