"""The mesotrain command line, as an instructor uses it."""
from __future__ import annotations

from click.testing import CliRunner

from mesotrain.cli import main

from .conftest import FIXTURES, ROOT


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_check_clean_course_prints_a_summary_and_exits_0():
    result = run("check", "--strict", "-C", FIXTURES / "mini")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: 2 lessons, 3 objectives, 10 practice + 9 exam questions (case 2, cloze 2,")
    assert "2 sources, 2 glossary terms" in result.output


def test_check_broken_course_exits_1_with_every_problem_and_no_traceback():
    result = run("check", "-C", FIXTURES / "broken")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.count("\n") == 13  # 12 problems (one held back) and the closing count
    assert result.output.rstrip().endswith("12 error(s), 0 warning(s): the course was not built.")


def test_usage_errors_exit_2(tmp_path):
    assert run("check", "-C", tmp_path).exit_code == 2  # no content/ folder
    assert run("check", "--no-such-option").exit_code == 2
    result = run("new", "lesson", "Bad_ID", "-C", FIXTURES / "mini")
    assert result.exit_code == 2 and "not a valid id" in result.output


def test_new_lesson_and_bank_scaffold_files_that_pass_strict_check(fixture_copy):
    root = fixture_copy("mini")
    assert run("new", "lesson", "dosing", "-C", root).exit_code == 0
    assert run("new", "bank", "dosing", "-C", root).exit_code == 0
    assert (root / "content" / "03-dosing.yaml").read_text().startswith("# yaml-language-server: $schema=")
    result = run("check", "--strict", "-C", root)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: 3 lessons")
    again = run("new", "lesson", "dosing", "-C", root)
    assert again.exit_code == 2 and "already exists" in again.output


def test_new_bank_for_unknown_lesson_says_what_to_do(fixture_copy):
    result = run("new", "bank", "nothing", "-C", fixture_copy("mini"))
    assert result.exit_code == 2
    assert "mesotrain new lesson nothing" in result.output


def test_schema_writes_one_file_per_kind_identical_to_the_shipped_ones(tmp_path):
    result = run("schema", "--out", tmp_path)
    assert result.exit_code == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["bank.schema.json", "course.schema.json", "exam.schema.json",
                       "glossary.schema.json", "lesson.schema.json", "sources.schema.json"]
    for name in written:  # the shipped schemas are generated, never edited by hand
        assert (ROOT / "schemas" / name).read_text() == (tmp_path / name).read_text(), \
            f"schemas/{name} is stale: run 'make schemas'"


def test_build_pages_writes_markdown_for_other_generators(tmp_path):
    result = run("build-pages", "-C", FIXTURES / "mini", tmp_path / "out")
    assert result.exit_code == 0, result.output
    pages = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*.md"))
    assert {"index.md", "lessons/basics.md", "lessons/safety.md", "glossary.md", "sources.md"} <= set(pages)
    lesson = (tmp_path / "out" / "lessons" / "basics.md").read_text()
    assert lesson.startswith("---\ntitle: \"Basics\"")
    assert "[Nappage](../glossary.md#nappage" in lesson


def test_build_pages_on_broken_course_exits_1(tmp_path):
    result = run("build-pages", "-C", FIXTURES / "broken", tmp_path / "out")
    assert result.exit_code == 1
    assert not (tmp_path / "out").exists()


def test_forms_prints_each_form_as_the_candidate_sees_it_without_keys():
    from mesotrain.exam.forms import forms_for
    from mesotrain.load import load_course

    tree = load_course(FIXTURES / "mini")
    drawn = forms_for(tree)
    result = run("forms", "--ids", "-C", FIXTURES / "mini")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"{f.id} {' '.join(f.items)}" for f in drawn]
    result = run("forms", "--form", drawn[0].id, "-C", FIXTURES / "mini")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"== form {drawn[0].id}: {len(drawn[0].items)} items\n")
    for n, item in enumerate(drawn[0].items, 1):
        assert f"{n:>3}. {item} [" in result.output
    pool = {q.id: q for b in tree.banks if b.model.kind == "exam" for q in b.model.questions}
    shown = [pool[i] for i in drawn[0].items]
    assert all(" ".join(q.stem.split()) in result.output for q in shown)
    for q in shown:  # options, yes; which is correct, feedback and rationale, no
        for o in getattr(q, "options", []):
            assert " ".join(o.text.split()) in result.output
            assert not o.feedback or o.feedback not in result.output
        assert " ".join(q.rationale.split()) not in result.output
    assert "correct" not in result.output and "answer:" not in result.output
    wrong = run("forms", "--form", "Q", "-C", FIXTURES / "mini")
    assert wrong.exit_code == 2 and "no form 'Q'; the exam has forms" in wrong.output
