"""Scoring: the one authority on how much credit a response earns.

Pure functions, no I/O. ``assets/scoring.js`` mirrors this module line for line for
instant feedback in the browser; both run the shared cases in ``tests/vectors/`` so
they cannot drift. Change a rule here, in scoring.js and in the vectors together, and
bump ``RULES_VERSION``: it travels with every score so an old result can be told apart.

Rules (credit is a fraction of the question's weight, always within [0, weight]):

- single, true_false, hotspot: right or wrong.
- multiple: ``all_or_nothing`` (exactly the correct set) or ``partial`` (each correct
  choice +1/n, each wrong one -1/n, n = number of correct options, floored at zero).
  The question's ``scoring`` wins over the bank's ``multiple_scoring``.
- numeric: within ``tolerance`` of the answer, absolute or relative to it; a number
  outside the question's min/max earns nothing.
- ordering: the share of item pairs placed in the right relative order.
- matching: the share of premises given their own match.
- cloze: the share of blanks filled with an accepted answer; whitespace is collapsed
  and case ignored unless the blank is ``case_sensitive``.
- case: its parts' credit, scaled from the parts' total weight to the case's weight.

Negative marking (optional, per bank) makes a wrong component cost what a right one
earns, floored at zero per question: a misplaced pair in ordering, a wrong premise in
matching, a wrong filled blank in cloze. Unanswered components cost nothing. Types
whose wrong answer already earns zero (single, true_false, numeric, hotspot) and
multiple (whose partial rule already subtracts) are unchanged by it.

A missing, empty or malformed response (wrong type, unknown id, duplicate ids) earns
zero and never raises: responses come from browsers and result files.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["RULES_VERSION", "credit", "key_response", "max_credit", "ItemResult", "AttemptScore",
           "score_attempt", "normalise_blank"]

RULES_VERSION = "1.0"

# Float noise tolerance (e.g. 0.1 + 0.2 against 0.3); scoring.js uses the same.
EPSILON = 1e-9
# An explicit whitespace class, so Python and JavaScript collapse exactly the same characters.
_SPACE = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")


def max_credit(question) -> float:
    """The most a question can earn: its weight."""
    return float(question.weight)


def credit(question, response: Any, *, multiple_scoring: str = "partial",
           negative_marking: bool = False) -> float:
    """Credit earned by ``response`` to ``question``, within [0, question.weight]."""
    share = _share(question, response, multiple_scoring, negative_marking)
    return min(1.0, max(0.0, share)) * float(question.weight)


def key_response(q: Any) -> Any:
    """The response that earns full credit, in the question's own ids (tests, samples)."""
    t = q.type
    if t == "single":
        return next(o.id for o in q.options if o.correct)
    if t == "multiple":
        return [o.id for o in q.options if o.correct]
    if t == "true_false":
        return q.answer
    if t == "numeric":
        return q.answer
    if t == "ordering":
        return [i.id for i in q.items]
    if t == "matching":
        return {p.id: p.id for p in q.pairs}
    if t == "cloze":
        return {b.id: b.accept[0] for b in q.blanks}
    if t == "hotspot":
        return next(r.id for r in q.regions if r.correct)
    if t == "case":
        return {p.id: key_response(p) for p in q.parts}
    raise ValueError(f"unknown question type {t!r}")


def _share(q, r, multiple_scoring: str, negative: bool) -> float:
    kind = q.type
    if kind == "single":
        return 1.0 if _is_str(r) and r == _keys(q.options)[0] else 0.0
    if kind == "true_false":
        return 1.0 if isinstance(r, bool) and r == q.answer else 0.0
    if kind == "hotspot":
        return 1.0 if _is_str(r) and r in {g.id for g in q.regions if g.correct} else 0.0
    if kind == "multiple":
        return _multiple(q, r, q.scoring or multiple_scoring)
    if kind == "numeric":
        return _numeric(q, r)
    if kind == "ordering":
        return _ordering(q, r, negative)
    if kind == "matching":
        return _components([(p.id, lambda v, p=p: v == p.id) for p in q.pairs], r, negative)
    if kind == "cloze":
        return _components([(b.id, lambda v, b=b: _blank_ok(b, v)) for b in q.blanks], r, negative)
    if kind == "case":
        return _case(q, r, multiple_scoring, negative)
    return 0.0


def _is_str(value: Any) -> bool:
    return isinstance(value, str) and value != ""


def _keys(options) -> list[str]:
    return [o.id for o in options if o.correct]


def _id_list(r: Any, known: set[str]) -> list[str] | None:
    """A list of distinct known ids, or None when the response is malformed."""
    if not isinstance(r, list) or not all(isinstance(v, str) for v in r):
        return None
    if len(set(r)) != len(r) or not set(r) <= known:
        return None
    return r


def _multiple(q, r, method: str) -> float:
    chosen = _id_list(r, {o.id for o in q.options})
    if not chosen:
        return 0.0
    keys = set(_keys(q.options))
    if method == "all_or_nothing":
        return 1.0 if set(chosen) == keys else 0.0
    right = sum(1 for c in chosen if c in keys)
    wrong = len(chosen) - right
    return max(0.0, (right - wrong) / len(keys))


def _number(r: Any) -> float | None:
    if isinstance(r, bool) or not isinstance(r, (int, float)):
        return None
    try:
        value = float(r)
    except OverflowError:
        return None
    return value if math.isfinite(value) else None


def _numeric(q, r) -> float:
    value = _number(r)
    if value is None:
        return 0.0
    if (q.min is not None and value < q.min) or (q.max is not None and value > q.max):
        return 0.0
    allowed = q.tolerance * abs(q.answer) if q.tolerance_mode == "relative" else q.tolerance
    slack = EPSILON * max(1.0, abs(q.answer))
    return 1.0 if abs(value - q.answer) <= allowed + slack else 0.0


def _ordering(q, r, negative: bool) -> float:
    ids = [i.id for i in q.items]
    given = _id_list(r, set(ids))
    if given is None or len(given) != len(ids):
        return 0.0
    place = {item: n for n, item in enumerate(given)}
    pairs = len(ids) * (len(ids) - 1) // 2
    right = sum(1 for a in range(len(ids)) for b in range(a + 1, len(ids))
                if place[ids[a]] < place[ids[b]])
    wrong = pairs - right
    return max(0.0, (right - wrong) / pairs) if negative else right / pairs


def _components(checks, r, negative: bool) -> float:
    """Per-component credit for matching and cloze: right +1/n, wrong -1/n if negative."""
    if not isinstance(r, Mapping):
        return 0.0
    right = wrong = 0
    for cid, ok in checks:
        value = r.get(cid)
        if not _is_str(value):
            continue
        if ok(value):
            right += 1
        else:
            wrong += 1
    return max(0.0, (right - (wrong if negative else 0)) / len(checks))


def normalise_blank(text: str, case_sensitive: bool = False) -> str:
    """A cloze answer as compared: NFC, whitespace collapsed and trimmed, lower-cased unless case matters."""
    text = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip(" ")
    return text if case_sensitive else text.lower()


def _blank_ok(blank, value: str) -> bool:
    given = normalise_blank(value, blank.case_sensitive)
    return given != "" and any(normalise_blank(a, blank.case_sensitive) == given for a in blank.accept)


def _case(q, r, multiple_scoring: str, negative: bool) -> float:
    if not isinstance(r, Mapping):
        return 0.0
    total = sum(float(p.weight) for p in q.parts)
    earned = sum(credit(p, r.get(p.id), multiple_scoring=multiple_scoring, negative_marking=negative)
                 for p in q.parts)
    return earned / total


@dataclass(frozen=True)
class ItemResult:
    """One question of an attempt: what it earned out of what it could."""

    id: str
    domain: str
    objective: str
    earned: float
    possible: float
    correct: bool


@dataclass(frozen=True)
class AttemptScore:
    """A scored attempt; ``rules_version`` says which rules produced it."""

    earned: float
    possible: float
    fraction: float
    passed: bool
    must_pass_failed: tuple[str, ...]
    by_domain: dict[str, tuple[float, float]]
    by_objective: dict[str, tuple[float, float]]
    items: tuple[ItemResult, ...]
    rules_version: str = RULES_VERSION
    domains_below_minimum: tuple[str, ...] = field(default=())


def score_attempt(items: Iterable[tuple[Any, str, Any]], *, pass_mark: float, must_pass=(),
                  domain_minimums: dict[str, float] | None = None,
                  multiple_scoring: str = "partial", negative_marking: bool = False) -> AttemptScore:
    """Score (question, domain, response) triples against a pass mark.

    The attempt passes when its weighted fraction reaches ``pass_mark``, every
    must-pass item it contains earned full credit, and every domain with a minimum
    reached it.
    """
    results = [score_item(q, domain, response, multiple_scoring=multiple_scoring, negative_marking=negative_marking)
               for q, domain, response in items]
    return summarise(results, pass_mark=pass_mark, must_pass=must_pass, domain_minimums=domain_minimums)


# score_attempt in two steps, for the certifier's tool (results/scorer.py), which scores each
# distinct response to an item once and reuses the ItemResult across a cohort. Not in __all__:
# scoring.js has the same two steps inside its scoreAttempt.

def score_item(q, domain: str, response: Any, *, multiple_scoring: str = "partial",
               negative_marking: bool = False) -> ItemResult:
    """One question of an attempt."""
    earned = credit(q, response, multiple_scoring=multiple_scoring, negative_marking=negative_marking)
    possible = max_credit(q)
    return ItemResult(q.id, domain, q.objective, earned, possible, earned >= possible - EPSILON)


def summarise(results: Sequence[ItemResult], *, pass_mark: float, must_pass=(),
              domain_minimums: dict[str, float] | None = None) -> AttemptScore:
    """An attempt's score from its items' results: totals, tallies, must-pass items, pass or fail."""
    results = tuple(results)
    earned = sum(i.earned for i in results)
    possible = sum(i.possible for i in results)
    fraction = earned / possible if possible else 0.0
    wanted = set(must_pass)
    failed = tuple(i.id for i in results if i.id in wanted and not i.correct)
    by_domain, by_objective = _tallies(results)
    below = tuple(d for d, floor in (domain_minimums or {}).items()
                  if d in by_domain and _fraction(by_domain[d]) < floor - EPSILON)
    passed = fraction >= pass_mark - EPSILON and not failed and not below
    return AttemptScore(earned, possible, fraction, passed, failed, by_domain, by_objective, results,
                        RULES_VERSION, below)


def _tallies(results: tuple[ItemResult, ...]) -> tuple[dict, dict]:
    """(earned, possible) summed per domain and per objective, in order of first appearance."""
    by_domain: dict[str, tuple[float, float]] = {}
    by_objective: dict[str, tuple[float, float]] = {}
    zero = (0.0, 0.0)
    for i in results:
        e, p = by_domain.get(i.domain, zero)
        by_domain[i.domain] = (e + i.earned, p + i.possible)
        e, p = by_objective.get(i.objective, zero)
        by_objective[i.objective] = (e + i.earned, p + i.possible)
    return by_domain, by_objective


def _fraction(pair: tuple[float, float]) -> float:
    return pair[0] / pair[1] if pair[1] else 0.0
