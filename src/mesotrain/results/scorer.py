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
from pathlib import Path
from typing import Any, Iterator

from .. import scoring
from ..exam import SealedExam


MEMO_LIMIT = 200_000  # remembered responses per cache; a cohort of free-text answers cannot grow it without end


def freeze(value: Any) -> Any:
    """A hashable stand-in for a JSON value that keeps True apart from 1 and 1 apart from 1.0."""
    if isinstance(value, list):
        return ("l", tuple(freeze(v) for v in value))
    if isinstance(value, dict):
        return ("d", tuple(sorted((k, freeze(v)) for k, v in value.items())))
    return (value.__class__, value)


@contextmanager
def memoised_credit() -> Iterator[None]:
    """Within the block, ``scoring.credit`` answers a (question, response) pair it has seen from memory.

    Pairs are recognised by identity: :class:`Scorer` hands out one object per distinct
    response, so repeats are the same object. Each entry keeps its question and response
    alive, so an id can never be reused by another object while it is remembered.
    """
    original = scoring.credit
    memo: dict[tuple, tuple] = {}

    def credit(question, response, *, multiple_scoring="partial", negative_marking=False):
        key = (id(question), id(response), multiple_scoring, negative_marking)
        hit = memo.get(key)
        if hit is not None and hit[0] is question and hit[1] is response:
            return hit[2]
        value = original(question, response, multiple_scoring=multiple_scoring, negative_marking=negative_marking)
        if len(memo) >= MEMO_LIMIT:
            memo.clear()
        memo[key] = (question, response, value)
        return value

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
        """(the response in real ids, its JSON for the store): one object per distinct response."""
        kind = public.__class__
        try:
            key = (item, kind, public) if kind in (str, bool, int, float) or public is None else (item, freeze(public))
            found = self._unsealed.get(key)
        except TypeError:  # not a JSON value: no caching
            key = found = None
        if found is None:
            real = self.sealed.unseal(item, public)
            found = (real, None if real is None else json.dumps(real, ensure_ascii=False))
            if key is not None:
                if len(self._unsealed) >= MEMO_LIMIT:
                    self._unsealed.clear()
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


GRADE_SQL = ("INSERT OR REPLACE INTO grades (attempt_id, earned, possible, fraction, passed, must_pass_failed, "
             "by_domain, rules_version, key_hash, graded_at) VALUES (?,?,?,?,?,?,?,?,?,?)")
ITEMS_SQL = "INSERT INTO item_scores VALUES (?,?,?,?,?,?,?,?,?)"


def store_rows(row: int, attempt_id: str, score: scoring.AttemptScore, answers: dict[str, str | None],
               key_hash: str, stamp: str) -> tuple[tuple, list[tuple]]:
    """The grades row and item_scores rows of one scored attempt (plain tuples: cheap to pass between processes)."""
    by_domain = {d: list(v) for d, v in score.by_domain.items()}
    grade = (attempt_id, score.earned, score.possible, score.fraction, int(score.passed),
             json.dumps(list(score.must_pass_failed)), json.dumps(by_domain, sort_keys=True),
             score.rules_version, key_hash, stamp)
    items = [(row, n, i.id, i.domain, i.objective, answers.get(i.id), i.earned, i.possible, int(i.correct))
             for n, i in enumerate(score.items)]
    return grade, items


# --- worker processes ------------------------------------------------------------------

_worker: Scorer | None = None


def init_worker(root: str, scorer: Scorer | None = None) -> None:
    """Set a worker up: the parent's scorer when forked, else load the course again; memoise credit for good."""
    global _worker
    if _worker is None:
        if scorer is None:
            from ..exam import sealed_exam
            from ..load import load_checked

            scorer = Scorer(sealed_exam(load_checked(Path(root))[0]))
        _worker = scorer
    memoised_credit().__enter__()  # the worker exits without restoring; nothing else runs there


def score_batch(batch: list[tuple[int, str, str, bytes]], key_hash: str, stamp: str) -> list[tuple]:
    """Score (id, attempt id, form, document) rows; returns (grade row, item rows, passed) for each."""
    from .store import responses_of

    out = []
    for row, attempt_id, form, document in batch:
        score, answers = _worker.score(form, responses_of(document))
        out.append((*store_rows(row, attempt_id, score, answers, key_hash, stamp), score.passed))
    return out
