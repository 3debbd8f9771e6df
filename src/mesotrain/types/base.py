"""What every question type module shares: the registry it joins, checks on responses,
choice tokens and the interface its widget code is given.

A type module (single.py, …) defines the parts listed in ``PARTS``; ``OPTIONAL`` ones
default to what ``DEFAULTS`` gives. This module imports nothing of mesotrain but the
model's base, so the model, scoring, sealing, rendering and results can all ask the type.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from decimal import Decimal
from typing import Any, Callable, Mapping, Protocol, Sequence, TypeVar

T = TypeVar("T")

# Filled by types/__init__.py: question type name → its module, in the schema's order.
REGISTRY: dict[str, Any] = {}

PARTS = {
    "NAME": "the type's name, as written in YAML (type: NAME)",
    "Body": "its model: the keys it adds to a question or case part",
    "share": "share(q, r, ms, neg) → fraction of the weight earned (clamped by the caller)",
    "key": "key(q) → a response that earns full credit, in the question's own ids",
    "widget": "widget(q, field, scope, ctx) fills the template's field (see render/questions.py)",
    "feedback": "feedback(q, ctx) → {choice id: feedback HTML} for the quiz runtime",
    "key_text": "key_text(q, ctx) → the key in words, HTML, for the no-JavaScript disclosure",
    "sealed_names": "sealed_names(q, scope) → {kind: {token: id}}: how a sealed page names its choices",
    "public": "public(q) → what a sealed page shows beyond the stem (fingerprinted)",
    "unseal": "unseal(q, r, names, scope) → a sealed page's response in real ids",
    "to_page": "to_page(q, r, inverse, scope) → a response in real ids as a sealed page records it",
}
# Optional parts: exchange-format mappings (filled by the ecosystem work) and hooks most types skip.
OPTIONAL = {
    "COMPOSITE": False,      # holds other types' questions as parts (case)
    "STATEMENT": False,      # the stem is a statement judged true or false (lint: absolute words cue it)
    "IMAGE": False,          # its widget inlines an image from content/images (a widget input)
    "options": None,         # options(q) → [(id, text, correct)] for item analysis, or None
    "key_position": None,    # key_position(q) → the index of the only key among options (lint), or None
    "view": None,            # view(q, data) → the scoring view scoring.js gets, from the stripped dump
    # An exchange slot is the part that writes the format, or a str: why the type cannot be written in it.
    "interaction": None,     # interaction(q) → one SCORM 2004 / xAPI interaction (see "interactions" below)
    "answer": None,          # answer(q, r) → a response in our ids as a learner-response string
    "parts": None,           # parts(q) → [(sub id, part)]: a composite is one interaction per part
    "gift": None,            # GIFT writer
    "moodle": None,          # Moodle XML question type
    "qti": None,             # QTI 2.1 item writer
}

EPSILON = 1e-9
BLANK = re.compile(r"\{\{\s*([a-z0-9][a-z0-9_.-]*)\s*\}\}")  # a cloze blank: {{blank-id}}
_SPACE = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")


def of(q: Any):
    """The module of a question's type."""
    return REGISTRY[q.type]


def credit(q: Any, r: Any, ms: str = "partial", neg: bool = False) -> float:
    """Credit within [0, weight]; 0 for a type nobody registered. The one floor at zero: a share
    that wrong answers (negative marking, multiple's partial rule) take below zero earns nothing."""
    t = REGISTRY.get(getattr(q, "type", None))
    share = t.share(q, r, ms, neg) if t else 0.0
    return min(1.0, max(0.0, share)) * float(q.weight)


def is_str(value: Any) -> bool:
    return isinstance(value, str) and value != ""


def id_list(r: Any, known: set[str]) -> list[str] | None:
    """A list of distinct known ids, or None when the response is malformed."""
    if not isinstance(r, list) or not all(isinstance(v, str) for v in r):
        return None
    if len(set(r)) != len(r) or not set(r) <= known:
        return None
    return r


def components(checks, r: Any, neg: bool) -> float:
    """Per-component share for matching and cloze: right +1/n, wrong -1/n if negative."""
    if not isinstance(r, Mapping):
        return 0.0
    right = wrong = 0
    for cid, ok in checks:
        value = r.get(cid)
        if not is_str(value):
            continue
        if ok(value):
            right += 1
        else:
            wrong += 1
    return (right - (wrong if neg else 0)) / len(checks)


def normalise_blank(text: str, case_sensitive: bool = False) -> str:
    """A cloze answer as compared: NFC, whitespace collapsed and trimmed, lower-cased unless case matters."""
    text = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip(" ")
    return text if case_sensitive else text.lower()


def unique(ids: list[str], what: str) -> None:
    seen = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"{what} id '{i}' is used twice")
        seen.add(i)


# --- sealed pages: opaque, stable choice names ---------------------------------------------

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


def sealed_names(q: Any, scope: str) -> dict[str, dict[str, str]]:
    """Token → id maps of a question's choices, by kind (what unseal inverts)."""
    return of(q).sealed_names(q, scope)


def unseal(q: Any, r: Any, scope: str | None = None, misses: list | None = None) -> Any:
    """A response recorded on a sealed page, tokens turned back into ids (unknown ones kept,
    and appended to ``misses`` when given)."""
    scope = scope or q.id
    names = sealed_names(q, scope)
    if misses is not None:
        names = {kind: _Watched(table, misses) for kind, table in names.items()}
    return of(q).unseal(q, r, names, scope)


class _Watched(dict):
    """A token → id table that notes every name looked up in it and not found."""

    def __init__(self, table: Mapping[str, str], misses: list):
        super().__init__(table)
        self.misses = misses

    def get(self, name, default=None):
        if name not in self:
            self.misses.append(name)
        return super().get(name, default)


def foreign_names(q: Any, r: Any) -> list:
    """Names in a sealed page's response that the page does not show: real ids instead of
    tokens mean the response was not written by the page (a forgery that bypasses sealing)."""
    misses: list = []
    unseal(q, r, misses=misses)
    return misses


def to_page(q: Any, r: Any, scope: str | None = None) -> Any:
    """A response in real ids → as a sealed page records it (the inverse of unseal)."""
    if r is None:
        return None
    scope = scope or q.id
    inverse = {kind: {real: tok for tok, real in table.items()} for kind, table in sealed_names(q, scope).items()}
    return of(q).to_page(q, r, inverse, scope)


_PUBLIC = {"type", "stem", "weight", "vignette", "unit", "min", "max", "image", "alt"}


def public_view(q: Any) -> dict:
    """What a sealed page shows of a question, with every list of choices sorted."""
    view = {k: v for k, v in q.model_dump(mode="json").items() if k in _PUBLIC}
    view.update(of(q).public(q))
    return view


# For types whose choices have no names a page could hide (numeric, true_false): the
# sealing parts that have nothing to do.
def no_names(q: Any, scope: str) -> dict:
    return {}


def nothing_public(q: Any) -> dict:
    return {}


def as_given(q: Any, r: Any, names: Any, scope: str) -> Any:
    return r


def rename(table: Mapping[str, str], r: Any) -> Any:
    """A str or list response with each name looked up in table (unknown names kept)."""
    if isinstance(r, str):
        return table.get(r, r)
    if isinstance(r, list):
        return [table.get(v, v) if isinstance(v, str) else v for v in r]
    return r


# --- widgets ---------------------------------------------------------------------------------

class Render(Protocol):
    """What a type's widget code is given (render/questions.py implements it)."""

    sealed: bool

    def html(self, md: str | None, inline: bool = True) -> str: ...
    def text(self, md: str) -> str: ...
    def legend(self, md: str) -> str: ...
    def names(self, scope: str, kind: str, ids: list[str], texts: list[str]) -> list[str]: ...
    def svg(self, image: str, uid: str, alt: str, ids: dict[str, str]) -> str | None: ...


def shown_order(q: Any, scope: str, entries, text, ctx: Render) -> list:
    """Entries in display order: key-independent when sealed or shuffled, else as authored."""
    if ctx.sealed or getattr(q, "shuffle", True):
        return display_order(scope, entries, text)
    return list(entries)


def num(x: float) -> str:
    return f"{x:g}"


# --- interactions: SCORM 2004 cmi.interactions and xAPI interaction activities ---------------
#
# Both standards write responses the same way, so one mapping serves both. A type's
# ``interaction(q)`` gives
#     {"type": xAPI interactionType, "correct": [correct responses patterns], "weight": q.weight,
#      "choices" | "source" + "target": [{"id": id, "description": plain text}]}
# and ``answer(q, r)`` the learner response, "" for no response. Patterns and responses use
# ITEMS between items, PAIR inside a matching pair, RANGE for a numeric range and the
# CASE_MATTERS prefix on fill-in. assets/lazy/interactions.js mirrors this from the scoring
# view (without descriptions); tests/vectors/interactions.json pins both.
#
# SCORM 1.2 is derived from the same data (the scorm runtime does it):
# - type names: choice, true-false, fill-in, numeric, sequencing and matching are the same in
#   1.2; long-fill-in becomes fill-in, other becomes performance;
# - separators: ITEMS "[,]" becomes ",", PAIR "[.]" becomes "." (ids hold neither); fill-in
#   drops the CASE_MATTERS prefix, and a cloze's blanks are joined by "," (1.2 has one string);
# - a string past 1.2's 255 characters: a pattern is left out, a response is cut;
# - true-false: "true" / "false" become "t" / "f";
# - numeric: 1.2 has no ranges; "a[:]a" (an exact answer) becomes "a", a true range is left
#   out of correct_responses (the runtime still records the result it scored).
ITEMS, PAIR, RANGE = "[,]", "[.]", "[:]"
CASE_MATTERS = "{case_matters=true}"
_MD = [(re.compile(r"\s*\[@[^\]]*\]"), ""), (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),
       (re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1"), r"\2"), (re.compile(r"<[^>]+>"), "")]


def number(x: float) -> str:
    """A number as JavaScript's String() writes it, but never with an exponent (5.0 → "5")."""
    if x == 0:
        return "0"
    text = format(Decimal(repr(float(x))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def plain(md: str | None) -> str:
    """Markdown as one line of plain text, for an interaction's descriptions: citations, links,
    emphasis and tags taken out."""
    text = md or ""
    for pattern, by in _MD:
        text = pattern.sub(by, text)
    return _SPACE.sub(" ", text).strip()


def described(entries: Sequence[tuple[str, str | None]]) -> list[dict]:
    """Interaction components from (id, Markdown) pairs."""
    return [{"id": i, "description": plain(text)} for i, text in entries]


def part_weight(q: Any, part: Any) -> float:
    """A composite's part as it counts in the whole: its share of the parts' weight, times the
    composite's weight (case.share scores it so)."""
    return float(q.weight) * float(part.weight) / sum(float(p.weight) for p in q.parts)


def in_order(ids: Sequence[str], r: Any) -> list[str]:
    """The ids of a list response, in the question's order (unknown names are not ours)."""
    given = {v for v in r if isinstance(v, str)} if isinstance(r, list) else set()
    return [i for i in ids if i in given]

