"""`mesotrain results export --format xapi`: graded attempts as statements that Learning Locker's
validator passes and a real LRS (Ralph) stores, with the scores the store holds."""
from __future__ import annotations

import json

import pytest

from mesotrain import types, xapi
from mesotrain.results.store import open_store
from tests.lrs.ralph import SITE
from tests.lrs.validation import problems

BASE = "https://training.example.org/mini/"


@pytest.fixture
def exported(cli, results_dir, tmp_path):
    assert cli("import", results_dir).exit_code == 0
    assert cli("grade").exit_code == 0
    got = cli("export", "--format", "xapi", "--activities", BASE, "--out", tmp_path / "statements.json")
    assert got.exit_code == 0, got.output
    return json.loads((tmp_path / "statements.json").read_text(encoding="utf-8")), got.output


def test_every_exported_statement_is_valid_xapi(exported):
    statements, said = exported
    assert problems(statements) == []
    assert f"exported {len(statements)} statements" in said


def test_each_attempt_gives_its_answers_then_completed_and_passed_or_failed(exported, exam, tmp_path):
    statements, _ = exported
    st = open_store(tmp_path / "store.sqlite")
    grades = {a: (e, p, bool(ok), email) for a, e, p, ok, email in st.db.execute(
        "SELECT g.attempt_id, g.earned, g.possible, g.passed, a.candidate_email FROM grades g JOIN attempts a USING (attempt_id)")}
    assert len(grades) == 3
    for aid, (earned, possible, passed, email) in grades.items():
        mine = [s for s in statements if s["context"]["extensions"][xapi.ATTEMPT] == aid]
        form = st.db.execute("SELECT form FROM attempts WHERE attempt_id = ?", (aid,)).fetchone()[0]
        parts = sum(len(types.interactions(exam.pool[i].question)) for i in exam.form(form).items)
        names = {v: k for k, v in xapi.VERBS.items()}
        assert [names[s["verb"]["id"]] for s in mine] == ["answered"] * parts + ["completed", "passed" if passed else "failed"]
        assert {s["actor"]["mbox"] for s in mine} == {"mailto:" + email}
        assert {s["context"]["registration"] for s in mine} == {xapi.registration(aid)}
        final = mine[-1]["result"]
        assert final["success"] is passed and final["score"]["raw"] == pytest.approx(earned)
        assert final["score"]["max"] == pytest.approx(possible) and final["score"]["min"] == 0
        assert final["score"]["scaled"] == pytest.approx(earned / possible, abs=1e-4)
        assert mine[-1]["object"]["id"] == BASE + "exam/" + exam.exam.id
        answered = [s for s in mine if names[s["verb"]["id"]] == "answered"]
        assert sum(s["result"]["score"]["raw"] for s in answered if "." not in s["object"]["id"].rsplit("/", 1)[1]) \
            <= earned + 1e-9
        for s in answered:
            assert s["object"]["id"].startswith(BASE + "exam/" + exam.exam.id + "/")
            assert s["object"]["definition"]["correctResponsesPattern"]  # the certifier's own LRS gets the key


def test_exporting_again_gives_the_same_statement_ids_and_ralph_stores_them_once(exported, cli, tmp_path, lrs):
    statements, _ = exported
    assert cli("export", "--format", "xapi", "--activities", BASE, "--out", tmp_path / "again.json").exit_code == 0
    again = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in again] == [s["id"] for s in statements]
    status, ids = lrs.post(statements, user=SITE)
    assert status == 200 and len(ids) == len(statements), ids
    lrs.post(again, user=SITE)  # the same ids and content: nothing new
    assert sorted(s["id"] for s in lrs.statements()) == sorted(s["id"] for s in statements)


@pytest.mark.parametrize("args, says", [
    (["--format", "xapi"], "--format xapi needs --activities IRI"),
    (["--format", "xapi", "--activities", "nope"], "--activities: 'nope' is not an absolute address"),
    (["--format", "xapi", "--activities", BASE, "--items"], "--items and --bom are for the table formats"),
    (["--activities", BASE], "--activities goes with --format xapi"),
])
def test_export_options_that_do_not_go_together_are_usage_errors(cli, args, says):
    got = cli("export", *args)
    assert got.exit_code == 2 and says in got.output, got.output
