"""The build refuses a sealed exam page that would carry key material, whatever put it there."""
from __future__ import annotations

import pytest

from mesotrain.errors import ContentError
from mesotrain.exam import sealed_exam
from mesotrain.exam.guard import key_material
from mesotrain.checks import load_checked
from mesotrain.render import render_site
from tests.conftest import FIXTURES


def test_key_material_is_what_the_sealed_view_does_not_show():
    tree, _ = load_checked(FIXTURES / "mini")
    secrets = key_material(sealed_exam(tree))
    assert "SECRET-RATIONALE-x05" in secrets and "SECRETVARIANTapex" in secrets
    stems = {i.question.stem for i in sealed_exam(tree).pool.values()}
    assert not stems & set(secrets)  # stems are public
    assert not [s for s in secrets if s in {i for i in sealed_exam(tree).pool}]  # ids are public


def test_a_leaking_exam_page_stops_the_build_at_the_item(monkeypatch):
    import mesotrain.render.exam as exam_render

    real = exam_render.render_question

    def leaky(q, bank, c, *, mode="practice"):  # a renderer bug that puts the rationale in the page
        return real(q, bank, c, mode=mode) + (f"<p>{q.rationale}</p>" if q.rationale else "")

    monkeypatch.setattr(exam_render, "render_question", leaky)
    tree, _ = load_checked(FIXTURES / "mini")
    with pytest.raises(ContentError) as info:
        render_site(tree)
    messages = [str(p) for p in info.value.problems]
    assert any(m.startswith("quizzes/exam-pool/pool.yaml:") and "would carry key material of item 'x05'" in m
               and "SECRET-RATIONALE-x05" in m for m in messages), messages


def test_a_sealed_course_renders_without_refusal():
    tree, _ = load_checked(FIXTURES / "mini")
    assert any(p.path == "exam.md" for p in render_site(tree))
