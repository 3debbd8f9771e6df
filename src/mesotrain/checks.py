"""Cross-file rules: ids unique, references resolve, objectives assessed, the exam fillable."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any, Iterator

from .errors import Problem
from .load import SOURCES_FILE, CourseTree
from .yamlsource import Document, Loc

TERM_REF = re.compile(r"\[\[([^\]|]+)(?:\|[^\]]*)?\]\]")


def _walk(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    yield loc, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _walk(v, loc + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _walk(v, loc + (i,))


def _known(ids: list[str], limit: int = 8) -> str:
    if not ids:
        return "none defined"
    shown = ", ".join(sorted(ids)[:limit])
    return shown + (", …" if len(ids) > limit else "")


def _docs(tree: CourseTree) -> list[Document]:
    loaded = [tree.course, tree.glossary, tree.exam, *tree.lessons, *tree.banks]
    return [l.doc for l in loaded if l is not None]


def _check_references(tree: CourseTree, out: list[Problem]) -> None:
    """Every cited source and every [[term]] anywhere in the course must exist."""
    source_ids = [s.id for s in tree.source_list]
    term_ids = [t.id for t in tree.terms]
    for doc in _docs(tree):
        for loc, value in _walk(doc.data):
            if (loc and loc[-1] == "sources" and isinstance(value, list)
                    and doc.file != SOURCES_FILE and tree.sources is not None):
                for i, sid in enumerate(value):
                    if isinstance(sid, str) and sid not in source_ids:
                        out.append(doc.problem(loc + (i,), f"unknown source '{sid}' (known: {_known(source_ids)})"))
            elif isinstance(value, str) and tree.glossary is not None:
                for ref in TERM_REF.findall(value):
                    if ref.strip() not in term_ids:
                        out.append(doc.problem(loc, f"unknown glossary term '{ref}' (known: {_known(term_ids)})"))
            elif isinstance(value, str) and "[[" in value and tree.glossary is None:
                out.append(doc.problem(loc, "links a glossary term but there is no content/glossary.yaml"))


def _check_unique(items: list[tuple[str, Document, Loc]], what: str, out: list[Problem]) -> None:
    first: dict[str, tuple[Document, Loc]] = {}
    for ident, doc, loc in items:
        if ident in first:
            fdoc, floc = first[ident]
            line, _ = fdoc.position(floc)
            out.append(doc.problem(loc, f"duplicate {what} id '{ident}' (first in {fdoc.file}:{line})"))
        else:
            first[ident] = (doc, loc)


def _check_lessons(tree: CourseTree, out: list[Problem]) -> dict[str, str]:
    """Lesson order, domains and objective ids; returns objective id → lesson id."""
    _check_unique([(l.model.id, l.doc, ("id",)) for l in tree.lessons], "lesson", out)
    objectives: dict[str, str] = {}
    obj_items = []
    for l in tree.lessons:
        for i, o in enumerate(l.model.objectives):
            obj_items.append((o.id, l.doc, ("objectives", i, "id")))
            objectives.setdefault(o.id, l.model.id)
    _check_unique(obj_items, "objective", out)
    if tree.course is None:
        return objectives
    course, doc = tree.course.model, tree.course.doc
    lesson_ids = [l.model.id for l in tree.lessons]
    for i, lid in enumerate(course.lessons):
        if lid not in lesson_ids:
            out.append(doc.problem(("lessons", i), f"unknown lesson '{lid}' (known: {_known(lesson_ids)})"))
    for lid, n in Counter(course.lessons).items():
        if n > 1:
            out.append(doc.problem(("lessons",), f"lesson '{lid}' is listed {n} times"))
    domains = [d.id for d in course.domains]
    for l in tree.lessons:
        if l.model.id not in course.lessons:
            out.append(l.doc.problem(("id",), f"lesson '{l.model.id}' is not listed in course.yaml lessons",
                                     severity="warning"))
        if l.model.domain not in domains:
            out.append(l.doc.problem(("domain",), f"unknown domain '{l.model.domain}' (known: {_known(domains)})"))
    return objectives


def _check_questions(tree: CourseTree, objectives: dict[str, str], out: list[Problem]) -> None:
    items = []
    assessed: Counter[str] = Counter()
    stems: dict[str, tuple[Document, Loc, str]] = {}
    lesson_ids = [l.model.id for l in tree.lessons]
    for b in tree.banks:
        bank, doc = b.model, b.doc
        if bank.kind == "practice" and bank.lesson not in lesson_ids:
            out.append(doc.problem(("lesson",), f"unknown lesson '{bank.lesson}' (known: {_known(lesson_ids)})"))
        for i, q in enumerate(bank.questions):
            items.append((q.id, doc, ("questions", i, "id")))
            assessed[q.objective] += 1
            if q.objective not in objectives:
                out.append(doc.problem(("questions", i, "objective"),
                                       f"unknown objective '{q.objective}' (known: {_known(list(objectives))})"))
            elif bank.kind == "practice" and objectives[q.objective] != bank.lesson:
                out.append(doc.problem(("questions", i, "objective"),
                                       f"objective '{q.objective}' belongs to lesson '{objectives[q.objective]}', "
                                       f"not to this bank's lesson '{bank.lesson}'"))
            key = " ".join(q.stem.lower().split())
            if key in stems:
                fdoc, floc, fkind = stems[key]
                crossed = fkind != bank.kind
                out.append(doc.problem(("questions", i, "stem"),
                                       f"same stem as {fdoc.file}:{fdoc.position(floc)[0]}"
                                       + ("; exam items must not repeat practice questions" if crossed else ""),
                                       severity="error" if crossed else "warning"))
            else:
                stems[key] = (doc, ("questions", i, "stem"), bank.kind)
            for part in getattr(q, "parts", []):
                items.append((f"{q.id}.{part.id}", doc, ("questions", i, "parts")))
            _check_images(tree, q, doc, ("questions", i), out)
    _check_unique(items, "question", out)
    for l in tree.lessons:
        for i, o in enumerate(l.model.objectives):
            if assessed[o.id] == 0:
                out.append(l.doc.problem(("objectives", i, "id"),
                                         f"objective '{o.id}' is not assessed by any question",
                                         severity="warning"))
    _check_quiz_blocks(tree, out)


def _check_images(tree: CourseTree, q: Any, doc: Document, loc: Loc, out: list[Problem]) -> None:
    parts = [(q, loc)] + [(p, loc + ("parts", j)) for j, p in enumerate(getattr(q, "parts", []))]
    for item, where in parts:
        image = getattr(item, "image", None)
        if image and not (tree.root / "content" / "images" / image).is_file():
            out.append(doc.problem(where + ("image",), f"image 'content/images/{image}' does not exist"))


def _check_quiz_blocks(tree: CourseTree, out: list[Problem]) -> None:
    for l in tree.lessons:
        bank = tree.practice_bank(l.model.id)
        ids = [q.id for q in bank.questions] if bank else []
        for si, section in enumerate(l.model.sections):
            for bi, block in enumerate(section.blocks):
                loc = ("sections", si, "blocks", bi)
                if block.kind == "quiz":
                    for qi, qid in enumerate(block.questions):
                        if qid not in ids:
                            out.append(l.doc.problem(loc + ("questions", qi),
                                                     f"question '{qid}' is not in this lesson's practice bank"))
                elif block.kind == "figure" and not (tree.root / "content" / "images" / block.src).is_file():
                    out.append(l.doc.problem(loc + ("src",), f"image 'content/images/{block.src}' does not exist"))


def _check_exam(tree: CourseTree, objectives: dict[str, str], out: list[Problem]) -> None:
    if tree.exam is None:
        return
    exam, doc = tree.exam.model, tree.exam.doc
    banks = {b.model.id: b.model for b in tree.banks}
    pool = []
    for i, bid in enumerate(exam.pool):
        if bid not in banks:
            out.append(doc.problem(("pool", i), f"unknown bank '{bid}' (known: {_known(list(banks))})"))
        elif banks[bid].kind != "exam":
            out.append(doc.problem(("pool", i), f"bank '{bid}' is a practice bank; the pool takes kind: exam banks"))
        else:
            pool.extend(banks[bid].questions)
    domains = [d.id for d in tree.course.model.domains] if tree.course else []
    per_domain: dict[str, int] = defaultdict(int)
    for q in pool:
        lesson = objectives.get(q.objective)
        per_domain[tree.domain_of(lesson) if lesson else None] += 1
    for i, row in enumerate(exam.blueprint):
        if domains and row.domain not in domains:
            out.append(doc.problem(("blueprint", i, "domain"), f"unknown domain '{row.domain}' (known: {_known(domains)})"))
        elif per_domain[row.domain] < row.items:
            out.append(doc.problem(("blueprint", i, "items"),
                                   f"the pool has {per_domain[row.domain]} item(s) in domain '{row.domain}' "
                                   f"but each form needs {row.items}"))
    pool_ids = [q.id for q in pool]
    for i, qid in enumerate(exam.must_pass):
        if qid not in pool_ids:
            out.append(doc.problem(("must_pass", i), f"must-pass item '{qid}' is not in the exam pool"))


def check_course(tree: CourseTree) -> list[Problem]:
    """Every cross-file problem in a loaded course (warnings included)."""
    out: list[Problem] = []
    _check_references(tree, out)
    objectives = _check_lessons(tree, out)
    _check_questions(tree, objectives, out)
    _check_exam(tree, objectives, out)
    return out
