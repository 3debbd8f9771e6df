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
from typing import IO, Any, Callable, Iterator, Sequence

from .scorer import freeze
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


def attempt_rows(st: Store) -> tuple[list[str], Iterator[tuple]]:
    """Columns (with one score column per domain) and one row per attempt, in column order."""
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
            row = list(r[:-1])
            row[12] = round(row[12] / 60, 2)  # duration_min
            for i in (13, 15, 16, 20):  # late, over_limit, graded, passed
                if row[i] is not None:
                    row[i] = bool(row[i])
            if row[19] is not None:
                row[19] = round(row[19] * 100, 2)  # score_pct
            if row[21] is not None:
                row[21] = " ".join(json.loads(row[21]))  # must_pass_failed
            by_domain = json.loads(r[-1]) if r[-1] else {}
            for d in domains:
                e, p = by_domain.get(d, (None, None))
                row.append(round(100 * e / p, 2) if p else None)
            yield row
    return columns, rows()


def item_rows(st: Store, text: Callable[[Any], Any] = lambda v: v,
              flag: Callable[[bool], Any] = bool) -> tuple[list[str], Iterator[tuple]]:
    """One row per item response of every graded attempt, attempts in submission order.

    ``text`` and ``flag`` make the text and true/false cells (CSV neutralises and spells them);
    each is applied once per distinct value, since a cohort repeats its ids and answers.
    """
    def rows():
        db = st.db
        attempts = db.execute("SELECT id, attempt_id, candidate_id, form FROM attempts "
                              "ORDER BY submitted_at, attempt_id").fetchall()  # small: no documents
        as_text = _Memo(text)
        response_cell = _Memo(lambda v: as_text(json.dumps(v, ensure_ascii=False)))
        item_cells: dict[tuple, tuple] = {}
        yes, no = flag(True), flag(False)
        for row, aid, cid, form in attempts:
            items = db.execute("SELECT position, item_id, domain, objective, answer, earned, possible, correct "
                               "FROM item_scores WHERE attempt = ? ORDER BY position", (row,)).fetchall()
            if not items:
                continue
            document = db.execute("SELECT document FROM attempts WHERE id = ?", (row,)).fetchone()[0]
            responses = {r["item"]: r for r in responses_of(document)}
            head = (text(aid), text(cid), as_text(form))
            for pos, item, domain, objective, answer, earned, possible, correct in items:
                r = responses.get(item, {})
                response = r.get("response")
                cells = item_cells.get((item, domain, objective))
                if cells is None:
                    cells = item_cells[(item, domain, objective)] = (as_text(item), as_text(domain), as_text(objective))
                yield (*head, pos + 1, *cells, None if response is None else response_cell(response),
                       None if answer is None else as_text(answer), earned, possible, yes if correct else no,
                       round(r.get("time_ms", 0) / 1000, 1), yes if r.get("flagged") else no)
    return ITEM_COLUMNS, rows()


class _Memo:
    """``function`` of a JSON value, remembered: a cohort repeats its responses and its cells."""

    LIMIT = 100_000

    def __init__(self, function):
        self.function = function
        self.known: dict[Any, Any] = {}

    def __call__(self, value: Any) -> Any:
        if value.__class__ is float:  # -0.0 would be taken for 0.0
            return self.function(value)
        try:
            key = value if value.__class__ is str else freeze(value)
            found = self.known.get(key)
        except TypeError:  # not a JSON value
            return self.function(value)
        if found is None:
            if len(self.known) >= self.LIMIT:
                self.known.clear()
            found = self.known[key] = self.function(value)
        return found


def _excel_time(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 19 and value[10] == "T" and value.endswith("Z"):
        return value[:19].replace("T", " ")
    return value


def _cell(value: Any, excel: bool) -> Any:
    """A value as its CSV cell: true/false, empty for None, text neutralised, numbers as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(_excel_time(value) if excel else value)


def write_csv(out: IO[str], columns: list[str], rows: Iterator[Sequence[Any]], *, bom: bool = False,
              excel: bool = False, cells: bool = False) -> int:
    """Write neutralised CSV of rows given in column order (``cells``: already made into CSV cells);
    returns the number of data rows."""
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n" if excel else "\n")
    writer.writerow(columns)
    n = 0
    for row in rows:
        row = row if cells else [_cell(v, excel) for v in row]
        # Python's csv quotes a field holding "\n" but not a bare "\r", which spreadsheets read
        # as a line break: a typed answer or name with one would split its row.
        writer.writerow([v.replace("\r\n", "\n").replace("\r", "\n") if isinstance(v, str) and "\r" in v else v
                         for v in row])
        n += 1
    return n


def write_json(out: IO[str], columns: list[str], rows: Iterator[Sequence[Any]]) -> int:
    """A JSON array of objects written one element at a time (never the whole export in memory)."""
    n = 0
    out.write("[")
    for row in rows:
        out.write(",\n " if n else "\n ")
        out.write(json.dumps(dict(zip(columns, row)), ensure_ascii=False, sort_keys=False))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def export(st: Store, out: IO[str], *, fmt: str, items: bool = False, bom: bool = False) -> int:
    if fmt == "json":
        return write_json(out, *(item_rows(st) if items else attempt_rows(st)))
    excel = fmt == "xlsx-friendly"
    if items:  # six million rows at scale: cells are made once per distinct value
        columns, rows = item_rows(st, text=lambda v: _cell(v, excel), flag=lambda v: _cell(v, excel))
    else:
        columns, rows = attempt_rows(st)
    return write_csv(out, columns, rows, bom=bom or excel, excel=excel, cells=items)
