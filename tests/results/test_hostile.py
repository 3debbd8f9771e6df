"""A generated corpus of hostile result files: every field of a good file broken every way.

Each file is deleted-from, retyped, oversized, stuffed with formulas, markup, bidi and
control characters or another script, with its checksum recomputed (what a forger who
read the exam page's script would do) and, for a share, left as it was (tampered). The
whole corpus is imported at once. Every file must end accepted, or rejected with one of
the documented reasons; the store must hold exactly the accepted attempts; and every
accepted name must then flow through list, show, CSV, the report and the certificates
without a traceback, an unescaped tag, a live formula or a control character reaching
the terminal. The run prints how each class ended (tests/figures.py).
"""
from __future__ import annotations

import copy
import csv
import io
import json
import sqlite3

import pytest

from mesotrain.results.importer import REASONS, Expected, expand, import_files
from mesotrain.results.printable import printable
from mesotrain.exam.resultfile import seal_document
from mesotrain.results.sample import make_result
from mesotrain.results.store import open_store
from tests.figures import record

from .conftest import all_right, write

HOSTILE_TEXT = {
    "formula": "=HYPERLINK(\"http://evil.example\",\"x\")",
    "formula-at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "markup": "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "bidi": "\u202eredro\u202c Eve",
    "control": "Eve\x1b[2J\x07\r\nX",
    "cjk": "张伟",
    "arabic": "ليلى",
    "emoji": "🌱🌱",
    "long": "N" * 5000,
    "empty": "",
    "traversal": "../../../etc/passwd",
    "nul": "a\x00b",
}
OTHER_TYPES = {"null": None, "true": True, "zero": 0, "negative": -1, "huge-number": 10**30, "float": 1e308,
               "list": [], "object": {}}


def _fields(doc, loc=()):
    """Paths of every value in a result file (the checksum aside), responses included."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            if loc == () and k == "checksum":
                continue
            yield loc + (k,)
            yield from _fields(v, loc + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc[:3]):  # three responses stand for all
            yield loc + (i,)
            yield from _fields(v, loc + (i,))


def _with(doc, loc, value, delete=False):
    out = copy.deepcopy(doc)
    node = out
    for part in loc[:-1]:
        node = node[part]
    if delete:
        del node[loc[-1]]
    else:
        node[loc[-1]] = value
    return out


def _corpus(exam) -> list[tuple[str, bytes]]:
    good = make_result(exam, "A", all_right(exam, "A"))
    files: list[tuple[str, bytes]] = []
    n = 0

    def add(kind: str, doc, *, seal: bool = True):
        nonlocal n
        n += 1
        if isinstance(doc, dict) and "attempt_id" in good and doc.get("attempt_id") == good["attempt_id"]:
            doc = {**doc, "attempt_id": f"hostile-{n:05}"}  # each file its own attempt
        if seal and isinstance(doc, dict):
            doc = seal_document({k: v for k, v in doc.items() if k != "checksum"})
        files.append((kind, json.dumps(doc, ensure_ascii=False).encode("utf-8")))

    for loc in _fields(good):
        where = ".".join(str(p) for p in loc if not isinstance(p, int)) or "root"
        if isinstance(loc[-1], str):
            add(f"delete {where}"[:40], _with(good, loc, None, delete=True))
        for name, value in OTHER_TYPES.items():
            add("retype", _with(good, loc, value))
        for name, value in HOSTILE_TEXT.items():
            add(f"text:{name}", _with(good, loc, value))
    for name, value in HOSTILE_TEXT.items():  # the same texts where they are valid: the candidate's details
        for field in ("name", "candidate_id"):
            add(f"details:{name}", _with(good, ("candidate", field), value))
    add("unsealed edit", _with(good, ("candidate", "name"), "Mallory"), seal=False)
    add("extra member", {**good, "score": 1.0})
    for kind, make in [("bom", lambda raw: b"\xef\xbb\xbf" + raw), ("not-utf8", lambda raw: b"\xff" + raw),
                       ("truncated", lambda raw: raw[:len(raw) // 3]), ("empty", lambda raw: b""),
                       ("deep", lambda raw: b"[" * 100000 + b"]" * 100000),
                       ("nan", lambda raw: raw.replace(b'"time_ms": ', b'"time_ms": NaN, "x": ', 1)),
                       ("duplicate-key", lambda raw: raw.replace(b'{"format"', b'{"format": "x", "format"', 1)),
                       ("huge", lambda raw: raw[:-1] + b', "pad": "' + b"x" * 2_000_000 + b'"}')]:
        n += 1
        own = seal_document({k: v for k, v in {**good, "attempt_id": f"hostile-{n:05}"}.items() if k != "checksum"})
        files.append((kind, make(json.dumps(own).encode())))
    return files


@pytest.fixture(scope="module")
def imported(exam, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    inbox = folder / "inbox"
    inbox.mkdir()
    corpus = _corpus(exam)
    kinds = {}
    for i, (kind, data) in enumerate(corpus):
        path = inbox / f"{i:05}.json"
        path.write_bytes(data)
        kinds[str(path)] = kind
    store = open_store(folder / "store.sqlite", create=True)
    paths, unreadable = expand([str(inbox)])
    rejected = {}
    summary = import_files(store, paths, Expected.of(exam),
                           on_rejected=lambda r: rejected.__setitem__(r.source, r.reason))
    store.db.commit()
    return folder, corpus, kinds, summary, rejected, store


def test_every_hostile_file_is_accepted_or_rejected_for_a_documented_reason(imported):
    folder, corpus, kinds, summary, rejected, store = imported
    stored = {aid: doc for aid, doc in store.db.execute("SELECT attempt_id, document FROM attempts")}
    accepted = 0
    for path, kind in kinds.items():
        data = open(path, "rb").read()
        if path in rejected:
            assert rejected[path] in REASONS, (kind, rejected[path])
            record("hostile result files", kind.split(" ")[0], f"rejected:{rejected[path]}")
            continue
        doc = json.loads(data)
        assert stored.get(doc["attempt_id"]) == data, (kind, "accepted but not stored as received")
        accepted += 1
        record("hostile result files", kind.split(" ")[0], "accepted")
    assert summary.imported == accepted == len(stored), "lost or duplicated records"
    assert len(summary.rejected) == len(rejected) == len(corpus) - accepted


def test_accepted_names_are_stored_printable(imported):
    store = imported[5]
    for name, cid, doc in store.db.execute("SELECT candidate_name, candidate_id, document FROM attempts"):
        typed = json.loads(doc)["candidate"]
        assert name == printable(typed["name"]) and cid == printable(typed["candidate_id"])
        assert not any(ord(c) < 32 or 0x202a <= ord(c) <= 0x202e for c in name + cid)


def test_accepted_files_flow_through_every_output(imported, cli, tmp_path, monkeypatch):
    folder = imported[0]
    monkeypatch.setenv("MESOTRAIN_RESULTS", str(folder / "store.sqlite"))
    assert cli("grade").exit_code == 0
    listing = cli("list", "--limit", "10000")
    assert listing.exit_code == 0 and "\x1b" not in listing.output and "\x07" not in listing.output
    aids = [a for (a,) in sqlite3.connect(folder / "store.sqlite").execute("SELECT attempt_id FROM attempts")]
    for aid in aids[:40]:
        shown = cli("show", aid)
        assert shown.exit_code == 0, shown.output
        assert "\x1b" not in shown.output and "\r" not in shown.output
    out = tmp_path / "attempts.csv"
    assert cli("export", "--format", "csv", "-o", out).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert len(rows) == len(aids) + 1 and all(len(r) == len(rows[0]) for r in rows)
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "@")) or cell.startswith("'"), f"live formula: {cell!r}"
    report = cli("report", "-o", tmp_path / "report")
    assert report.exit_code == 0, report.output
    html = "".join(p.read_text() for p in (tmp_path / "report").rglob("*.html"))
    assert "<script>alert" not in html and "onerror=alert" not in html
    certs = cli("certificates", "-o", tmp_path / "certs")
    assert certs.exit_code == 0, certs.output
    for page in (tmp_path / "certs").glob("*.html"):
        text = page.read_text()
        assert "<script>alert" not in text and "\u202e" not in text
    record("hostile names through every output", "list/show/csv/report/certificates", "clean")
