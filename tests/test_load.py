"""Loading and checking: every mistake of a broken course in one run, each pinned to file:line:col."""
from __future__ import annotations

import json

import pytest

from mesotrain.errors import ContentError
from mesotrain.checks import load_checked
from mesotrain.load import load_course
from mesotrain.checks import check_course

from .conftest import FIXTURES

BROKEN = [
    "content/01-basics.yaml:4:10: summary: unknown glossary term 'napage' (did you mean 'nappage'? known: nappage)",
    "content/01-basics.yaml:10:9: sections[0].blocks[0].sources: missing required key 'sources'",
    "content/01-basics.yaml:12:9: sections[0].blocks[0].sorces: unknown key 'sorces' (did you mean 'sources'?)",
    "content/01-basics.yaml:15:23: sections[0].blocks[1].sources[1]: unknown source 's9' (known: s1, s2)",
    "content/01-basics.yaml:16:9: sections[0].blocks[2]: unknown kind 'txt' (expected one of: 'text', "
    "'key_points', 'table', 'steps', 'callout', 'disagreement', 'caution', 'figure', 'quiz')",
    "content/02-safety.yaml:11:8: YAML syntax error: while parsing a block collection, expected <block end>, "
    "but found '<block mapping start>' (check the indentation of this line and the one above it) "
    "(1 message(s) about what this file defines wait until it is valid YAML)",  # course.yaml's 'safety'
    "content/course.yaml:9:27: lessons[2]: unknown lesson 'dosage' (known: basics)",
    "content/sources.yaml:2:5: sources[0].kind: missing required key 'kind'",
    "quizzes/01-basics.yaml:4:5: questions[0]: a single-answer question needs exactly one option with correct: true",
    "quizzes/01-basics.yaml:15:16: questions[1].objective: unknown objective 'b-o9' (did you mean 'b-o1'? known: b-o1)",
    "quizzes/01-basics.yaml:17:13: questions[1].answer: Input should be a valid boolean, unable to interpret "
    "input (got 'yes please')",
    "quizzes/01-basics.yaml:20:9: questions[2].id: duplicate question id 'b-q01' (first in quizzes/01-basics.yaml:4)",
]


def test_broken_course_reports_every_mistake_in_five_files_at_once():
    with pytest.raises(ContentError) as info:
        load_checked(FIXTURES / "broken")
    assert [str(p) for p in info.value.problems] == BROKEN
    assert len({p.file for p in info.value.problems}) == 5


def test_mini_course_is_clean_even_under_strict():
    tree, warnings = load_checked(FIXTURES / "mini", strict=True)
    assert warnings == []
    assert [l.id for l in tree.ordered_lessons()] == ["basics", "safety"]
    assert tree.exam.model.must_pass == ["x02"]


def test_unassessed_objective_is_a_warning_and_an_error_under_strict(fixture_copy):
    root = fixture_copy("mini")
    path = root / "content" / "02-safety.yaml"
    path.write_text(path.read_text().replace(
        "  - {id: s-o1, text: Identify patients who must not be treated.}",
        "  - {id: s-o1, text: Identify patients who must not be treated.}\n  - {id: s-o2, text: List more.}"))
    _, warnings = load_checked(root)
    assert [str(w) for w in warnings] == [
        "content/02-safety.yaml:7:10: objectives[1].id: warning: objective 's-o2' is not assessed by any question"]
    with pytest.raises(ContentError) as info:
        load_checked(root, strict=True)
    assert "objective 's-o2' is not assessed" in str(info.value)


def test_exam_pool_that_cannot_fill_the_blueprint_is_an_error(fixture_copy):
    root = fixture_copy("mini")
    exam = root / "quizzes" / "exam.yaml"
    exam.write_text(exam.read_text().replace("{domain: safety, items: 1}", "{domain: safety, items: 3}"))
    with pytest.raises(ContentError) as info:
        load_checked(root)
    assert [str(p) for p in info.value.problems] == [
        "quizzes/exam.yaml:6:29: blueprint[1].items: the pool has 1 item(s) in domain 'safety' but each form needs 3"]


def test_exam_item_repeating_a_practice_stem_is_an_error(fixture_copy):
    root = fixture_copy("mini")
    pool = root / "quizzes" / "exam-pool" / "pool.yaml"
    pool.write_text(pool.read_text().replace("Exam question one?", "Which depth does the first source give?"))
    tree = load_course(root)
    messages = [str(p) for p in check_course(tree)]
    assert any("same stem as quizzes/01-basics.yaml:7; exam items must not repeat practice questions" in m
               for m in messages)


def test_unreadable_bytes_are_a_problem_not_a_traceback(fixture_copy):
    root = fixture_copy("mini")
    (root / "content" / "02-safety.yaml").write_bytes(b"id: \xff\xfe\n")
    with pytest.raises(ContentError) as info:
        load_checked(root)
    assert str(info.value.problems[0]).startswith("content/02-safety.yaml:1:5: not UTF-8 text: byte 0xff")


def test_a_yaml_syntax_error_comes_first_without_follow_on_messages(fixture_copy):
    root = fixture_copy("mini")
    lesson = root / "content" / "01-basics.yaml"
    lines = lesson.read_text().splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if line.startswith("  - {id: b-o2"))
    lines[n] = lines[n][1:]  # one space short: a YAML syntax error
    lesson.write_text("".join(lines))
    with pytest.raises(ContentError) as info:
        load_checked(root)
    messages = [str(p) for p in info.value.problems]
    assert messages[0].startswith(f"content/01-basics.yaml:{n + 1}:2: YAML syntax error")
    assert messages[0].endswith("message(s) about what this file defines wait until it is valid YAML)")
    assert len(messages) == 1


def test_an_unknown_id_suggests_the_closest_known_one(fixture_copy):
    root = fixture_copy("mini")
    bank = root / "quizzes" / "01-basics.yaml"
    text = bank.read_text()
    import re as _re
    objective = _re.search(r"objective: (\S+)", text).group(1)
    bank.write_text(text.replace(f"objective: {objective}", f"objective: {objective}x", 1))
    messages = [str(p) for p in check_course(load_course(root))]
    assert any(f"unknown objective '{objective}x' (did you mean '{objective}'? known:" in m for m in messages)


@pytest.mark.parametrize("text, expected", [
    ("Stem <script>alert(1)</script>?", "<script> is not allowed in course text"),
    ("Stem <img src=x onerror=alert(1)>?", "<img onerror=…>: event-handler attributes are not allowed"),
    ("See [this](javascript:alert(1)).", "a link to 'javascript:…' is not allowed"),
    ("See [this]( JaVa&#x09;script:alert(1)).", "a link to 'javascript:…' is not allowed"),
    ("See [this](javascript&#58;alert(1)).", "a link to 'javascript:…' is not allowed"),  # no ':' as typed
    ("See [this](JaVaScRiPt&colon;alert(1)).", "a link to 'javascript:…' is not allowed"),
    ('See <a href="jav&#x61;script:x">this</a>.', "only http, https, mailto and relative links are allowed"),
    ('A <span style="position:fixed;inset:0">cover</span>.', "attribute 'style' is not allowed"),
])
def test_unsafe_html_in_course_text_is_an_error_at_its_value(fixture_copy, text, expected):
    root = fixture_copy("mini")
    bank = root / "quizzes" / "01-basics.yaml"
    lines = bank.read_text().splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if line.lstrip().startswith("stem:"))
    indent = lines[n][: len(lines[n]) - len(lines[n].lstrip())]
    lines[n] = f"{indent}stem: {json.dumps(text)}\n"
    bank.write_text("".join(lines))
    with pytest.raises(ContentError) as info:
        load_checked(root)
    (p,) = [p for p in info.value.problems if expected in p.message]
    assert (p.file, p.line, p.col) == ("quizzes/01-basics.yaml", n + 1, len(indent) + 7)
    assert p.path.endswith(".stem")


def test_safe_html_and_ordinary_links_pass(fixture_copy):
    root = fixture_copy("mini")
    bank = root / "quizzes" / "01-basics.yaml"
    text = bank.read_text()
    stem = next(line for line in text.splitlines() if line.lstrip().startswith("stem:"))
    indent = stem[: len(stem) - len(stem.lstrip())]
    safe = "A <abbr title=\"x\">b</abbr> with [a link](https://example.org/a:b) at 1:2?"
    bank.write_text(text.replace(stem, f"{indent}stem: {json.dumps(safe)}", 1))
    load_checked(root)


def test_fragments_are_cleaned_even_if_a_check_were_bypassed():
    from mesotrain.render.markdown import Fragments, Glossary

    out = Fragments(Glossary({})).html('*x* <script>steal()</script><a href="javascript:x" onclick="y">l</a>')
    assert "<script" not in out and "steal" not in out and "javascript" not in out and "onclick" not in out
    assert "<em>x</em>" in out


@pytest.mark.parametrize("value", ["3.5", "[{a: 1}]", "{k: v}"])
def test_a_quiz_block_of_the_wrong_shape_is_located_not_a_traceback(fixture_copy, value):
    """Found by tests/test_fuzz_course.py: the cross-file checks read raw YAML and iterated it."""
    root = fixture_copy("mini")
    lesson = root / "content" / "01-basics.yaml"
    text = lesson.read_text()
    start = text.index("questions:", text.index("kind: quiz"))
    end = text.index("\n", start)
    lesson.write_text(text[:start] + f"questions: {value}" + text[end:])
    with pytest.raises(ContentError) as info:
        load_checked(root)
    assert all(p.line >= 1 for p in info.value.problems)
    assert any(p.file == "content/01-basics.yaml" and ".questions" in p.path for p in info.value.problems)


def test_a_misspelt_cloze_blank_names_both_halves_of_the_mistake(fixture_copy):
    root = fixture_copy("mini")
    bank = root / "quizzes" / "01-basics.yaml"
    bank.write_text(bank.read_text().replace("are called {{b1}};", "are called {{b1x}};"))
    with pytest.raises(ContentError) as info:
        load_checked(root)
    (p,) = [p for p in info.value.problems if "cloze" in p.message or "{{b1x}}" in p.message]
    assert p.file == "quizzes/01-basics.yaml" and p.line > 1
    assert "the text's {{b1x}} matches no blank; did you mean {{b1}}, the declared blank that the text never places?" \
        in p.message
