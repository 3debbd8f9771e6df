"""Grading with the withheld key, and regrading with an audit trail."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from mesotrain.results.sample import make_result
from mesotrain.results.store import open_store

from .conftest import all_right, write


def _store(tmp_path):
    return open_store(tmp_path / "store.sqlite")


def test_grade_scores_with_the_key_in_quizzes_and_records_domains_and_must_pass(cli, results_dir, tmp_path):
    assert cli("import", results_dir).exit_code == 0
    result = cli("grade")
    assert result.exit_code == 0, result.output
    assert "graded 3: 2 passed, 1 failed" in result.output
    st = _store(tmp_path)
    rows = {r[0]: r[1:] for r in st.db.execute(
        "SELECT attempt_id, earned, possible, passed, must_pass_failed, by_domain FROM grades")}
    assert rows["aaaaaaaa-0001"] == (5.0, 5.0, 1, "[]", '{"basics": [4.0, 4.0], "safety": [1.0, 1.0]}')
    assert rows["cccccccc-0003"][2:4] == (0, '["x02"]')
    answers = dict(st.db.execute("SELECT item_id, answer FROM item_scores JOIN attempts ON id = attempt WHERE attempt_id = 'aaaaaaaa-0001'"))
    assert json.loads(answers["x05"]) == ["step1", "step2", "step3"]  # tokens turned back into ids


def test_grading_twice_grades_only_new_attempts(cli, results_dir):
    cli("import", results_dir)
    cli("grade")
    again = cli("grade")
    assert "graded 0" in again.output


def test_a_must_pass_item_missed_fails_a_high_score(cli, exam, tmp_path):
    answers = all_right(exam, "A")
    answers["x02"] = True  # the must-pass true/false item, wrong
    write(tmp_path / "r.json", make_result(exam, "A", answers, attempt_id="eeeeeeee-0005"))
    cli("import", tmp_path / "r.json")
    cli("grade")
    row = _store(tmp_path).db.execute("SELECT fraction, passed, must_pass_failed FROM grades").fetchone()
    assert row == (0.8, 0, '["x02"]')


def test_attempts_beyond_the_limit_are_marked(cli, exam, tmp_path):
    for n in range(2):
        write(tmp_path / f"r{n}.json", make_result(
            exam, "A", all_right(exam, "A"), attempt_id=f"ffffffff-000{n}",
            started=datetime(2025, 1, 6 + n, 9, tzinfo=timezone.utc)))
    cli("import", tmp_path / "r0.json", tmp_path / "r1.json")
    cli("grade")
    rows = dict(_store(tmp_path).db.execute("SELECT attempt_id, over_limit FROM grades"))
    assert rows == {"ffffffff-0000": 0, "ffffffff-0001": 1}
    assert "over limit" in cli("list").output


def test_regrade_after_a_key_correction_keeps_an_audit_trail(cli, exam, fixture_copy, tmp_path):
    root = fixture_copy("mini")
    answers = all_right(exam, "A")
    answers["x07"] = {"c1": "apex", "c2": "occipital"}  # 'apex' becomes accepted after the correction
    write(tmp_path / "r.json", make_result(exam, "A", answers, attempt_id="gggggggg-0007", name="Gus"))
    cli("import", tmp_path / "r.json", root=root)
    cli("grade", root=root)
    pool = root / "quizzes" / "exam-pool" / "pool.yaml"
    pool.write_text(pool.read_text().replace("accept: [vertex, SECRETVARIANTapex]", "accept: [vertex, apex]"))
    note = cli("grade", root=root)
    assert "1 attempt(s) were graded with another key" in note.output

    dry = cli("regrade", "--reason", "apex accepted (errata 3)", "--dry-run", root=root)
    assert "gggggggg Gus: 4.5/5 → 5/5 (x07 0.5→1)" in dry.output and "would change 1" in dry.output
    assert _store(tmp_path).db.execute("SELECT earned FROM grades").fetchone()[0] == 4.5

    result = cli("regrade", "--reason", "apex accepted (errata 3)", root=root)
    assert result.exit_code == 0, result.output
    assert "regraded 1: changed 1, unchanged 0" in result.output
    st = _store(tmp_path)
    assert st.db.execute("SELECT earned FROM grades").fetchone()[0] == 5.0
    action, reason, detail = st.db.execute(
        "SELECT action, reason, detail FROM audit WHERE attempt_id = 'gggggggg-0007'").fetchone()
    detail = json.loads(detail)
    assert (action, reason) == ("regrade", "apex accepted (errata 3)")
    assert detail["items"] == {"x07": [0.5, 1.0]}
    assert detail["old"]["earned"] == 4.5 and detail["new"]["earned"] == 5.0
    assert detail["key_hash"][0] != detail["key_hash"][1]
    audit = cli("audit", "gggg", root=root).output
    assert "regrade gggggggg — apex accepted (errata 3)" in audit


def test_regrade_that_fails_a_certified_attempt_revokes_its_certificate(cli, exam, fixture_copy, tmp_path):
    root = fixture_copy("mini")
    write(tmp_path / "r.json", make_result(exam, "A", all_right(exam, "A"), attempt_id="hhhhhhhh-0008"))
    cli("import", tmp_path / "r.json", root=root)
    cli("grade", root=root)
    assert cli("certificates", "-o", tmp_path / "certs", "--no-pdf", root=root).exit_code == 0
    exam_file = root / "quizzes" / "exam.yaml"
    exam_file.write_text(exam_file.read_text().replace("pass_mark: 0.6", "pass_mark: 1.0")
                         .replace("must_pass: [x02]", "must_pass: [x02]\nbands: []"))
    pool = root / "quizzes" / "exam-pool" / "pool.yaml"
    pool.write_text(pool.read_text().replace("{id: c1, accept: [vertex, SECRETVARIANTapex]}",
                                             "{id: c1, accept: [crown]}"))
    result = cli("regrade", "--reason", "c1 key was wrong", root=root)
    assert "PASS → FAIL" in result.output and "certificates revoked 1" in result.output
    code = _store(tmp_path).db.execute("SELECT code FROM certificates").fetchone()[0]
    verdict = cli("verify", code, root=root)
    assert verdict.exit_code == 1 and "REVOKED" in verdict.output


def test_an_attempt_sat_on_another_version_is_not_graded_with_these_files(cli, results_dir, fixture_copy):
    root = fixture_copy("mini")
    cli("import", results_dir, root=root)
    pool = root / "quizzes" / "exam-pool" / "pool.yaml"
    pool.write_text(pool.read_text().replace("Order the exam steps.", "Order these steps."))
    result = cli("grade", root=root)
    assert result.output.count("sat on another version of the exam") == 3
    assert "graded 0" in result.output


def test_show_lists_every_item_with_its_credit(cli, results_dir):
    cli("import", results_dir)
    cli("grade")
    out = cli("show", "aaaa").output
    assert "grade      5/5 = 100.0%: PASS" in out
    assert 'x05      1/1  ✓  ["step1", "step2", "step3"]' in out


def test_an_unknown_or_ambiguous_attempt_prefix_is_a_usage_error(cli, results_dir):
    cli("import", results_dir)
    assert cli("show", "zzz").exit_code == 2
    assert "more than one attempt" in cli("show", "").output


def test_grading_in_worker_processes_gives_the_same_grades(results_dir, tmp_path, exam):
    from mesotrain.results.grade import grade
    from mesotrain.results.importer import Expected, expand, import_files

    files, _ = expand([str(results_dir)])
    tables = []
    for jobs in (1, 2):
        st = open_store(tmp_path / f"g{jobs}.sqlite")
        import_files(st, files, Expected.of(exam))
        summary = grade(st, exam, jobs=jobs)
        assert (summary.graded, summary.passed) == (3, 2)
        tables.append([st.db.execute("SELECT earned, possible, passed, must_pass_failed, by_domain FROM grades "
                                     "ORDER BY attempt_id").fetchall(),
                       st.db.execute("SELECT * FROM item_scores ORDER BY attempt, position").fetchall()])
    assert tables[0] == tables[1]


def test_cohort_scoring_equals_scoring_py(exam):
    """Scorer's remembered item results change nothing: every form, right, wrong and odd responses, twice."""
    from mesotrain import scoring
    from mesotrain.results.sample import to_page
    from mesotrain.results.scorer import Scorer

    odd = [None, "", [], {}, 3, 3.0, True, "t0000000000", ["x", "x"], {"a": 1}, [1, [2]], {"b": {"c": None}}]
    scorer = Scorer(exam)
    for form in exam.forms:
        right = {i: to_page(exam.pool[i].question, all_right(exam, form.id)[i]) for i in form.items}
        for variant in [right] + [{i: o for i in form.items} for o in odd]:
            responses = [{"item": i, "response": variant.get(i)} for i in form.items]
            plain = scoring.score_attempt(
                [(exam.pool[i].question, exam.pool[i].domain, exam.unseal(i, variant.get(i))) for i in form.items],
                **scorer.summary_rules, **scorer.item_rules)
            assert scorer.score(form.id, responses)[0] == plain
            assert scorer.score(form.id, responses)[0] == plain  # from memory


def test_regrade_after_a_weight_edit_rescores_with_the_new_weights(cli, exam, fixture_copy, tmp_path):
    # Weights are grading, not the published exam: the content hash leaves them out, so an
    # attempt sat before the edit still imports and grades, and regrade re-scores it.
    root = fixture_copy("mini")
    answers = all_right(exam, "A")
    answers["x07"] = {"c1": "vertex", "c2": "wrong"}  # half of the cloze
    write(tmp_path / "r.json", make_result(exam, "A", answers, attempt_id="iiiiiiii-0009", name="Ida"))
    cli("import", tmp_path / "r.json", root=root)
    cli("grade", root=root)
    pool = root / "quizzes" / "exam-pool" / "pool.yaml"
    text = pool.read_text()
    assert "  - id: x07\n    type: cloze\n" in text
    pool.write_text(text.replace("  - id: x07\n    type: cloze\n", "  - id: x07\n    type: cloze\n    weight: 3\n"))
    assert "skipped" not in cli("grade", root=root).output

    result = cli("regrade", "--reason", "x07 weighs 3 (board decision)", root=root)
    assert result.exit_code == 0, result.output
    assert "regraded 1: changed 1, unchanged 0" in result.output
    st = _store(tmp_path)
    assert st.db.execute("SELECT earned, possible FROM grades").fetchone() == (5.5, 7.0)
    detail = json.loads(st.db.execute("SELECT detail FROM audit WHERE action = 'regrade'").fetchone()[0])
    assert detail["items"] == {"x07": [0.5, 1.5]}
    assert (detail["old"]["earned"], detail["old"]["possible"]) == (4.5, 5.0)
    assert (detail["new"]["earned"], detail["new"]["possible"]) == (5.5, 7.0)
    assert detail["key_hash"][0] != detail["key_hash"][1]

    # a file sat before the edit still imports after it
    write(tmp_path / "late.json", make_result(exam, "A", all_right(exam, "A"), attempt_id="iiiiiiii-0010"))
    assert cli("import", tmp_path / "late.json", root=root).exit_code == 0


def test_a_result_file_with_the_content_hash_of_older_pages_imports(cli, exam, tmp_path):
    from mesotrain.exam.resultfile import seal_document

    doc = make_result(exam, "A", all_right(exam, "A"), attempt_id="jjjjjjjj-0011")
    doc["course"]["content_hash"] = exam.content_hashes[1]  # weights in, as pages built before wrote it
    assert exam.content_hashes[1] != exam.content_hash
    write(tmp_path / "old.json", seal_document({k: v for k, v in doc.items() if k != "checksum"}))
    assert cli("import", tmp_path / "old.json").exit_code == 0
    assert "graded 1" in cli("grade").output
