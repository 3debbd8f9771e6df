"""Cross-file rules: ids unique, references resolve, objectives assessed, the exam fillable.

These checks read the parsed YAML of every file, valid or not, so that one schema
error in a lesson does not hide (or fake) problems in the files that refer to it.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterator

from .errors import ContentError, Problem
from .exam.forms import BlueprintError, exam_pool, forms_for, parallel_problems
from .load import CourseTree, FileCache, load_course
from .safehtml import unsafe
from .svgsafe import sanitise_file
from .yamlsource import Document, Loc

TERM_REF = re.compile(r"\[\[([^\]|]+)(?:\|[^\]]*)?\]\]")
CITE_REF = re.compile(r"\[@([^\]\s]*)\]")

# Practitioner-course rules (issue 11): a source id written bare in text a page shows, a
# lesson without `in_short`, and one over 12 minutes' reading without an at-a-glance table
# are warnings (errors under --strict). A module switch so a test can turn them off.
CONTENT_RULES = True
MAX_READING_MINUTES = 12
# Keys whose values are ids, references or file names, never shown as text.
_NOT_TEXT = {"id", "sources", "objective", "lesson", "domain", "questions", "self_check", "src", "image",
             "kind", "type", "pool", "must_pass", "file", "lessons", "style", "accept", "case_sensitive"}
_LINK_TARGET = re.compile(r"\]\([^)]*\)|\]\[[^\]]*\]|(?:href|src|id)\s*=\s*(\"[^\"]*\"|'[^']*')")


def _seq(value: Any) -> list:
    """A raw YAML value as a list to walk: these checks read files that may have failed
    validation, so a list may be anything (the schema check reports it)."""
    return value if isinstance(value, list) else []


def _items(doc: Document, key: str) -> Iterator[tuple[int, dict]]:
    """The mapping entries of the list at ``key`` of a document's top level."""
    value = doc.data.get(key)
    for i, item in enumerate(value if isinstance(value, list) else []):
        if isinstance(item, dict):
            yield i, item


def _ids(docs: list[Document], key: str) -> list[str]:
    return [item["id"] for d in docs for _, item in _items(d, key) if isinstance(item.get("id"), str)]


def _known(ids: list[str], got: object = None, limit: int = 12) -> str:
    """What to say after "unknown X 'got'": the closest id first, then the known ids (the
    nearest ``limit`` of them when there are more)."""
    ids = sorted({i for i in ids if isinstance(i, str)})
    if not ids:
        return "known: none defined"
    near = difflib.get_close_matches(str(got), ids, n=1, cutoff=0.6) if got is not None else []
    hint = f"did you mean '{near[0]}'? " if near else ""
    if len(ids) > limit:
        ranked = sorted(ids, key=lambda i: -difflib.SequenceMatcher(None, str(got), i).ratio())
        shown = ", ".join(sorted(ranked[:limit])) + f", and {len(ids) - limit} more"
    else:
        shown = ", ".join(ids)
    return f"{hint}known: {shown}"


class _TextRules:
    """What the text rules need to know of the whole course: the source and term ids."""

    def __init__(self, tree: CourseTree):
        self.source_ids = _ids(tree.raw("sources"), "sources")
        self.term_ids = _ids(tree.raw("glossary"), "terms")
        self.sources, self.terms = set(self.source_ids), set(self.term_ids)
        self.has_sources, self.has_glossary = bool(tree.raw("sources")), bool(tree.raw("glossary"))
        self.content = CONTENT_RULES
        self.bare = _bare_ids(tuple(self.source_ids)) if self.content and self.source_ids else None
        # a file's text problems follow from its bytes and these (the build engine's memo keys on both)
        self.key = (tuple(self.source_ids), tuple(self.term_ids), self.has_sources, self.has_glossary, self.content)


def _bare_ids(ids: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"(?<![\w@#/.-])(" + "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
                      + r")(?![\w-])")


def _check_texts(tree: CourseTree, cache: FileCache | None = None) -> tuple[list[Problem], list[Problem], list[Problem]]:
    """The rules on every text of every file, in one walk of each document: references
    resolve (cited sources, [[terms]]), raw HTML is safe, no source id shows as text.
    Returns the three kinds of problem apart, in the order of the files."""
    rules = _TextRules(tree)
    refs: list[Problem] = []
    html: list[Problem] = []
    shown: list[Problem] = []
    for kind, doc in tree.documents:
        digest = tree.digests.get(doc.file)
        key = ("texts", doc.file, digest, kind, rules.key)
        found = cache.get(key) if cache is not None and digest is not None else None
        if found is None:
            found = _document_texts(kind, doc, rules)
            if cache is not None and digest is not None:
                cache[key] = found
        refs += found[0]
        html += found[1]
        shown += found[2]
    return refs, html, shown


def _document_texts(kind: str, doc: Document, rules: _TextRules) -> tuple[list[Problem], ...]:
    refs: list[Problem] = []
    html: list[Problem] = []
    shown: list[Problem] = []
    references = kind != "sources"  # sources.yaml defines the ids: nothing there refers to them
    sealed = kind == "bank" and isinstance(doc.data, dict) and doc.data.get("kind") == "exam"
    # (where, value, its nearest key, under a rationale or feedback key): parents before children
    stack: list[tuple[Loc, Any, Any, bool]] = [((), doc.data, None, False)]
    while stack:
        loc, value, key, hidden = stack.pop()
        if isinstance(value, dict):
            stack.extend((loc + (k,), v, k, hidden or k == "rationale" or k.startswith("feedback"))
                         if isinstance(k, str) else (loc + (k,), v, key, hidden)
                         for k, v in reversed(value.items()))
        elif isinstance(value, list):
            if references and rules.has_sources and loc and loc[-1] == "sources":
                for i, sid in enumerate(value):
                    if isinstance(sid, str) and sid not in rules.sources:
                        refs.append(doc.problem(loc + (i,), f"unknown source '{sid}' ({_known(rules.source_ids, sid)})"))
            stack.extend((loc + (i,), v, key, hidden) for i, v in reversed(list(enumerate(value))))
        elif isinstance(value, str):
            if references:
                _text_references(value, loc, doc, rules, refs)
            for message in unsafe(value):
                html.append(doc.problem(loc, message))
            if rules.bare is not None and key not in _NOT_TEXT and not (sealed and hidden) \
                    and not (kind == "sources" and loc[-1:] == ("short",)):
                _source_id_shown(kind, doc, loc, value, rules, shown)
    return refs, html, shown


def _text_references(value: str, loc: Loc, doc: Document, rules: _TextRules, out: list[Problem]) -> None:
    """Every [@source] and [[term]] in a text exists."""
    if "[@" in value and rules.has_sources:
        for ref in CITE_REF.findall(value):
            if ref not in rules.sources:
                out.append(doc.problem(loc, f"[@{ref}] names an unknown source ({_known(rules.source_ids, ref)})"))
    if "[[" in value:
        for ref in TERM_REF.findall(value):
            if not rules.has_glossary:
                out.append(doc.problem(loc, f"links glossary term '{ref}' but there is no content/glossary.yaml"))
            elif ref.strip() not in rules.terms:
                out.append(doc.problem(loc, f"unknown glossary term '{ref}' ({_known(rules.term_ids, ref)})"))


def _source_id_shown(kind: str, doc: Document, loc: Loc, value: str, rules: _TextRules, out: list[Problem]) -> None:
    """A source id written bare in text a page shows ("s001 says…"): a page names a source by
    [@id] (its short name and citation mark) or lets `sources:` carry the mark."""
    if "[@" not in value and "=" not in value and rules.bare.search(value) is None:
        return  # nearly every text: nothing to take out first, and no id in it
    m = rules.bare.search(_LINK_TARGET.sub("]", CITE_REF.sub("", value)))
    if m and not _only_ids(doc.data, loc[:-1], rules.sources):
        out.append(doc.problem(loc, f"source id '{m.group(1)}' shows as text on {_shown_where(kind, doc)}: "
                                    f"name the source with [@{m.group(1)}], or let sources: carry the mark",
                               severity="warning"))


def _check_unique(items: list[tuple[str, Document, Loc]], what: str, out: list[Problem]) -> None:
    first: dict[str, tuple[Document, Loc]] = {}
    for ident, doc, loc in items:
        if ident in first:
            fdoc, floc = first[ident]
            out.append(doc.problem(loc, f"duplicate {what} id '{ident}' (first in {fdoc.file}:{fdoc.position(floc)[0]})"))
        else:
            first[ident] = (doc, loc)


def _check_lessons(tree: CourseTree, out: list[Problem]) -> dict[str, str]:
    """Lesson order, domains and objective ids; returns objective id → lesson id."""
    lessons = tree.raw("lesson")
    _check_unique([(d.data["id"], d, ("id",)) for d in lessons if isinstance(d.data.get("id"), str)],
                  "lesson", out)
    objectives: dict[str, str] = {}
    found = []
    for d in lessons:
        for i, o in _items(d, "objectives"):
            if isinstance(o.get("id"), str):
                found.append((o["id"], d, ("objectives", i, "id")))
                objectives.setdefault(o["id"], d.data.get("id"))
    _check_unique(found, "objective", out)
    courses = tree.raw("course")
    if not courses:
        return objectives
    doc = courses[0]
    order = doc.data.get("lessons") if isinstance(doc.data.get("lessons"), list) else []
    lesson_ids = [d.data.get("id") for d in lessons]
    for i, lid in enumerate(order):
        if lid not in lesson_ids:
            out.append(doc.problem(("lessons", i), f"unknown lesson '{lid}' ({_known([x for x in lesson_ids if isinstance(x, str)], lid)})"))
    for lid, n in Counter(x for x in order if isinstance(x, str)).items():
        if n > 1:
            out.append(doc.problem(("lessons",), f"lesson '{lid}' is listed {n} times"))
    domains = _ids(courses, "domains")
    for d in lessons:
        lid = d.data.get("id")
        if isinstance(lid, str) and lid not in order:
            out.append(d.problem(("id",), f"lesson '{lid}' is not listed in course.yaml lessons", severity="warning"))
        domain = d.data.get("domain")
        if isinstance(domain, str) and domains and domain not in domains:
            out.append(d.problem(("domain",), f"unknown domain '{domain}' ({_known(domains, domain)})"))
    return objectives


def _check_questions(tree: CourseTree, objectives: dict[str, str], out: list[Problem]) -> None:
    ids: list[tuple[str, Document, Loc]] = []
    assessed: Counter[str] = Counter()
    stems: dict[str, tuple[Document, Loc, str]] = {}
    lesson_ids = [d.data.get("id") for d in tree.raw("lesson")]
    for doc in tree.raw("bank"):
        kind = doc.data.get("kind", "practice")
        lesson = doc.data.get("lesson")
        if kind == "practice" and isinstance(lesson, str) and lesson not in lesson_ids:
            out.append(doc.problem(("lesson",), f"unknown lesson '{lesson}' ({_known([x for x in lesson_ids if isinstance(x, str)], lesson)})"))
        for i, q in _items(doc, "questions"):
            loc = ("questions", i)
            if isinstance(q.get("id"), str):
                ids.append((q["id"], doc, loc + ("id",)))
                for j, part in enumerate(_seq(q.get("parts"))):
                    if isinstance(part, dict) and isinstance(part.get("id"), str):
                        ids.append((f"{q['id']}.{part['id']}", doc, loc + ("parts", j, "id")))
            objective = q.get("objective")
            if isinstance(objective, str):
                assessed[objective] += 1
                if objective not in objectives:
                    out.append(doc.problem(loc + ("objective",),
                                           f"unknown objective '{objective}' ({_known(list(objectives), objective)})"))
                elif kind == "practice" and isinstance(lesson, str) and objectives[objective] != lesson:
                    out.append(doc.problem(loc + ("objective",),
                                           f"objective '{objective}' belongs to lesson '{objectives[objective]}', "
                                           f"not to this bank's lesson '{lesson}'"))
            if isinstance(q.get("stem"), str):
                _check_stem(q["stem"], doc, loc + ("stem",), kind, stems, out)
            _check_images(tree, q, doc, loc, out)
    _check_unique(ids, "question", out)
    for d in tree.raw("lesson"):
        for i, o in _items(d, "objectives"):
            if isinstance(o.get("id"), str) and assessed[o["id"]] == 0:
                out.append(d.problem(("objectives", i, "id"), f"objective '{o['id']}' is not assessed by any question",
                                     severity="warning"))
    _check_quiz_blocks(tree, out)


def _check_stem(stem: str, doc: Document, loc: Loc, kind: str,
                stems: dict[str, tuple[Document, Loc, str]], out: list[Problem]) -> None:
    """The same stem twice is a warning; an exam item repeating a practice question is an error."""
    key = " ".join(stem.lower().split())
    if key not in stems:
        stems[key] = (doc, loc, kind)
        return
    fdoc, floc, fkind = stems[key]
    crossed = fkind != kind
    out.append(doc.problem(loc, f"same stem as {fdoc.file}:{fdoc.position(floc)[0]}"
                           + ("; exam items must not repeat practice questions" if crossed else ""),
                           severity="error" if crossed else "warning"))


def _check_images(tree: CourseTree, q: dict, doc: Document, loc: Loc, out: list[Problem]) -> None:
    parts = [(q, loc)] + [(p, loc + ("parts", j)) for j, p in enumerate(_seq(q.get("parts")))
                          if isinstance(p, dict)]
    for item, where in parts:
        image = item.get("image")
        if isinstance(image, str) and not (tree.root / "content" / "images" / image).is_file():
            out.append(doc.problem(where + ("image",), f"image 'content/images/{image}' does not exist"))
        elif isinstance(image, str):
            _check_svg(tree, image, doc, where + ("image",), False, out)


def _check_svg(tree: CourseTree, name: str, doc: Document, loc: Loc, figure: bool, out: list[Problem]) -> None:
    """An SVG that a page inlines: unusable or unsafe is an error; for a figure, what keeps
    it from following the palette is a warning with the content rules on (it is then shown
    as a plain image)."""
    if not name.lower().endswith(".svg"):
        return
    path = tree.root / "content" / "images" / name
    svg = sanitise_file(path, prefix="x", colours=not figure)
    for message in svg.unsafe:
        out.append(doc.problem(loc, f"content/images/{name}: {message}"))
    # A figure with fixed colours is not an error: it is shown as a plain image instead of
    # inlined (guide/authoring.md says how to make one follow the palette).


def _check_quiz_blocks(tree: CourseTree, out: list[Problem]) -> None:
    bank_questions: dict[str, list[str]] = defaultdict(list)
    for doc in tree.raw("bank"):
        lesson = doc.data.get("lesson")
        if doc.data.get("kind", "practice") == "practice" and isinstance(lesson, str):
            bank_questions[lesson] += [q.get("id") for _, q in _items(doc, "questions")]
    for d in tree.raw("lesson"):
        lesson_id = d.data.get("id")
        known = bank_questions.get(lesson_id, []) if isinstance(lesson_id, str) else []
        in_quiz = [qid for _, section in _items(d, "sections") for block in _seq(section.get("blocks"))
                   if isinstance(block, dict) and block.get("kind") == "quiz" for qid in _seq(block.get("questions"))]
        for qi, qid in enumerate(_seq(d.data.get("self_check"))):
            if qid not in known:
                out.append(d.problem(("self_check", qi), f"question '{qid}' is not in this lesson's practice bank"))
            elif qid in in_quiz:
                out.append(d.problem(("self_check", qi), f"question '{qid}' is already asked in a quiz block; "
                                                         "check yourself with others"))
        for si, section in _items(d, "sections"):
            for bi, block in enumerate(_seq(section.get("blocks"))):
                if not isinstance(block, dict):
                    continue
                loc = ("sections", si, "blocks", bi)
                if block.get("kind") == "quiz":
                    for qi, qid in enumerate(_seq(block.get("questions"))):
                        if isinstance(qid, str) and qid not in known:
                            out.append(d.problem(loc + ("questions", qi),
                                                 f"question '{qid}' is not in this lesson's practice bank"))
                elif block.get("kind") == "figure" and isinstance(block.get("src"), str):
                    if not (tree.root / "content" / "images" / block["src"]).is_file():
                        out.append(d.problem(loc + ("src",), f"image 'content/images/{block['src']}' does not exist"))
                    else:
                        _check_svg(tree, block["src"], d, loc + ("src",), True, out)


def _check_exam(tree: CourseTree, objectives: dict[str, str], out: list[Problem]) -> None:
    if tree.exam is None:
        return
    exam, doc = tree.exam.model, tree.exam.doc
    banks = {b.model.id: b.model for b in tree.banks}
    pool = []
    for i, bid in enumerate(exam.pool):
        if bid not in banks:
            out.append(doc.problem(("pool", i), f"unknown bank '{bid}' ({_known(list(banks), bid)})"))
        elif banks[bid].kind != "exam":
            out.append(doc.problem(("pool", i), f"bank '{bid}' is a practice bank; the pool takes kind: exam banks"))
        else:
            pool.extend(banks[bid].questions)
    domains = [d.id for d in tree.course.model.domains] if tree.course else []
    per_domain: Counter[str | None] = Counter(tree.domain_of(objectives.get(q.objective)) for q in pool)
    for i, (row, wanted) in enumerate(zip(exam.blueprint, exam.row_items())):
        if domains and row.domain not in domains:
            out.append(doc.problem(("blueprint", i, "domain"), f"unknown domain '{row.domain}' ({_known(domains, row.domain)})"))
        elif per_domain[row.domain] < wanted:
            out.append(doc.problem(("blueprint", i, "items" if row.items else "share"),
                                   f"the pool has {per_domain[row.domain]} item(s) in domain '{row.domain}' "
                                   f"but each form needs {wanted}"))
    pool_ids = [q.id for q in pool]
    for i, qid in enumerate(exam.must_pass):
        if qid not in pool_ids:
            out.append(doc.problem(("must_pass", i), f"must-pass item '{qid}' is not in the exam pool"))
    _check_exam_draw(tree, objectives, pool, out)


def _check_exam_draw(tree: CourseTree, objectives: dict[str, str], pool: list, out: list[Problem]) -> None:
    """Rules of the form draw (exam/forms.py): must-pass items go on every form; one scoring rule."""
    exam, doc = tree.exam.model, tree.exam.doc
    rows: dict[str, int] = {}
    for i, row in enumerate(exam.blueprint):
        if row.domain in rows:
            out.append(doc.problem(("blueprint", i, "domain"), f"domain '{row.domain}' has two blueprint rows"))
        rows.setdefault(row.domain, i)
    domain_of = {q.id: tree.domain_of(objectives.get(q.objective)) for q in pool}
    must: Counter[str | None] = Counter()
    for i, qid in enumerate(exam.must_pass):
        if qid in domain_of and domain_of[qid] not in rows:
            out.append(doc.problem(("must_pass", i), f"must-pass item '{qid}' is in domain '{domain_of[qid]}', "
                                                     "which the blueprint draws nothing from"))
        elif qid in domain_of:
            must[domain_of[qid]] += 1
    counts = exam.row_items()
    for domain, n in must.items():
        i = rows[domain]
        if n > counts[i]:
            out.append(doc.problem(("blueprint", i, "items" if exam.blueprint[i].items else "share"),
                                   f"domain '{domain}' has {n} must-pass items, which every form includes, "
                                   f"but each form takes only {counts[i]}"))
    _check_forms(tree, _check_apart(tree, domain_of, out), out)
    banks = [b.model for b in tree.banks if b.model.id in exam.pool and b.model.kind == "exam"]
    rules = {(b.multiple_scoring, b.negative_marking) for b in banks}
    if len(rules) > 1:
        out.append(doc.problem(("pool",), "the pool's banks disagree on multiple_scoring or negative_marking; "
                                          "an exam is scored by one rule"))


def check_course(tree: CourseTree, cache: FileCache | None = None) -> list[Problem]:
    """Every cross-file problem in a loaded course (warnings included). With ``cache`` (the
    build engine's memo) a file's text problems are found again only when its bytes changed."""
    refs, html, shown = _check_texts(tree, cache)
    out: list[Problem] = refs + html
    objectives = _check_lessons(tree, out)
    _check_questions(tree, objectives, out)
    _check_exam(tree, objectives, out)
    if CONTENT_RULES:
        out += shown
        _check_in_short(tree, out)
    return out


def _check_apart(tree: CourseTree, domain_of: dict[str, str | None], out: list[Problem]) -> bool:
    """``apart`` groups name pool items and never two must-pass items (both go on every form);
    true when the draw can be asked whether they leave every form enough items."""
    exam, doc = tree.exam.model, tree.exam.doc
    if not exam.apart:
        return False
    ok = True
    for i, group in enumerate(exam.apart):
        for j, qid in enumerate(group):
            if qid not in domain_of:
                ok = False
                out.append(doc.problem(("apart", i, j), f"'{qid}' is not in the exam pool ({_known(list(domain_of), qid)})"))
        musts = [q for q in group if q in exam.must_pass]
        if len(musts) > 1:
            ok = False
            out.append(doc.problem(("apart", i), f"must-pass items {', '.join(musts)} go on every form, "
                                                 "so they cannot be kept apart"))
    return ok


def _check_forms(tree: CourseTree, apart: bool, out: list[Problem]) -> None:
    """Draw the forms once: what stops the draw (``apart`` groups that starve a domain, a
    ``vignettes`` number the pool cannot give), then, with ``vignettes: N``, every form holds
    N vignettes and the same points per domain."""
    exam, doc = tree.exam.model, tree.exam.doc
    if exam.vignettes is None and not apart:
        return  # vignettes not declared: `mesotrain lint` asks for it
    try:
        forms = forms_for(tree)
    except BlueprintError as exc:
        message = str(exc)
        if message.startswith("apart:"):
            if apart:
                out.append(doc.problem(("apart",), message.removeprefix("apart: ")))
        elif exam.vignettes is not None and "vignette" in message:  # the rest are reported row by row above
            out.append(doc.problem(("vignettes",), message))
        return
    if exam.vignettes is not None:
        out.extend(parallel_problems(tree, forms, exam_pool(tree)))


def _shown_where(kind: str, doc: Document) -> str:
    """The page that shows a file's text."""
    data = doc.data if isinstance(doc.data, dict) else {}
    if kind == "lesson":
        return f"lessons/{data.get('id')}.md"
    if kind == "bank":
        return f"lessons/{data.get('lesson')}.md" if data.get("kind", "practice") == "practice" else "the exam page"
    return {"glossary": "glossary.md", "sources": "sources.md", "course": "index.md", "exam": "the exam page"}.get(
        kind, doc.file)


def _only_ids(data: Any, loc: Loc, ids) -> bool:
    """Whether the value at ``loc`` is a list of nothing but source ids (a misspelt `sources:`):
    a reference, not text. Looked up only for a text that shows an id, which is rare."""
    for part in loc:
        data = data[part]
    return isinstance(data, list) and bool(data) and all(isinstance(i, str) and i in ids for i in data)


def _check_in_short(tree: CourseTree, out: list[Problem]) -> None:
    """Every lesson ends with "In short"; one over 12 minutes' reading is split or has an
    at-a-glance table."""
    for d in tree.raw("lesson"):
        if isinstance(d.data, dict) and "in_short" not in d.data:
            out.append(d.problem(("id",), "lesson has no in_short: end it with 3–6 key points", severity="warning"))
    for lesson in tree.lessons:
        minutes = lesson.model.reading_minutes()
        glance = any(b.kind == "table" and b.caption.lower().startswith("at a glance")
                     for s in lesson.model.sections for b in s.blocks)
        if minutes > MAX_READING_MINUTES and not glance:
            out.append(lesson.doc.problem(("id",), f"lesson reads in {minutes} minutes: split it, or add a table "
                                                   "block captioned 'At a glance'", severity="warning"))


_REFERENCE = re.compile(r"unknown [a-z ]+ '([^']*)'")


def _without_follow_ons(tree: CourseTree, found: list[Problem]) -> list[Problem]:
    """Cross-file problems less those an unparsed file probably causes: unknown ids that
    appear in its text, and the exam draw (which counts items that file may hold). Its
    syntax error says how many were held back."""
    if not tree.unparsed:
        return found
    texts = list(tree.unparsed.values())
    kept = []
    for p in found:
        ref = _REFERENCE.search(p.message)
        if (ref and any(ref.group(1) in t for t in texts)) or p.path.startswith(("blueprint", "must_pass")):
            continue
        kept.append(p)
    held = len(found) - len(kept)
    if held:
        for i, p in enumerate(tree.problems):
            if p.file in tree.unparsed and p.severity == "error":
                tree.problems[i] = Problem(p.file, p.line, p.col, p.path, p.message + f" ({held} message(s) "
                                           "about what this file defines wait until it is valid YAML)")
                break
    return kept


def load_checked(root: Path, *, strict: bool = False,
                 cache: FileCache | None = None) -> tuple[CourseTree, list[Problem]]:
    """Load and run every cross-file check. Raises ContentError on errors; returns warnings."""
    tree = load_course(root, cache)
    problems = tree.problems + _without_follow_ons(tree, check_course(tree, cache))
    if strict:
        problems = [Problem(q.file, q.line, q.col, q.path, q.message) for q in problems]
    errors = [q for q in problems if q.severity == "error"]
    if errors:
        raise ContentError(problems)
    return tree, sorted(problems)
