"""xAPI: the words mesotrain's statements use, and the check of an LRS address (no I/O here).

The browser runtime (assets/lazy/xapi.js) and the certifier's export
(results/xapi_export.py) build statements with the same verbs, activity types and
extension keys; a test holds the two to this module. Activity ids are IRIs under the
course's activity base (``lrs.activities`` in mkdocs.yml, else ``site_url``):

    BASE                              the course
    BASE lessons/LESSON               a lesson
    BASE questions/QUESTION           a practice question (CASE.N for a part of a case)
    BASE exam/EXAM                    the exam
    BASE exam/EXAM/ITEM               an exam item (ITEM.N for a part of a case)
"""
from __future__ import annotations

import uuid
from urllib.parse import urlsplit

XAPI_VERSION = "1.0.3"

VERBS = {
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "attempted": "http://adlnet.gov/expapi/verbs/attempted",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    # A sealed attempt handed in without a score: Activity Streams' "submit".
    "submitted": "http://activitystrea.ms/schema/1.0/submit",
}

ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "exam": "http://adlnet.gov/expapi/activities/assessment",
    "question": "http://adlnet.gov/expapi/activities/cmi.interaction",
}

# Extension keys. They are URNs in mesotrain's own name, so no web address is borrowed.
RESULT_FILE = "urn:mesotrain:xapi:result-file"   # result.extensions: the sealed attempt's result file (JSON text)
ATTEMPT = "urn:mesotrain:xapi:attempt"           # context.extensions: the attempt id of an exam statement
TRAINEE_HOME = "urn:mesotrain:xapi:trainee"      # account.homePage of the anonymous practice actor

# The registration of an attempt whose id is not a UUID (ids are UUIDs from the exam page;
# an attempt imported from elsewhere may not be) is a UUID derived from it in this namespace.
NAMESPACE = uuid.UUID("6f1e9a52-3c1b-5d7e-9a40-2b8c0f4d7e61")
LOOPBACK = ("127.0.0.1", "::1", "localhost")


def endpoint_problem(url: object) -> str | None:
    """What is wrong with an LRS endpoint address, or None: https (http only on this machine),
    a host, no credentials, query or fragment in it."""
    if not isinstance(url, str) or not url.strip():
        return "an LRS endpoint is a web address, like https://lrs.example.org/xapi/"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"'{url}' is not a web address ({exc})"
    del port
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return f"'{url}' is not a web address: it needs https:// and a host, like https://lrs.example.org/xapi/"
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        return (f"'{url}' would send the LRS key in clear text: use https:// "
                "(plain http is accepted only for an LRS on this machine)")
    if parts.username or parts.password:
        return f"'{url}' holds credentials: give them separately (lrs.key and lrs.secret, or --auth)"
    if parts.query or parts.fragment:
        return f"'{url}' has a query or fragment; an LRS endpoint is the address that statements/ is under"
    return None


def endpoint(url: str) -> str:
    """The endpoint with one trailing slash, so ``statements`` joins under it."""
    return url.rstrip("/") + "/"


def iri_problem(value: object) -> str | None:
    """What is wrong with an activity base, or None (an absolute IRI ending in / or :)."""
    if not isinstance(value, str) or not value.strip():
        return "activity ids need a base address, like https://training.example.org/course/"
    parts = urlsplit(value)
    if not parts.scheme or not (parts.netloc or parts.scheme == "urn") or any(c.isspace() for c in value):
        return f"'{value}' is not an absolute address (IRI), like https://training.example.org/course/"
    return None


def activity_base(value: str) -> str:
    return value if value.endswith(("/", ":")) else value + "/"


def registration(attempt_id: str) -> str:
    """The registration of an attempt: its id when that is a UUID, else one derived from it."""
    try:
        return str(uuid.UUID(attempt_id))
    except ValueError:
        return str(uuid.uuid5(NAMESPACE, attempt_id))


def statement_id(*parts: str) -> str:
    """A statement id fixed by what the statement is about, so exporting again sends the same ids
    (an LRS keeps a statement id once)."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def duration(seconds: float) -> str:
    """ISO 8601 duration, as xAPI results carry it (PT1H2M3.5S)."""
    centis = max(0, round(seconds * 100))
    h, rest = divmod(centis, 360000)
    m, rest = divmod(rest, 6000)
    s = f"{rest // 100}" + (f".{rest % 100:02d}".rstrip("0") if rest % 100 else "")
    return "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "") + f"{s}S"


__all__ = ["ACTIVITY_TYPES", "ATTEMPT", "RESULT_FILE", "TRAINEE_HOME", "VERBS", "XAPI_VERSION", "activity_base",
           "duration", "endpoint", "endpoint_problem", "iri_problem", "registration", "statement_id"]
