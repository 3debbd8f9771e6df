"""Load a course directory: YAML files → validated models, with every problem collected.

Nothing here stops at the first mistake: each file is parsed and validated on its
own, and each validation error is mapped back to the line and column of the YAML
node it is about.
"""
from __future__ import annotations

import difflib
import types
import typing
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import Problem, display_path
from .inputs import file_digest
from .model import Bank, Course, Exam, Glossary, Lesson, Source, Sources, Term
from .yamlsource import MAX_BYTES, Document, Loc, decode, read

M = TypeVar("M", bound=BaseModel)

COURSE_FILE = "content/course.yaml"
SOURCES_FILE = "content/sources.yaml"
GLOSSARY_FILE = "content/glossary.yaml"
EXAM_FILE = "quizzes/exam.yaml"
RESERVED = {COURSE_FILE, SOURCES_FILE, GLOSSARY_FILE}


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """A validated model and the document it came from (for positions in later checks)."""

    model: M
    doc: Document


@dataclass
class CourseTree:
    """Everything one course directory holds, validated file by file."""

    root: Path
    course: Loaded[Course] | None = None
    sources: Loaded[Sources] | None = None
    glossary: Loaded[Glossary] | None = None
    lessons: list[Loaded[Lesson]] = field(default_factory=list)
    banks: list[Loaded[Bank]] = field(default_factory=list)
    exam: Loaded[Exam] | None = None
    problems: list[Problem] = field(default_factory=list)
    unparsed: dict[str, str] = field(default_factory=dict)
    """Files that are not valid YAML, with their text: a reference to an id that such a
    file seems to define is not reported until it parses (it would bury the real error)."""
    documents: list[tuple[str, Document]] = field(default_factory=list)
    """Every file that parsed as YAML, valid or not, as (kind, document): the
    reference checks read these, so a file with one schema error still has its
    ids and references checked in the same run."""
    _practice: tuple[int, dict] = field(default=(-1, {}), repr=False, compare=False)
    digests: dict[str, str] = field(default_factory=dict)
    """Every file read, by its path under the course → digest of the bytes read."""

    def raw(self, kind: str) -> list[Document]:
        return [d for k, d in self.documents if k == kind and isinstance(d.data, dict)]

    @property
    def source_list(self) -> list[Source]:
        return list(self.sources.model.sources) if self.sources else []

    @property
    def terms(self) -> list[Term]:
        return list(self.glossary.model.terms) if self.glossary else []

    def ordered_lessons(self) -> list[Lesson]:
        """Lessons in course order; lessons the course does not list are left out."""
        by_id = {l.model.id: l.model for l in self.lessons}
        order = self.course.model.lessons if self.course else []
        return [by_id[i] for i in order if i in by_id]

    def practice_bank(self, lesson_id: str) -> Bank | None:
        if self._practice[0] != len(self.banks):  # asked for every lesson by several pages
            by_lesson: dict[str, Bank] = {}
            for b in self.banks:
                if b.model.kind == "practice":
                    by_lesson.setdefault(b.model.lesson, b.model)
            self._practice = (len(self.banks), by_lesson)
        return self._practice[1].get(lesson_id)

    def domain_of(self, lesson_id: str) -> str | None:
        for l in self.lessons:
            if l.model.id == lesson_id:
                return l.model.domain
        return None


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _tag(member: Any) -> str | None:
    member = _unwrap(member)
    if isinstance(member, type) and issubclass(member, BaseModel):
        for name in ("kind", "type"):
            f = member.model_fields.get(name)
            if f is not None and typing.get_origin(f.annotation) is typing.Literal:
                return typing.get_args(f.annotation)[0]
    return None


def _model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that a pydantic error location points into (for did-you-mean)."""
    tp: Any = root
    parts = list(loc)
    while parts:
        tp = _unwrap(tp)
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            members = [m for m in typing.get_args(tp) if m is not type(None)]
            tagged = {_tag(m): m for m in members}
            if parts[0] in tagged:
                tp = tagged[parts.pop(0)]
            else:
                tp = members[0]
            continue
        if origin is list:
            parts.pop(0)
            tp = typing.get_args(tp)[0]
            continue
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            name = parts.pop(0)
            if name not in tp.model_fields:
                return None
            tp = tp.model_fields[name].annotation
            continue
        return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _data_loc(data: Any, loc: Loc, *, keyed: bool) -> Loc:
    """Drop the union-tag steps pydantic inserts, keeping only steps that exist in the data.

    ``keyed`` errors (a missing or unknown key) keep their last step even though the data
    does not have it, so the message can name the key.
    """
    out: list[Any] = []
    node = data
    for step in loc:
        if isinstance(node, dict) and step in node:
            out.append(step)
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            out.append(step)
            node = node[step]
        elif keyed and isinstance(node, dict) and step == loc[-1]:
            out.append(step)
            node = None
    return tuple(out)


def _describe(err: dict, model: type[BaseModel], loc: Loc) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        key = loc[-1]
        owner = _model_at(model, err["loc"][:-1])
        known = list(owner.model_fields) if owner else []
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else (
            f" (allowed: {', '.join(known)})" if known else "")
        return f"unknown key '{key}'{hint}"
    if kind == "missing":
        return f"missing required key '{loc[-1]}'" if loc else "missing required key"
    if kind == "union_tag_invalid":
        ctx = err.get("ctx", {})
        return (f"unknown {ctx.get('discriminator', 'kind').strip(chr(39))} "
                f"{ctx.get('tag')!r} (expected one of: {ctx.get('expected_tags')})")
    if kind == "union_tag_not_found":
        return f"missing required key {err.get('ctx', {}).get('discriminator', 'kind')}"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    if kind not in ("value_error", "assertion_error") and "input" in err and not isinstance(
            err["input"], (dict, list)):
        msg += f" (got {err['input']!r})"
    return msg


def validate(doc: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Validate one document against a model; every error becomes a located problem."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            on_key = err["type"] == "extra_forbidden"
            missing = err["type"] == "missing"
            loc = _data_loc(doc.data, err["loc"], keyed=on_key or missing)
            where = loc[:-1] if missing and loc else loc
            p = doc.problem(where, _describe(err, model, loc), key=on_key)
            if missing and loc:
                p = Problem(p.file, p.line, p.col, p.path + ("." if p.path else "") + str(loc[-1]),
                            p.message)
            problems.append(p)
        return None, problems


@dataclass
class _Read:
    """One file as parsed and validated: its document, problems and model."""

    doc: Document | None
    problems: list[Problem]
    loaded: Loaded | None


FileCache = MutableMapping
"""("file", path, model name, digest of the bytes) → _Read. Passing one (the build engine's
memo) to successive load_course calls parses only files whose bytes changed, and keeps
an unchanged file's model the very same object."""


def _load(path: Path, tree: CourseTree, kind: str, model: type[M],
          cache: FileCache | None = None) -> Loaded[M] | None:
    shown = display_path(path, tree.root)
    try:
        data = path.read_bytes() if path.stat().st_size <= MAX_BYTES else None
    except OSError:
        data = None
    if data is None:
        doc, problems = read(path, shown)  # says why it cannot be read
        hit = _Read(doc, problems, None)
    else:
        tree.digests[shown] = fingerprint = file_digest(data)
        key = ("file", shown, model.__name__, fingerprint)
        hit = cache.get(key) if cache is not None else None
        if hit is None:
            hit = _validate(*decode(data, shown), model)
            if cache is not None:
                cache[key] = hit
    tree.problems.extend(hit.problems)
    if hit.doc is not None:
        tree.documents.append((kind, hit.doc))
    elif any(p.severity == "error" for p in hit.problems):
        try:
            text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            text = ""
        tree.unparsed[display_path(path, tree.root)] = text
    return hit.loaded


def _validate(doc: Document | None, problems: list[Problem], model: type[M]) -> _Read:
    if doc is None:
        return _Read(None, problems, None)
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), f"expected a mapping of keys for a {model.__name__.lower()}"))
        return _Read(doc, problems, None)
    obj, found = validate(doc, model)
    return _Read(doc, problems + found, Loaded(obj, doc) if obj is not None else None)


def load_course(root: Path, cache: FileCache | None = None) -> CourseTree:
    """Load every file of the course at ``root``; problems are collected, never raised."""
    root = Path(root)
    tree = CourseTree(root)
    for rel, attr, model in ((COURSE_FILE, "course", Course), (SOURCES_FILE, "sources", Sources)):
        if not (root / rel).is_file():
            tree.problems.append(Problem(rel, 0, 0, "", f"missing: every course needs {rel}"))
        else:
            setattr(tree, attr, _load(root / rel, tree, attr, model, cache))
    if (root / GLOSSARY_FILE).is_file():
        tree.glossary = _load(root / GLOSSARY_FILE, tree, "glossary", Glossary, cache)
    for path in sorted((root / "content").glob("*.yaml")):
        if display_path(path, root) not in RESERVED:
            loaded = _load(path, tree, "lesson", Lesson, cache)
            if loaded:
                tree.lessons.append(loaded)
    if (root / EXAM_FILE).is_file():
        tree.exam = _load(root / EXAM_FILE, tree, "exam", Exam, cache)
    for path in sorted((root / "quizzes").rglob("*.yaml")):
        if display_path(path, root) != EXAM_FILE:
            loaded = _load(path, tree, "bank", Bank, cache)
            if loaded:
                tree.banks.append(loaded)
    return tree
