"""Grading with the withheld key: the course's quizzes/, never anything in a result file.

``grade`` scores the attempts that have no grade yet. ``regrade`` re-scores graded
attempts after a key correction and writes an audit line for every attempt whose
outcome changed (old and new totals, pass/fail, each item's credit, both key hashes
and the reason given), revoking the certificate of an attempt that no longer passes.
Each run is one transaction, read in keyset-paginated batches so memory stays flat.
"""
from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from .. import scoring
from ..exam import SealedExam
from .scorer import GRADE_SQL, ITEM_COLUMNS, Scorer, init_worker, items_sql, score_batch, store_rows
from . import tallies
from .store import Store, now, responses_of

BATCH = 500
EPS = 1e-9


@dataclass
class Change:
    """One attempt whose grade a regrade changed."""

    attempt_id: str
    candidate: str
    old: dict[str, Any]
    new: dict[str, Any]
    items: dict[str, list[float]]

    def __str__(self) -> str:
        o, n = self.old, self.new
        verdict = ("" if o["passed"] == n["passed"] else
                   f", {'FAIL → PASS' if n['passed'] else 'PASS → FAIL'}")
        items = ", ".join(f"{i} {a:g}→{b:g}" for i, (a, b) in sorted(self.items.items()))
        return (f"{self.attempt_id[:8]} {self.candidate}: {o['earned']:g}/{o['possible']:g} → "
                f"{n['earned']:g}/{n['possible']:g}{verdict}" + (f" ({items})" if items else ""))


@dataclass
class GradeSummary:
    graded: int = 0
    passed: int = 0
    unchanged: int = 0
    changes: list[Change] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    stale: int = 0  # graded earlier with another key (grade only)
    revoked: int = 0


class _DryRun(Exception):
    """Raised inside the transaction so that a dry run rolls everything back."""


def _summary(score: scoring.AttemptScore) -> dict[str, Any]:
    return {"earned": round(score.earned, 9), "possible": score.possible, "passed": score.passed,
            "must_pass_failed": list(score.must_pass_failed),
            "below_minimum": list(getattr(score, "domains_below_minimum", ()))}


def _write(db, attempt_id: str, row: int, score: scoring.AttemptScore, key_hash: str, stamp: str,
           answers: dict[str, str | None], replace: bool) -> None:
    grade_row, item_values = store_rows(row, attempt_id, score, answers, key_hash, stamp)
    db.execute(GRADE_SQL, grade_row)
    if replace:
        db.execute("DELETE FROM item_scores WHERE attempt = ?", (row,))
    if score.items:
        db.execute(items_sql(len(score.items)), item_values)


def _batches(db, query: str, args: tuple) -> Iterator[list[tuple]]:
    """Rows of ``query`` (which selects attempts.id first and takes ``id > ?`` last) in batches."""
    last = -1
    while True:
        rows = db.execute(query, (*args, last)).fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _candidates(store: Store, only: list[str] | None, graded: bool) -> tuple[str, tuple]:
    join = "JOIN grades g USING (attempt_id)" if graded else \
        "LEFT JOIN grades g USING (attempt_id)"
    where = "" if graded else "AND g.attempt_id IS NULL"
    ids = ""
    if only:
        ids = f"AND a.attempt_id IN ({', '.join('?' * len(only))})"
    q = (f"SELECT a.id, a.attempt_id, a.form, a.document, a.content_hash, a.candidate_name, "
         f"g.earned, g.possible, g.passed, g.must_pass_failed, g.key_hash "
         f"FROM attempts a {join} WHERE 1 {where} {ids} AND a.id > ? ORDER BY a.id LIMIT {BATCH}")
    return q, tuple(only or ())


def _current(sealed: SealedExam, rows: list[tuple], summary: GradeSummary) -> list[tuple]:
    """The rows sat on this version of the exam; the others are noted as skipped."""
    keep = []
    for r in rows:
        if r[4] not in sealed.content_hashes or sealed.form(r[2]) is None:
            summary.skipped.append(f"{r[1]}: sat on another version of the exam; grade it with the course "
                                   "files it was built from")
        else:
            keep.append(r)
    return keep


def _grade_new(db, sealed: SealedExam, batches: Iterator[list[tuple]], summary: GradeSummary, key: str,
               stamp: str, jobs: int, progress: Callable[[int], None] | None) -> None:
    """Score new attempts, in worker processes when ``jobs`` > 1; this process writes, in order."""
    statements: dict[int, str] = {}
    tally = tallies.Tally()

    def write(batch: tuple[list[tuple], tallies.Tally]) -> None:
        results, batch_tally = batch
        tally.merge(batch_tally)
        db.executemany(GRADE_SQL, [r[0] for r in results])
        for _, item_values, passed in results:
            n = len(item_values) // ITEM_COLUMNS
            if n:
                db.execute(statements.get(n) or statements.setdefault(n, items_sql(n)), item_values)
            summary.passed += passed
        summary.graded += len(results)
        if progress:
            progress(len(results))

    work = ([r[:4] for r in _current(sealed, rows, summary)] for rows in batches)
    scorer = Scorer(sealed)
    if jobs <= 1:
        for batch in work:
            write(score_batch(batch, key, stamp, scorer))
    else:
        _in_workers(sealed, scorer, work, key, stamp, jobs, write)
    tallies.write(db, tally)  # once: merged in memory, the upserts are few


def _in_workers(sealed: SealedExam, scorer: Scorer, work: Iterator[list[tuple]], key: str, stamp: str, jobs: int,
                write: Callable[[tuple], None]) -> None:
    """Score batches in ``jobs`` worker processes; results are written here, in order."""
    from .workers import forks, pool as worker_pool

    with worker_pool(jobs, init_worker, (str(sealed.tree.root), scorer if forks() else None)) as pool:
        pending: deque = deque()
        for batch in work:
            pending.append(pool.submit(score_batch, batch, key, stamp))
            if len(pending) >= 2 * jobs:  # a bounded pipeline: memory stays flat
                write(pending.popleft().result())
        while pending:
            write(pending.popleft().result())


def grade(store: Store, sealed: SealedExam, *, regrade: bool = False, only: list[str] | None = None,
          reason: str | None = None, dry_run: bool = False, jobs: int = 1,
          progress: Callable[[int], None] | None = None) -> GradeSummary:
    """Grade ungraded attempts, or (``regrade``) re-grade graded ones with an audit trail.

    New attempts are scored in ``jobs`` worker processes when asked; a regrade runs here,
    one attempt at a time, since each change is compared and audited.
    """
    summary = GradeSummary()
    stamp = now()
    key = sealed.key_hash
    db = store.db
    query, args = _candidates(store, only, graded=regrade)
    scorer = Scorer(sealed)
    try:
        with store.transaction():
            if not regrade:
                if not tallies.consistent(db):  # a store from before the tallies
                    tallies.rebuild(db, sealed.pool)
                _grade_new(db, sealed, _batches(db, query, args), summary, key, stamp, jobs, progress)
            else:
                for rows in _batches(db, query, args):
                    for (row, attempt_id, form, document, _, name, *old) in _current(sealed, rows, summary):
                        score, answers = scorer.score(form, responses_of(document))
                        summary.graded += 1
                        summary.passed += score.passed
                        _regrade_one(store, summary, attempt_id, row, name, score, answers, key, stamp,
                                     reason, tuple(old))
                    if progress:
                        progress(len(rows))
                tallies.rebuild(db, sealed.pool)
            _number_attempts(db, sealed.exam.attempts_allowed)
            if not regrade:
                summary.stale = db.execute("SELECT COUNT(*) FROM grades WHERE key_hash != ?", (key,)).fetchone()[0]
                if summary.graded:
                    store.audit("grade", {"graded": summary.graded, "passed": summary.passed, "key_hash": key})
            else:
                store.audit("regrade", {"regraded": summary.graded, "changed": len(summary.changes),
                                        "revoked": summary.revoked, "key_hash": key}, reason=reason)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return summary


def _regrade_one(store: Store, summary: GradeSummary, attempt_id: str, row: int, name: str, score, answers,
                 key: str, stamp: str, reason: str | None, old: tuple) -> None:
    db = store.db
    o_earned, o_possible, o_passed, o_failed, o_key = old
    before = {"earned": round(o_earned, 9), "possible": o_possible, "passed": bool(o_passed),
              "must_pass_failed": json.loads(o_failed)}
    after = _summary(score)
    old_items = dict(db.execute("SELECT item_id, earned FROM item_scores WHERE attempt = ?", (row,)))
    items = {i.id: [old_items.get(i.id, 0.0), i.earned] for i in score.items
             if abs(old_items.get(i.id, 0.0) - i.earned) > EPS}
    changed = (items or abs(before["earned"] - after["earned"]) > EPS or before["passed"] != after["passed"]
               or abs(before["possible"] - after["possible"]) > EPS
               or before["must_pass_failed"] != after["must_pass_failed"])
    _write(db, attempt_id, row, score, key, stamp, answers, replace=True)
    if not changed:
        summary.unchanged += 1
        return
    change = Change(attempt_id, name, before, after, items)
    summary.changes.append(change)
    store.audit("regrade", {"old": before, "new": {k: after[k] for k in before}, "items": items,
                            "key_hash": [o_key, key]}, attempt_id=attempt_id, reason=reason)
    if before["passed"] and not after["passed"]:
        cur = db.execute("UPDATE certificates SET revoked_at = ?, revoked_reason = ? "
                         "WHERE attempt_id = ? AND revoked_at IS NULL",
                         (stamp, f"regrade: {reason or 'key corrected'}", attempt_id))
        if cur.rowcount:
            summary.revoked += 1
            store.audit("revoke", {"why": "no longer passes after regrade"}, attempt_id=attempt_id, reason=reason)


def _number_attempts(db, allowed: int) -> None:
    """Number each candidate's attempts in the order they were started; mark those over the limit."""
    db.execute("DROP TABLE IF EXISTS temp.numbered")
    db.execute("CREATE TEMP TABLE numbered (attempt_id TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID")
    db.execute("INSERT INTO temp.numbered SELECT attempt_id, ROW_NUMBER() OVER ("
               "PARTITION BY lower(trim(candidate_id)), exam_id ORDER BY started_at, attempt_id) FROM attempts")
    db.execute("UPDATE grades SET attempt_number = (SELECT n FROM temp.numbered t WHERE t.attempt_id = grades.attempt_id)")
    db.execute("UPDATE grades SET over_limit = (attempt_number > ?)", (allowed,))
    db.execute("DROP TABLE temp.numbered")
