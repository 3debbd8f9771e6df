"""A lesson page: reading time and objectives, its blocks, "In short", a self-check, the
next lesson, the rest of its practice bank and its sources."""
from __future__ import annotations

from ..model import Lesson
from .context import Course, Page, PageContext
from .questions import render_questions

LESSON_DIR = "lessons"


def lesson_path(lesson: Lesson) -> str:
    return f"{LESSON_DIR}/{lesson.id}.md"


def render_lesson(course: Course, lesson: Lesson, number: int, total: int,
                  next_lesson: Lesson | None = None) -> Page:
    bank = course.tree.practice_bank(lesson.id)
    by_id = {q.id: q for q in bank.questions} if bank else {}
    shown = {qid for s in lesson.sections for b in s.blocks if b.kind == "quiz" for qid in b.questions}
    shown.update(lesson.self_check or ())
    rest = [q for q in (bank.questions if bank else []) if q.id not in shown]

    c = PageContext(course, "../", lambda ids, ctx: render_questions(
        [by_id[i] for i in ids if i in by_id], bank, ctx))
    domains = {d.id: d.title for d in course.tree.course.model.domains}
    text = course.jinja.get_template("lesson.md.j2").render(
        lesson=lesson, c=c, number=number, total=total,
        domain=domains.get(lesson.domain, lesson.domain),
        minutes=lesson.reading_minutes(),
        next_lesson=next_lesson and {"title": next_lesson.title, "path": f"{next_lesson.id}.md"},
        practice=(lambda: c.fragment(render_questions(rest, bank, c))) if rest else None,
    )
    return Page(lesson_path(lesson), text, lesson.title, c.fragments)
