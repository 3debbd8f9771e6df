"""Question banks in and out of other systems: GIFT and Moodle XML (and QTI 2.1 once its
writer lands), through Moodle's question model (types/foreign.py).

Each question type decides for itself what a format does with it (its ``gift`` / ``moodle``
part); this package only formats and parses. Whatever a format cannot carry comes back as
a :class:`Note` for the command's report, so nothing is left out silently.
"""
from __future__ import annotations

import html
import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..load import CourseTree
from ..model import Bank
from ..types import of
from ..types.foreign import Foreign, decision

# --format name → "module:function" in this package, imported when used. A format appears
# on the command line once its writer is listed here.
FORMATS = {
    "gift": "gift:write",
    "moodle-xml": "moodle:write",
    "qti21": "qti:write",
}
TITLES = {"gift": "GIFT", "moodle-xml": "Moodle XML", "qti21": "QTI 2.1"}
SLOTS = {"gift": "gift", "moodle-xml": "moodle", "qti21": "qti"}


@dataclass(frozen=True)
class Note:
    """Something about one question that a format could not keep, or that needs a look."""

    qid: str
    type: str
    message: str

    def __str__(self) -> str:
        return f"{self.qid} ({self.type}): {self.message}"


@dataclass
class Export:
    data: bytes
    suffix: str
    notes: list[Note] = field(default_factory=list)
    count: int = 0  # questions written


@dataclass
class Text:
    """Our Markdown made readable in another system: [[term|shown]] → its words, [@id] → the
    source's short name (citation numbers mean nothing outside the course)."""

    terms: dict[str, str]
    sources: dict[str, str]
    scoring: str = "partial"
    root: Path | None = None  # the course, for the images a format carries (QTI)

    @classmethod
    def of(cls, tree: CourseTree, bank: Bank) -> "Text":
        return cls({t.id: t.term for t in tree.terms},
                   {s.id: s.short or s.title for s in tree.source_list}, bank.multiple_scoring, tree.root)

    def md(self, text: str | None) -> str | None:
        if not text:
            return None
        from ..render.markdown import CITE_REF, TERM_REF  # the Markdown library, only when exporting

        text = TERM_REF.sub(lambda m: m.group(2) or self.terms.get(m.group(1).strip(), m.group(1)), text)
        return CITE_REF.sub(lambda m: self.sources.get(m.group(1), m.group(0)), text)

    def html(self, text: str | None) -> str | None:
        """The same text as HTML, through the allow-list every page uses (for formats that want HTML)."""
        md = self.md(text)
        if md is None:
            return None
        import markdown  # only when a format asks for HTML

        from ..safehtml import clean

        out = clean(markdown.markdown(md, extensions=["attr_list", "tables"], output_format="html"))
        return out[3:-4] if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1 else out

    def plain(self, text: str | None) -> str | None:
        """The same text without markup, for attributes and plain-text fields."""
        out = self.html(text)
        return None if out is None else html.unescape(re.sub(r"<[^>]+>", "", out)).strip()


def export(tree: CourseTree, bank: Bank, fmt: str) -> Export:
    """``bank`` written in ``fmt`` (a key of FORMATS)."""
    module, func = FORMATS[fmt].split(":")
    write = getattr(importlib.import_module(f"{__name__}.{module}"), func)
    return write(bank, Text.of(tree, bank))


def mapped(bank: Bank, fmt: str, text: Text, notes: list[Note]) -> Iterator[tuple[object, Foreign]]:
    """Each question of ``bank`` that ``fmt`` carries, in Moodle's model; a note for each other."""
    slot_name = SLOTS[fmt]
    for q in bank.questions:
        slot = decision(of(q), slot_name)
        if not hasattr(slot, "write"):
            notes.append(Note(q.id, q.type, f"not exported: {slot or 'this type has no ' + TITLES[fmt] + ' mapping'}"))
            continue
        f = slot.write(q, text)
        notes.extend(Note(q.id, q.type, n) for n in f.notes)
        yield q, f


def find_bank(tree: CourseTree, name: str) -> Bank | None:
    """A bank by its id, its lesson's id (the practice bank) or its file (from here or the course)."""
    wanted = {(tree.root / name).resolve(), Path(name).resolve()}
    for b in tree.banks:
        if b.model.id == name or (tree.root / b.doc.file).resolve() in wanted:
            return b.model
    return tree.practice_bank(name)


# bank import: a file's suffix → the format that reads it (its types' slot) and its reader.
MAX_BYTES = 20_000_000  # a question file past this is refused before it is read
READERS = {".gift": ("gift", "gift:read"), ".txt": ("gift", "gift:read"), ".xml": ("moodle", "moodle:read")}


def read_file(path: Path, display: str) -> tuple[list[Foreign], str]:
    """The questions of a GIFT or Moodle XML file, their texts made safe, and the format's slot name.
    Raises UsageError for an unknown suffix, ContentError (located) for a malformed file."""
    from ..errors import ContentError, Problem, UsageError
    from .importer import Sanitiser

    if path.suffix.lower() not in READERS:
        raise UsageError(f"'{display}': give a .gift (or .txt) GIFT file or a .xml Moodle XML file")
    slot, target = READERS[path.suffix.lower()]
    module, func = target.split(":")
    read = getattr(importlib.import_module(f"{__name__}.{module}"), func)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ContentError([Problem(display, 0, 0, "", f"larger than {MAX_BYTES // 1_000_000} MB; "
                                                            "export the bank in smaller categories")])
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read '{display}': {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ContentError([Problem(display, line, 1, "", "not UTF-8 text (save the file as UTF-8)")]) from None
    sanitise = Sanitiser()
    try:
        items = read(text, display, sanitise)
    except ValueError as exc:
        line, col = getattr(exc, "line", 0), getattr(exc, "col", 0)
        raise ContentError([Problem(display, line, col, "", str(exc))]) from None
    return items, slot
