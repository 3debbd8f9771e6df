"""The seeded form draw: valid forms, reproduced exactly, whatever the YAML order."""
from __future__ import annotations

import random as _random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mesotrain.errors import ContentError
from mesotrain.exam import BlueprintError, PoolItem, draw_forms, exam_pool, forms_for
from mesotrain.checks import load_checked
from mesotrain.model import BlueprintRow, Exam, Single
from tests.conftest import FIXTURES


def mini():
    tree, _ = load_checked(FIXTURES / "mini")
    return tree


def test_mini_forms_are_pinned_so_a_python_upgrade_cannot_change_them():
    forms = forms_for(mini())
    assert [(f.id, f.items) for f in forms] == [
        ("A", ("x05", "x07", "x02", "x08", "x06")),
        ("B", ("x09", "x03", "x02", "x04", "x01")),
    ]


def test_every_form_follows_the_blueprint_and_includes_every_must_pass_item():
    tree = mini()
    domain = {p.id: p.domain for p in exam_pool(tree)}
    for form in forms_for(tree):
        assert len(set(form.items)) == len(form.items)
        assert Counter(domain[i] for i in form.items) == {"basics": 4, "safety": 1}
        assert "x02" in form.items


def test_the_draw_ignores_the_order_questions_are_written_in():
    tree = mini()
    pool = exam_pool(tree)
    shuffled = list(pool)
    _random.Random(7).shuffle(shuffled)
    assert draw_forms(tree.exam.model, shuffled) == draw_forms(tree.exam.model, pool)


def test_another_seed_draws_other_forms():
    tree = mini()
    exam = tree.exam.model
    other = exam.model_copy(update={"seed": exam.seed + 1})
    assert draw_forms(other, exam_pool(tree)) != draw_forms(exam, exam_pool(tree))


def _q(qid: str) -> Single:
    return Single.model_validate({"id": qid, "type": "single", "objective": "o", "stem": f"Stem {qid}?",
                                  "options": [{"text": "yes", "correct": True}, {"text": "no"}],
                                  "rationale": "r", "sources": ["s"]})


def _exam_with(rows: list[dict], **extra) -> Exam:
    return Exam.model_validate({"id": "e", "title": "E", "pool": ["p"], "pass_mark": 0.5, "time_limit_minutes": 5,
                                "seed": 1, "blueprint": rows, **extra})


def _exam(rows, must=(), forms=2, seed=1) -> Exam:
    return _exam_with([{"domain": d, "items": n} for d, n in rows], forms=forms, seed=seed, must_pass=list(must))


def test_a_pool_too_small_for_the_blueprint_is_refused_with_the_domain_named():
    pool = [PoolItem(_q("a1"), "a", "o")]
    with pytest.raises(BlueprintError, match="domain 'a' has 1 pool item"):
        draw_forms(_exam([("a", 2)]), pool)


@settings(max_examples=60, deadline=None)
@given(sizes=st.lists(st.integers(1, 8), min_size=1, max_size=4), data=st.data())
def test_any_fillable_blueprint_gives_valid_forms(sizes, data):
    pool, rows, must = [], [], []
    for d, size in enumerate(sizes):
        ids = [f"d{d}q{i}" for i in range(size)]
        pool += [PoolItem(_q(i), f"d{d}", "o") for i in ids]
        take = data.draw(st.integers(1, size))
        rows.append((f"d{d}", take))
        must += data.draw(st.lists(st.sampled_from(ids), max_size=take, unique=True))
    seed = data.draw(st.integers(-2**40, 2**40))
    exam = _exam(rows, must, forms=3, seed=seed)
    forms = draw_forms(exam, pool)
    assert forms == draw_forms(exam, list(reversed(pool)))
    for form in forms:
        assert len(form.items) == sum(n for _, n in rows) == len(set(form.items))
        assert set(must) <= set(form.items)
        for d, n in rows:
            assert sum(i.startswith(f"{d}q") for i in form.items) == n


def test_more_must_pass_items_than_a_domain_takes_is_a_content_error(fixture_copy):
    root = fixture_copy("mini")
    exam = root / "quizzes" / "exam.yaml"
    exam.write_text(exam.read_text().replace("must_pass: [x02]", "must_pass: [x02, x01, x03, x04, x05, x06]"))
    with pytest.raises(ContentError) as info:
        load_checked(root)
    assert [str(p) for p in info.value.problems] == [
        "quizzes/exam.yaml:5:29: blueprint[0].items: domain 'basics' has 5 must-pass items, "
        "which every form includes, but each form takes only 4"]


def test_a_domain_with_two_blueprint_rows_is_a_content_error(fixture_copy):
    root = fixture_copy("mini")
    exam = root / "quizzes" / "exam.yaml"
    exam.write_text(exam.read_text().replace("{domain: safety, items: 1}", "{domain: basics, items: 1}"))
    with pytest.raises(ContentError) as info:
        load_checked(root)
    assert "blueprint[1].domain: domain 'basics' has two blueprint rows" in str(info.value)


def test_shares_of_the_exam_length_are_rounded_by_largest_remainder():
    exam = _exam_with([{"domain": "a", "share": 0.45}, {"domain": "b", "share": 0.35},
                       {"domain": "c", "share": 0.2}, {"domain": "d", "items": 1}], length=10)
    assert exam.row_items() == [4, 3, 2, 1]  # 9 shared: 4.05, 3.15, 1.8 → 4, 3, 1 + the spare to c


def test_shares_need_a_length():
    with pytest.raises(ValueError, match="need the exam's length"):
        _exam_with([{"domain": "a", "share": 0.5}])
    with pytest.raises(ValueError, match="either items or share"):
        _exam_with([{"domain": "a", "share": 0.5, "items": 2}], length=4)


def test_a_blueprint_in_shares_draws_the_same_way(fixture_copy):
    root = fixture_copy("mini")
    exam = root / "quizzes" / "exam.yaml"
    exam.write_text(exam.read_text().replace("{domain: basics, items: 4}", "{domain: basics, share: 0.8}")
                    .replace("{domain: safety, items: 1}", "{domain: safety, share: 0.2}") + "length: 5\n")
    tree, _ = load_checked(root)
    assert forms_for(tree) == forms_for(mini())
