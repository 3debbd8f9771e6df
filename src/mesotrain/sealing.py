"""What a page may show of a question, how its choices are named there, and its fingerprint.

A sealed exam page must carry no key material, and author-chosen ids are key
material: defaults ``a, b, c`` follow the authored order (authors tend to write the
key first), matching choices are named by their premise's pair id, and ordering
items are authored in the correct order. So in sealed mode every choice is named by
an opaque token and shown in an order derived from public data only — a hash of the
question id and the choice's own text — never from ids, authored order or keys. The
certifier's tools turn a sealed response back into ids with :func:`unseal` (no secret
needed: the mapping depends only on what the page already shows).

Fingerprints tie a response to a version of its question: progress made on an older
version is not shown as answered, and a result file says which version was sat. The
sealed fingerprint hashes only the public view (choice texts sorted), so it reveals
nothing that brute-forcing candidate keys could confirm.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Callable, Sequence, TypeVar

from .model import BLANK

__all__ = ["fingerprint", "token", "display_order", "choice_tokens", "unseal", "part_scope"]

T = TypeVar("T")


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def token(scope: str, kind: str, text: str) -> str:
    """An opaque, stable name for one choice of one question."""
    return "t" + _digest(scope, kind, text)[:10]


def choice_tokens(scope: str, kind: str, texts: Sequence[str]) -> list[str]:
    """Tokens for a list of choice texts; identical texts get a position suffix."""
    out, seen = [], {}
    for text in texts:
        t = token(scope, kind, text)
        seen[t] = seen.get(t, 0) + 1
        out.append(t if seen[t] == 1 else f"{t}-{seen[t]}")
    return out


def display_order(scope: str, entries: Sequence[T], text: Callable[[T], str]) -> list[T]:
    """Entries in an order that looks shuffled but depends only on the question id and texts."""
    return sorted(entries, key=lambda e: (_digest(scope, "order", text(e)), text(e)))


def part_scope(case_id: str, index: int) -> str:
    """Token scope of the index-th part of a case (parts are named by position, not by id)."""
    return f"{case_id}#{index}"


def _pair_choices(q) -> list[tuple[str, str]]:
    """Matching choices as (choice id, text): pairs' matches, then distractors d0, d1 …"""
    return [(p.id, p.match) for p in q.pairs] + [(f"d{i}", d) for i, d in enumerate(q.distractors)]


def sealed_names(q, scope: str) -> dict[str, dict[str, str]]:
    """Token → id maps of a question's choices, by kind (what unseal inverts)."""
    t = q.type
    if t in ("single", "multiple"):
        return {"option": dict(zip(choice_tokens(scope, "option", [o.text for o in q.options]),
                                   [o.id for o in q.options]))}
    if t == "ordering":
        return {"item": dict(zip(choice_tokens(scope, "item", [i.text for i in q.items]),
                                 [i.id for i in q.items]))}
    if t == "matching":
        choices = _pair_choices(q)
        return {"premise": dict(zip(choice_tokens(scope, "premise", [p.premise for p in q.pairs]),
                                    [p.id for p in q.pairs])),
                "choice": dict(zip(choice_tokens(scope, "choice", [c[1] for c in choices]),
                                   [c[0] for c in choices]))}
    if t == "cloze":
        order = BLANK.findall(q.text)
        return {"blank": {token(scope, "blank", str(order.index(b.id))): b.id for b in q.blanks}}
    if t == "case":
        return {"part": {token(q.id, "part", str(n)): p.id for n, p in enumerate(q.parts)}}
    return {}


def unseal(q, response: Any, scope: str | None = None) -> Any:
    """A response recorded on a sealed page, with tokens turned back into ids for scoring.

    Unknown tokens are kept as they are (scoring gives them nothing); a malformed
    response is returned unchanged for the same reason.
    """
    scope = scope or q.id
    names = sealed_names(q, scope)
    t = q.type
    if t in ("single", "multiple", "ordering"):
        table = names["option" if t != "ordering" else "item"]
        if isinstance(response, str):
            return table.get(response, response)
        if isinstance(response, list):
            return [table.get(v, v) if isinstance(v, str) else v for v in response]
        return response
    if not isinstance(response, dict):
        return response
    if t == "matching":
        return {names["premise"].get(k, k): names["choice"].get(v, v) if isinstance(v, str) else v
                for k, v in response.items()}
    if t == "cloze":
        return {names["blank"].get(k, k): v for k, v in response.items()}
    if t == "case":
        out = {}
        for k, v in response.items():
            pid = names["part"].get(k, k)
            index = next((n for n, p in enumerate(q.parts) if p.id == pid), None)
            out[pid] = v if index is None else unseal(q.parts[index], v, part_scope(q.id, index))
        return out
    return response


def _public(q) -> dict:
    """What a sealed page shows of a question, with every list of choices sorted."""
    keep = {"type", "stem", "weight", "vignette", "unit", "min", "max", "image", "alt"}
    view: dict = {k: v for k, v in q.model_dump(mode="json").items() if k in keep}
    t = q.type
    if t in ("single", "multiple"):
        view["options"] = sorted(o.text for o in q.options)
    elif t == "ordering":
        view["items"] = sorted(i.text for i in q.items)
    elif t == "matching":
        view["premises"] = sorted(p.premise for p in q.pairs)
        view["choices"] = sorted(c[1] for c in _pair_choices(q))
    elif t == "cloze":
        view["text"] = q.text
        view["blanks"] = [sorted(b.choices) if b.choices else None for b in q.blanks]
    elif t == "hotspot":
        view["regions"] = sorted((r.id, r.label) for r in q.regions)
    elif t == "case":
        view["parts"] = [_public(p) for p in q.parts]
    return view


def fingerprint(q, *, sealed: bool = False) -> str:
    """A short hash of a question's content: all of it, or (sealed) only what the page shows."""
    data = _public(q) if sealed else q.model_dump(mode="json")
    return _digest(json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")))[:12]
