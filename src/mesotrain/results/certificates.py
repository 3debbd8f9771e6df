"""Certificates: verification codes, issuing, the published list of hashed codes, verifying.

A code is HMAC-SHA256 (key: a secret that stays with the certifier) over the attempt,
course and candidate, written as 16 Crockford base-32 characters (80 bits):
unguessable, the same every time it is derived, and bound to the attempt it was
issued for. The site publishes only SHA-256 hashes of codes, with the date, course
version and score band, so anyone holding a certificate can check it on the site's
Verify page without a server, and the list names no one.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import MesotrainError, UsageError
from .store import Store, now

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
KEY_ENV = "MESOTRAIN_CERT_KEY"
LIST_FORMAT = "mesotrain-certificates"
HASH_PREFIX = "mesotrain-certificate:"


def default_key_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "mesotrain" / "certificate.key"


def load_key(path: Path, *, create: bool = False) -> tuple[bytes, bool]:
    """The certifier's secret (hex in a file); with ``create``, made on first use. Returns (key, created)."""
    if not path.exists():
        if not create:
            raise UsageError(f"no certificate key at '{path}'; issue certificates first or pass --key-file")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32) + "\n")
        return bytes.fromhex(path.read_text().strip()), True
    try:
        text = path.read_text().strip()
        key = bytes.fromhex(text)
    except (OSError, ValueError):
        raise UsageError(f"'{path}' is not a certificate key (64 hexadecimal characters)") from None
    if len(key) < 16:
        raise UsageError(f"the certificate key in '{path}' is too short")
    return key, False


_HEX_KEY = re.compile(r"[0-9a-fA-F]{32,128}")


@dataclass(frozen=True)
class KeySource:
    """Where the certifier's key comes from: a file (``path``) or the environment itself.
    ``label`` names it in messages; it never contains the key."""

    path: Path | None
    inline: bytes | None
    label: str


def key_source(option: Path | None) -> KeySource:
    """The key named by --key-file, else by MESOTRAIN_CERT_KEY, else the default file.

    MESOTRAIN_CERT_KEY holds either a path or the key itself; 32 to 128 hexadecimal
    characters and nothing else is read as the key (no key file is named like that).
    """
    if option is not None:
        return KeySource(Path(option), None, f"'{option}'")
    env = os.environ.get(KEY_ENV, "").strip()
    if _HEX_KEY.fullmatch(env):
        return KeySource(None, bytes.fromhex(env), f"the key in {KEY_ENV}")
    path = Path(env) if env else default_key_path()
    return KeySource(path, None, f"'{path}'")


def key_id(key: bytes) -> str:
    """A name for a key that reveals nothing of it: tells a changed key from an edited store."""
    return hmac.new(key, b"mesotrain-certificate-key-id", hashlib.sha256).hexdigest()[:16]


def key_is_private(path: Path) -> bool:
    return not (path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))


def make_code(key: bytes, attempt_id: str, course_id: str, candidate_id: str) -> str:
    msg = "\x1f".join(("v1", attempt_id, course_id, candidate_id)).encode("utf-8")
    n = int.from_bytes(hmac.new(key, msg, hashlib.sha256).digest()[:10], "big")
    chars = "".join(ALPHABET[(n >> (5 * i)) & 31] for i in reversed(range(16)))
    return "-".join(chars[i:i + 4] for i in range(0, 16, 4))


def normalise(code: str) -> str:
    """A code as typed (any case, spaces or dashes, O for 0, I or L for 1) → its 16 characters."""
    text = re.sub(r"[\s-]", "", code.upper()).translate(str.maketrans("OIL", "011"))
    return text if re.fullmatch(f"[{ALPHABET}]{{16}}", text) else ""


def code_hash(code: str) -> str:
    """What the site publishes for a code (exam.js computes the same from what a visitor types)."""
    return hashlib.sha256((HASH_PREFIX + normalise(code)).encode()).hexdigest()


@dataclass
class Issued:
    attempt_id: str
    code: str
    name: str
    candidate_id: str
    band: str
    date: str
    files: list[Path]
    new: bool


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_")[:40] or "candidate"


def eligible(st: Store, course_id: str, only: list[str] | None, *, include_late: bool,
             include_over_limit: bool) -> tuple[list[tuple], list[str]]:
    """Passed attempts of this course that may have a certificate, and why others were left out."""
    rows = st.db.execute(
        "SELECT a.attempt_id, a.candidate_name, a.candidate_id, a.submitted_at, g.fraction, a.late, g.over_limit, "
        "c.code, c.revoked_at FROM attempts a JOIN grades g USING (attempt_id) "
        "LEFT JOIN certificates c USING (attempt_id) WHERE g.passed = 1 AND a.course_id = ? "
        "ORDER BY a.submitted_at, a.attempt_id", (course_id,)).fetchall()
    keep, skipped = [], []
    for row in rows:
        aid, name, _, _, _, late, over, _, revoked = row
        if only is not None and aid not in only:
            continue
        if revoked:
            skipped.append(f"{aid[:8]} {name}: certificate revoked")
        elif late and not include_late:
            skipped.append(f"{aid[:8]} {name}: submitted after the time limit (--include-late to issue)")
        elif over and not include_over_limit:
            skipped.append(f"{aid[:8]} {name}: over the attempts allowed (--include-over-limit to issue)")
        else:
            keep.append(row)
    return keep, skipped


def issue(st: Store, sealed, key: bytes, out: Path, *, only: list[str] | None = None, pdf: bool = True,
          issuer: str | None = None, verify_url: str | None = None, include_late: bool = False,
          include_over_limit: bool = False) -> tuple[list[Issued], list[str]]:
    """Write a certificate (HTML, and PDF) for every eligible attempt; record new codes in the store."""
    from .certificate_doc import CannotPrint, CertificateText, write_html, write_pdf
    from .printable import printable

    rows, skipped = eligible(st, sealed.course_id, only, include_late=include_late,
                             include_over_limit=include_over_limit)
    out.mkdir(parents=True, exist_ok=True)
    issued = []
    stamp = now()
    with st.transaction():
        for aid, name, cid, submitted, fraction, _, _, existing, _ in rows:
            code = make_code(key, aid, sealed.course_id, cid)
            if existing and existing != code:
                raise MesotrainError(f"attempt {aid[:8]} already has a certificate made with another key; "
                                     "pass the --key-file it was issued with")
            band = sealed.exam.band(fraction)
            if not existing:
                st.db.execute("INSERT INTO certificates (attempt_id, code, code_hash, band, issued_at) "
                              "VALUES (?, ?, ?, ?, ?)", (aid, code, code_hash(code), band, stamp))
                st.audit("certificate", {"band": band, "code_hash": code_hash(code), "key_id": key_id(key)},
                         attempt_id=aid)
            name, shown_id = printable(name), printable(cid)  # stores from before 0.2 kept names as typed
            text = CertificateText(name=name, candidate_id=shown_id, course=sealed.course_title,
                                   version=sealed.course_version, exam=sealed.exam.title, date=submitted[:10],
                                   band=band, code=code, issuer=issuer, verify_url=verify_url)
            base = out / f"{_slug(cid)}-{aid[:8]}"
            files = [write_html(text, base.with_suffix(".html"))]
            if pdf:
                try:
                    files.append(write_pdf(text, base.with_suffix(".pdf")))
                except CannotPrint as exc:
                    skipped.append(f"the PDF of {aid[:8]} ({shown_id}): {exc}; its HTML certificate is in {out}")
            issued.append(Issued(aid, code, name, cid, band, submitted[:10], files, not existing))
    return issued, skipped


def publish(st: Store, sealed, path: Path) -> int:
    """Write the list of hashed codes the site's Verify page checks against; returns its length."""
    entries = {}
    for h, band, submitted, version, exam_id, revoked in st.db.execute(
            "SELECT c.code_hash, c.band, a.submitted_at, a.course_version, a.exam_id, c.revoked_at "
            "FROM certificates c JOIN attempts a USING (attempt_id) WHERE a.course_id = ? ORDER BY c.code_hash",
            (sealed.course_id,)):
        entries[h] = ({"revoked": revoked[:10]} if revoked else
                      {"date": submitted[:10], "band": band, "course_version": version, "exam": exam_id})
    doc = {"format": LIST_FORMAT, "format_version": 1, "course": sealed.course_id, "course_title": sealed.course_title,
           "hash": f"sha256('{HASH_PREFIX}' + code without dashes, upper case)", "certificates": entries}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    return len(entries)


@dataclass
class Verdict:
    ok: bool
    message: str


def verify(st: Store, key: bytes | None, code: str) -> Verdict:
    """Check a code against the store (and, with the key, that it was derived for its attempt)."""
    if not normalise(code):
        return Verdict(False, f"'{code}' is not a certificate code (16 letters and digits, e.g. ABCD-EFGH-JKMN-PQRS)")
    row = st.db.execute(
        "SELECT c.attempt_id, c.code, c.band, c.revoked_at, c.revoked_reason, a.candidate_name, a.candidate_id, "
        "a.course_id, a.course_version, a.exam_id, a.submitted_at FROM certificates c JOIN attempts a "
        "USING (attempt_id) WHERE c.code_hash = ?", (code_hash(code),)).fetchone()
    if row is None:
        return Verdict(False, "unknown code: no certificate in this store has it")
    aid, stored, band, revoked, why, name, cid, course, version, exam, submitted = row
    if key is not None and make_code(key, aid, course, cid) != stored:
        issued_with = _issuing_key_id(st, aid)
        if issued_with is not None and issued_with != key_id(key):
            return Verdict(False, f"this is not the key attempt {aid[:8]}'s certificate was issued with "
                                  f"(key id {issued_with}, this key {key_id(key)}): pass the --key-file it was "
                                  "issued with; the store itself may be fine")
        if issued_with is not None:
            return Verdict(False, f"the code does not match attempt {aid[:8]} with the key it was issued with: "
                                  "the store was edited since (see `results audit`)")
        return Verdict(False, f"the code does not match attempt {aid[:8]} with this key: "
                              "the store was edited or the key is another")
    if revoked:
        return Verdict(False, f"REVOKED on {revoked[:10]} ({why}); issued to {name} ({cid})")
    return Verdict(True, f"valid: {name} ({cid}) passed {exam} of {course} {version} on {submitted[:10]}, "
                         f"band {band}; attempt {aid}")


def _issuing_key_id(st: Store, attempt_id: str) -> str | None:
    """The id of the key the attempt's certificate was issued with, as the audit trail recorded it."""
    for (detail,) in st.db.execute("SELECT detail FROM audit WHERE action = 'certificate' AND attempt_id = ? "
                                   "ORDER BY id DESC", (attempt_id,)):
        try:
            found = json.loads(detail).get("key_id")
        except (ValueError, AttributeError):
            continue
        if isinstance(found, str):
            return found
    return None


def verify_published(path: Path, code: str) -> Verdict:
    """Check a code against a published list, as the site's Verify page does."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        entries = doc["certificates"]
    except (OSError, ValueError, KeyError, TypeError):
        raise UsageError(f"'{path}' is not a published certificate list") from None
    entry = entries.get(code_hash(code)) if normalise(code) else None
    if entry is None:
        return Verdict(False, "unknown code: not in the published list")
    if "revoked" in entry:
        return Verdict(False, f"REVOKED on {entry['revoked']}")
    return Verdict(True, f"valid: {doc.get('course_title', doc.get('course'))} {entry['course_version']}, "
                         f"{entry['date']}, band {entry['band']}")


def revoke(st: Store, attempt_id: str, reason: str) -> bool:
    with st.transaction():
        cur = st.db.execute("UPDATE certificates SET revoked_at = ?, revoked_reason = ? "
                            "WHERE attempt_id = ? AND revoked_at IS NULL", (now(), reason, attempt_id))
        if cur.rowcount:
            st.audit("revoke", {"why": reason}, attempt_id=attempt_id, reason=reason)
    return bool(cur.rowcount)
