"""The exam's two fingerprints: what was published (content hash) and what grades it (key hash)."""
from __future__ import annotations

from mesotrain.exam import sealed_exam
from mesotrain.checks import load_checked


def _exam(root):
    tree, _ = load_checked(root)
    return sealed_exam(tree)


def test_a_key_correction_keeps_the_content_hash_and_changes_the_key_hash(fixture_copy):
    root = fixture_copy("mini")
    before = _exam(root)
    pool = root / "quizzes" / "exam-pool" / "pool.yaml"
    pool.write_text(pool.read_text().replace("accept: [occipital]", "accept: [occipital, occiput]")
                    .replace("SECRET-RATIONALE-x05", "A corrected rationale."))
    after = _exam(root)
    assert after.content_hash == before.content_hash
    assert after.key_hash != before.key_hash


def test_a_changed_stem_changes_the_content_hash(fixture_copy):
    root = fixture_copy("mini")
    before = _exam(root)
    pool = root / "quizzes" / "exam-pool" / "pool.yaml"
    pool.write_text(pool.read_text().replace("Order the exam steps.", "Order the exam steps, please."))
    assert _exam(root).content_hash != before.content_hash


def test_sealed_responses_are_unsealed_to_real_ids():
    from mesotrain import sealing
    from tests.conftest import FIXTURES

    exam = _exam(FIXTURES / "mini")
    q = exam.pool["x05"].question
    tokens = {v: k for k, v in sealing.sealed_names(q, q.id)["item"].items()}
    assert exam.unseal("x05", [tokens["step1"], tokens["step2"], tokens["step3"]]) == ["step1", "step2", "step3"]


def test_a_weight_edit_keeps_the_content_hash_and_changes_the_key_hash(fixture_copy):
    root = fixture_copy("mini")
    before = _exam(root)
    pool = root / "quizzes" / "exam-pool" / "pool.yaml"
    pool.write_text(pool.read_text().replace("    type: cloze\n", "    type: cloze\n    weight: 2\n", 1))
    after = _exam(root)
    assert after.content_hash == before.content_hash
    assert after.key_hash != before.key_hash
