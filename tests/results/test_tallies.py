"""The item tallies kept at grade time, and the report read from them, against first principles.

A random cohort of the mini exam (every question type, right, partly right, wrong and
unanswered) is graded; the tallies must equal those rebuilt from item_scores, with one
process or two, after a regrade, and in a store written before they existed; and every
figure of the report must equal what its definition gives computed attempt by attempt.
"""
from __future__ import annotations

import json
import math
import random
from collections import Counter, defaultdict

import pytest

from mesotrain.results import stats, tallies
from mesotrain.results.grade import grade
from mesotrain.results.importer import Expected, import_files
from mesotrain.results.report import NO_ANSWER, analyse
from mesotrain.results.sample import make_result
from mesotrain.results.store import open_store
from mesotrain.scoring import key_response

from .conftest import write


def _variants(q) -> list:
    """Responses in real ids: the key, unanswered, and wrong or partly right ones."""
    key = key_response(q)
    t = q.type
    if t in ("single", "hotspot"):
        wrong = [o.id for o in (q.options if t == "single" else q.regions) if o.id != key]
    elif t == "true_false":
        wrong = [not key]
    elif t == "multiple":
        wrong = [key[:1], [o.id for o in q.options if not o.correct]]
    elif t == "numeric":
        wrong = [key + 1000, 2.5]
    elif t == "ordering":
        wrong = [key[::-1], key[1:2] + key[:1] + key[2:]]
    elif t == "matching":
        ids = list(key)
        wrong = [{**key, ids[0]: ids[1], ids[1]: ids[0]}, {ids[0]: ids[0]}]
    elif t == "cloze":
        wrong = [{k: "nope" for k in key}, dict(list(key.items())[:1])]
    else:  # case
        wrong = [{p.id: v for p, v in zip(q.parts, key.values())} | {q.parts[-1].id: None}, {}]
    return [key, key, None] + wrong


def _cohort(exam, folder, n: int, seed: int = 3) -> list:
    rng = random.Random(seed)
    folder.mkdir(exist_ok=True)
    files = []
    for k in range(n):
        form = rng.choice(exam.forms)
        ability = rng.random()
        answers = {}
        for i in form.items:
            choices = _variants(exam.pool[i].question)
            answers[i] = choices[0] if rng.random() < ability else rng.choice(choices)
        files.append(write(folder / f"r{k:03d}.json", make_result(
            exam, form.id, answers, attempt_id=f"att-{k:04d}-x", candidate_id=f"C-{k}")))
    return files


def _tallies(db, table: str = "item_tallies") -> list:
    rows = db.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3, 4, 5, 6, 7").fetchall()
    return [(*r[:8], round(r[8], 9), round(r[9], 9)) for r in rows]


def _rebuilt(db, exam) -> list:
    db.execute("CREATE TEMP TABLE IF NOT EXISTS check_tallies AS SELECT * FROM item_tallies WHERE 0")
    tallies.rebuild(db, exam.pool, "temp.check_tallies")
    return _tallies(db, "temp.check_tallies")


@pytest.fixture
def graded(tmp_path, exam):
    files = _cohort(exam, tmp_path / "inbox", 80)
    st = open_store(tmp_path / "s.sqlite")
    import_files(st, files, Expected.of(exam))
    grade(st, exam)
    return st


@pytest.mark.parametrize("jobs", [1, 2])
def test_grading_keeps_the_tallies_equal_to_those_rebuilt_from_item_scores(tmp_path, exam, jobs):
    files = _cohort(exam, tmp_path / "inbox", 60)
    st = open_store(tmp_path / "s.sqlite")
    import_files(st, files[:25], Expected.of(exam))
    grade(st, exam, jobs=jobs)
    import_files(st, files[25:], Expected.of(exam))
    grade(st, exam, jobs=jobs)  # a second run adds to the first
    assert tallies.consistent(st.db)
    assert _tallies(st.db) == _rebuilt(st.db, exam)
    assert {r[2] for r in _tallies(st.db)} > {""}  # choice answers are kept


def test_a_regrade_rebuilds_the_tallies(graded, exam):
    graded.db.execute("UPDATE item_tallies SET n = n + 1")  # out of step: the regrade must not add to them
    grade(graded, exam, regrade=True, reason="test")
    assert _tallies(graded.db) == _rebuilt(graded.db, exam)


def test_a_store_from_before_the_tallies_is_upgraded_and_reports_the_same(graded, exam, tmp_path):
    before = analyse(graded, exam)
    db = graded.db
    db.execute("DROP TABLE item_tallies")
    db.execute("ALTER TABLE grades DROP COLUMN ncorrect")
    db.execute("PRAGMA user_version = 1")
    graded.close()
    st = open_store(tmp_path / "s.sqlite")
    assert st.db.execute("PRAGMA user_version").fetchone()[0] == 2
    assert st.db.execute("SELECT COUNT(*) FROM grades WHERE ncorrect IS NULL").fetchone()[0] == 0
    assert not tallies.consistent(st.db)  # empty until the next grade; the report rebuilds its own meanwhile
    after = analyse(st, exam)
    assert [vars(i) for i in after.items] == [vars(i) for i in before.items]
    grade(st, exam)
    assert tallies.consistent(st.db) and _tallies(st.db) == _rebuilt(st.db, exam)


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def test_every_report_figure_equals_its_definition_computed_attempt_by_attempt(graded, exam):
    db = graded.db
    attempts = db.execute("SELECT a.id, a.attempt_id, a.form, g.earned, g.possible, g.fraction, g.passed "
                          "FROM attempts a JOIN grades g USING (attempt_id)").fetchall()
    rows = defaultdict(list)
    for attempt, item, answer, earned, possible, correct in db.execute(
            "SELECT attempt, item_id, answer, earned, possible, correct FROM item_scores ORDER BY attempt, position"):
        rows[attempt].append((item, answer, earned, possible, correct))
    n = len(attempts)
    g = stats.group_size(n)
    ranked = sorted(attempts, key=lambda a: (-a[5], a[1]))
    group = {a[0]: "U" for a in ranked[:g]} | {a[0]: "L" for a in ranked[n - g:]}

    a = analyse(graded, exam)
    assert a.n == n
    for s in a.items:
        xs, rest, upper, lower = [], [], [], []
        for att, _, _, big_e, big_p, _, _ in attempts:
            for item, _, e, p, c in rows[att]:
                if item == s.item_id:
                    xs.append(c)
                    if big_p > p:
                        rest.append(((big_e - e) / (big_p - p), c))
                    (upper if group.get(att) == "U" else lower if group.get(att) == "L" else []).append(c)
        assert s.n == len(xs) and _close(s.facility, sum(xs) / len(xs))
        mx, my = sum(c for _, c in rest) / len(rest), sum(r for r, _ in rest) / len(rest)
        cov = sum((c - mx) * (r - my) for r, c in rest)
        vx, vy = sum((c - mx) ** 2 for _, c in rest), sum((r - my) ** 2 for r, _ in rest)
        want = cov / math.sqrt(vx * vy) if vx > 1e-9 and vy > 1e-9 else None
        assert _close(s.point_biserial, want), s.item_id
        want_d = sum(upper) / len(upper) - sum(lower) / len(lower) if upper and lower else None
        assert _close(s.upper_lower, want_d), s.item_id
    for f in a.forms:
        mine = [att for att in attempts if att[2] == f.form]
        totals = [sum(r[4] for r in rows[att[0]]) for att in mine]
        items = {r[0] for att in mine for r in rows[att[0]]}
        p = {i: sum(r[4] for att in mine for r in rows[att[0]] if r[0] == i) / len(mine) for i in items}
        mean = sum(totals) / len(totals)
        var = sum((t - mean) ** 2 for t in totals) / len(totals)
        assert f.n == len(mine) and f.k == len(items)
        assert _close(f.kr20, len(items) / (len(items) - 1) * (1 - sum(x * (1 - x) for x in p.values()) / var))
        assert _close(f.mean, sum(att[5] for att in mine) / len(mine))
        assert _close(f.pass_rate, sum(att[6] for att in mine) / len(mine))
        assert f.histogram == [sum(min(int(att[5] * 10), 9) == b for att in mine) for b in range(10)]
    for item, options in a.options.items():
        want = Counter()
        for att, *_ in attempts:
            for i, answer, *_ in rows[att]:
                if i == item:
                    value = NO_ANSWER if answer is None else json.loads(answer)
                    for v in value if isinstance(value, list) else [value]:
                        key = json.dumps(v) if isinstance(v, bool) else str(v)
                        want[key, None] += 1
                        if att in group:
                            want[key, group[att]] += 1
        assert {o.id: (o.count, o.upper, o.lower) for o in options} == {
            o.id: (want[o.id, None], want[o.id, "U"], want[o.id, "L"]) for o in options}, item
