"""Timing that does not add up: signs that a result file was edited after the exam page wrote it.

A result file is the candidate's own statement, and its checksum can be recomputed by
anyone who reads the exam page's script. Grading with the withheld key and redrawing the
form from the seed do not depend on the file; its times do. These checks cannot prove an
edit, but they make a careless one visible to the certifier in ``results audit``.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from pydantic_core import from_json

GRACE_S = 120  # as the import's lateness rule: clock skew or a slow last click
SLACK_S = 5  # timers in a browser tab drift a little


STORED = re.compile(r"\(stored ([0-9T:.+-]+Z?)\)$")  # the source of an attempt imported from an LRS


def stored_at(source: str) -> datetime | None:
    """When the LRS stored an attempt imported with --lrs (its clock, not the candidate's), if known."""
    m = STORED.search(source or "")
    try:
        t = datetime.fromisoformat(m.group(1).replace("Z", "+00:00")) if m else None
    except ValueError:
        return None
    return t if t is None or t.tzinfo else t.replace(tzinfo=timezone.utc)


def implausible(doc: dict[str, Any], *, now: datetime | None = None, stored: datetime | None = None) -> list[str]:
    """What is implausible about one result file's times (an empty list when nothing is); ``stored``:
    when an LRS stored it, which the submit time cannot come after."""
    try:
        started = datetime.fromisoformat(doc["started_at"].replace("Z", "+00:00"))
        submitted = datetime.fromisoformat(doc["submitted_at"].replace("Z", "+00:00"))
        limit = float(doc["exam"]["time_limit_minutes"]) * 60
        responses = doc["responses"]
    except (KeyError, TypeError, ValueError, AttributeError):
        return ["its times cannot be read"]
    now = now or datetime.now(timezone.utc)
    flags = []
    sitting = (submitted - started).total_seconds()
    spent = sum(r.get("time_ms", 0) for r in responses if isinstance(r, dict)) / 1000
    if spent > sitting + SLACK_S + 0.01 * sitting:
        flags.append(f"time on items adds up to {spent:.0f} s, more than the {sitting:.0f} s between "
                     "start and submit (answers after the submit time?)")
    if sitting > limit + GRACE_S:
        flags.append(f"took {sitting / 60:.1f} min, beyond the {limit / 60:g}-minute limit and its grace")
    if doc.get("submitted_by") == "timer" and sitting < limit - 60:
        flags.append(f"says the timer submitted it after {sitting / 60:.1f} min of {limit / 60:g}")
    blind = sum(1 for r in responses if isinstance(r, dict) and r.get("response") is not None
                and r.get("time_ms") == 0)
    if blind:
        flags.append(f"{blind} answered item(s) with no time spent on them")
    if submitted > now + timedelta(minutes=5):
        flags.append("submitted in the future by this computer's clock")
    if stored is not None and submitted > stored + timedelta(seconds=GRACE_S):
        flags.append(f"says it was submitted at {doc['submitted_at']}, after the LRS stored it "
                     f"({stored.isoformat(timespec='seconds')})")
    return flags


def implausible_attempts(db, attempt_id: str | None = None) -> list[tuple[str, str, list[str]]]:
    """(attempt id, candidate id, flags) for every stored attempt whose times do not add up."""
    where, args = ("WHERE attempt_id = ?", (attempt_id,)) if attempt_id else ("", ())
    out = []
    for aid, cid, document, source in db.execute(f"SELECT attempt_id, candidate_id, document, source FROM attempts "
                                                 f"{where} ORDER BY id", args):
        try:
            doc = from_json(document)
        except ValueError:
            continue  # every stored file parsed at import; a store edited by hand is verify's business
        flags = implausible(doc, stored=stored_at(source))
        if flags:
            out.append((aid, cid, flags))
    return out
