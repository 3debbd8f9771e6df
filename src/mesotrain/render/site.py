"""Every page of a course site, as Markdown, in the order the nav shows them."""
from __future__ import annotations

from collections import defaultdict
from typing import Callable

from ..load import CourseTree
from .context import Course, Page, PageContext
from .exam import exam_pages
from .lesson import lesson_path, render_lesson
from .progress import progress_pages


def _lesson_rows(course: Course) -> list[dict]:
    domains = {d.id: d.title for d in course.tree.course.model.domains}
    rows = []
    for lesson in course.tree.ordered_lessons():
        bank = course.tree.practice_bank(lesson.id)
        rows.append(dict(title=lesson.title, path=lesson_path(lesson),
                         domain=domains.get(lesson.domain, lesson.domain),
                         questions=len(bank.questions) if bank else 0))
    return rows

def _cited_by(course: Course) -> dict[str, list[str]]:
    """Source id → links to the lessons that cite it."""
    cited: dict[str, list[str]] = defaultdict(list)
    for lesson in course.tree.ordered_lessons():
        ids = set()
        for section in lesson.sections:
            for block in section.blocks:
                ids.update(getattr(block, "sources", []) or [])
                for p in getattr(block, "positions", []) or []:
                    ids.update(p.sources)
        for sid in sorted(ids):
            cited[sid].append(f"[{lesson.title}]({lesson_path(lesson)})")
    return cited

class PageCache:
    """Pages from the previous build, reused when every model they depend on is unchanged.

    With a FileCache, unchanged files keep the very same model objects, so a page's
    inputs are compared by identity; the entry holds the models, so their ids stay
    theirs. Used by ``mkdocs serve``: an edited lesson re-renders that lesson only.
    """

    def __init__(self):
        self._pages: dict[str, tuple[tuple, list[Page]]] = {}
        self._widgets: tuple[tuple, dict] | None = None

    def widgets(self, shared: tuple, banks: tuple) -> dict:
        """This build's question widgets, starting from the last build's while the course-wide
        inputs (settings, glossary, sources, images) are unchanged: the review page repeats
        every practice question, and an edit to one lesson need not build them all again.
        Widgets of questions still in the course are kept; those of re-read files go.
        """
        store: dict = {}
        last = self._widgets
        if last is not None and _identity(last[0]) == _identity(shared):
            live = {id(b) for b in banks} | {id(q) for b in banks for q in b.questions}
            store = {k: v for k, v in last[1].items() if id(v[1] if v[1] is not None else v[0]) in live}
        self._widgets = (shared, store)
        return store

    def get(self, name: str, inputs: tuple, make: Callable[[], list[Page]]) -> list[Page]:
        key = _identity(inputs)
        hit = self._pages.get(name)
        if hit is not None and _identity(hit[0]) == key:
            return hit[1]
        pages = make()
        self._pages[name] = (inputs, pages)
        return pages


def _identity(inputs: tuple) -> tuple:
    return tuple(x if isinstance(x, (int, str, type(None))) else id(x) for x in inputs)


def _images_stamp(root) -> int:
    """Hotspot SVGs are inlined into pages: an edited, added or removed image, in any
    subfolder, must re-render them. (A number, so the page cache compares it by value.)"""
    images = root / "content" / "images"
    files = sorted(p for p in images.rglob("*") if p.is_file()) if images.is_dir() else []
    return hash(tuple((str(p), st.st_mtime_ns, st.st_size) for p in files for st in [p.stat()]))


def render_site(tree: CourseTree, cache: PageCache | None = None) -> list[Page]:
    """All pages of the site: home, lessons in course order, glossary, sources, extras."""
    cache = cache or PageCache()
    course = Course(tree)
    meta = tree.course.model
    env = course.jinja
    lessons = tree.ordered_lessons()
    banks = tuple(b.model for b in tree.banks)
    shared = (meta, tree.glossary and tree.glossary.model, tree.sources and tree.sources.model,
              _images_stamp(tree.root))
    course.widgets = cache.widgets(shared, banks)
    def page(path: str, template: str, title: str, **values) -> list[Page]:
        """A page from one template; its fragments (citation marks) go with it."""
        c = PageContext(course, "")
        return [Page(path, env.get_template(template).render(c=c, **values), title, c.fragments)]

    pages = cache.get("index", shared + tuple(lessons) + banks, lambda: page(
        "index.md", "index.md.j2", meta.title, course=meta, lessons=_lesson_rows(course)))
    for n, lesson in enumerate(lessons, 1):
        bank = tree.practice_bank(lesson.id)
        after = lessons[n] if n < len(lessons) else None  # its id and title make the next-lesson link
        link = (after.id, after.title) if after else (None, None)
        pages += cache.get(f"lesson:{lesson.id}", shared + (lesson, bank, n, len(lessons)) + link,
                           lambda: [render_lesson(course, lesson, n, len(lessons), after)])
    pages += cache.get("progress", shared + tuple(lessons) + banks, lambda: progress_pages(course))
    pages += exam_pages(course)  # reads the published certificate list from disk: always fresh
    if tree.terms:
        terms = sorted(tree.terms, key=lambda t: t.term.lower())
        pages += cache.get("glossary", shared, lambda: page("glossary.md", "glossary.md.j2", "Glossary",
                                                           terms=terms))
    pages += cache.get("sources", shared + tuple(lessons), lambda: page(
        "sources.md", "sources.md.j2", "Sources", sources=tree.source_list, cited=_cited_by(course)))
    return pages
