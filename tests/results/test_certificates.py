"""Certificates: HMAC codes, HTML and PDF, the published list of hashed codes, verification."""
from __future__ import annotations

import json
import os
import re

import pytest

from mesotrain.results import certificates as certs

KEY = bytes(range(32))


def _code(result) -> str:
    return re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", result.stdout).group(0)


def test_codes_are_deterministic_unguessable_and_bound_to_the_attempt():
    code = certs.make_code(KEY, "attempt-1", "mini", "C-001")
    assert code == certs.make_code(KEY, "attempt-1", "mini", "C-001")
    assert len(code) == 19 and code.count("-") == 3
    assert code != certs.make_code(KEY, "attempt-2", "mini", "C-001")
    assert code != certs.make_code(KEY, "attempt-1", "mini", "C-002")
    assert code != certs.make_code(bytes(32), "attempt-1", "mini", "C-001")


def test_codes_are_read_forgivingly():
    code = certs.make_code(KEY, "attempt-1", "mini", "C-001")
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert certs.code_hash(typed) == certs.code_hash(code)
    assert certs.normalise("not a code") == ""


def test_the_key_is_created_private_and_reused(tmp_path):
    path = tmp_path / "conf" / "certificate.key"
    key, created = certs.load_key(path, create=True)
    assert created and len(key) == 32 and certs.key_is_private(path)
    assert certs.load_key(path) == (key, False)
    if os.name == "posix":
        assert oct(path.stat().st_mode & 0o777) == "0o600"


@pytest.fixture
def issued(cli, results_dir, tmp_path):
    cli("import", results_dir)
    cli("grade")
    result = cli("certificates", "-o", tmp_path / "certs", "--publish", "--list-file", tmp_path / "list.json",
                 "--issuer", "Mesotherapy Training Board", "--verify-url", "https://course.example/verify/")
    assert result.exit_code == 0, result.output
    return result


def test_certificates_for_passes_only_in_html_and_pdf(issued, tmp_path):
    names = sorted(p.name for p in (tmp_path / "certs").iterdir())
    assert names == ["C-001-aaaaaaaa.html", "C-001-aaaaaaaa.pdf", "C-002-bbbbbbbb.html", "C-002-bbbbbbbb.pdf"]
    html = (tmp_path / "certs" / "C-001-aaaaaaaa.html").read_text()
    for text in ("Ada Lovelace", "Mini certification exam", "Mini course</em>, version 1.0, on 2025-01-06",
                 "Pass", "Mesotherapy Training Board", "https://course.example/verify/", "@page"):
        assert text in html
    assert (tmp_path / "certs" / "C-001-aaaaaaaa.pdf").read_bytes().startswith(b"%PDF-")
    assert "2 certificate(s)" in issued.output


def test_without_the_pdf_writer_certificates_say_what_to_install_and_issue_nothing(cli, results_dir, tmp_path,
                                                                                   monkeypatch):
    import sys

    cli("import", results_dir)
    cli("grade")
    monkeypatch.setitem(sys.modules, "fpdf", None)  # as if mesotrain[certify] were not installed
    result = cli("certificates", "-o", tmp_path / "certs")
    assert result.exit_code == 1
    assert "pip install 'mesotrain[certify]'" in result.output and "--no-pdf" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "certs").exists()
    html_only = cli("certificates", "-o", tmp_path / "certs", "--no-pdf")
    assert html_only.exit_code == 0, html_only.output
    assert sorted(p.suffix for p in (tmp_path / "certs").iterdir()) == [".html", ".html"]


def test_issuing_again_gives_the_same_codes(issued, cli, tmp_path):
    again = cli("certificates", "-o", tmp_path / "certs2", "--no-pdf")
    first = sorted(l.split()[0] for l in issued.output.splitlines() if l.count("-") >= 3 and "→" in l)
    second = sorted(l.split()[0] for l in again.output.splitlines() if "→" in l)
    assert first == second and "(already issued)" in again.output


def test_the_published_list_holds_hashes_and_no_names(issued, tmp_path):
    text = (tmp_path / "list.json").read_text()
    doc = json.loads(text)
    assert doc["format"] == "mesotrain-certificates" and len(doc["certificates"]) == 2
    assert "Ada" not in text and "C-001" not in text and "aaaaaaaa" not in text
    code = _code(issued)
    assert certs.code_hash(code) in doc["certificates"]


def test_verify_a_code_against_the_store_and_the_published_list(issued, cli, tmp_path):
    code = _code(issued)
    ok = cli("verify", code)
    assert ok.exit_code == 0 and ok.output.startswith("valid: Ada Lovelace (C-001) passed")
    listed = cli("verify", code.lower(), "--published", tmp_path / "list.json")
    assert listed.exit_code == 0 and "valid: Mini course 1.0, 2025-01-06, band Pass" in listed.output
    bad = cli("verify", "ABCD-EFGH-JKMN-PQRS")
    assert bad.exit_code == 1 and "unknown code" in bad.output


def test_revoked_certificates_are_reported_as_revoked_everywhere(issued, cli, tmp_path):
    code = _code(issued)
    assert cli("revoke", "aaaa", "--reason", "identity fraud").exit_code == 0
    cli("certificates", "-o", tmp_path / "certs", "--no-pdf", "--publish", "--list-file", tmp_path / "list.json")
    assert "REVOKED" in cli("verify", code).output
    assert "REVOKED" in cli("verify", code, "--published", tmp_path / "list.json").output


def test_a_store_edit_is_caught_by_the_key(issued, cli, tmp_path):
    from mesotrain.results.store import open_store

    code = _code(issued)
    st = open_store(tmp_path / "store.sqlite")
    st.db.execute("UPDATE attempts SET candidate_id = 'C-999' WHERE attempt_id = 'aaaaaaaa-0001'")
    result = cli("verify", code)
    assert result.exit_code == 1 and "does not match attempt aaaaaaaa" in result.output


def test_bands_name_the_score_range():
    from mesotrain.model import Exam

    exam = Exam.model_validate({"id": "e", "title": "E", "pool": ["p"], "pass_mark": 0.6, "time_limit_minutes": 5,
                                "seed": 1, "blueprint": [{"domain": "d", "items": 1}],
                                "bands": [{"name": "Pass", "min": 0.6}, {"name": "Distinction", "min": 0.9}]})
    assert [exam.band(f) for f in (0.6, 0.89, 0.9, 1.0)] == ["Pass", "Pass", "Distinction", "Distinction"]


def test_the_key_itself_in_the_environment_is_used_and_never_shown(cli, results_dir, tmp_path, monkeypatch):
    secret = "ab" * 32
    monkeypatch.setenv("MESOTRAIN_CERT_KEY", secret)
    monkeypatch.chdir(tmp_path)
    cli("import", results_dir)
    cli("grade")
    result = cli("certificates", "-o", tmp_path / "certs")
    assert result.exit_code == 0, result.output
    code = _code(result)
    assert code == certs.make_code(bytes.fromhex(secret), "aaaaaaaa-0001", "mini", "C-001")
    ok = cli("verify", code)
    for out in (result.output, ok.output, cli("audit").output):
        assert secret not in out and secret.upper() not in out
    assert not any(secret in p.name for p in tmp_path.rglob("*"))
    assert ok.exit_code == 0 and ok.output.startswith("valid")


def test_a_command_that_issues_nothing_creates_no_key(cli, results_dir, tmp_path):
    key = tmp_path / "cert.key"
    refused = cli("certificates", "nosuchattempt", "-o", tmp_path / "certs")
    assert refused.exit_code != 0 and not key.exists()
    cli("import", results_dir)  # imported but not graded: nobody has passed yet
    nothing = cli("certificates", "-o", tmp_path / "certs")
    assert nothing.exit_code == 0 and "0 certificate(s)" in nothing.output and not key.exists()


def test_verify_with_another_key_says_the_key_differs_not_that_the_store_was_edited(issued, cli, tmp_path):
    code = _code(issued)
    other = tmp_path / "other.key"
    other.write_text("cd" * 32 + "\n")
    result = cli("verify", code, "--key-file", other)
    assert result.exit_code == 1
    assert "this is not the key" in result.output and "store was edited" not in result.output
