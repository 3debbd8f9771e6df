"""Question widgets as HTML. (Placeholder until the quiz runtime lands: reads, does not score.)"""
from __future__ import annotations

import html

from ..model import Bank, Question
from .context import PageContext


def render_question(q: Question, bank: Bank, c: PageContext, *, mode: str = "practice") -> str:
    """One question as a native, no-JavaScript-needed HTML block."""
    f = c.course.fragments
    opts = "".join(f"<li>{f.html(o.text)}</li>" for o in getattr(q, "options", []) or [])
    return (f'<div class="mt-question" id="q-{q.id}" data-type="{q.type}">'
            f'<p class="mt-stem">{f.html(q.stem)}</p>'
            + (f"<ul>{opts}</ul>" if opts else "") + "</div>")


def render_questions(questions: list[Question], bank: Bank, c: PageContext) -> str:
    return "\n\n".join(render_question(q, bank, c) for q in questions)


def progress_pages(course) -> list:
    """Dashboard and review pages (added by the quiz runtime)."""
    return []
