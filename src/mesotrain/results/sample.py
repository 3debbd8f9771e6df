"""Result files as the exam page writes them, made in Python: for tests, demos and benchmarks.

``key_response`` (from scoring) gives the right answer in real ids, ``to_page`` (each
type's, through mesotrain.types) turns a response in real ids into the tokens a sealed page
records (the inverse of ``sealing.unseal``), and ``make_result`` assembles a checksummed
result file.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from ..exam import SealedExam
from ..exam.resultfile import FORMAT, FORMAT_VERSION, seal_document
from ..scoring import key_response  # noqa: F401  (re-exported: the right answer, for tests)
from ..types.base import to_page

UTC = timezone.utc


def make_result(exam: SealedExam, form: str, responses: dict[str, Any], *, name: str = "Ada Lovelace",
                candidate_id: str = "C-001", email: str = "ada@example.org", attempt_id: str | None = None,
                started: datetime | None = None, minutes: float = 5.0, submitted_by: str = "candidate",
                rules_version: str = "1.0", real_ids: bool = True) -> dict[str, Any]:
    """A checksummed result file for ``form`` with the given responses (item id → response)."""
    items = exam.form(form).items
    started = started or datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    per_item = int(minutes * 60_000 / max(1, len(items)))
    answers = []
    for i in items:
        r = responses.get(i)
        if real_ids and exam.sealed and r is not None:
            r = to_page(exam.pool[i].question, r)
        answers.append({"item": i, "response": r, "time_ms": per_item, "flagged": False})
    doc = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "attempt_id": attempt_id or str(uuid.uuid4()),
        "course": {"id": exam.course_id, "version": exam.course_version, "content_hash": exam.content_hash},
        "exam": {"id": exam.exam.id, "mode": exam.exam.mode, "form": form, "seed": exam.exam.seed,
                 "items": list(items), "time_limit_minutes": exam.exam.time_limit_minutes},
        "rules_version": rules_version,
        "candidate": {"name": name, "candidate_id": candidate_id, "email": email},
        "started_at": started.isoformat().replace("+00:00", "Z"),
        "submitted_at": (started + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z"),
        "submitted_by": submitted_by,
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64) mesotrain-sample",
        "responses": answers,
    }
    return seal_document(doc)
