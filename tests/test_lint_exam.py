"""The exam's item-writing rules (issue 11): each found and located on a small course that
breaks it, and silent on one that keeps them all."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from mesotrain.checks import check_course
from mesotrain.cli import main
from mesotrain.exam.forms import draw_forms, exam_pool, forms_for, vignette_targets
from mesotrain.lint import lint_course
from mesotrain.checks import load_checked
from mesotrain.load import load_course

from .conftest import FIXTURES, ROOT

# Where the lint's full rule set is run as "the shipped course" test. The shipped course is
# being rewritten for issue 11 (content-a/b/c); the lead switches this to ROOT once it passes.
LINT_COURSE = ROOT  # the shipped course keeps every rule (None: the good fixture course below)

POOL = """\
id: exam-pool
kind: exam
questions:
  - id: x02
    type: true_false
    objective: s-o1
    cognitive: recall
    stem: Pregnancy rules the treatment out.
    answer: true
    rationale: Both sources exclude it.
    sources: [s1, s2]
  - id: g01
    type: single
    objective: b-o1
    cognitive: application
    stem: A patient asks how deep the injections go. What do you tell him?
    options:
      - {text: A few millimetres, correct: true}
      - {text: About one centimetre}
      - {text: Down to the bone}
    rationale: Mesotherapy stays in the skin.
    sources: [s1]
  - id: g02
    type: single
    objective: b-o1
    cognitive: recall
    stem: What is nappage?
    options:
      - {text: Many shallow injections, correct: true}
      - {text: One deep injection here}
      - {text: A cream left overnight}
    rationale: Nappage spreads many small injections over an area.
    sources: [s1]
  - id: g03
    type: case
    objective: b-o2
    cognitive: application
    stem: A patient with thinning at the crown.
    vignette: A man of 40 shows thinning at the crown and asks where you will treat.
    parts:
      - id: a
        type: single
        stem: Which region do you treat first?
        options:
          - {text: The vertex, correct: true}
          - {text: The frontal line}
          - {text: The occiput}
      - id: b
        type: true_false
        stem: The crown and the vertex are the same region.
        answer: true
    rationale: The crown is the vertex.
    sources: [s1, s2]
  - id: g04
    type: case
    objective: b-o2
    cognitive: application
    stem: A patient with a receding hairline.
    vignette: A woman of 35 shows a receding hairline at the temples.
    parts:
      - id: a
        type: single
        stem: Which region is thinning?
        options:
          - {text: The temporal region, correct: true}
          - {text: The occipital region}
          - {text: The vertex at the top}
    rationale: The temples are the temporal region.
    sources: [s1]
  - id: g05
    type: true_false
    objective: b-o1
    cognitive: recall
    stem: The sources give depths of a few millimetres.
    answer: true
    rationale: Both give ranges in millimetres.
    sources: [s1, s2]
  - id: g06
    type: single
    objective: b-o2
    cognitive: recall
    stem: Where is the occipital region?
    options:
      - {text: At the back, correct: true}
      - {text: At the front}
      - {text: At the side}
    rationale: Occipital is the back of the head.
    sources: [s1]
  - id: g07
    type: single
    objective: s-o1
    cognitive: application
    stem: A patient tells you she is pregnant. What do you do?
    options:
      - {text: Postpone the treatment, correct: true}
      - {text: Treat her at half dose}
      - {text: Treat only the crown}
    rationale: Pregnancy excludes treatment.
    sources: [s1, s2]
  - id: g08
    type: single
    objective: s-o1
    cognitive: application
    stem: A patient has an infected scalp today. What do you do?
    options:
      - {text: Wait until it heals, correct: true}
      - {text: Treat around the area}
      - {text: Treat with more care}
    rationale: Infection is a reason to wait.
    sources: [s1]
"""

EXAM = """\
id: mini-exam
title: Mini certification exam
pool: [exam-pool]
blueprint:
  - {domain: basics, items: 3}
  - {domain: safety, items: 2}
must_pass: [x02]
pass_mark: 0.6
time_limit_minutes: 10
forms: 2
seed: 246
vignettes: 1
"""


@pytest.fixture
def good(fixture_copy):
    """The mini course with an exam that keeps every rule, and a practice bank with feedback everywhere."""
    root = fixture_copy("mini")
    (root / "quizzes" / "exam-pool" / "pool.yaml").write_text(POOL)
    (root / "quizzes" / "exam.yaml").write_text(EXAM)
    bank = root / "quizzes" / "01-basics.yaml"
    bank.write_text(bank.read_text().replace("{text: 2–3 mm, correct: true}", "{text: 2–3 mm, correct: true, feedback: Yes.}")
                    .replace("{text: 10 mm}", "{text: 10 mm, feedback: Too deep.}")
                    .replace('premise: "[@s1]",', "premise: first range,").replace('premise: "[@s2]",', "premise: second range,")
                    .replace('stem: "What does [@s2] say?"', "stem: Which range is shallow?")
                    .replace('stem: "[@s1] gives a wider range than [@s2]."', "stem: 1–4 mm is a wider range than 2–3 mm."))
    return root


def lint(root) -> list[str]:
    tree, _ = load_checked(root)
    return [str(p) for p in lint_course(tree)]


def edit(root, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text()
    assert old in text, old
    file.write_text(text.replace(old, new))


POOL_FILE = "quizzes/exam-pool/pool.yaml"


def test_the_good_course_keeps_every_rule(good):
    assert lint(good) == []


def test_lint_on_the_course_that_ships(good):
    """`mesotrain lint` with every rule passes on the course we ship (see LINT_COURSE)."""
    result = CliRunner().invoke(main, ["lint", "-C", str(LINT_COURSE or good)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("old, new, expected", [
    ("stem: What is nappage?", "stem: What does s1 call nappage?",
     "quizzes/exam-pool/pool.yaml:27:11: questions[2].stem: names a source ('s1')"),
    ("{text: At the side}", "{text: 'As [@s2] puts it'}",
     "quizzes/exam-pool/pool.yaml:86:16: questions[6].options[2].text: names a source ('[@s2]')"),
    ("vignette: A man of 40", "vignette: As s2 reports, a man of 40",
     "quizzes/exam-pool/pool.yaml:39:15: questions[3].vignette: names a source ('s2')"),
])
def test_a_source_named_in_an_exam_item_is_found(good, old, new, expected):
    edit(good, POOL_FILE, old, new)
    assert [m for m in lint(good) if "names a source" in m] == [expected + ": an exam item asks what to do and "
                                                                "why, not which source said what"]


def test_every_exam_item_needs_cognitive(good):
    edit(good, POOL_FILE, "    cognitive: recall\n    stem: What is nappage?", "    stem: What is nappage?")
    assert lint(good) == ["quizzes/exam-pool/pool.yaml:23:9: questions[2].id: exam item 'g02' has no "
                          "'cognitive: recall | application'"]


def test_applied_items_carry_forty_percent_of_each_form(good):
    edit(good, POOL_FILE, "    cognitive: application\n    stem: A patient tells you",
         "    cognitive: recall\n    stem: A patient tells you")
    edit(good, POOL_FILE, "    cognitive: application\n    stem: A patient has an infected",
         "    cognitive: recall\n    stem: A patient has an infected")
    assert lint(good) == ["quizzes/exam.yaml:10:8: forms: form A: applied items (cognitive: application) are 20% of "
                          "its points; at least 40% must put a patient, a situation or a decision to the candidate"]


def test_the_longest_option_as_key_is_found_exam_wide_and_per_form(good):
    for key in ("A few millimetres", "Many shallow injections", "The vertex", "The temporal region",
                "At the back", "Postpone the treatment", "Wait until it heals"):
        edit(good, POOL_FILE, "{text: " + key + ", correct: true}",
             "{text: " + key + " and a good deal more besides, correct: true}")
    found = [m for m in lint(good) if "longest option" in m]
    assert "quizzes/exam.yaml:3:7: pool: the key is the longest option in 7 of 7 single-choice items exam-wide " \
           "(100%, at most 30%): write distractors as long as the key" in found
    assert any(m.startswith("quizzes/exam.yaml:10:8: forms: form A: the key is the longest option in") for m in found)
    assert any(m.startswith("quizzes/exam.yaml:10:8: forms: form B: the key is the longest option in") for m in found)


@pytest.mark.parametrize("key, distractors, odd", [
    ("Do not treat her today", ("Go ahead at half dose", "Go ahead on the crown only"), True),
    ("Go ahead at half dose", ("Do not treat her today", "Do not treat her this month"), True),
    ("Do not treat her today", ("Do not treat at half dose", "Go ahead on the crown only"), False),
])
def test_a_key_that_is_the_odd_one_out_by_a_negation_is_found(good, key, distractors, odd):
    edit(good, POOL_FILE, """      - {text: Postpone the treatment, correct: true}
      - {text: Treat her at half dose}
      - {text: Treat only the crown}""", f"""      - {{text: {key}, correct: true}}
      - {{text: {distractors[0]}}}
      - {{text: {distractors[1]}}}""")
    found = [m for m in lint(good) if "odd one out" in m]
    assert found == (["quizzes/exam-pool/pool.yaml:95:9: questions[7].options[0]: the key is the odd one out by a "
                      "negation (a cue): phrase the options alike"] if odd else [])


def test_absolute_words_in_true_false_stems_are_found(good):
    edit(good, POOL_FILE, "stem: The crown and the vertex are the same region.",
         "stem: The crown and the vertex are always the same region.")
    assert lint(good) == ["quizzes/exam-pool/pool.yaml:50:15: questions[3].parts[1].stem: 'always' in a true/false "
                          "stem cues the answer: state the condition"]


def test_items_keyed_the_sources_do_not_say_are_at_most_five_percent(good):
    edit(good, POOL_FILE, "{text: At the side}", "{text: No source says where it is, correct: false}")
    assert lint(good) == []  # a distractor may say so
    edit(good, POOL_FILE, "stem: The sources give depths of a few millimetres.\n    answer: true",
         "stem: The sources say which depth suits a patient like him.\n    answer: false")
    assert lint(good) == ["quizzes/exam.yaml:3:7: pool: 1 of 9 exam items (11%) are keyed 'the sources do not say' "
                          "(at most 5%): g05"]


def test_an_exam_item_repeated_in_a_practice_bank_is_found(good):
    edit(good, POOL_FILE, "stem: Where is the occipital region?", "stem: Select the crown of the head!")
    assert lint(good) == ["quizzes/exam-pool/pool.yaml:82:11: questions[6].stem: exam item 'g06' repeats practice "
                          "question 'b-q08' (quizzes/01-basics.yaml:74): the practice banks never show an exam item"]


def test_forms_that_are_not_parallel_are_found_by_lint_and_by_check_once_vignettes_is_set(good):
    edit(good, "quizzes/exam.yaml", "vignettes: 1\n", "")
    edit(good, "quizzes/exam.yaml", "forms: 2", "forms: 6")
    tree = load_course(good)
    assert not [p for p in check_course(tree) if p.severity == "error"]  # not declared: lint's to say
    assert any("forms are not parallel: " in m and "(set 'vignettes: N' to draw parallel forms)" in m
               for m in lint(good))
    edit(good, "quizzes/exam.yaml", "forms: 6", "forms: 6\nvignettes: 1")
    assert lint(good) == []


def test_parallel_forms_hold_the_vignettes_and_the_points_per_domain(good):
    tree = load_course(good)
    pool = {p.id: p for p in exam_pool(tree)}
    exam = tree.exam.model.model_copy(update={"forms": 12})
    forms = draw_forms(exam, list(pool.values()))
    assert draw_forms(exam, list(pool.values())) == forms  # reproducible from the seed
    assert len({f.items for f in forms}) > 1               # and still drawn
    for f in forms:
        assert sum(pool[i].question.type == "case" for i in f.items) == 1
        assert sum(pool[i].domain == "basics" for i in f.items) == 3 and "x02" in f.items
    assert vignette_targets(exam, list(pool.values())) == [1, 0]


def test_check_reports_vignettes_the_pool_cannot_give(good):
    edit(good, "quizzes/exam.yaml", "vignettes: 1", "vignettes: 3")
    with pytest.raises(Exception) as info:
        load_checked(good)
    assert "quizzes/exam.yaml:12:12: vignettes: forms cannot hold exactly 3 vignette(s): the blueprint and the " \
           "pool allow between 0 and 2" in str(info.value.problems[0])


def test_check_enforces_the_same_points_per_domain(good):
    edit(good, POOL_FILE, "    cognitive: recall\n    stem: What is nappage?",
         "    cognitive: recall\n    weight: 2\n    stem: What is nappage?")
    tree = load_course(good)
    assert [str(p) for p in check_course(tree)] == []  # the parallel draw matches weights too
    pool = {p.id: p for p in exam_pool(tree)}
    for f in forms_for(tree):
        assert sum(pool[i].question.weight for i in f.items if pool[i].domain == "basics") == \
               sum(pool[i].question.weight for i in forms_for(tree)[0].items if pool[i].domain == "basics")


def test_practice_keeps_at_most_one_question_naming_a_source(good):
    edit(good, "quizzes/01-basics.yaml", "stem: Which range is shallow?", "stem: Which range does [@s2] give?")
    assert lint(good) == ["quizzes/01-basics.yaml:94:15: questions[8].parts[0].stem: a second question naming a source "
                          "(after 'b-q04'): a lesson's practice keeps at most one"]


def _pool_with_a_case_per_domain(domains: int, weight: float = 1.0) -> list:
    """Pool items: in each domain one case and four single-choice items, all weight 1 (the
    case ``weight``), as the shipped course's pools are."""
    from pydantic import TypeAdapter

    from mesotrain.exam.forms import PoolItem
    from mesotrain.model import Question

    question = TypeAdapter(Question).validate_python
    about = {"stem": "s", "objective": "o", "rationale": "r", "sources": ["s1"]}
    single = {"type": "single", **about, "options": [{"text": "a", "correct": True}, {"text": "b"}]}
    out = []
    for d in range(domains):
        out.append(PoolItem(question({"id": f"d{d}-case", "type": "case", **about, "vignette": "v", "weight": weight,
                                      "parts": [{"id": "p", "type": "true_false", "stem": "t", "answer": True}]}),
                            f"dom{d}", f"o{d}"))
        out += [PoolItem(question({"id": f"d{d}-q{n}", **single}), f"dom{d}", f"o{d}") for n in range(4)]
    return out


def _varied_exam(pool: list, **more):
    from mesotrain.model import Exam

    domains = sorted({p.domain for p in pool})
    return Exam.model_validate({"id": "e", "title": "E", "pool": ["p"], "pass_mark": 0.5, "time_limit_minutes": 9,
                                "blueprint": [{"domain": d, "items": 2} for d in domains], "forms": 3, "seed": 7,
                                "vignettes": 2, "must_pass": ["d5-case"], **more})


def _case_domains(forms, pool) -> list[set[str]]:
    by_id = {p.id: p for p in pool}
    return [{by_id[i].domain for i in f.items if by_id[i].question.type == "case"} for f in forms]


def test_vary_cases_moves_later_forms_cases_to_other_domains_and_keeps_them_parallel():
    pool = _pool_with_a_case_per_domain(6)
    same, varied = draw_forms(_varied_exam(pool), pool), draw_forms(_varied_exam(pool, vary_cases=True), pool)
    by_id = {p.id: p for p in pool}
    # without it (what exams drawn before it get), every form has its cases where form A has them
    assert _case_domains(same, pool) == [{"dom0", "dom5"}] * 3
    # with it, form A is drawn as before; B and C rotate the case no row must take
    assert varied[0] == same[0]
    assert _case_domains(varied, pool) == [{"dom0", "dom5"}, {"dom1", "dom5"}, {"dom2", "dom5"}]
    assert draw_forms(_varied_exam(pool, vary_cases=True), pool) == varied  # reproducible
    for f in varied:  # parallel: 2 cases, 2 points in every domain, the must-pass case on each
        assert sum(by_id[i].question.type == "case" for i in f.items) == 2 and "d5-case" in f.items
        assert all(sum(by_id[i].domain == f"dom{d}" for i in f.items) == 2 for d in range(6))


def test_vary_cases_keeps_form_a_profile_when_moving_a_case_would_change_a_domain_points():
    pool = _pool_with_a_case_per_domain(6, weight=2.0)  # a case is worth two items: moving it is not parallel
    forms = draw_forms(_varied_exam(pool, vary_cases=True), pool)
    assert _case_domains(forms, pool) == [{"dom0", "dom5"}] * 3


def test_the_shipped_exam_rotates_its_cases_across_forms():
    tree = load_course(ROOT)
    pool = {p.id: p for p in exam_pool(tree)}
    cases = [{i for i in f.items if pool[i].question.type == "case"} for f in forms_for(tree)]
    assert len(cases) >= 3 and all(len(c) == tree.exam.model.vignettes for c in cases)
    must = set(tree.exam.model.must_pass)
    free = [c - must for c in cases]
    assert all(not (free[0] & later) for later in free[1:])  # no later form repeats form A's free cases
    assert len(set().union(*free)) >= 2 * len(free[0])      # and the later forms differ among themselves


def test_apart_keeps_enemy_items_off_one_form_and_changes_nothing_else():
    pool = _pool_with_a_case_per_domain(6)
    exam = _varied_exam(pool, vary_cases=True, forms=6)
    forms = draw_forms(exam, pool)
    together = [(a, b) for f in forms for a in f.items for b in f.items if a < b and a[:2] == b[:2]]
    a, b = together[0]  # two items that the draw puts on one form
    kept = draw_forms(exam.model_copy(update={"apart": [[a, b]]}), pool)
    assert all(not {a, b} <= set(f.items) for f in kept)
    by_id = {p.id: p for p in pool}
    for f in kept:  # still parallel
        assert sum(by_id[i].question.type == "case" for i in f.items) == 2
        assert all(sum(by_id[i].domain == f"dom{d}" for i in f.items) == 2 for d in range(6))
    # a group whose items never meet anyway leaves every form as it was
    never = [(x, y) for x in by_id for y in by_id if x < y and not any({x, y} <= set(f.items) for f in forms)]
    assert draw_forms(exam.model_copy(update={"apart": [list(never[0])]}), pool) == forms


def test_check_locates_apart_groups_it_cannot_keep(good):
    exam = good / "quizzes" / "exam.yaml"
    exam.write_text(EXAM + "apart:\n  - [g01, g0l]\n  - [x02, x02b]\n")
    problems = [str(p) for p in check_course(load_course(good))]
    assert any(p.startswith("quizzes/exam.yaml:14:11: apart[0][1]: 'g0l' is not in the exam pool (") for p in problems)
    assert any(p.startswith("quizzes/exam.yaml:15:11: apart[1][1]: 'x02b' is not in the exam pool (did you mean 'x02'?")
               for p in problems), problems
    exam.write_text(EXAM.replace("must_pass: [x02]", "must_pass: [x02, g01]") + "apart:\n  - [g01, x02]\n")
    problems = [str(p) for p in check_course(load_course(good))]
    assert "quizzes/exam.yaml:14:5: apart[0]: must-pass items g01, x02 go on every form, so they cannot be kept apart" \
        in problems, problems
    # safety draws 2: the must-pass x02 and one of g07, g08, which the group keeps off every form
    exam.write_text(EXAM + "apart:\n  - [x02, g07, g08]\n")
    problems = [str(p) for p in check_course(load_course(good))]
    assert any(p.startswith("quizzes/exam.yaml:14:3: apart: form A cannot draw 1 item(s) of domain 'safety'")
               for p in problems), problems
