"""`mesotrain results import --lrs URL`: sealed attempts submitted to a real LRS (Ralph on
127.0.0.1) are fetched page by page and checked exactly as result files are."""
from __future__ import annotations

import http.server
import json
import threading

import pytest

from mesotrain.exam.resultfile import seal_document
from mesotrain.results import lrs as lrs_mod
from mesotrain.results.sample import make_result
from mesotrain.results.store import open_store
from tests.lrs.ralph import CERTIFIER, SITE
from tests.lrs.statements import submission

from .conftest import all_right, resealed, write

AUTH = ":".join(CERTIFIER)


def scores(path) -> dict:
    st = open_store(path)
    return {aid: (earned, possible, passed) for aid, earned, possible, passed in
            st.db.execute("SELECT attempt_id, earned, possible, passed FROM grades")}


def test_attempts_submitted_through_the_lrs_import_and_grade_as_their_files(cli, exam, results_dir, lrs, tmp_path,
                                                                            monkeypatch):
    docs = [(results_dir / n).read_text(encoding="utf-8") for n in ("ada.json", "bob.json", "cy.json")]
    for text in docs:
        assert lrs.post(submission(text))[0] == 200
    monkeypatch.setattr(lrs_mod, "PAGE", 2)  # three statements: two pages, through `more`
    got = cli("import", "--lrs", lrs.base, "--auth", AUTH)
    assert got.exit_code == 0, got.output
    assert "3 submission statement(s), 3 carrying a result file" in got.output
    assert "imported 3, already in the store 0, rejected 0" in got.output
    assert cli("grade").exit_code == 0
    by_lrs = scores(tmp_path / "store.sqlite")

    files_store = tmp_path / "files.sqlite"
    monkeypatch.setenv("MESOTRAIN_RESULTS", str(files_store))
    assert cli("import", results_dir).exit_code == 0 and cli("grade").exit_code == 0
    assert by_lrs == scores(files_store) and len(by_lrs) == 3
    assert {p for _, _, p in by_lrs.values()} == {0, 1}  # a pass and a fail: the scores say something

    st = open_store(tmp_path / "store.sqlite")
    kept = dict(st.db.execute("SELECT attempt_id, document FROM attempts"))
    assert kept["aaaaaaaa-0001"] == docs[0].encode("utf-8")  # the result file exactly as submitted
    source = st.db.execute("SELECT source FROM attempts WHERE attempt_id = 'aaaaaaaa-0001'").fetchone()[0]
    assert source.startswith(lrs.base + " statement ") and "(stored 20" in source


def test_a_second_import_from_the_lrs_stores_nothing_twice(cli, results_dir, lrs):
    lrs.post(submission((results_dir / "ada.json").read_text()))
    lrs.post(submission((results_dir / "ada.json").read_text()))  # submitted twice (two statement ids)
    first = cli("import", "--lrs", lrs.base, "--auth", AUTH)
    assert "imported 1, already in the store 1, rejected 0" in first.output, first.output
    again = cli("import", "--lrs", lrs.base, "--auth", AUTH)
    assert "imported 0, already in the store 2, rejected 0" in again.output, again.output


def test_hostile_submissions_are_rejected_as_hostile_files_are(cli, exam, lrs):
    good = make_result(exam, "A", all_right(exam, "A"), attempt_id="good0001-lrs")
    tampered = {**good, "attempt_id": "tampered-0001"}  # edited, checksum left as it was
    forged_doc = make_result(exam, "B", all_right(exam, "B"), attempt_id="forged-0001")
    for answer in forged_doc["responses"]:
        if answer["item"] == "x01":
            from mesotrain.scoring import key_response

            answer["response"] = key_response(exam.pool["x01"].question)  # real ids, not the page's tokens
    forged_doc = seal_document(forged_doc)
    foreign = resealed(good, attempt_id="foreign-0001", course={**good["course"], "id": "another-course"})
    hostile_name = resealed(good, attempt_id="hostile-0001",
                            candidate={**good["candidate"], "name": "Eve\u202e\x1b[31m evil"})
    posts = [submission(good), submission(tampered), submission(forged_doc), submission(foreign),
             submission(hostile_name), submission(good, extension={"not": "text"}),
             submission(good, text="{ not json"),
             {**submission(good), "result": {"completion": True}}]  # a submission by another tool
    for s in posts:
        status, body = lrs.post(s)
        assert status == 200, body
    got = cli("import", "--lrs", lrs.base, "--auth", AUTH)
    assert got.exit_code == 1
    reasons = sorted(line.split(": rejected (")[1].split(")")[0] for line in got.output.splitlines()
                     if ": rejected (" in line)
    assert reasons == ["foreign-course", "forged", "malformed", "malformed", "tampered"], got.output
    assert "8 submission statement(s), 6 carrying a result file" in got.output
    assert "imported 2, already in the store 0, rejected 5" in got.output
    assert "\x1b" not in got.output


def test_a_hostile_name_is_stored_in_its_printable_form(cli, exam, lrs, tmp_path):
    good = make_result(exam, "A", all_right(exam, "A"), attempt_id="hostile-0002",
                       name="Eve\u202e\x1b[31m  evil")
    lrs.post(submission(good))
    assert cli("import", "--lrs", lrs.base, "--auth", AUTH).exit_code == 0
    name = open_store(tmp_path / "store.sqlite").db.execute("SELECT candidate_name FROM attempts").fetchone()[0]
    assert name == "Eve [31m evil"  # as a result file's: no escape, no bidi override, spaces collapsed


def test_an_oversized_submission_is_refused_by_the_size_limit(cli, exam, lrs):
    lrs.post(submission(make_result(exam, "A", all_right(exam, "A"), attempt_id="big-00001")))
    got = cli("import", "--lrs", lrs.base, "--auth", AUTH, "--max-size", 500)
    assert got.exit_code == 1 and "rejected (oversized)" in got.output, got.output


@pytest.mark.parametrize("auth, says", [
    ("certifier:wrong", "HTTP 401: “Invalid authentication credentials” (check --auth USER:PASSWORD"),
    (":".join(SITE), "HTTP 401: “Access not authorized to scope"),  # the site's write-only key
])
def test_credentials_that_cannot_read_are_a_clear_error(cli, lrs, auth, says):
    got = cli("import", "--lrs", lrs.base, "--auth", auth)
    assert got.exit_code == 1 and says in got.output, got.output
    assert "Traceback" not in got.output


def test_an_lrs_that_is_not_there_is_a_clear_error(cli):
    from tests.e2e.conftest import free_port

    got = cli("import", "--lrs", f"http://127.0.0.1:{free_port()}/xAPI/", "--auth", AUTH)
    assert got.exit_code == 1 and "cannot reach the LRS" in got.output, got.output


@pytest.mark.parametrize("url, says", [
    ("ftp://127.0.0.1/x", "needs https:// and a host"),
    ("http://lrs.example.org/xapi/", "clear text"),
    ("https://user:pw@lrs.example.org/xapi/", "holds credentials"),
    ("not a url", "not a web address"),
])
def test_a_bad_lrs_address_is_a_usage_error(cli, url, says):
    got = cli("import", "--lrs", url, "--auth", AUTH)
    assert got.exit_code == 2 and says in got.output, got.output


def test_import_needs_files_or_an_lrs(cli):
    got = cli("import")
    assert got.exit_code == 2 and "--lrs" in got.output


def test_auth_without_a_colon_is_a_usage_error(cli, lrs):
    got = cli("import", "--lrs", lrs.base, "--auth", "justakey")
    assert got.exit_code == 2 and "USER:PASSWORD" in got.output


class _Pages(http.server.BaseHTTPRequestHandler):
    """A hostile "LRS": its `more` link points at another site, or at itself forever."""

    more = ""

    def do_GET(self):  # noqa: N802
        body = json.dumps({"statements": [], "more": self.more}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("more, says", [
    ("http://127.0.0.2:9/xAPI/statements?page=2", "leads to another site"),
    ("/xAPI/statements?verb=same", "go round in circles"),
])
def test_a_more_link_that_leaves_the_lrs_or_loops_is_refused(cli, more, says, monkeypatch):
    handler = type("H", (_Pages,), {"more": more})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        got = cli("import", "--lrs", f"http://127.0.0.1:{server.server_address[1]}/xAPI/", "--auth", AUTH)
    finally:
        server.shutdown()
        server.server_close()
    assert got.exit_code == 1 and says in got.output, got.output


def test_audit_flags_an_attempt_that_says_it_was_submitted_after_the_lrs_stored_it(cli, exam, lrs):
    from datetime import datetime, timedelta, timezone

    later = datetime.now(timezone.utc) + timedelta(minutes=3)  # within "the future" slack, not the LRS's clock
    honest = make_result(exam, "A", all_right(exam, "A"), attempt_id="honest-0001")
    edited = make_result(exam, "A", all_right(exam, "A"), attempt_id="edited-0001",
                         started=later - timedelta(minutes=5))
    for doc in (honest, edited):
        lrs.post(submission(doc))
    assert cli("import", "--lrs", lrs.base, "--auth", AUTH).exit_code == 0
    audit = cli("audit").output
    assert "edited-0" in audit and "after the LRS stored it" in audit, audit
    assert "honest-0" not in audit.split("\n\n")[0]
