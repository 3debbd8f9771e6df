"""Item analysis figures checked against values worked out by hand on a fixed data set.

Five candidates, one form of four single-choice items (weight 1, key "a"):

    cand  i1 i2 i3 i4  total   choices (wrong ones)
    c1     1  1  1  1    4
    c2     1  1  1  0    3     i4: c
    c3     1  1  0  0    2     i3: b   i4: c
    c4     1  0  1  0    2     i2: b   i4: b
    c5     0  0  0  1    1     i1: b   i2: c   i3: (no answer)

Facility: i1 4/5 = .8, i2 3/5 = .6, i3 3/5 = .6, i4 2/5 = .4.
Totals 4,3,2,2,1: mean 2.4, population variance 34/5 − 2.4² = 1.04.
Σpq = .16 + .24 + .24 + .24 = .88, so KR-20 = 4/3 · (1 − .88/1.04) = 4/3 · 2/13 = 8/39 = .20513,
and SEM = √1.04 · √(1 − 8/39) = √(1.04 · 31/39) = .90921 items.
Point-biserial against the rest score R = total − item (correlation ignores the /3 scale):
  i1: x = 11110, R = 32111: cov = 7/5 − .8·1.6 = .12; var x = .16, var R = .64 → r = .12/.32 = .375
  i2: x = 11100, R = 32121: cov = 6/5 − .6·1.8 = .12; var x = .24, var R = .56 → r = .12/√.1344 = .32733
  i3: x = 11010, R = 32211: same sums as i2 → .32733
  i4: x = 10001, R = 33220: cov = 3/5 − .4·2 = −.2; var x = .24, var R = 1.2 → r = −.2/√.288 = −.37268
Upper and lower groups: round(.27 · 5) = 1 candidate each, c1 and c5, so
D = 1 − 0 for i1, i2, i3 and 1 − 1 = 0 for i4.
"""
from __future__ import annotations

import csv
import json
from types import SimpleNamespace

import pytest

from mesotrain.exam import PoolItem
from mesotrain.model import Single
from mesotrain.results import stats
from mesotrain.results.report import analyse, write_report
from mesotrain.results.store import open_store

KEY = {  # candidate → item → choice
    "c1": {"i1": "a", "i2": "a", "i3": "a", "i4": "a"},
    "c2": {"i1": "a", "i2": "a", "i3": "a", "i4": "c"},
    "c3": {"i1": "a", "i2": "a", "i3": "b", "i4": "c"},
    "c4": {"i1": "a", "i2": "b", "i3": "a", "i4": "b"},
    "c5": {"i1": "b", "i2": "c", "i3": None, "i4": "a"},
}


def _question(qid: str) -> Single:
    return Single.model_validate({"id": qid, "type": "single", "objective": "o", "stem": f"Item {qid}?",
                                  "options": [{"text": "Alpha", "correct": True}, {"text": "Beta"},
                                              {"text": "Gamma"}], "rationale": "r", "sources": ["s"]})


@pytest.fixture
def analysed(tmp_path):
    st = open_store(tmp_path / "s.sqlite")
    for cand, answers in KEY.items():
        earned = sum(a == "a" for a in answers.values())
        row = st.db.execute("INSERT INTO attempts VALUES (NULL, ?, 'x', 'c', '1', 'h', 'e', 'sealed', 'A', 1, '1', ?, ?, 'e@x', "
                      "'2025-01-01T00:00:00Z', '2025-01-01T00:10:00Z', 'candidate', 600, 0, 'ua', 'f', 'now', x'')",
                      (cand, cand, cand)).lastrowid
        st.db.execute("INSERT INTO grades (attempt_id, earned, possible, fraction, passed, must_pass_failed, by_domain,"
                      " rules_version, key_hash, graded_at) VALUES (?, ?, 4, ?, ?, '[]', '{}', '1', 'k', 'now')",
                      (cand, earned, earned / 4, earned >= 3))
        for n, (item, choice) in enumerate(answers.items()):
            right = choice == "a"
            st.db.execute("INSERT INTO item_scores VALUES (?, ?, ?, 'd', 'o', ?, ?, 1, ?)",
                          (row, n, item, None if choice is None else json.dumps(choice), float(right), int(right)))
    pool = {i: PoolItem(_question(i), "d", "o") for i in ("i1", "i2", "i3", "i4")}
    exam = SimpleNamespace(pool=pool, exam=SimpleNamespace(title="Stats exam"), course_title="C",
                           course_version="1", key_hash="sha256:" + "0" * 64)
    return st, exam, tmp_path


def test_item_figures_match_the_hand_computed_values(analysed):
    st, exam, _ = analysed
    a = analyse(st, exam)
    by_id = {s.item_id: s for s in a.items}
    assert [by_id[i].facility for i in ("i1", "i2", "i3", "i4")] == pytest.approx([.8, .6, .6, .4])
    assert [by_id[i].point_biserial for i in ("i1", "i2", "i3", "i4")] == \
        pytest.approx([.375, .12 / .1344 ** .5, .12 / .1344 ** .5, -.2 / .288 ** .5])
    assert [by_id[i].upper_lower for i in ("i1", "i2", "i3", "i4")] == pytest.approx([1, 1, 1, 0])
    assert by_id["i4"].flags == ["negative discrimination: check the key"]
    assert by_id["i1"].flags == by_id["i2"].flags == []


def test_form_figures_match_the_hand_computed_values(analysed):
    st, exam, _ = analysed
    (form,) = analyse(st, exam).forms
    assert (form.n, form.k) == (5, 4)
    assert form.kr20 == pytest.approx(8 / 39)
    assert form.sem_items == pytest.approx((1.04 * 31 / 39) ** .5)
    assert form.mean == pytest.approx(2.4 / 4)
    assert form.pass_rate == pytest.approx(2 / 5)
    assert form.histogram == [0, 0, 1, 0, 0, 2, 0, 1, 0, 1]


def test_option_counts_overall_and_by_group(analysed):
    st, exam, _ = analysed
    opts = {o.id: (o.count, o.upper, o.lower) for o in analyse(st, exam).options["i4"]}
    assert opts == {"a": (2, 1, 1), "b": (1, 0, 0), "c": (2, 0, 0), "(no answer)": (0, 0, 0)}
    i3 = {o.id: o.count for o in analyse(st, exam).options["i3"]}
    assert i3 == {"a": 3, "b": 1, "c": 0, "(no answer)": 1}


def test_csv_carries_the_same_figures_rounded(analysed):
    st, exam, out = analysed
    write_report(st, exam, out / "report")
    items = {r["item_id"]: r for r in csv.DictReader((out / "report" / "items.csv").open())}
    assert (items["i2"]["facility"], items["i2"]["point_biserial"], items["i2"]["upper_lower_d"]) == \
        ("0.6", "0.327", "1.0")
    assert items["i4"]["point_biserial"] == "-0.373"
    forms = list(csv.DictReader((out / "report" / "forms.csv").open()))
    assert (forms[0]["kr20"], forms[0]["sem_items"], forms[0]["mean_pct"]) == ("0.205", "0.909", "60.0")
    html = (out / "report" / "report.html").read_text()
    assert "<svg" in html and "negative discrimination: check the key" in html and "<script" not in html


@pytest.mark.parametrize("n, g", [(0, 0), (1, 0), (2, 1), (5, 1), (10, 3), (100, 27), (1000, 270)])
def test_upper_and_lower_groups_are_27_percent(n, g):
    assert stats.group_size(n) == g


def test_statistics_that_cannot_be_computed_are_none_not_errors():
    assert stats.correlation(3, 3, 2, 3, 2, 2) is None          # x never varies
    assert stats.kr20(1, 5, 0.2, 3, 3) is None                  # one item
    assert stats.kr20(4, 5, 0.5, 10, 20) is None                # every total the same


def test_a_distractor_that_outdraws_the_key_among_top_scorers_is_flagged():
    assert stats.distractor_flags(10, {"a": 3, "b": 7}, {"a": 1, "b": 2}, {"a"}) == [
        "a distractor outdraws the key among top scorers"]
    assert stats.distractor_flags(40, {"a": 30, "b": 9, "c": 1}, {"a": 10, "b": 1, "c": 0}, {"a"}) == [
        "distractor(s) chosen by under 5%: c"]
