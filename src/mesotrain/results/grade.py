"""Grading with the withheld key: the course's quizzes/, never anything in a result file.

``grade`` scores the attempts that have no grade yet. ``regrade`` re-scores graded
attempts after a key correction and writes an audit line for every attempt whose
outcome changed (old and new totals, pass/fail, each item's credit, both key hashes
and the reason given), revoking the certificate of an attempt that no longer passes.
Each run is one transaction, read in keyset-paginated batches so memory stays flat.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from .. import scoring
from ..exam import SealedExam
from .scorer import Scorer, memoised_credit
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
    by_domain = {d: list(v) for d, v in score.by_domain.items()}
    db.execute("INSERT OR REPLACE INTO grades (attempt_id, earned, possible, fraction, passed, must_pass_failed,"
               " by_domain, rules_version, key_hash, graded_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
               (attempt_id, score.earned, score.possible, score.fraction, int(score.passed),
                json.dumps(list(score.must_pass_failed)), json.dumps(by_domain, sort_keys=True),
                score.rules_version, key_hash, stamp))
    if replace:
        db.execute("DELETE FROM item_scores WHERE attempt = ?", (row,))
    db.executemany("INSERT INTO item_scores VALUES (?,?,?,?,?,?,?,?,?)", [
        (row, n, i.id, i.domain, i.objective, answers.get(i.id), i.earned, i.possible, int(i.correct))
        for n, i in enumerate(score.items)])


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


def grade(store: Store, sealed: SealedExam, *, regrade: bool = False, only: list[str] | None = None,
          reason: str | None = None, dry_run: bool = False,
          progress: Callable[[int], None] | None = None) -> GradeSummary:
    """Grade ungraded attempts, or (``regrade``) re-grade graded ones with an audit trail."""
    summary = GradeSummary()
    stamp = now()
    key = sealed.key_hash
    db = store.db
    query, args = _candidates(store, only, graded=regrade)
    scorer = Scorer(sealed)
    try:
        with store.transaction(), memoised_credit():
            for rows in _batches(db, query, args):
                for (row, attempt_id, form, document, content_hash, name,
                     o_earned, o_possible, o_passed, o_failed, o_key) in rows:
                    if content_hash != sealed.content_hash or sealed.form(form) is None:
                        summary.skipped.append(
                            f"{attempt_id}: sat on another version of the exam; grade it with the course "
                            "files it was built from")
                        continue
                    score, answers = scorer.score(form, responses_of(document))
                    summary.graded += 1
                    summary.passed += score.passed
                    if not regrade:
                        _write(db, attempt_id, row, score, key, stamp, answers, replace=False)
                        continue
                    _regrade_one(store, summary, attempt_id, row, name, score, answers, key, stamp, reason,
                                 (o_earned, o_possible, o_passed, o_failed, o_key))
                if progress:
                    progress(len(rows))
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
