"""`mesotrain new`: start a lesson or a practice bank from a file that already validates."""
from __future__ import annotations

import re
from pathlib import Path

from .errors import UsageError
from .load import COURSE_FILE
from .model.base import ID_PATTERN
from .schemas import modeline

LESSON = """{modeline}
id: {id}
title: {title}
domain: {domain}
summary: One or two sentences on what this lesson teaches.
objectives:
  - id: {id}-o1
    text: State what this lesson's first objective asks the trainee to do.
sections:
  - title: First section
    blocks:
      - kind: text
        md: Write the first fact here, in your own words.
        sources: [{source}]
in_short:
  - The first key point a practitioner takes away.
  - The second key point.
  - The third key point.
"""

BANK = """{modeline}
id: {id}-practice
kind: practice
lesson: {id}
questions:
  - id: {id}-q01
    type: single
    objective: {objective}
    stem: Write the question here?
    options:
      - {{text: The one best answer, correct: true, feedback: Why it is right.}}
      - {{text: A plausible distractor, feedback: Why it is wrong.}}
      - {{text: Another plausible distractor, feedback: Why it is wrong.}}
    rationale: Why the key is the best answer, and where the source says so.
    sources: [{source}]
"""


def _check_id(ident: str) -> None:
    if not re.match(ID_PATTERN, ident):
        raise UsageError(f"'{ident}' is not a valid id: use lower-case letters, digits, '-', '_' or '.'")


def _first(pattern: str, path: Path, fallback: str) -> str:
    if path.is_file():
        m = re.search(pattern, path.read_text(encoding="utf-8"), re.M)
        if m:
            return m.group(1)
    return fallback


def new_lesson(root: Path, lesson_id: str, domain: str | None = None) -> Path:
    """Write content/NN-ID.yaml and append the lesson to course.yaml's lesson order."""
    _check_id(lesson_id)
    content = root / "content"
    existing = sorted(p for p in content.glob("[0-9][0-9]-*.yaml"))
    if any(p.stem.split("-", 1)[1] == lesson_id for p in existing):
        raise UsageError(f"a lesson file for '{lesson_id}' already exists")
    number = max((int(p.name[:2]) for p in existing), default=0) + 1
    path = content / f"{number:02d}-{lesson_id}.yaml"
    course = root / COURSE_FILE
    domain = domain or _first(r"^\s*-\s*\{?\s*id:\s*([a-z0-9][a-z0-9_.-]*)", course, "general")
    source = _first(r"^\s*-\s*\{?\s*id:\s*([a-z0-9][a-z0-9_.-]*)", content / "sources.yaml", "s000")
    title = lesson_id.replace("-", " ").capitalize()
    path.write_text(LESSON.format(modeline=modeline("lesson"), id=lesson_id, title=title,
                                  domain=domain, source=source), encoding="utf-8")
    if course.is_file():
        text = course.read_text(encoding="utf-8")
        flow = re.search(r"^lessons:\s*\[(.*)\]\s*$", text, re.M)
        if flow:
            text = text[:flow.start(1)] + flow.group(1).rstrip() + f", {lesson_id}" + text[flow.end(1):]
        elif re.search(r"^lessons:\s*$", text, re.M):
            text = text.rstrip("\n") + f"\n  - {lesson_id}\n"
        course.write_text(text, encoding="utf-8")
    return path


def new_bank(root: Path, lesson_id: str) -> Path:
    """Write quizzes/NN-ID.yaml: a practice bank with one valid question for the lesson."""
    _check_id(lesson_id)
    lessons = [p for p in (root / "content").glob("*.yaml") if p.stem.split("-", 1)[-1] == lesson_id]
    if not lessons:
        raise UsageError(f"no lesson '{lesson_id}' in content/; create it first with 'mesotrain new lesson {lesson_id}'")
    path = root / "quizzes" / lessons[0].name
    if path.exists():
        raise UsageError(f"'{path}' already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    objective = _first(r"^\s*-\s*\{?\s*id:\s*([a-z0-9][a-z0-9_.-]*)", lessons[0], f"{lesson_id}-o1")
    source = _first(r"^\s*-\s*\{?\s*id:\s*([a-z0-9][a-z0-9_.-]*)", root / "content" / "sources.yaml", "s000")
    path.write_text(BANK.format(modeline=modeline("bank"), id=lesson_id, objective=objective,
                                source=source), encoding="utf-8")
    return path
