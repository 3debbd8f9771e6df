"""Import: every rejection reason, idempotency, and an interrupted import that changes nothing."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from mesotrain.results.importer import REASONS, Expected, Rejected, check_document, expand, import_files
from mesotrain.results.sample import make_result
from mesotrain.results.store import open_store

from .conftest import all_right, resealed, write


def _bytes(doc) -> bytes:
    return json.dumps(doc).encode()


def _reason(exam, data: bytes) -> str:
    with pytest.raises(Rejected) as info:
        check_document(data, Expected.of(exam))
    return f"{info.value.reason}: {info.value.message}"


@pytest.fixture
def good(exam):
    return make_result(exam, "A", all_right(exam, "A"), attempt_id="aaaaaaaa-0001")


def test_a_good_file_passes_every_check(exam, good):
    doc, result = check_document(_bytes(good), Expected.of(exam))
    assert result.attempt_id == "aaaaaaaa-0001" and doc["exam"]["form"] == "A"


def test_not_json_is_malformed(exam):
    assert _reason(exam, b"hello") == "malformed: not valid JSON at line 1 column 1: Expecting value"


def test_a_cut_off_file_is_truncated(exam, good):
    data = _bytes(good)
    assert _reason(exam, data[: len(data) // 2]).startswith("truncated: the JSON ends early at line 1")


def test_an_empty_file_is_truncated(exam):
    assert _reason(exam, b"  \n") == "truncated: the file is empty"


@pytest.mark.parametrize("data, message", [
    (b"[1, 2]", 'malformed: not a mesotrain result file (no "format": "mesotrain-result")'),
    (b'{"format": "mesotrain-result", "format": "x"}', 'malformed: not a mesotrain result file (no "format": "mesotrain-result")'),
    (b"\xff\xfe{}", "malformed: not UTF-8 text (byte 0)"),
    (b'{"format": "mesotrain-result", "format_version": 1, "x": NaN}', "malformed: NaN is not a JSON number"),
])
def test_malformed_files_say_what_is_wrong(exam, data, message):
    assert _reason(exam, data) == message


def test_a_missing_field_is_malformed_and_named(exam, good):
    doc = dict(good)
    del doc["candidate"]
    assert _reason(exam, _bytes(resealed(doc))) == "malformed: candidate: Field required"


def test_a_wrong_type_is_malformed_and_named(exam, good):
    doc = resealed(good, responses=[{**good["responses"][0], "time_ms": "12"}])
    assert _reason(exam, _bytes(doc)) == "malformed: responses.0.time_ms: Input should be a valid integer"


@pytest.mark.parametrize("version, message", [
    (2, "unknown-version: format version 2 is newer than this mesotrain reads (1); upgrade mesotrain"),
    ("1", "unknown-version: unknown format version '1' (this mesotrain reads 1)"),
])
def test_unknown_versions_are_refused(exam, good, version, message):
    assert _reason(exam, _bytes(resealed(good, format_version=version))) == message


def test_an_edited_file_is_tampered(exam, good):
    doc = json.loads(json.dumps(good))
    doc["candidate"]["name"] = "Mallory"
    assert _reason(exam, _bytes(doc)) == ("tampered: the checksum does not match the content: "
                                          "the file was changed after the exam page wrote it")


def test_a_file_without_checksum_is_tampered(exam, good):
    doc = {k: v for k, v in good.items() if k != "checksum"}
    assert _reason(exam, _bytes(doc)) == "tampered: the file has no checksum"


def test_another_course_is_foreign(exam, good):
    doc = resealed(good, course={**good["course"], "id": "other-course"})
    assert _reason(exam, _bytes(doc)) == "foreign-course: belongs to course 'other-course', not 'mini'"


def test_another_exam_is_foreign(exam, good):
    doc = resealed(good, exam={**good["exam"], "id": "other-exam"})
    assert _reason(exam, _bytes(doc)) == "foreign-course: is for exam 'other-exam', not 'mini-exam'"


def test_another_version_of_the_exam_is_refused(exam, good):
    doc = resealed(good, course={**good["course"], "content_hash": "sha256:" + "0" * 64})
    assert _reason(exam, _bytes(doc)).startswith("exam-changed: was sat on another version of exam 'mini-exam'")


def test_swapped_items_do_not_match_the_form_drawn_from_the_seed(exam, good):
    items = list(good["exam"]["items"])
    items[0] = "x01"
    doc = resealed(good, exam={**good["exam"], "items": items})
    assert _reason(exam, _bytes(doc)) == "form-mismatch: the items differ from form A as drawn from seed 246"


def test_another_seed_or_an_unknown_form_is_a_form_mismatch(exam, good):
    assert _reason(exam, _bytes(resealed(good, exam={**good["exam"], "seed": 1}))) == \
        "form-mismatch: forms drawn with seed 1; the exam's seed is 246"
    assert _reason(exam, _bytes(resealed(good, exam={**good["exam"], "form": "Z"}))) == \
        "form-mismatch: form 'Z' does not exist (forms: A, B)"


def test_a_response_to_an_item_not_on_the_form_is_refused(exam, good):
    responses = good["responses"] + [{"item": "x01", "response": None, "time_ms": 0, "flagged": False}]
    assert _reason(exam, _bytes(resealed(good, responses=responses))) == \
        "form-mismatch: a response to item 'x01', which is not on form A"


def test_every_reason_has_a_test():
    tested = {"unreadable", "oversized", "truncated", "malformed", "unknown-version", "tampered",
              "foreign-course", "exam-changed", "form-mismatch", "forged", "conflict"}
    assert set(REASONS) == tested


def test_cli_names_each_rejected_file_and_imports_the_rest(cli, exam, results_dir, tmp_path):
    write(results_dir / "big.json", {"padding": "x" * 2000})
    (results_dir / "cut.json").write_text((results_dir / "ada.json").read_text()[:100])
    ada = json.loads((results_dir / "ada.json").read_text())
    write(results_dir / "conflict.json", resealed(ada, user_agent="another browser"))
    result = cli("import", results_dir, tmp_path / "nowhere.json", "--max-size", 1500)
    assert result.exit_code == 1
    lines = [l for l in result.output.splitlines() if "rejected" in l and ": rejected (" in l]
    assert sorted(l.split(": rejected ")[1].split(")")[0] + ")" for l in lines) == [
        "(conflict)", "(oversized)", "(truncated)", "(unreadable)"]
    assert f"{results_dir / 'big.json'}: rejected (oversized): 2,015 bytes; a result file is at most 1,500" in result.output
    assert f"{tmp_path / 'nowhere.json'}: rejected (unreadable): no such file or folder" in result.output
    assert "imported 3, already in the store 0, rejected 4" in result.output


def test_import_is_idempotent(cli, results_dir, tmp_path):
    assert cli("import", results_dir).exit_code == 0
    again = cli("import", results_dir / "ada.json", str(results_dir / "*.json"))
    assert again.exit_code == 0, again.output
    assert "imported 0, already in the store 3, rejected 0" in again.output
    st = open_store(tmp_path / "store.sqlite")
    assert st.count("attempts") == 3


def test_glob_and_folder_paths_expand_to_files_once(results_dir):
    files, missing = expand([str(results_dir), str(results_dir / "a*.json")])
    assert [f.name for f in files] == ["ada.json", "bob.json", "cy.json"] and not missing


def test_the_store_keeps_the_file_exactly_as_received(cli, results_dir, tmp_path):
    cli("import", results_dir)
    st = open_store(tmp_path / "store.sqlite")
    blob = st.db.execute("SELECT document FROM attempts WHERE attempt_id = 'aaaaaaaa-0001'").fetchone()[0]
    assert blob == (results_dir / "ada.json").read_bytes()


def test_an_import_interrupted_mid_transaction_leaves_the_store_as_it_was(results_dir, tmp_path, exam):
    """A hard crash (os._exit, no cleanup code runs) after two files were written in the transaction."""
    store = tmp_path / "crash.sqlite"
    st = open_store(store)
    import_files(st, [results_dir / "ada.json"], Expected.of(exam))
    st.close()
    write(results_dir / "dan.json", make_result(exam, "B", {}, name="Dan", candidate_id="C-004",
                                                email="dan@example.org", attempt_id="dddddddd-0004"))
    script = textwrap.dedent(f"""
        import os, sqlite3
        from mesotrain.exam import sealed_exam
        from mesotrain.checks import load_checked
        from mesotrain.results import importer
        from mesotrain.results.store import open_store
        tree, _ = load_checked({str(exam.tree.root)!r})
        st = open_store({str(store)!r})
        real, calls = importer._row, []
        def crash_after_two(*args):
            calls.append(1)
            if len(calls) > 2:
                os._exit(9)
            return real(*args)
        importer._row = crash_after_two
        files, _ = importer.expand([{str(results_dir)!r}])
        importer.import_files(st, files, importer.Expected.of(sealed_exam(tree)))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 9, proc.stderr
    st = open_store(store)
    assert [r[0] for r in st.db.execute("SELECT attempt_id FROM attempts")] == ["aaaaaaaa-0001"]
    assert st.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_an_exception_mid_import_rolls_back(results_dir, tmp_path, exam, monkeypatch):
    from mesotrain.results import importer

    st = open_store(tmp_path / "s.sqlite")
    real, calls = importer._row, []

    def fail_on_third(*args):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args)
    monkeypatch.setattr(importer, "_row", fail_on_third)
    files, _ = expand([str(results_dir)])
    with pytest.raises(KeyboardInterrupt):
        import_files(st, files, Expected.of(exam))
    assert st.count("attempts") == 0


def test_a_file_that_is_not_a_store_is_refused(cli, tmp_path, results_dir):
    bad = tmp_path / "notes.sqlite"
    bad.write_text("not a database")
    result = cli("--store", bad, "import", results_dir)
    assert result.exit_code == 2
    assert "is not a results store" in result.output


def test_the_published_schema_is_generated_from_the_model_and_accepts_a_page_result(exam, good):
    import jsonschema

    from mesotrain.exam.resultfile import SCHEMA_FILE, schema_text

    assert SCHEMA_FILE.read_text() == schema_text(), "run: python -c 'from mesotrain.exam.resultfile import *; " \
                                                     "SCHEMA_FILE.write_text(schema_text())'"
    schema = json.loads(schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(good, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**good, "format_version": 2}, schema)


def test_importing_with_worker_processes_gives_the_same_outcome(results_dir, tmp_path, exam):
    write(results_dir / "bad.json", {"format": "mesotrain-result", "format_version": 7})
    files, _ = expand([str(results_dir)])
    outcomes = []
    for jobs in (1, 2):
        st = open_store(tmp_path / f"s{jobs}.sqlite")
        summary = import_files(st, files, Expected.of(exam), jobs=jobs)
        rows = st.db.execute("SELECT attempt_id, checksum, document FROM attempts ORDER BY id").fetchall()
        outcomes.append((summary.imported, [str(r) for r in summary.rejected], rows))
    assert outcomes[0] == outcomes[1] and outcomes[0][0] == 3


def test_a_file_reached_by_a_link_or_another_spelling_is_listed_once(results_dir, tmp_path, monkeypatch):
    (tmp_path / "links").mkdir()
    (tmp_path / "links" / "again.json").symlink_to(results_dir / "ada.json")
    (tmp_path / "links" / "inbox").symlink_to(results_dir, target_is_directory=True)  # not entered, as rglob
    monkeypatch.chdir(tmp_path)
    files, missing = expand([str(results_dir), "inbox/../inbox/bob.json", "links", "links/inbox/cy.json"])
    assert [f.name for f in files] == ["ada.json", "bob.json", "cy.json"] and not missing


import pytest  # noqa: E402

from mesotrain.exam.resultfile import seal_document  # noqa: E402
from mesotrain.results.sample import make_result  # noqa: E402

from .conftest import all_right, write  # noqa: E402


def _forged(exam, form, item, response):
    doc = make_result(exam, form, all_right(exam, form), attempt_id=f"forged-{item}")
    for answer in doc["responses"]:
        if answer["item"] == item:
            answer["response"] = response  # real ids: what the page would have written as tokens
    return seal_document(doc)


# one item per type whose sealed page names its choices: the key in real ids bypasses sealing
@pytest.mark.parametrize("form, item", [("B", "x01"), ("B", "x04"), ("A", "x05"), ("A", "x06"),
                                        ("A", "x07"), ("B", "x09")])
def test_a_sealed_response_in_real_ids_is_rejected_as_forged(cli, exam, tmp_path, form, item):
    from mesotrain.scoring import key_response

    q = exam.pool[item].question
    write(tmp_path / "f.json", _forged(exam, form, item, key_response(q)))
    result = cli("import", tmp_path / "f.json")
    assert result.exit_code != 0 or "rejected" in result.output
    assert "forged" in result.output and f"item '{item}'" in result.output, result.output
