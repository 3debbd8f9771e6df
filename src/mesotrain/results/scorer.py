"""Scoring a cohort fast without a second copy of the rules.

A cohort repeats itself: thousands of candidates give the same few responses to each
item. :class:`Scorer` remembers, per item, each distinct response as the page recorded
it, with what it unseals to and its :class:`scoring.ItemResult`, so each is worked out
once, by ``scoring.score_item``. Every attempt is then summed up by
``scoring.summarise``: ``scoring.score_attempt`` is exactly those two steps, so the
rules stay in one place (a test compares both ways on odd responses too).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import scoring
from ..exam import SealedExam
from . import tallies


MEMO_LIMIT = 200_000  # remembered responses; a cohort of free-text answers cannot grow it without end


def freeze(value: Any) -> Any:
    """A hashable stand-in for a JSON value that keeps True apart from 1, 1 apart from 1.0, and key order."""
    kind = value.__class__
    if kind is list and all(v.__class__ is str for v in value):  # choices, orderings: the common case
        return ("s", *value)
    if kind is dict and all(v.__class__ is str for v in value.values()):  # matchings, clozes
        return ("m", *value.items())
    if isinstance(value, list):
        return ("l", tuple(freeze(v) for v in value))
    if isinstance(value, dict):
        return ("d", tuple((k, freeze(v)) for k, v in value.items()))
    return (value.__class__, value)


class Scorer:
    """Scores attempts of one exam, remembering each item's distinct responses."""

    def __init__(self, sealed: SealedExam):
        self.sealed = sealed
        exam = sealed.exam
        bank = sealed.scoring_bank
        self.summary_rules = dict(pass_mark=exam.pass_mark, must_pass=exam.must_pass,
                                  domain_minimums={r.domain: r.min_score for r in exam.blueprint
                                                   if r.min_score is not None})
        self.item_rules = dict(multiple_scoring=bank.multiple_scoring, negative_marking=bank.negative_marking)
        self._scored: dict[tuple, tuple[scoring.ItemResult, str | None]] = {}
        self._forms = {f.id: f.items for f in sealed.forms}

    def item(self, item: str, public: Any) -> tuple[scoring.ItemResult, str | None, tuple, tuple]:
        """One item's result for a response as the page recorded it, the real response as JSON,
        the item_scores values that follow the attempt and position, and its part of the tallies."""
        kind = public.__class__
        try:
            key = (item, kind, public) if kind in (str, bool, int, float) or public is None else (item, freeze(public))
            found = self._scored.get(key)
        except TypeError:  # not a JSON value: no caching
            key = found = None
        if found is None:
            real = self.sealed.unseal(item, public)
            entry = self.sealed.pool[item]
            r = scoring.score_item(entry.question, entry.domain, real, **self.item_rules)
            text = None if real is None else json.dumps(real, ensure_ascii=False)
            found = (r, text, (r.id, r.domain, r.objective, text, r.earned, r.possible, int(r.correct)),
                     (r.id, tallies.answer_key(entry.question.type, text), r.earned, r.possible, int(r.correct)))
            if key is not None:
                if len(self._scored) >= MEMO_LIMIT:
                    self._scored.clear()
                self._scored[key] = found
        return found

    def _items(self, form: str, responses: list[dict[str, Any]]) -> list[tuple]:
        given = {r.get("item"): r.get("response") for r in responses if isinstance(r, dict)}
        return [self.item(item, given.get(item)) for item in self._forms[form]]

    def score(self, form: str, responses: list[dict[str, Any]]) -> tuple[scoring.AttemptScore, dict[str, str | None]]:
        """The attempt's score and each item's real response as JSON (None when unanswered)."""
        found = self._items(form, responses)
        score = scoring.summarise([f[0] for f in found], **self.summary_rules)
        return score, {f[0].id: f[1] for f in found}

    def rows(self, row: int, attempt_id: str, form: str, responses: list[dict[str, Any]], key_hash: str,
             stamp: str, tally: tallies.Tally) -> tuple[tuple, list, bool]:
        """What grading writes for one attempt: its grades row, its item_scores values (flat, for
        :func:`items_sql`), and whether it passed; its items are added to ``tally``."""
        found = self._items(form, responses)
        score = scoring.summarise([f[0] for f in found], **self.summary_rules)
        values: list = []
        for n, f in enumerate(found):
            values += (row, n, *f[2])
        tally.add(form, score.earned, score.possible, [f[3] for f in found])
        return grade_row(attempt_id, score, key_hash, stamp), values, score.passed


GRADE_SQL = ("INSERT OR REPLACE INTO grades (attempt_id, earned, possible, fraction, passed, must_pass_failed, "
             "by_domain, rules_version, key_hash, graded_at, ncorrect) VALUES (?,?,?,?,?,?,?,?,?,?,?)")
ITEM_COLUMNS = 9


def items_sql(n: int) -> str:
    """One INSERT of an attempt's ``n`` item rows: a third of the time of n single-row inserts."""
    return "INSERT INTO item_scores VALUES " + ",".join(["(?,?,?,?,?,?,?,?,?)"] * n)


def grade_row(attempt_id: str, score: scoring.AttemptScore, key_hash: str, stamp: str) -> tuple:
    by_domain = {d: list(v) for d, v in score.by_domain.items()}
    return (attempt_id, score.earned, score.possible, score.fraction, int(score.passed),
            json.dumps(list(score.must_pass_failed)), json.dumps(by_domain, sort_keys=True),
            score.rules_version, key_hash, stamp, sum(i.correct for i in score.items))


def store_rows(row: int, attempt_id: str, score: scoring.AttemptScore, answers: dict[str, str | None],
               key_hash: str, stamp: str) -> tuple[tuple, list]:
    """The grades row and the item_scores values (flat, for :func:`items_sql`) of one scored attempt."""
    values: list = []
    for n, i in enumerate(score.items):
        values += (row, n, i.id, i.domain, i.objective, answers.get(i.id), i.earned, i.possible, int(i.correct))
    return grade_row(attempt_id, score, key_hash, stamp), values


# --- worker processes ------------------------------------------------------------------

_worker: Scorer | None = None


def init_worker(root: str, scorer: Scorer | None = None) -> None:
    """Set a worker up: the parent's scorer when forked, else load the course again."""
    global _worker
    if _worker is None:
        if scorer is None:
            from ..exam import sealed_exam
            from ..checks import load_checked

            scorer = Scorer(sealed_exam(load_checked(Path(root))[0]))
        _worker = scorer


def score_batch(batch: list[tuple[int, str, str, bytes]], key_hash: str, stamp: str,
                scorer: Scorer | None = None) -> tuple[list[tuple], tallies.Tally]:
    """Score (id, attempt id, form, document) rows: (grade row, item values, passed) for each, and their tally."""
    from .store import responses_of

    scorer = scorer or _worker
    tally = tallies.Tally()
    return [scorer.rows(row, attempt_id, form, responses_of(document), key_hash, stamp, tally)
            for row, attempt_id, form, document in batch], tally
