"""A build cache on disk: when no input has changed since the last build, reuse its pages.

The key is a digest of everything a page can depend on: every file under content/ and
quizzes/ (bytes), and mesotrain's own code, templates and assets (path, size, mtime).
Only a successful render is stored, with its warnings, so a cached build says what a
fresh one would. A missing, stale or unreadable cache is simply a miss.

Beside it live compiled Jinja templates (the theme's and mesotrain's), as Python keeps
.pyc files: each is keyed by its template's source, so an edited template is compiled
afresh, and they save the compile on every build after the first, changed course or not.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from .errors import Problem
from .page import Page

PACKAGE = Path(__file__).resolve().parent
CACHE_DIR = Path(".cache") / "mesotrain"
FORMAT = b"mesotrain-build-cache-1"


def digest(root: Path, *, strict: bool) -> str:
    h = hashlib.sha256(FORMAT + (b"strict" if strict else b"lenient"))
    for top in ("content", "quizzes"):
        folder = root / top
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file():
                h.update(str(path.relative_to(root)).encode() + b"\0")
                h.update(path.read_bytes())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            st = path.stat()
            h.update(f"{path.relative_to(PACKAGE)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


def templates(root: Path):
    """A bytecode cache for Jinja environments, in the project's cache folder; None if that
    folder cannot be made (a read-only checkout builds, only without the saving)."""
    import jinja2

    folder = root / CACHE_DIR / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def _file(root: Path) -> Path:
    return root / CACHE_DIR / "pages.pickle"


def load(root: Path, key: str) -> tuple[list[Page], list[Problem]] | None:
    """The pages and warnings of the build with this key, or None."""
    try:
        with open(_file(root), "rb") as f:
            stored_key, pages, warnings = pickle.load(f)
    except Exception:  # absent, truncated or from another version: a miss, never an error
        return None
    return (pages, warnings) if stored_key == key else None


def store(root: Path, key: str, pages: list[Page], warnings: list[Problem]) -> None:
    """Write atomically; a cache that cannot be written only costs the next build time."""
    target = _file(root)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump((key, pages, warnings), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except OSError:
        pass
