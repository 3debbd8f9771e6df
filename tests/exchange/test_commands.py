"""`mesotrain bank export` and `mesotrain bank import` as an instructor runs them."""
from __future__ import annotations

from click.testing import CliRunner

from mesotrain.cli import main

from ..conftest import FIXTURES


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_export_writes_the_file_and_names_what_it_could_not_carry(tmp_path):
    out = tmp_path / "pool.gift"
    result = run("bank", "export", "-C", FIXTURES / "mini", "--format", "gift", "--out", out, "exam-pool")
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.count("\n::") == int(result.output.split("wrote ")[1].split(": ")[1].split(" of")[0])
    # the mini exam pool holds cases, which GIFT cannot carry: each is named, at its line
    warnings = [line for line in result.output.splitlines() if "warning:" in line]
    assert any("(case): not exported:" in w and w.startswith("quizzes/") for w in warnings), result.output
    assert "not carried (see above)" in result.output


def test_export_finds_a_bank_by_its_lesson_and_by_its_file():
    by_lesson = run("bank", "export", "-C", FIXTURES / "mini", "-f", "gift", "basics")
    assert by_lesson.exit_code == 0, by_lesson.output
    assert "$CATEGORY: basics-practice" in by_lesson.output
    by_file = run("bank", "export", "-C", FIXTURES / "mini", "-f", "gift", FIXTURES / "mini/quizzes/01-basics.yaml")
    assert by_file.exit_code == 0 and by_file.output == by_lesson.output


def test_export_usage_and_content_errors():
    unknown = run("bank", "export", "-C", FIXTURES / "mini", "-f", "gift", "nope")
    assert unknown.exit_code == 2 and "no bank 'nope'" in unknown.output and "basics-practice" in unknown.output
    assert run("bank", "export", "-C", FIXTURES / "mini", "-f", "pdf", "basics").exit_code == 2
    broken = run("bank", "export", "-C", FIXTURES / "broken", "-f", "gift", "anything")
    assert broken.exit_code == 1 and "Traceback" not in broken.output
