"""Exports: one row per attempt, or one per item response, as CSV, JSON or Excel-friendly CSV.

Rows are streamed from the store, so a cohort of any size exports in flat memory.

CSV cells are safe to open in a spreadsheet (OWASP "CSV injection", CWE-1236): a
text cell whose first character, or first after leading spaces, is ``=``, ``+``,
``-``, ``@``, a tab, a carriage return or a line feed is prefixed with ``'`` so the
spreadsheet shows it as text instead of running it as a formula. Numbers we write
ourselves are left as numbers. ``xlsx-friendly`` is the same CSV with a UTF-8 byte
order mark, CRLF line ends and dates as ``YYYY-MM-DD HH:MM:SS``, which Excel opens
with accents and dates intact.
"""
from __future__ import annotations

import csv
import json
from typing import IO, Any, Iterator

from .store import Store, responses_of

FORMATS = ("csv", "json", "xlsx-friendly")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")

ATTEMPT_COLUMNS = ["attempt_id", "candidate_id", "candidate_name", "candidate_email", "course_id",
                   "course_version", "exam_id", "mode", "form", "started_at", "submitted_at", "submitted_by",
                   "duration_min", "late", "attempt_number", "over_limit", "graded", "earned", "possible",
                   "score_pct", "passed", "must_pass_failed", "rules_version", "key_hash", "certificate"]
ITEM_COLUMNS = ["attempt_id", "candidate_id", "form", "position", "item_id", "domain", "objective",
                "response", "answer", "earned", "possible", "correct", "time_s", "flagged"]


def neutralise(value: Any) -> Any:
    """A cell a spreadsheet will not execute; numbers and empty cells pass unchanged."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(TRIGGERS) or value.lstrip(" ").startswith(TRIGGERS):
        return "'" + value
    return value


def _domains(st: Store) -> list[str]:
    seen: set[str] = set()
    for (text,) in st.db.execute("SELECT DISTINCT by_domain FROM grades"):
        seen.update(json.loads(text))
    return sorted(seen)


def attempt_rows(st: Store) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """Columns (with one score column per domain) and one dict per attempt."""
    domains = _domains(st)
    columns = ATTEMPT_COLUMNS + [f"domain_{d}_pct" for d in domains]

    def rows():
        cur = st.db.execute(
            "SELECT a.attempt_id, a.candidate_id, a.candidate_name, a.candidate_email, a.course_id, "
            "a.course_version, a.exam_id, a.mode, a.form, a.started_at, a.submitted_at, a.submitted_by, "
            "a.duration_s, a.late, g.attempt_number, g.over_limit, g.attempt_id IS NOT NULL, g.earned, g.possible, "
            "g.fraction, g.passed, g.must_pass_failed, g.rules_version, g.key_hash, "
            "CASE WHEN c.revoked_at IS NULL THEN c.code ELSE NULL END, g.by_domain "
            "FROM attempts a LEFT JOIN grades g USING (attempt_id) LEFT JOIN certificates c USING (attempt_id) "
            "ORDER BY a.submitted_at, a.attempt_id")
        for r in cur:
            row = dict(zip(ATTEMPT_COLUMNS, r[:-1]))
            row["duration_min"] = round(row["duration_min"] / 60, 2)
            for flag in ("late", "over_limit", "graded", "passed"):
                if row[flag] is not None:
                    row[flag] = bool(row[flag])
            if row["score_pct"] is not None:
                row["score_pct"] = round(row["score_pct"] * 100, 2)
            if row["must_pass_failed"] is not None:
                row["must_pass_failed"] = " ".join(json.loads(row["must_pass_failed"]))
            by_domain = json.loads(r[-1]) if r[-1] else {}
            for d in domains:
                e, p = by_domain.get(d, (None, None))
                row[f"domain_{d}_pct"] = round(100 * e / p, 2) if p else None
            yield row
    return columns, rows()


def item_rows(st: Store) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """One dict per item response of every graded attempt, attempts in submission order."""
    def rows():
        attempts = st.db.execute("SELECT id, attempt_id, candidate_id, form FROM attempts "
                                 "ORDER BY submitted_at, attempt_id").fetchall()  # small: no documents
        for row, aid, cid, form in attempts:
            items = st.db.execute("SELECT position, item_id, domain, objective, answer, earned, possible, correct "
                                  "FROM item_scores WHERE attempt = ? ORDER BY position", (row,)).fetchall()
            if not items:
                continue
            document = st.db.execute("SELECT document FROM attempts WHERE id = ?", (row,)).fetchone()[0]
            responses = {r["item"]: r for r in responses_of(document)}
            for pos, item, domain, objective, answer, earned, possible, correct in items:
                r = responses.get(item, {})
                yield {"attempt_id": aid, "candidate_id": cid, "form": form, "position": pos + 1, "item_id": item,
                       "domain": domain, "objective": objective,
                       "response": None if r.get("response") is None else json.dumps(r["response"], ensure_ascii=False),
                       "answer": answer, "earned": earned, "possible": possible, "correct": bool(correct),
                       "time_s": round(r.get("time_ms", 0) / 1000, 1), "flagged": bool(r.get("flagged"))}
    return ITEM_COLUMNS, rows()


def _excel_time(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 19 and value[10] == "T" and value.endswith("Z"):
        return value[:19].replace("T", " ")
    return value


def write_csv(out: IO[str], columns: list[str], rows: Iterator[dict[str, Any]], *, bom: bool = False,
              excel: bool = False) -> int:
    """Write neutralised CSV; returns the number of data rows."""
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n" if excel else "\n")
    writer.writerow(columns)
    n = 0
    for row in rows:
        values = []
        for c in columns:
            v = row.get(c)
            if isinstance(v, bool):
                v = "true" if v else "false"
            elif excel:
                v = _excel_time(v)
            values.append("" if v is None else neutralise(v))
        writer.writerow(values)
        n += 1
    return n


def write_json(out: IO[str], rows: Iterator[dict[str, Any]]) -> int:
    """A JSON array written one element at a time (never the whole export in memory)."""
    n = 0
    out.write("[")
    for row in rows:
        out.write(",\n " if n else "\n ")
        out.write(json.dumps(row, ensure_ascii=False, sort_keys=False))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def export(st: Store, out: IO[str], *, fmt: str, items: bool = False, bom: bool = False) -> int:
    columns, rows = item_rows(st) if items else attempt_rows(st)
    if fmt == "json":
        return write_json(out, rows)
    excel = fmt == "xlsx-friendly"
    return write_csv(out, columns, rows, bom=bom or excel, excel=excel)
