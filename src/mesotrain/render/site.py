"""Every page of a course site, as Markdown, in the order the nav shows them."""
from __future__ import annotations

from collections import defaultdict

from ..load import CourseTree
from .context import TEMPLATES, BuildMemo, Course, OneBuild, Page, PageContext
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

COURSE = "content/course.yaml"
EVERY_PAGE = (COURSE, "content/glossary.yaml", "content/sources.yaml")
"""What any page may show: the course's settings, term links, citation titles."""
IMAGES = "content/images/"  # figures in lessons, hotspots in questions
T = TEMPLATES
WIDGETS = T + "questions/"


def render_site(tree: CourseTree, memo: BuildMemo | None = None) -> list[Page]:
    """All pages of the site: home, lessons in course order, glossary, sources, extras.

    Each page names the files it is made from; with the build engine's memo, a page
    whose files are unchanged is taken from the last build instead of rendered.
    """
    course = Course(tree, memo or OneBuild())
    page_of = course.memo.page
    meta = tree.course.model
    env = course.jinja
    lessons = tree.ordered_lessons()
    files = {id(l.model): l.doc.file for l in tree.lessons} | {id(b.model): b.doc.file for b in tree.banks}

    def page(path: str, template: str, title: str, **values) -> list[Page]:
        """A page from one template; its fragments (citation marks) go with it."""
        c = PageContext(course, "")
        return [Page(path, env.get_template(template).render(c=c, **values), title, c.fragments)]

    pages = page_of("index", EVERY_PAGE + ("content/", "quizzes/", T + "index.md.j2"), lambda: page(
        "index.md", "index.md.j2", meta.title, course=meta, lessons=_lesson_rows(course)))
    for n, lesson in enumerate(lessons, 1):
        bank = tree.practice_bank(lesson.id)
        after = lessons[n] if n < len(lessons) else None  # its id and title make the next-lesson link
        # (its number and the total come from course.yaml)
        pages += page_of(f"lesson:{lesson.id}", EVERY_PAGE + (
            files[id(lesson)], files.get(id(bank), f"quizzes/(no bank for {lesson.id})"), IMAGES,
            files[id(after)] if after else "(last lesson)",
            T + "lesson.md.j2", T + "blocks.md.j2", WIDGETS),
            lambda: [render_lesson(course, lesson, n, len(lessons), after)])
    pages += page_of("progress", EVERY_PAGE + ("content/", "quizzes/", T + "progress.md.j2", T + "review.md.j2",
                                               WIDGETS), lambda: progress_pages(course))
    # The exam's items come from any bank and its domains from the lessons; the Verify page
    # carries the published certificate list (content/certificates.json).
    pages += page_of("exam", EVERY_PAGE + ("content/", "quizzes/", T + "exam.md.j2", T + "exam.html.j2",
                                           T + "verify.md.j2", T + "verify.html.j2", WIDGETS),
                     lambda: exam_pages(course))
    if tree.terms:
        terms = sorted(tree.terms, key=lambda t: t.term.lower())
        pages += page_of("glossary", EVERY_PAGE + (T + "glossary.md.j2",), lambda: page(
            "glossary.md", "glossary.md.j2", "Glossary", terms=terms))
    pages += page_of("sources", EVERY_PAGE + tuple(files[id(l)] for l in lessons) + (T + "sources.md.j2",),
                     lambda: page("sources.md", "sources.md.j2", "Sources", sources=tree.source_list,
                                  cited=_cited_by(course)))
    return pages
