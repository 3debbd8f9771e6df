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


GIFT = """// a bank from elsewhere
$CATEGORY: Safety

::Pregnancy::<p onclick\\="x()">Is pregnancy a contraindication?</p>{TRUE#It is one.#Right.####Every source says so.}

::q 2::Pick the <b>deepest</b> depth {=4 mm#Yes ~1 mm#No}

::Essay::Discuss the risks. {}
"""


def test_import_writes_a_bank_that_passes_check_and_lists_what_to_review(fixture_copy):
    root = fixture_copy("mini")
    source = root / "bank.gift"
    source.write_text(GIFT, encoding="utf-8")
    result = run("bank", "import", "-C", root, source, "--lesson", "safety")
    assert result.exit_code == 0, result.output
    written = root / "quizzes" / "02-safety-imported.yaml"
    text = written.read_text()
    assert text.startswith("# yaml-language-server: $schema=../schemas/bank.schema.json\n")
    data = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert "onclick" not in data and "Is pregnancy a contraindication?" in data
    assert "id: Pregnancy" not in data  # not a valid id: renamed
    assert "# CHECK: objective set to 's-o1'" in text
    lines = result.output.splitlines()
    assert any(line.startswith(f"{source}:4:1: Pregnancy → ") and "unsafe markup was removed" in line for line in lines)
    assert any("Essay: not imported: Moodle's essay question has no mesotrain type" in line for line in lines)
    assert any("no general feedback to take as the rationale" in line and "q 2" in line for line in lines)
    assert lines[-1].startswith(f"wrote {written}: 2 question(s) imported, 1 not imported")
    assert lines[-2] == ("note: the lesson's page shows its practice bank quizzes/02-safety.yaml only: "
                         "move the questions you keep into it")
    checked = run("check", "-C", root)
    assert checked.exit_code == 0, checked.output
    again = run("bank", "import", "-C", root, source, "--lesson", "safety")
    assert again.exit_code == 2 and "already exists; give --out FILE" in again.output


def test_import_refuses_bad_files_and_lessons_clearly(fixture_copy, tmp_path):
    root = fixture_copy("mini")
    broken = tmp_path / "broken.gift"
    broken.write_text("::a::Fine {T}\n\n::b::Never closed {=yes ~no\n", encoding="utf-8")
    result = run("bank", "import", "-C", root, broken, "--lesson", "safety")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{broken}:3:1: an answer block opened with '{{' is never closed" in result.output
    other = tmp_path / "bank.csv"
    other.write_text("a,b\n")
    assert run("bank", "import", "-C", root, other, "--lesson", "safety").exit_code == 2
    ok = tmp_path / "ok.gift"
    ok.write_text("::a::Fine {T}\n")
    unknown = run("bank", "import", "-C", root, ok, "--lesson", "nope")
    assert unknown.exit_code == 2 and "no lesson 'nope'" in unknown.output
    huge = tmp_path / "huge.gift"
    with huge.open("wb") as out:
        out.truncate(20_000_001)
    too_big = run("bank", "import", "-C", root, huge, "--lesson", "safety")
    assert too_big.exit_code == 1 and "larger than 20 MB" in too_big.output
    nothing = tmp_path / "essay.gift"
    nothing.write_text("::e::Discuss. {}\n")
    empty = run("bank", "import", "-C", root, nothing, "--lesson", "safety")
    assert empty.exit_code == 1 and "nothing in" in empty.output


def test_a_moodle_xml_import_passes_check(fixture_copy):
    from .test_moodle_xml import MOODLE

    root = fixture_copy("mini")
    source = root / "moodle.xml"
    source.write_text(MOODLE, encoding="utf-8")
    out = root / "quizzes" / "moodle-bank.yaml"
    result = run("bank", "import", "-C", root, source, "--lesson", "basics", "--out", out)
    assert result.exit_code == 0, result.output
    assert "id: moodle-bank\n" in out.read_text() and "weight: 2.0" in out.read_text()
    assert "2 question(s) imported, 1 not imported" in result.output
    checked = run("check", "-C", root)
    assert checked.exit_code == 0, checked.output


def test_a_note_about_a_case_part_is_placed_at_its_case(monkeypatch, tmp_path):
    from mesotrain import exchange

    def write(bank, text):
        case = next(q for q in bank.questions if q.type == "case")
        return exchange.Export(b"x", ".txt", [exchange.Note(f"{case.id}.1", "single", "a part's note"),
                                              exchange.Note("elsewhere", "single", "no such question")], 1)
    monkeypatch.setitem(exchange.FORMATS, "gift", "gift:write")
    monkeypatch.setattr("mesotrain.exchange.gift.write", write)
    result = run("bank", "export", "-C", FIXTURES / "mini", "-f", "gift", "--out", tmp_path / "x", "basics")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("quizzes/01-basics.yaml:") and "questions[" in line and "a part's note" in line
               for line in lines)
    assert any(line.startswith("quizzes/01-basics.yaml:1:1: warning: elsewhere") for line in lines)
