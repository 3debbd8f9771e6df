"""The trainee's own pages: a progress dashboard and "Review my mistakes".

Progress lives in the trainee's browser (localStorage), so these pages carry what
the quiz runtime needs to show it: the course's lessons, domains and questions with
their fingerprints, as links MkDocs resolves and a JSON block. The review page
embeds every practice question, hidden; the runtime shows those due for review.
"""
from __future__ import annotations

import html
import json

from .context import Course, Page, PageContext
from .lesson import lesson_path
from .questions import render_question

PROGRESS_PATH = "progress.md"
REVIEW_PATH = "review.md"


def course_index(course: Course) -> dict:
    """Lessons in course order with their domain and (question id, fingerprint) pairs."""
    meta = course.tree.course.model
    lessons = []
    for lesson in course.tree.ordered_lessons():
        bank = course.tree.practice_bank(lesson.id)
        lessons.append({"id": lesson.id, "title": lesson.title, "domain": lesson.domain,
                        "q": [[q.id, course.fingerprint(q)] for q in (bank.questions if bank else [])]})
    return {"course": meta.id, "domains": [{"id": d.id, "title": d.title} for d in meta.domains],
            "lessons": lessons}


def _json(data: dict) -> str:
    """JSON for a data attribute: Material's instant navigation would run a <script> block."""
    return html.escape(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def progress_pages(course: Course) -> list[Page]:
    env = course.jinja
    lessons = course.tree.ordered_lessons()
    domains = {d.id: d.title for d in course.tree.course.model.domains}
    links = [dict(id=l.id, title=l.title, path=lesson_path(l), domain=l.domain,
                  domain_title=domains.get(l.domain, l.domain)) for l in lessons]
    used = {l.domain for l in lessons}
    index = _json(course_index(course))
    # with one lesson per domain a table by domain would only repeat the one by lesson
    dashboard = env.get_template("progress.md.j2").render(
        lessons=links, index=index, review=REVIEW_PATH, by_domain=len(used) < len(lessons),
        domains=[dict(id=d, title=t) for d, t in domains.items() if d in used])

    c = PageContext(course, "")
    pool = []
    for lesson in lessons:
        bank = course.tree.practice_bank(lesson.id)
        for q in bank.questions if bank else []:
            pool.append(render_question(q, bank, c))
    review = env.get_template("review.md.j2").render(
        pool=c.fragment("\n".join(pool)), index=index, c=c, progress=PROGRESS_PATH, lessons=links)
    return [Page(PROGRESS_PATH, dashboard, "My progress"), Page(REVIEW_PATH, review, "Review my mistakes", c.fragments)]
