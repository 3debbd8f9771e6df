"""The course authoring interface of issue 11: short names, [@source], one citation number per
source, in_short, self_check, figures marked editorial, cognitive, vignettes."""
from __future__ import annotations

import re

import pytest

from mesotrain.errors import ContentError
from mesotrain.checks import load_checked
from mesotrain.load import load_course
from mesotrain.model import Lesson
from mesotrain.render import render_site

from .conftest import FIXTURES, ROOT


def _page(pages, path):
    return next(p for p in pages if p.path == path)


def test_new_keys_load_from_the_fixture():
    tree = load_course(FIXTURES / "mini")
    assert tree.sources.model.sources[0].short == "the first clinic page"
    assert tree.sources.model.sources[1].short is None
    basics = next(l.model for l in tree.lessons if l.model.id == "basics")
    assert basics.self_check == ["b-q02", "b-q03"] and len(basics.in_short) == 3


def test_unknown_source_in_a_citation_is_located(fixture_copy):
    root = fixture_copy("mini")
    path = root / "content" / "01-basics.yaml"
    path.write_text(path.read_text().replace("Only [@s1] names", "Only [@s9] names"))
    with pytest.raises(ContentError) as info:
        load_checked(root)
    assert [str(p) for p in info.value.problems] == [
        "content/01-basics.yaml:48:13: sections[1].blocks[4].md: [@s9] names an unknown source (known: s1, s2)"]


@pytest.mark.parametrize("ids, message", [
    ("[b-q02, b-q99]", "self_check[1]: question 'b-q99' is not in this lesson's practice bank"),
    ("[b-q01, b-q02]", "self_check[0]: question 'b-q01' is already asked in a quiz block"),
    ("[b-q02]", "self_check: List should have at least 2 items"),
])
def test_self_check_takes_two_or_three_questions_of_the_bank_not_in_a_quiz_block(fixture_copy, ids, message):
    root = fixture_copy("mini")
    path = root / "content" / "01-basics.yaml"
    path.write_text(path.read_text().replace("self_check: [b-q02, b-q03]", f"self_check: {ids}"))
    with pytest.raises(ContentError) as info:
        load_checked(root)
    assert any(message in str(p) for p in info.value.problems), [str(p) for p in info.value.problems]


def test_in_short_holds_three_to_six_points(fixture_copy):
    root = fixture_copy("mini")
    path = root / "content" / "01-basics.yaml"
    path.write_text(path.read_text().replace("  - Sources disagree on the depth.\n", ""))
    with pytest.raises(ContentError) as info:
        load_checked(root)
    assert "in_short: List should have at least 3 items" in str(info.value.problems[0])


def test_reading_time_counts_the_words_a_trainee_reads():
    base = dict(id="l", title="T", domain="d", summary="one two", objectives=[{"id": "o", "text": "Do it"}])
    block = {"kind": "text", "md": " ".join(["word"] * 394), "sources": ["s000"]}
    short = Lesson(**base, sections=[{"title": "S", "blocks": [block]}])
    assert short.words() == 1 + 2 + 2 + 1 + 394 and short.reading_minutes() == 2  # title, summary, objective, section
    tiny = Lesson(**base, sections=[{"title": "S", "blocks": [{"kind": "quiz", "questions": ["q1"]}]}])
    assert tiny.reading_minutes() == 1


def test_cognitive_and_vignettes_are_optional_and_checked(fixture_copy):
    root = fixture_copy("mini")
    pool = root / "quizzes" / "exam-pool" / "pool.yaml"
    pool.write_text(pool.read_text().replace("    stem: Exam question one?\n",
                                             "    stem: Exam question one?\n    cognitive: applied\n"))
    with pytest.raises(ContentError) as info:
        load_checked(root)
    assert "cognitive: Input should be 'recall' or 'application'" in str(info.value.problems[0])


def test_glossary_definition_citing_a_source_reads_as_plain_text_in_tooltips(fixture_copy):
    root = fixture_copy("mini")
    path = root / "content" / "glossary.yaml"
    text = path.read_text()
    assert "Many very shallow injections over an area." in text
    path.write_text(text.replace("Many very shallow injections over an area.",
                                 "'Many very shallow injections over an area, as [@s1] describes it.'"))
    pages = render_site(load_course(root))
    lesson = _page(pages, "lessons/basics.md").content
    assert '(../glossary.md#nappage "Many very shallow injections over an area, as the first clinic page [1] describes it.")' in lesson
    glossary = _page(pages, "glossary.md").content
    assert 'as the first clinic page <sup class="mt-cite">[<a href="#src-s1"' in glossary
    assert '<span id="src-s1" class="mt-cite-n">[1]</span>' in glossary  # the page lists what it cites


def test_a_source_has_one_citation_number_on_every_page(fixture_copy):
    """A page citing only the second source still calls it [2]: numbers are course-wide."""
    root = fixture_copy("mini")
    path = root / "content" / "02-safety.yaml"
    path.write_text(path.read_text().replace("sources: [s1, s2]", "sources: [s2]"))
    page = _page(render_site(load_course(root)), "lessons/safety.md")
    html = page.content
    assert ('Pregnancy excludes treatment. <sup class="mt-cite">[<a href="#src-s2" title="[2] Second source">2</a>]'
            '</sup>') in html
    assert '<span id="src-s2" class="mt-cite-n">[2]</span> [*Second source*](../sources.md#s2): blog.' in html


def test_content_rules_find_source_ids_shown_as_text_and_lessons_without_in_short(fixture_copy):
    root = fixture_copy("mini")
    bank = root / "quizzes" / "01-basics.yaml"
    bank.write_text(bank.read_text().replace('feedback: "Yes, that is the range it gives."}', 'feedback: "Yes, s1 says so."}')
                    .replace("rationale: That range is the second source's.", "rationale: s2 gives 2–3 mm."))
    lesson = root / "content" / "02-safety.yaml"
    lesson.write_text(re.sub(r"in_short:\n(  - .*\n)+", "", lesson.read_text()))
    _, warnings = load_checked(root)
    found = [str(w) for w in warnings]
    assert ("quizzes/01-basics.yaml:9:49: questions[0].options[0].feedback: warning: source id 's1' shows as text "
            "on lessons/basics.md: name the source with [@s1], or let sources: carry the mark") in found
    assert "content/02-safety.yaml:1:5: id: warning: lesson has no in_short: end it with 3–6 key points" in found
    assert not [w for w in found if "[@s1]" in w.split(":")[3] or "01-basics.yaml:48" in w]  # [@s1] is the way
    assert not [w for w in found if "sources[" in w or "exam-pool" in w]  # ids in sources:, sealed exam feedback
    with pytest.raises(ContentError) as info:
        load_checked(root, strict=True)
    assert any("source id 's2' shows as text" in str(p) and p.severity == "error" for p in info.value.problems)


def test_content_rules_are_on_and_the_shipped_course_keeps_them():
    """Issue 11: the build checks that no source id shows as text, and that lessons end with In short."""
    import mesotrain.checks

    assert mesotrain.checks.CONTENT_RULES is True
    _, warnings = load_checked(ROOT, strict=True)
    assert warnings == []


def test_a_long_lesson_needs_an_at_a_glance_table(fixture_copy, monkeypatch):
    import mesotrain.checks

    monkeypatch.setattr(mesotrain.checks, "CONTENT_RULES", True)
    root = fixture_copy("mini")
    path = root / "content" / "02-safety.yaml"
    long_text = " ".join(["word"] * 2500)
    path.write_text(path.read_text().replace("md: Pregnancy excludes treatment.", f"md: Pregnancy excludes treatment. {long_text}"))
    _, warnings = load_checked(root)
    assert ("content/02-safety.yaml:1:5: id: warning: lesson reads in 13 minutes: split it, or add a table block "
            "captioned 'At a glance'") in [str(w) for w in warnings]
    body, rest = path.read_text().split("in_short:")
    path.write_text(body + """      - kind: table
        caption: At a glance
        header: [Who, What]
        rows: [[Pregnant patient, No treatment]]
        sources: [s1]
in_short:""" + rest)
    _, warnings = load_checked(root)
    assert not [w for w in warnings if "minutes" in str(w)]
