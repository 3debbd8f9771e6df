"""Any name the exam form accepts flows through import, list, show, CSV, HTML and PDF certificates intact."""
from __future__ import annotations

import csv
import io
import json

import pytest

from mesotrain.results.printable import for_terminal, printable, width
from mesotrain.results.sample import make_result

from .conftest import all_right, write

NAMES = {
    "latin": "Zoë Ångström-Ðuřić",
    "chinese": "张伟",
    "arabic": "ليلى حداد",
    "hebrew": "נועה כהן",
    "devanagari": "प्रिया शर्मा",
    "emoji": "Ana 🌱 Silva",
    "long": ("Maximiliana Theodora " + "Wolfeschlegelsteinhausenbergerdorff " * 5)[:199] + "Z",  # the form's 200
}


def _issue(cli, tmp_path, exam, name: str, cid: str = "C-100"):
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    write(inbox / "one.json", make_result(exam, "A", all_right(exam, "A"), name=name, candidate_id=cid,
                                          email="one@example.org", attempt_id="dddddddd-0004"))
    assert cli("import", inbox).exit_code == 0
    assert cli("grade").exit_code == 0
    return cli("certificates", "-o", tmp_path / "certs")


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(str(path)).pages)


@pytest.mark.parametrize("script", ["latin", "chinese", "emoji", "long"])
def test_a_name_prints_whole_in_the_pdf_and_the_html(cli, tmp_path, exam, script):
    name = NAMES[script]
    result = _issue(cli, tmp_path, exam, name)
    assert result.exit_code == 0, result.output
    assert "skipped" not in result.output
    html = (tmp_path / "certs" / "C-100-dddddddd.html").read_text()
    assert f'<p class="name">{name}</p>' in html
    text = _pdf_text(tmp_path / "certs" / "C-100-dddddddd.pdf")
    squeezed = "".join(text.split())
    assert "".join(name.split()) in squeezed  # wrapped over lines, but every character there


@pytest.mark.parametrize("script", ["arabic", "hebrew", "devanagari"])
def test_shaped_scripts_make_a_pdf_with_a_font_that_has_them(cli, tmp_path, exam, script):
    result = _issue(cli, tmp_path, exam, NAMES[script])
    assert result.exit_code == 0 and "skipped" not in result.output, result.output
    pdf = (tmp_path / "certs" / "C-100-dddddddd.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"/FontFile2" in pdf


def test_a_character_no_font_has_refuses_the_pdf_and_says_why(cli, tmp_path, exam, monkeypatch):
    from mesotrain.results import certificate_doc

    monkeypatch.setattr(certificate_doc, "_candidates", lambda ch: [])  # a machine with DejaVu only
    result = _issue(cli, tmp_path, exam, NAMES["chinese"])
    assert result.exit_code == 0
    assert "the PDF of dddddddd (C-100): no installed font can draw U+4F1F" in result.output
    assert not (tmp_path / "certs" / "C-100-dddddddd.pdf").exists()
    assert (tmp_path / "certs" / "C-100-dddddddd.html").exists()


def test_bidi_and_control_characters_are_stripped_the_same_way_for_every_output(cli, tmp_path, exam):
    typed = "Eve\u202e evil\u202c\x1b[31m Red\x07\r\nLine"
    result = _issue(cli, tmp_path, exam, typed)
    assert result.exit_code == 0, result.output
    shown = printable(typed)
    assert shown == "Eve evil [31m Red Line"
    html = (tmp_path / "certs" / "C-100-dddddddd.html").read_text()
    assert f'<p class="name">{shown}</p>' in html and "\u202e" not in html
    assert "".join(shown.split()) in "".join(_pdf_text(tmp_path / "certs" / "C-100-dddddddd.pdf").split())
    listing = cli("list").output
    assert "\x1b" not in listing and "\x07" not in listing and "Eve evil" in listing
    show = cli("show", "dddddddd").output
    assert "\x1b" not in show and "\r" not in show
    out = tmp_path / "attempts.csv"
    assert cli("export", "--format", "csv", "-o", out).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert all(len(r) == len(rows[0]) for r in rows)
    assert any(shown in r for r in rows)
    # the file as the candidate sent it is kept as evidence
    import sqlite3

    doc = sqlite3.connect(tmp_path / "store.sqlite").execute("SELECT document FROM attempts").fetchone()[0]
    assert json.loads(doc)["candidate"]["name"] == typed


def test_terminal_helpers():
    assert for_terminal("a\x1b[2Jb\x07") == "a\\x1b[2Jb\\x07"
    assert width("张伟") == 4 and width("é") == 1 and width("e\u0301") == 1


def test_list_aligns_columns_for_wide_characters(cli, tmp_path, exam):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n, name in enumerate(["张伟", "Ann"]):
        write(inbox / f"{n}.json", make_result(exam, "A", {}, name=name, candidate_id=f"C-{n}",
                                               email="x@example.org", attempt_id=f"eeeeeeee-000{n}"))
    cli("import", inbox)
    lines = cli("list").output.splitlines()
    header = next(l for l in lines if "name" in l)
    column = width(header[: header.index("name")])
    for name in ("张伟", "Ann"):
        row = next(l for l in lines if name in l)
        start = width(row[: row.index(name)])
        rest = row[row.index(name) + len(name):]
        # the name starts under its header, and the next column starts at the same place in every row
        assert start == column
        assert width(row[: row.index(name) + len(name) + len(rest) - len(rest.lstrip())]) == \
            width(header[: header.index("name")]) + max(width("张伟"), width("name"), 3) + 2
