"""Questions from another system → a bank of ours, with a list of what an instructor must look at.

Text from outside is untrusted: every text is made Markdown we would accept from an instructor
(HTML through the same allow-list the pages use, links only to http(s)/mailto) before any type
reads it, and whatever was taken out is said. Questions lack what our banks require (an
objective, sources, a rationale): the importer fills in the lesson's first objective and
sources so the bank passes ``mesotrain check``, and lists every question that needs them set.
"""
from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from ..errors import UsageError
from ..load import CourseTree
from ..model import Question
from ..model.base import ID_PATTERN
from ..safehtml import bad_url, clean, unsafe
from ..schemas import modeline
from ..types import TYPES
from ..types.foreign import Exchange, Foreign, decision

_QUESTION = TypeAdapter(Question)
_MD_LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))*)>?(?:\s+\"[^\"]*\")?\s*\)")
_MD_REF = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$", re.M)
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")
_PARAGRAPH = re.compile(r"\s*</p>\s*<p(?:\s[^>]*)?>\s*", re.I)
_BR = re.compile(r"<br\s*/?>", re.I)
_OURS = re.compile(r"\{\{|\[\[|\[@")  # our own markup ({{blank}}, [[term]], [@source]): not for outside text


@dataclass
class Imported:
    text: str                                   # the bank file
    path: Path
    questions: int = 0
    attention: list[str] = field(default_factory=list)   # "where: name: what to do", one per point
    skipped: int = 0


class Sanitiser:
    """Foreign text → our Markdown, noting what had to go. One per question (``notes``)."""

    def __init__(self):
        self.notes: list[str] = []

    def __call__(self, text: str | None, fmt: str = "html") -> str:
        if not text or not text.strip():
            return ""
        before = text
        if fmt == "plain":
            text = html.escape(text, quote=False)
        elif fmt in ("html", "moodle", "moodle_auto_format", "auto"):
            text = clean(text)
            text = _BR.sub("\n", _PARAGRAPH.sub("\n\n", text)).strip()
            text = re.sub(r"^<p(?:\s[^>]*)?>(.*)</p>$", r"\1", text, flags=re.S | re.I).strip()
            plain = html.unescape(text)  # entities back to characters, unless that makes markup
            text = plain if "<" not in plain and "&" not in plain else text
        else:  # markdown: its raw HTML through the same allow-list
            text = clean(text)
        text = self._links(text)
        if _OURS.search(text):
            text = _OURS.sub(lambda m: m.group(0)[0] + "\u200b" + m.group(0)[1:], text)
            self.notes.append("text that reads as our own markup ({{…}}, [[…]], [@…]) was kept as plain text")
        if unsafe(text):  # nothing should be left; if it is, keep only the words
            text = html.escape(re.sub(r"<[^>]*>", "", text), quote=False)
        found = unsafe(before) if fmt != "plain" else []
        if found:
            self.notes.append(f"unsafe markup was removed from '{_short(before)}' ({found[0]})")
        return text.strip()

    def _links(self, text: str) -> str:
        def link(m: re.Match) -> str:
            return m.group(2) if bad_url(m.group(3)) else m.group(0)
        text = _MD_LINK.sub(link, text)
        text = _MD_REF.sub(lambda m: "" if bad_url(m.group(1)) else m.group(0), text)
        return _AUTOLINK.sub(lambda m: "" if bad_url(m.group(1)) else m.group(0), text)


def _short(text: str, n: int = 50) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= n else text[:n - 1] + "…"


def read_foreign(f: Foreign, fmt: str) -> tuple[dict | None, list[str]]:
    """Our question's keys from the first type whose reader takes ``f``, and the readers' notes."""
    notes: list[str] = []
    for t in TYPES:
        slot = decision(t, fmt)
        if isinstance(slot, Exchange):
            got = slot.read(f, notes)
            if got is not None:
                return got, notes
    return None, notes


def default_path(tree: CourseTree, lesson_id: str) -> tuple[Path, str]:
    """Where an import for a lesson goes, and the bank's id: the lesson's practice bank file when
    it has none yet, else a second file beside it."""
    lessons = [p for p in (tree.root / "content").glob("*.yaml") if p.stem.split("-", 1)[-1] == lesson_id]
    stem = lessons[0].stem if lessons else lesson_id
    if tree.practice_bank(lesson_id) is None:
        return tree.root / "quizzes" / f"{stem}.yaml", f"{lesson_id}-practice"
    return tree.root / "quizzes" / f"{stem}-imported.yaml", f"{lesson_id}-imported"


def build(tree: CourseTree, lesson_id: str, items: list[Foreign], fmt: str, out: Path, bank_id: str) -> Imported:
    """The bank file for ``items``, and what needs an instructor's attention."""
    lesson = next((l.model for l in tree.lessons if l.model.id == lesson_id), None)
    if lesson is None:
        known = ", ".join(sorted(l.model.id for l in tree.lessons))
        raise UsageError(f"no lesson '{lesson_id}' in the course (lessons: {known})")
    objective = lesson.objectives[0].id
    sources = _lesson_sources(lesson) or [s.id for s in tree.source_list[:1]]
    taken = {q.id for b in tree.banks for q in _all(b.model.questions)}
    result = Imported("", out)
    entries = []
    for n, f in enumerate(items, 1):
        label = f"{f.where}: {f.name or f'question {n}'}"
        keys, notes = read_foreign(f, fmt)
        if keys is None:
            why = "; ".join(notes) or f"Moodle's {f.qtype or 'unknown'} question has no mesotrain type"
            result.attention.append(f"{label}: not imported: {why}")
            result.skipped += 1
            continue
        qid = _id(f.name, lesson_id, n, taken)
        todo = [*f.notes, *notes]
        if not keys.get("stem"):
            keys["stem"] = "Fill in the blanks." if keys["type"] == "cloze" else "Question text to write."
            todo.append("it had no question text apart from its answers; write the stem")
        question = {"id": qid, "type": keys.pop("type"), "objective": objective, "stem": keys.pop("stem"), **keys,
                    "rationale": f.general or "Rationale to write: why the key is the best answer.",
                    "sources": sources}
        if f.weight != 1:
            question["weight"] = f.weight
        todo.append(f"objective set to '{objective}', the lesson's first: choose the one it assesses")
        todo.append(f"sources set to the lesson's ({', '.join(sources)}): name those that back this question")
        if not f.general:
            todo.append("no general feedback to take as the rationale: write why the key is right")
        try:
            _QUESTION.validate_python(question)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"][1:])
            result.attention.append(f"{label}: not imported: {where + ': ' if where else ''}{first['msg']}")
            result.skipped += 1
            continue
        taken.add(qid)
        result.attention += [f"{label} → {qid}: {t}" for t in todo]
        entries.append((question, todo))
    result.questions = len(entries)
    result.text = _yaml(tree, out, bank_id, lesson_id, entries)
    return result


def _all(questions):
    for q in questions:
        yield q
        yield from getattr(q, "parts", None) or []


def _lesson_sources(lesson) -> list[str]:
    for section in lesson.sections:
        for block in section.blocks:
            found = getattr(block, "sources", None)
            if found:
                return list(found)
    return []


def _id(name: str, lesson_id: str, n: int, taken: set[str]) -> str:
    if name and re.match(ID_PATTERN, name) and len(name) <= 64 and name not in taken:
        return name
    n_free = n
    while f"{lesson_id}-i{n_free:02d}" in taken:
        n_free += 1
    return f"{lesson_id}-i{n_free:02d}"


def _yaml(tree: CourseTree, out: Path, bank_id: str, lesson_id: str, entries) -> str:
    schemas = os.path.relpath(tree.root.resolve() / "schemas", out.resolve().parent).replace(os.sep, "/")
    lines = [modeline("bank").split("$schema=")[0] + f"$schema={schemas}/bank.schema.json",
             "# Imported by `mesotrain bank import`. Each question's `# CHECK:` lines say what to review.",
             f"id: {bank_id}", "kind: practice", f"lesson: {lesson_id}", "questions:"]
    for question, todo in entries:
        lines += [f"  # CHECK: {t}" for t in todo]
        dumped = yaml.safe_dump([question], sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
        lines += ["  " + line if line else line for line in dumped.rstrip("\n").split("\n")]
    return "\n".join(lines) + "\n"
