"""The build engine: course files in, pages out, doing again only what an edit touched.

Everything it keeps goes in one :class:`Memo`, under keys made of content digests:

- a course file is keyed by the digest of its bytes (its parsed, validated model);
- a page by the digests of the files it declares (:func:`mesotrain.render.render_site`
  names them: a lesson page its lesson, its bank, the course settings, glossary, sources,
  images and mesotrain's templates it uses);
- a question widget by the question's content fingerprint and the settings that change it;
- compiled Jinja templates by their source (the theme's, for the MkDocs adapter).

``mkdocs serve`` keeps one engine, and so one memo, in memory across rebuilds; ``mkdocs
build`` and ``mesotrain build-pages`` load the memo from .cache/mesotrain/ and write it
back after a successful build. Both take the same path through the same code. A memo
only ever holds what a successful build used, so it cannot grow without bound, and a
missing, damaged or foreign memo file is an empty memo.
"""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from .errors import Problem
from .inputs import TEMPLATES, file_digest
from .page import Page

PACKAGE = Path(__file__).resolve().parent
MEMO_FILE = Path(".cache") / "mesotrain" / "memo.pickle"
COURSE_FOLDERS = ("content", "quizzes")


def digest(*parts: Any) -> str:
    """A short, stable digest of strings, bytes and (nested) tuples of them."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else repr(part).encode())
        h.update(b"\0")
    return h.hexdigest()[:32]


@lru_cache(maxsize=1)
def code_version() -> str:
    """mesotrain's own code, Python's and Jinja's versions: a memo file from other code is not used."""
    h = hashlib.sha256(f"{sys.version}\0{jinja2.__version__}\0".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        h.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


class Memo:
    """Values by key, remembering which ones the current build used.

    ``finish()`` ends a build: what it did not use is dropped, and a memo with a ``path``
    is written there (atomically; a memo that cannot be written only costs time).
    """

    def __init__(self, path: Path | None = None):
        self.path = path
        self._values: dict[Any, Any] = self._read() if path else {}
        self._used: set = set()
        self._changed = False

    def _read(self) -> dict:
        try:
            with open(self.path, "rb") as f, long_lived():  # unpickling makes the whole memo at once
                version, values = pickle.load(f)
        except Exception:  # absent, truncated or foreign: an empty memo, never an error
            return {}
        return values if version == code_version() and isinstance(values, dict) else {}

    def __contains__(self, key) -> bool:
        return key in self._values

    def get(self, key, make: Callable[[], Any] | None = None) -> Any:
        """The value under ``key``, made (and kept) on a miss; None on a miss without ``make``."""
        if key in self._values:
            self._used.add(key)
            return self._values[key]
        if make is None:
            return None
        value = make()
        self.put(key, value)
        return value

    def put(self, key, value) -> None:
        self._values[key] = value
        self._used.add(key)
        self._changed = True

    __setitem__ = put

    def begin(self) -> None:
        """A new build: nothing used yet (a build that failed half-way leaves no trace)."""
        self._used = set()

    def keep_all(self) -> None:
        self._used = set(self._values)

    def touch(self, keys: Iterable) -> None:
        self._used.update(k for k in keys if k in self._values)

    def finish(self) -> None:
        kept = {k: v for k, v in self._values.items() if k in self._used}
        changed = self._changed or len(kept) != len(self._values)
        self._values, self._used, self._changed = kept, set(), False
        if self.path is None or not changed:  # an unchanged memo is not written again
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as f:
                pickle.dump((code_version(), self._values), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass

    def __len__(self) -> int:
        return len(self._values)


class NoMemo(Memo):
    """Keeps nothing: every build starts afresh (``cache: false``)."""

    def get(self, key, make=None):
        return make() if make is not None else None

    def put(self, key, value) -> None:
        pass

    __setitem__ = put


class TemplateCode(jinja2.BytecodeCache):
    """Compiled Jinja templates kept in the memo; a bucket's key covers its template's source."""

    def __init__(self, memo: Memo):
        self.memo = memo

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.memo.get(("jinja", bucket.key, bucket.checksum))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.memo.put(("jinja", bucket.key, bucket.checksum), bucket.bytecode_to_string())


@contextmanager
def long_lived() -> Iterator[None]:
    """Python's cycle collector paused while a build makes what it keeps.

    Loading, checking and rendering make hundreds of thousands of objects that live as long as
    the build (parsed files, models, pages) and next to no garbage cycles; the collector, run
    every few hundred allocations, walks all of them again and again: more than half the CPU of
    loading a 4,000-question course. Reference counting still frees everything else at once; the
    collector runs as usual after the build (and a build that fails turns it back on too).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def scan(root: Path) -> dict[str, str]:
    """Every course file (under content/ and quizzes/) and mesotrain template → digest of its bytes."""
    files = {}
    for top in COURSE_FOLDERS:
        folder = root / top
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file():
                try:
                    files[path.relative_to(root).as_posix()] = file_digest(path.read_bytes())
                except OSError:
                    continue  # vanished while we looked: the loader reports what it cannot read
    templates = PACKAGE / "templates"
    for path in sorted(templates.rglob("*")):
        if path.is_file():
            files[TEMPLATES + path.relative_to(templates).as_posix()] = file_digest(path.read_bytes())
    return files


@dataclass
class Inputs:
    """What pages and widgets may declare as inputs: file → digest; a name ending in / is a folder."""

    files: dict[str, str]
    _folders: dict[str, tuple] = field(default_factory=dict)

    def of(self, names: Iterable[str]) -> tuple:
        out = []
        for name in names:
            if name.endswith("/"):
                if name not in self._folders:
                    self._folders[name] = tuple((p, d) for p, d in self.files.items() if p.startswith(name))
                out.append((name, self._folders[name]))
            else:
                out.append((name, self.files.get(name)))
        return tuple(out)


class RenderMemo:
    """What the renderers see of the memo: pages by their declared inputs, widgets by key."""

    def __init__(self, memo: Memo, inputs: Inputs):
        self.memo = memo
        self.inputs_of = inputs
        self._widgets_used: list | None = None
        self.page_keys: list = []  # in the order the pages were asked for
        self.made: list[str] = []  # the pages rendered, not taken from the memo

    def page(self, name: str, depends_on: Iterable[str], make: Callable[[], list[Page]]) -> list[Page]:
        key = ("page", name, self.inputs_of.of(depends_on))
        self.page_keys.append(key)
        hit = self.memo.get(key)
        if hit is not None:
            pages, widgets = hit
            self.memo.touch(widgets)  # a page kept keeps the widgets it was built from
            return list(pages)
        outer, self._widgets_used = self._widgets_used, []
        try:
            pages = make()
            self.made.append(name)
            self.memo.put(key, (list(pages), tuple(self._widgets_used)))
        finally:
            used, self._widgets_used = self._widgets_used, outer
            if outer is not None:
                outer.extend(used)
        return list(pages)

    def widget(self, key: tuple, make: Callable[[], str]) -> str:
        key = ("widget",) + key
        if self._widgets_used is not None:
            self._widgets_used.append(key)
        return self.memo.get(key, make)

    def value(self, key: tuple, make: Callable[[], Any]) -> Any:
        return self.memo.get(("value",) + key, make)

    def inputs(self, names: Iterable[str]) -> tuple:
        return self.inputs_of.of(names)


@dataclass
class Site:
    pages: list[Page]
    warnings: list[Problem]
    rendered: list[str] = field(default_factory=list)
    """The pages this build rendered (by name: "index", "lesson:safety", …); the rest were kept."""


class Engine:
    """Builds a course's pages; keep one object to keep its memo between builds.

    ``build()`` gives the pages; ``finish()`` after the whole site is written keeps what
    the build used (compiled templates included) for the next one.
    """

    def __init__(self, root: Path, *, strict: bool = False, memo: Memo | None = None):
        self.root = Path(root)
        self.strict = strict
        self.memo = memo if memo is not None else Memo()

    @classmethod
    def on_disk(cls, root: Path, *, strict: bool = False) -> Engine:
        return cls(root, strict=strict, memo=Memo(Path(root) / MEMO_FILE))

    def build(self) -> Site:
        """Load, check and render; raises ContentError with every problem (the memo keeps
        what it had, so fixing the mistake brings the kept pages back)."""
        self.memo.begin()
        files = scan(self.root)
        templates = tuple((k, v) for k, v in files.items() if k.startswith(TEMPLATES))
        whole = ("site", self.strict, tuple(files.items()))
        last = self.memo.get(whole)
        if last is not None and all(k in self.memo for k in last[0]):  # nothing changed
            pages = [p for key in last[0] for p in self.memo.get(key)[0]]
            self.memo.keep_all()  # parsed files and widgets too, for the next edit
            return Site(pages, list(last[1]))

        from .checks import load_checked  # pydantic and the models take a while: only when needed
        from .render import render_site
        from .render.context import forget_templates

        with long_lived():
            # compiled afresh when one of mesotrain's own templates was edited (and always without a memo)
            forget_templates(None if isinstance(self.memo, NoMemo) else templates)
            tree, warnings = load_checked(self.root, strict=self.strict, cache=self.memo)
            files.update(tree.digests)  # the bytes the loader read, should a file have changed since
            rendering = RenderMemo(self.memo, Inputs(files))
            pages = render_site(tree, rendering)
            self.memo.put(whole, (tuple(rendering.page_keys), warnings))
            # What the build made lives until finish(): out of the collector's sight meanwhile,
            # or every collection while MkDocs writes the pages walks all of it again.
            gc.freeze()
        return Site(pages, warnings, rendering.made)

    def finish(self) -> None:
        """The build succeeded: keep what it used (on disk, for a memo with a file), and give
        the collector back what the build froze."""
        self.memo.finish()
        gc.unfreeze()

    def template_code(self) -> jinja2.BytecodeCache:
        """A compiled-template cache for a Jinja environment (the site theme's), in the memo."""
        return TemplateCode(self.memo)


def memo_for(root: Path, *, keep: bool, serving: bool) -> Memo:
    """The memo a build uses: none with ``keep`` off, in memory while serving, else on disk."""
    if not keep:
        return NoMemo()
    return Memo() if serving else Memo(Path(root) / MEMO_FILE)
