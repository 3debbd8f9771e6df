"""Every page of a course site, as Markdown, in the order the nav shows them."""
from __future__ import annotations

from collections import defaultdict

from ..load import CourseTree
from .context import Course, Page, PageContext
from .exam import exam_pages
from .lesson import lesson_path, render_lesson
from .questions import progress_pages

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

def render_site(tree: CourseTree) -> list[Page]:
    """All pages of the site: home, lessons in course order, glossary, sources, extras."""
    course = Course(tree)
    meta = tree.course.model
    env = course.jinja
    pages = [Page("index.md", env.get_template("index.md.j2").render(
        course=meta, lessons=_lesson_rows(course), c=PageContext(course, "")), meta.title)]
    lessons = tree.ordered_lessons()
    for n, lesson in enumerate(lessons, 1):
        pages.append(render_lesson(course, lesson, n, len(lessons)))
    pages.extend(progress_pages(course))
    pages.extend(exam_pages(course))
    if tree.terms:
        terms = sorted(tree.terms, key=lambda t: t.term.lower())
        pages.append(Page("glossary.md", env.get_template("glossary.md.j2").render(
            terms=terms, c=PageContext(course, "")), "Glossary"))
    pages.append(Page("sources.md", env.get_template("sources.md.j2").render(
        sources=tree.source_list, cited=_cited_by(course), c=PageContext(course, "")), "Sources"))
    return pages
