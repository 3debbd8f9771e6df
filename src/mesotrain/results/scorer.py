"""Scoring a cohort fast without a second copy of the rules.

A cohort repeats itself: thousands of candidates give the same few responses to each
item. :class:`Scorer` remembers, per item, what each distinct response unseals to and
what credit it earns, so each is computed once. The rules stay in ``scoring.py``:
attempts are scored by ``scoring.score_attempt`` itself, with ``scoring.credit``
memoised for the duration (if a refactor of scoring.py stops looking ``credit`` up
by name, this only gets slower, never wrong; a test compares both ways).
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Any, Iterator

from .. import scoring
from ..exam import SealedExam


def freeze(value: Any) -> Any:
    """A hashable stand-in for a JSON value that keeps True apart from 1 and 1 apart from 1.0."""
    if isinstance(value, list):
        return ("l", tuple(freeze(v) for v in value))
    if isinstance(value, dict):
        return ("d", tuple(sorted((k, freeze(v)) for k, v in value.items())))
    return (value.__class__, value)


@contextmanager
def memoised_credit() -> Iterator[None]:
    """Within the block, ``scoring.credit`` answers repeated (question, response) pairs from memory."""
    original = scoring.credit
    memo: dict[tuple, float] = {}

    def credit(question, response, *, multiple_scoring="partial", negative_marking=False):
        try:
            key = (id(question), freeze(response), multiple_scoring, negative_marking)
        except TypeError:  # an unhashable oddity: just compute it
            return original(question, response, multiple_scoring=multiple_scoring, negative_marking=negative_marking)
        if key not in memo:
            memo[key] = original(question, response, multiple_scoring=multiple_scoring,
                                 negative_marking=negative_marking)
        return memo[key]

    scoring.credit = credit
    try:
        yield
    finally:
        scoring.credit = original


class Scorer:
    """Scores attempts of one exam; use inside :func:`memoised_credit` for speed."""

    def __init__(self, sealed: SealedExam):
        self.sealed = sealed
        exam = sealed.exam
        bank = sealed.scoring_bank
        self.rules = dict(pass_mark=exam.pass_mark, must_pass=exam.must_pass,
                          domain_minimums={r.domain: r.min_score for r in exam.blueprint if r.min_score is not None},
                          multiple_scoring=bank.multiple_scoring, negative_marking=bank.negative_marking)
        self._unsealed: dict[tuple, tuple[Any, str | None]] = {}
        self._forms = {f.id: f.items for f in sealed.forms}

    def unseal(self, item: str, public: Any) -> tuple[Any, str | None]:
        """(the response in real ids, its JSON for the store), remembered per distinct response."""
        try:
            key = (item, freeze(public))
        except TypeError:
            key = None
        if key is not None and key in self._unsealed:
            return self._unsealed[key]
        real = self.sealed.unseal(item, public)
        found = (real, None if real is None else json.dumps(real, ensure_ascii=False))
        if key is not None:
            self._unsealed[key] = found
        return found

    def score(self, form: str, responses: list[dict[str, Any]]) -> tuple[scoring.AttemptScore, dict[str, str | None]]:
        """The attempt's score and each item's real response as JSON (None when unanswered)."""
        given = {r.get("item"): r.get("response") for r in responses if isinstance(r, dict)}
        pool = self.sealed.pool
        triples, answers = [], {}
        for item in self._forms[form]:
            real, text = self.unseal(item, given.get(item))
            answers[item] = text
            triples.append((pool[item].question, pool[item].domain, real))
        return scoring.score_attempt(triples, **self.rules), answers
