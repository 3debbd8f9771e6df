"""The certifier's results store: one SQLite file (path from --store or MESOTRAIN_RESULTS).

SQLite because it is embedded, transactional and readable by any tool a certifier
may already have. Every command opens the store through :func:`open_store`, which
creates or upgrades the schema. Writes happen inside :meth:`Store.transaction`, so
an interrupted command leaves the store as it was before the command or complete.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from pydantic_core import from_json

from ..errors import UsageError

ENV_VAR = "MESOTRAIN_RESULTS"
DEFAULT_PATH = "results.sqlite"
SCHEMA_VERSION = 2
PAGE_SIZE = 16384

SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id              INTEGER PRIMARY KEY,  -- in import order; item scores refer to it
    attempt_id      TEXT NOT NULL UNIQUE,
    checksum        TEXT NOT NULL,
    course_id       TEXT NOT NULL,
    course_version  TEXT NOT NULL,
    content_hash    TEXT NOT NULL,
    exam_id         TEXT NOT NULL,
    mode            TEXT NOT NULL,
    form            TEXT NOT NULL,
    seed            INTEGER NOT NULL,
    rules_version   TEXT NOT NULL,
    candidate_name  TEXT NOT NULL,
    candidate_id    TEXT NOT NULL,
    candidate_email TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    submitted_at    TEXT NOT NULL,
    submitted_by    TEXT NOT NULL,
    duration_s      REAL NOT NULL,
    late            INTEGER NOT NULL,
    user_agent      TEXT NOT NULL,
    source          TEXT NOT NULL,   -- the file it was imported from
    imported_at     TEXT NOT NULL,
    document        BLOB NOT NULL    -- the file's bytes exactly as received, as evidence
);
CREATE INDEX IF NOT EXISTS attempts_candidate ON attempts (candidate_id, exam_id, started_at);

CREATE TABLE IF NOT EXISTS grades (
    attempt_id       TEXT PRIMARY KEY REFERENCES attempts (attempt_id) ON DELETE CASCADE,
    earned           REAL NOT NULL,
    possible         REAL NOT NULL,
    fraction         REAL NOT NULL,
    passed           INTEGER NOT NULL,
    must_pass_failed TEXT NOT NULL,  -- JSON list of item ids
    by_domain        TEXT NOT NULL,  -- JSON {domain: [earned, possible]}
    rules_version    TEXT NOT NULL,
    key_hash         TEXT NOT NULL,
    attempt_number   INTEGER NOT NULL DEFAULT 1,
    over_limit       INTEGER NOT NULL DEFAULT 0,
    graded_at        TEXT NOT NULL,
    ncorrect         INTEGER         -- items with full credit (KR-20 counts them)
);

CREATE TABLE IF NOT EXISTS item_scores (
    attempt    INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    item_id    TEXT NOT NULL,
    domain     TEXT,
    objective  TEXT NOT NULL,
    answer     TEXT,                 -- the response in real ids (JSON), as graded
    earned     REAL NOT NULL,
    possible   REAL NOT NULL,
    correct    INTEGER NOT NULL,
    PRIMARY KEY (attempt, position)  -- an integer key graded in order: inserts append
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS audit (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    attempt_id TEXT,
    reason     TEXT,
    detail     TEXT NOT NULL         -- JSON: what changed, old and new
);

CREATE TABLE IF NOT EXISTS certificates (
    attempt_id     TEXT PRIMARY KEY REFERENCES attempts (attempt_id),
    code           TEXT NOT NULL UNIQUE,
    code_hash      TEXT NOT NULL UNIQUE,
    band           TEXT NOT NULL,
    issued_at      TEXT NOT NULL,
    revoked_at     TEXT,
    revoked_reason TEXT
);
"""


# The item analysis's sufficient statistics, kept by grade and regrade in the same transaction as
# item_scores (see tallies.py): one row per distinct item result and form.
TALLIES = """
CREATE TABLE IF NOT EXISTS item_tallies (
    form           TEXT NOT NULL,
    item_id        TEXT NOT NULL,
    answer         TEXT NOT NULL,    -- the answer (JSON) of a choice item, '' when unanswered or not a choice item
    earned         REAL NOT NULL,
    possible       REAL NOT NULL,
    correct        INTEGER NOT NULL,
    total_possible REAL NOT NULL,    -- the attempt's possible
    n              INTEGER NOT NULL,
    total          REAL NOT NULL,    -- Σ the attempt's earned
    total2         REAL NOT NULL,    -- Σ its square
    PRIMARY KEY (form, item_id, answer, earned, possible, correct, total_possible)
) WITHOUT ROWID
"""
SCHEMA += TALLIES + ";"


def responses_of(document: bytes) -> list[dict[str, Any]]:
    """The responses of a stored result file ({item, response, time_ms, flagged}, page tokens).

    Parsed by pydantic's JSON parser, which read every stored file at import and is twice
    as fast as the json module here (the same values; json where it declines, e.g. a BOM).
    """
    try:
        return from_json(document)["responses"]
    except ValueError:
        return json.loads(document)["responses"]


def now() -> str:
    """The current time as ISO 8601 UTC, the one time format of the store."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


class Store:
    """An open results store."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.db = conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: the block's writes are committed together or not at all."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    def audit(self, action: str, detail: dict[str, Any], *, attempt_id: str | None = None,
              reason: str | None = None, actor: str | None = None) -> None:
        """Append one line to the audit trail (inside the caller's transaction)."""
        self.db.execute(
            "INSERT INTO audit (at, actor, action, attempt_id, reason, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (now(), actor or _actor(), action, attempt_id, reason, json.dumps(detail, sort_keys=True)))

    def find_attempt(self, prefix: str) -> str:
        """The full id of the one attempt whose id starts with ``prefix``."""
        rows = self.db.execute("SELECT attempt_id FROM attempts WHERE attempt_id >= ? AND attempt_id < ? LIMIT 2",
                               (prefix, prefix + "\uffff")).fetchall()
        if not rows:
            raise UsageError(f"no attempt in {self.path} has an id starting with '{prefix}'")
        if len(rows) > 1:
            raise UsageError(f"'{prefix}' matches more than one attempt; give more of the id")
        return rows[0][0]

    def count(self, table: str) -> int:
        return self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    def close(self) -> None:
        self.db.close()


def _actor() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name on this system: the audit line still says when and what
        return "unknown"


def _upgrade(conn: sqlite3.Connection, version: int) -> None:
    """Bring a store written by an earlier mesotrain up to date, in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if version < 2:  # number correct per grade, and the item tallies (filled by the next grade or report)
            conn.execute("ALTER TABLE grades ADD COLUMN ncorrect INTEGER")
            conn.execute(TALLIES)
            conn.execute("UPDATE grades SET ncorrect = (SELECT SUM(s.correct) FROM item_scores s JOIN attempts a "
                         "ON a.id = s.attempt WHERE a.attempt_id = grades.attempt_id)")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def open_store(path: Path | str, *, create: bool = True) -> Store:
    """Open (and if needed create) the store; refuse a file that is not a mesotrain store."""
    path = Path(path)
    if not create and not path.is_file():
        raise UsageError(f"no results store at '{path}'; import result files first (mesotrain results import)")
    if path.is_dir():
        raise UsageError(f"'{path}' is a folder; --store takes the path of a .sqlite file")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise UsageError(f"'{path}' was written by a newer mesotrain (store version {version}); upgrade mesotrain")
        if version == 0:
            tables = conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            if tables:
                raise UsageError(f"'{path}' is an SQLite file but not a mesotrain results store")
            # 16 KiB pages: a result file (a few KiB) fits in its row's page instead of a chain of
            # overflow pages; importing 20,000 files took 5-10% less time (set before the first table).
            conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            conn.executescript(SCHEMA)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        elif version < SCHEMA_VERSION:
            _upgrade(conn, version)
    except sqlite3.DatabaseError as exc:
        raise UsageError(f"'{path}' is not a results store ({exc})") from None
    return Store(path, conn)
