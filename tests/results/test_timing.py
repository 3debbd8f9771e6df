"""`results audit` shows result files whose times do not add up (a forged file's tell-tales)."""
from __future__ import annotations

from datetime import datetime, timezone

from mesotrain.results.sample import make_result
from mesotrain.results.timing import implausible

from .conftest import all_right, resealed, write


def test_an_honest_file_has_nothing_implausible(exam):
    assert implausible(make_result(exam, "A", all_right(exam, "A"))) == []


def test_each_kind_of_implausible_timing_is_named(exam):
    doc = make_result(exam, "A", all_right(exam, "A"), minutes=5)
    slow = [{**r, "time_ms": r["time_ms"] * 3} for r in doc["responses"]]
    assert "more than the 300 s between start and submit" in implausible({**doc, "responses": slow})[0]
    blind = [{**r, "time_ms": 0} for r in doc["responses"]]
    assert any("answered item(s) with no time spent" in f for f in implausible({**doc, "responses": blind}))
    assert any("says the timer submitted it after 5.0 min" in f
               for f in implausible({**doc, "submitted_by": "timer"}))
    late = make_result(exam, "A", {}, minutes=500)
    assert any("beyond the" in f for f in implausible(late))
    assert any("in the future" in f for f in implausible(doc, now=datetime(2024, 1, 1, tzinfo=timezone.utc)))


def test_audit_lists_implausible_attempts_first(cli, tmp_path, exam):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    honest = make_result(exam, "A", all_right(exam, "A"), attempt_id="aaaaaaaa-0001")
    forged = make_result(exam, "B", all_right(exam, "B"), candidate_id="C-009", attempt_id="ffffffff-0009")
    # a forger who moved the submit time back to look quick, and recomputed the checksum
    forged = resealed(forged, submitted_at=forged["started_at"].replace("09:00", "09:01"))
    write(inbox / "a.json", honest)
    write(inbox / "f.json", forged)
    assert cli("import", inbox).exit_code == 0
    out = cli("audit").output
    assert out.startswith("implausible timing in 1 attempt(s)")
    assert "ffffffff (C-009): time on items adds up to" in out and "aaaaaaaa" not in out.split("\n\n")[0]
    assert "implausible" not in cli("audit", "aaaaaaaa").output
