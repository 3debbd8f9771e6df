"""Importing result files: every file is untrusted input, checked before it reaches the store.

A file is rejected with one line that names it and says why (see ``REASONS``); the
others go on. One import is one transaction: if it is interrupted (a crash, a full
disk, Ctrl-C) the store is as it was before. Importing the same attempt again is a
no-op; the same attempt id with different content is refused as a conflict.
"""
from __future__ import annotations

import glob
import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter
from datetime import datetime
from pathlib import Path
from functools import partial
from typing import Any, Callable, Iterable, Iterator

from pydantic import ValidationError

from ..canonical import HashedText
from ..exam import SealedExam
from ..exam.resultfile import FORMAT, FORMAT_VERSION, ResultFile
from ..types.base import foreign_names
from .printable import printable
from .store import Store, now

MAX_BYTES = 1_000_000
LATE_GRACE_S = 120  # a clock skew or a slow last click is not lateness

REASONS = {
    "unreadable": "the file cannot be read",
    "oversized": "larger than a result file can be",
    "truncated": "the JSON ends early",
    "malformed": "not a well-formed result file",
    "unknown-version": "a result format this mesotrain does not read",
    "tampered": "the checksum does not match the content",
    "foreign-course": "a result of another course or exam",
    "exam-changed": "sat on another version of this exam",
    "form-mismatch": "the items are not those of the form drawn from the seed",
    "forged": "a response names a choice its sealed exam page does not show",
    "conflict": "an attempt with this id but other content is already in the store",
}


class Rejected(Exception):
    """A file that will not be imported, with a reason from ``REASONS``."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Received:
    """A result file's bytes that arrived another way than as a file (a statement in an LRS);
    ``source`` names where, as a path names a file."""

    source: str
    data: bytes

    def __str__(self) -> str:
        return self.source


@dataclass(frozen=True)
class Rejection:
    source: str
    reason: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: rejected ({self.reason}): {self.message}"


@dataclass
class ImportSummary:
    imported: int = 0
    already: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"imported {self.imported}, already in the store {self.already}, "
                f"rejected {len(self.rejected)}")


def expand(paths: Iterable[str]) -> tuple[list[Path], list[Rejection]]:
    """Files as given, folders searched for *.json, and glob patterns the shell left alone.

    A file reached twice (by two spellings, a link, or a folder and a pattern) is listed once.
    Folders are read with os.scandir and each folder resolved once, not each file: for an
    inbox of 100,000 files, Path.rglob and Path.resolve took five seconds.
    """
    found: list[str] = []
    missing: list[Rejection] = []
    for raw in paths:
        if os.path.isdir(raw):
            found.extend(sorted(_json_files(raw), key=_parts))
        elif os.path.exists(raw):
            found.append(raw)
        elif any(c in raw for c in "*?["):
            matches = sorted(glob.glob(raw, recursive=True), key=_parts)
            found.extend(m for m in matches if os.path.isfile(m))
            if not matches:
                missing.append(Rejection(raw, "unreadable", "no file matches this pattern"))
        else:
            missing.append(Rejection(raw, "unreadable", "no such file or folder"))
    seen: set[str] = set()
    folders: dict[str, str] = {}
    unique = []
    for f in found:
        key = _real(f, folders)
        if key not in seen:
            seen.add(key)
            unique.append(Path(f))
    return unique, missing


def _parts(path: str) -> list[str]:
    """The order Path sorts in (part by part), for path strings."""
    return [p for p in path.split(os.sep) if p not in ("", ".")]


def _json_files(top: str) -> list[str]:
    """Every *.json file under a folder, as Path.rglob finds them (symlinked folders are not entered)."""
    out, todo = [], [top]
    while todo:
        with os.scandir(todo.pop()) as entries:
            for e in entries:
                if e.is_dir(follow_symlinks=False):
                    todo.append(e.path)
                elif e.name.endswith(".json") and e.is_file():
                    out.append(e.path)
    return out


def _real(path: str, folders: dict[str, str]) -> str:
    """os.path.realpath(path), resolving each folder once."""
    if os.path.islink(path):
        return os.path.realpath(path)
    folder, name = os.path.split(path)
    real = folders.get(folder)
    if real is None:
        real = folders[folder] = os.path.realpath(folder or ".")
    return os.path.join(real, name)


def _parse(data: bytes) -> HashedText:
    if not data.strip():
        raise Rejected("truncated", "the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Rejected("malformed", f"not UTF-8 text (byte {exc.start})") from None
    try:
        hashed = HashedText(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise Rejected("truncated", f"the JSON ends early at line {exc.lineno} column {exc.colno}"
                                        " (an incomplete download?)") from None
        raise Rejected("malformed", f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise Rejected("malformed", "nested too deeply to be a result file") from None
    except ValueError as exc:  # NaN or Infinity
        raise Rejected("malformed", str(exc)) from None
    doc = hashed.value
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise Rejected("malformed", f'not a mesotrain result file (no "format": "{FORMAT}")')
    version = doc.get("format_version")
    if version != FORMAT_VERSION:
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            raise Rejected("unknown-version", f"format version {version} is newer than this mesotrain reads "
                                              f"({FORMAT_VERSION}); upgrade mesotrain")
        raise Rejected("unknown-version", f"unknown format version {hashed.shown(version)} "
                                          f"(this mesotrain reads {FORMAT_VERSION})")
    return hashed


def _first_error(exc: ValidationError) -> str:
    errors = exc.errors()
    e = errors[0]
    where = ".".join(str(p) for p in e["loc"]) or "(top level)"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {e['msg']}{more}"


@dataclass(frozen=True)
class Expected:
    """What a result file of this course's exam must say, taken from the course files."""

    course_id: str
    exam_id: str
    content_hashes: tuple[str, ...]
    seed: int
    forms: dict[str, tuple[str, ...]]
    sealed: dict[str, Any] = field(default_factory=dict)  # item → question, when the exam is sealed
    _foreign: dict = field(default_factory=dict, compare=False, repr=False)

    def foreign(self, item: str, response: Any) -> list:
        """Names in a response that its sealed page does not show (memoised: answers repeat)."""
        key = (item, json.dumps(response, sort_keys=True))
        if key not in self._foreign:
            self._foreign[key] = foreign_names(self.sealed[item], response)
        return self._foreign[key]

    @cached_property
    def on_form(self) -> dict[str, frozenset[str]]:
        return {f: frozenset(items) for f, items in self.forms.items()}

    @classmethod
    def of(cls, sealed: SealedExam) -> "Expected":
        return cls(sealed.course_id, sealed.exam.id, sealed.content_hashes, sealed.exam.seed,
                   {f.id: f.items for f in sealed.forms},
                   {i: sealed.pool[i].question for i in sealed.drawn} if sealed.sealed else {})


def check_document(data: bytes, expected: Expected) -> tuple[dict[str, Any], ResultFile]:
    """Parse and check one file's bytes; raises :class:`Rejected` with the first reason found."""
    hashed = _parse(data)
    doc = hashed.value
    if not isinstance(doc.get("checksum"), str):
        raise Rejected("tampered", "the file has no checksum")
    try:
        body = hashed.canonical({k: v for k, v in doc.items() if k != "checksum"})
        actual = "sha256:" + hashlib.sha256(body.encode("utf-8")).hexdigest()
    except (TypeError, ValueError, UnicodeError) as exc:
        raise Rejected("malformed", str(exc)) from None
    if doc["checksum"] != actual:
        raise Rejected("tampered", "the checksum does not match the content: "
                                   "the file was changed after the exam page wrote it")
    try:
        result = ResultFile.model_validate_json(hashed.text)
    except ValidationError as exc:
        raise Rejected("malformed", _first_error(exc)) from None
    if result.course.id != expected.course_id:
        raise Rejected("foreign-course", f"belongs to course '{result.course.id}', not '{expected.course_id}'")
    if result.exam.id != expected.exam_id:
        raise Rejected("foreign-course", f"is for exam '{result.exam.id}', not '{expected.exam_id}'")
    if result.course.content_hash not in expected.content_hashes:
        raise Rejected("exam-changed", f"was sat on another version of exam '{expected.exam_id}' "
                                       f"(content hash {result.course.content_hash[7:19]}…, these course files "
                                       f"give {expected.content_hashes[0][7:19]}…); import it with the files it was built from")
    _check_form(result, expected, list(map(itemgetter("item"), doc["responses"])))  # as validated, quicker
    if expected.sealed:
        for answer in doc["responses"]:
            if answer.get("response") is not None:
                bad = expected.foreign(answer["item"], answer["response"])
                if bad:
                    raise Rejected("forged", f"item '{answer['item']}' is answered with '{bad[0]}', a name its "
                                             "exam page does not show (the page writes its own tokens, not ids)")
    return doc, result


def _check_form(result: ResultFile, expected: Expected, answered: list[str]) -> None:
    exam = result.exam
    if exam.seed != expected.seed:
        raise Rejected("form-mismatch", f"forms drawn with seed {exam.seed}; the exam's seed is {expected.seed}")
    items = expected.forms.get(exam.form)
    if items is None:
        raise Rejected("form-mismatch", f"form '{exam.form}' does not exist (forms: {', '.join(expected.forms)})")
    if tuple(exam.items) != items:
        raise Rejected("form-mismatch", f"the items differ from form {exam.form} as drawn from seed {exam.seed}")
    if not expected.on_form[exam.form].issuperset(answered) or len(set(answered)) != len(answered):
        seen: set[str] = set()
        for item in answered:  # the first offending response names the reason
            if item not in expected.on_form[exam.form]:
                raise Rejected("form-mismatch", f"a response to item '{item}', which is not on form {exam.form}")
            if item in seen:
                raise Rejected("malformed", f"two responses to item '{item}'")
            seen.add(item)
    if result.submitted_at < result.started_at:
        raise Rejected("malformed", "submitted_at is earlier than started_at")


def _iso(dt: datetime) -> str:
    return dt.isoformat().replace("+00:00", "Z")


def _row(result: ResultFile, data: bytes, source: str, stamp: str) -> tuple:
    duration = (result.submitted_at - result.started_at).total_seconds()
    late = duration > result.exam.time_limit_minutes * 60 + LATE_GRACE_S
    c, e, who = result.course, result.exam, result.candidate
    return (result.attempt_id, result.checksum, c.id, c.version, c.content_hash, e.id, e.mode, e.form, e.seed,
            result.rules_version, printable(who.name), printable(who.candidate_id), printable(who.email), _iso(result.started_at),
            _iso(result.submitted_at), result.submitted_by, duration, int(late), result.user_agent,
            source, stamp, data)


INSERT = f"INSERT INTO attempts VALUES (NULL, {', '.join('?' * 22)})"


def read_file(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refused when larger than ``max_bytes`` (os.read: half the time of Path.open)."""
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            chunks, size = [], 0
            while size <= max_bytes:
                chunk = os.read(fd, max_bytes + 1 - size)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            if size > max_bytes:
                total = os.fstat(fd).st_size
                if total > max_bytes:
                    raise Rejected("oversized", f"{total:,} bytes; a result file is at most {max_bytes:,} (--max-size)")
                raise Rejected("oversized", f"more than {max_bytes:,} bytes (--max-size)")
        finally:
            os.close(fd)
    except OSError as exc:
        raise Rejected("unreadable", exc.strerror or str(exc)) from None
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def check_path(path: Path | Received, *, expected: Expected, max_bytes: int, stamp: str) -> tuple:
    """Everything but the store for one file (or received document): ("ok", attempt id, checksum, row)
    or ("rejected", reason, message).

    Module-level and free of the store, so worker processes can run it side by side.
    """
    try:
        if isinstance(path, Received):
            data = path.data
            if len(data) > max_bytes:
                raise Rejected("oversized", f"{len(data):,} bytes; a result file is at most {max_bytes:,} (--max-size)")
        else:
            data = read_file(path, max_bytes)
        _, result = check_document(data, expected)
        return ("ok", result.attempt_id, result.checksum, _row(result, data, str(path), stamp))
    except Rejected as r:
        return ("rejected", r.reason, r.message)


CHUNK = 64     # files a worker checks per task
AHEAD = 4      # tasks in flight per worker: a bounded pipeline keeps memory flat and workers busy


def check_chunk(paths: list[Path], check: Callable[[Path], tuple]) -> list[tuple]:
    return [check(p) for p in paths]


def _outcomes(paths: list[Path], check: Callable[[Path], tuple], jobs: int) -> Iterator[list[tuple[Path, tuple]]]:
    """(path, outcome) pairs in file order, a chunk at a time."""
    chunks = [paths[i:i + CHUNK] for i in range(0, len(paths), CHUNK)]
    if jobs <= 1:
        for chunk in chunks:
            yield [(p, check(p)) for p in chunk]
        return
    from collections import deque

    from .workers import pool as worker_pool

    with worker_pool(jobs) as pool:
        pending: deque = deque()
        for chunk in chunks:
            pending.append((chunk, pool.submit(check_chunk, chunk, check)))
            if len(pending) >= AHEAD * jobs:
                done, future = pending.popleft()
                yield list(zip(done, future.result()))
        while pending:
            done, future = pending.popleft()
            yield list(zip(done, future.result()))


def _store_batch(db, batch: list[tuple[Path, tuple]], summary: ImportSummary,
                 on_rejected: Callable[[Rejection], None] | None) -> None:
    """Write one batch of checked files, in order: one query finds those already stored, one inserts the rest."""
    ids = [o[1] for _, o in batch if o[0] == "ok"]
    marks = ", ".join("?" * len(ids))
    known = dict(db.execute(f"SELECT attempt_id, checksum FROM attempts WHERE attempt_id IN ({marks})", ids))
    rows = []
    for path, outcome in batch:
        try:
            if outcome[0] == "rejected":
                raise Rejected(outcome[1], outcome[2])
            _, attempt_id, checksum, row = outcome
            if attempt_id in known:  # stored before, or earlier in this import
                if known[attempt_id] != checksum:
                    raise Rejected("conflict", f"attempt {attempt_id} is already in the store with different content")
                summary.already += 1
                continue
            known[attempt_id] = checksum
            rows.append(row)
        except Rejected as r:
            rejection = Rejection(str(path), r.reason, r.message)
            summary.rejected.append(rejection)
            if on_rejected:
                on_rejected(rejection)
    db.executemany(INSERT, rows)
    summary.imported += len(rows)


def import_files(store: Store, paths: list[Path | Received], expected: Expected, *, max_bytes: int = MAX_BYTES,
                 jobs: int = 1, on_rejected: Callable[[Rejection], None] | None = None,
                 progress: Callable[[int], None] | None = None) -> ImportSummary:
    """Import every file in one transaction; rejections are collected (and reported as they come).

    With ``jobs`` > 1 the files are checked by that many worker processes; the store is
    written by this one, in file order, so the outcome is the same either way.
    """
    summary = ImportSummary()
    stamp = now()
    db = store.db
    check = partial(check_path, expected=expected, max_bytes=max_bytes, stamp=stamp)
    with store.transaction():
        for batch in _outcomes(list(paths), check, jobs):
            _store_batch(db, batch, summary, on_rejected)
            if progress:
                progress(len(batch))
        if summary.imported:
            store.audit("import", {"imported": summary.imported, "already": summary.already,
                                   "rejected": len(summary.rejected)})
    return summary
