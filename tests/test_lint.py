"""Item-writing rules: each breach is found and located (the run on the shipped course is in test_lint_exam)."""
from __future__ import annotations

from mesotrain.lint import lint_course
from mesotrain.checks import load_checked


def lint(root):
    """The rules for every bank; the exam's own rules are tested in test_lint_exam."""
    tree, _ = load_checked(root)
    return [str(p) for p in lint_course(tree) if not p.file.startswith("quizzes/exam")]


def test_each_rule_is_enforced_and_located(fixture_copy):
    root = fixture_copy("mini")
    bank = root / "quizzes" / "01-basics.yaml"
    text = bank.read_text()
    text = text.replace("Which depths are given by some source?", "Which depth is NOT given by any source?")
    text = text.replace("{text: 20 mm, feedback: No source.}", "{text: None of the above, feedback: No source.}")
    text = text.replace("{text: 1–4 mm, correct: true, feedback: \"Yes, that is the range it gives.\"}",
                        "{text: \"1–4 mm, as the first source states in its section on depth\", correct: true, "
                        "feedback: \"Yes, that is the range it gives.\"}")
    text = text.replace("{text: 4–10 mm, feedback: \"That is deeper than [@s1] says.\"}", "{text: 4–10 mm}")
    bank.write_text(text)
    assert lint(root) == [
        "content/02-safety.yaml:6:10: objectives[0].id: objective 's-o1' is assessed by 2 item(s); "
        "at least 3 are needed",
        "quizzes/01-basics.yaml:9:9: questions[0].options[0]: the key is much longer than every distractor "
        "(a length cue): balance the options",
        "quizzes/01-basics.yaml:10:9: questions[0].options[1]: option has no feedback",
        "quizzes/01-basics.yaml:17:11: questions[1].stem: negative stem ('NOT'): ask for the best answer instead",
        "quizzes/01-basics.yaml:21:16: questions[1].options[2].text: 'None of the above' is banned: "
        "write a distractor of its own",
        "quizzes/01-basics.yaml:59:27: questions[5].pairs[0].premise: a second question naming a source (after 'b-q04'): "
        "a lesson's practice keeps at most one",
        "quizzes/01-basics.yaml:94:15: questions[8].parts[0].stem: a second question naming a source (after 'b-q04'): "
        "a lesson's practice keeps at most one",
        "quizzes/01-basics.yaml:96:13: questions[8].parts[0].options[0]: option has no feedback",
        "quizzes/01-basics.yaml:97:13: questions[8].parts[0].options[1]: option has no feedback",
    ]


def test_key_position_imbalance_is_found(fixture_copy):
    root = fixture_copy("mini")
    single = """
  - id: extra-{n}
    type: single
    objective: b-o1
    stem: Extra question {n}?
    options:
      - {{text: Key {n}, correct: true, feedback: Right.}}
      - {{text: Other {n}, feedback: Wrong.}}
    rationale: Because.
    sources: [s1]
"""
    bank = root / "quizzes" / "01-basics.yaml"
    bank.write_text(bank.read_text() + "".join(single.format(n=n) for n in range(8)))
    assert "quizzes/01-basics.yaml:4:3: questions: the key is option a in 9 of 9 single-answer questions: " \
           "spread the key positions" in lint(root)
