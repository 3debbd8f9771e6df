"""Statements as a site with an LRS posts them, made in Python for the import tests
(the browser's own, from assets/lazy/xapi.js, are tested in tests/e2e/test_lrs.py)."""
from __future__ import annotations

import json
import uuid

from mesotrain import xapi

BASE = "https://training.example.org/mini/"


def submission(doc: dict | str, *, text: str | None = None, extension: object = None) -> dict:
    """The ``submitted`` statement of a sealed attempt carrying its result file (``doc``, or the
    raw ``text``, or any ``extension`` value in its place)."""
    d = json.loads(doc) if isinstance(doc, str) else doc
    body = text if text is not None else (doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False))
    who = d.get("candidate", {})
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": who.get("name", "x"), "mbox": "mailto:" + who.get("email", "x@example.org")},
        "verb": {"id": xapi.VERBS["submitted"], "display": {"en-US": "submitted"}},
        "object": {"objectType": "Activity", "id": BASE + "exam/" + d.get("exam", {}).get("id", "x"),
                   "definition": {"type": xapi.ACTIVITY_TYPES["exam"]}},
        "result": {"completion": True, "extensions": {xapi.RESULT_FILE: body if extension is None else extension}},
        "context": {"registration": xapi.registration(d.get("attempt_id", "x")),
                    "contextActivities": {"parent": [{"objectType": "Activity", "id": BASE}]}},
        "timestamp": d.get("submitted_at", "2025-01-06T09:05:00Z"),
    }
