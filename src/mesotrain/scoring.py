"""Scoring: the one authority on how much credit a response earns.

Pure functions, no I/O. Each type's rule is its module's ``share`` under mesotrain/types/;
this module keeps the attempt-level rules. ``assets/lazy/scoring.js`` mirrors both for instant
feedback in the browser; both run the shared cases in ``tests/vectors/`` so they cannot
drift. Change a rule in Python, in scoring.js and in the vectors together, and bump
``RULES_VERSION``: it travels with every score so an old result can be told apart.

Credit is a fraction of the question's weight, always within [0, weight]. Negative
marking (optional, per bank) makes a wrong component cost what a right one earns, floored
at zero per question; unanswered components cost nothing. A missing, empty or malformed
response earns zero and never raises: responses come from browsers and result files.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .types import base as _types
from .types.base import EPSILON, normalise_blank

__all__ = ["RULES_VERSION", "credit", "key_response", "max_credit", "ItemResult", "AttemptScore",
           "score_attempt", "normalise_blank"]

RULES_VERSION = "1.0"


def max_credit(question) -> float:
    """The most a question can earn: its weight."""
    return float(question.weight)


def credit(question, response: Any, *, multiple_scoring: str = "partial",
           negative_marking: bool = False) -> float:
    """Credit earned by ``response`` to ``question``, within [0, question.weight]."""
    return _types.credit(question, response, multiple_scoring, negative_marking)


def key_response(q: Any) -> Any:
    """The response that earns full credit, in the question's own ids (tests, samples)."""
    if q.type not in _types.REGISTRY:
        raise ValueError(f"unknown question type {q.type!r}")
    return _types.of(q).key(q)


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
