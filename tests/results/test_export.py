"""Exports: rows per attempt or per item, CSV safe for spreadsheets (OWASP, CWE-1236)."""
from __future__ import annotations

import csv
import io
import json

import pytest

from mesotrain.results.export import neutralise
from mesotrain.results.sample import make_result

from .conftest import all_right, write


@pytest.mark.parametrize("cell, safe", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("\nx", "'\nx"), ('  =HYPERLINK("http://evil")', '\'  =HYPERLINK("http://evil")'),
    ("Ada", "Ada"), ("a=b", "a=b"), ("", ""), (-2, -2), (3.5, 3.5), (None, None),
])
def test_cells_a_spreadsheet_would_execute_are_neutralised(cell, safe):
    assert neutralise(cell) == safe


@pytest.fixture
def graded(cli, exam, results_dir):
    write(results_dir / "evil.json", make_result(exam, "A", all_right(exam, "A"), attempt_id="eeeeeeee-0666",
                                                 name='=HYPERLINK("http://evil.example","click")',
                                                 candidate_id="@C-666", email="-x@example.org"))
    assert cli("import", results_dir).exit_code == 0
    cli("grade")
    return cli


def _csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_csv_has_one_row_per_attempt_with_domains_and_no_live_formula(graded, tmp_path):
    out = tmp_path / "cohort.csv"
    result = graded("export", "--out", out)
    assert result.exit_code == 0 and "exported 4 attempts" in result.output
    rows = {r["attempt_id"]: r for r in _csv(out.read_text(encoding="utf-8"))}
    evil = rows["eeeeeeee-0666"]
    assert evil["candidate_name"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert evil["candidate_id"] == "'@C-666" and evil["candidate_email"] == "'-x@example.org"
    assert rows["aaaaaaaa-0001"]["score_pct"] == "100.0" and rows["aaaaaaaa-0001"]["passed"] == "true"
    assert rows["cccccccc-0003"]["must_pass_failed"] == "x02"
    assert rows["cccccccc-0003"]["domain_basics_pct"] == "0.0"
    for row in rows.values():
        assert not any(v[:1] in "=+-@\t\r" for v in row.values() if v)


def test_item_rows_give_each_response_in_page_tokens_and_real_ids(graded):
    result = graded("export", "--items", "--format", "json")
    rows = json.loads(result.stdout)
    ordering = next(r for r in rows if r["attempt_id"] == "aaaaaaaa-0001" and r["item_id"] == "x05")
    assert json.loads(ordering["answer"]) == ["step1", "step2", "step3"]
    assert json.loads(ordering["response"])[0].startswith("t")
    assert ordering["correct"] is True and ordering["position"] == 1
    assert len(rows) == 4 * 5


def test_xlsx_friendly_has_a_bom_crlf_and_excel_dates(graded, tmp_path):
    out = tmp_path / "cohort.csv"
    graded("export", "--format", "xlsx-friendly", "-o", out)
    data = out.read_bytes()
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data
    assert _csv(data.decode("utf-8"))[0]["submitted_at"] == "2025-01-06 09:05:00"


def test_bom_is_optional_for_plain_csv(graded, tmp_path):
    graded("export", "--bom", "-o", tmp_path / "a.csv")
    graded("export", "-o", tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert not (tmp_path / "b.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_item_csv_is_neutralised_and_spells_true_and_false(graded, tmp_path):
    out = tmp_path / "items.csv"
    assert graded("export", "--items", "-o", out).exit_code == 0
    rows = _csv(out.read_text(encoding="utf-8"))
    evil = [r for r in rows if r["attempt_id"] == "eeeeeeee-0666"]
    assert len(rows) == 4 * 5 and len(evil) == 5
    assert {r["candidate_id"] for r in evil} == {"'@C-666"}
    assert {r["correct"] for r in rows} == {"true", "false"} and {r["flagged"] for r in rows} == {"false"}
    for row in rows:
        assert not any(v[:1] in "=+-@\t\r" for v in row.values() if v)
