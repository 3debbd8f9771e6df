"""What every page renderer needs: the course, its glossary and sources, and Jinja2."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import jinja2

from ..load import CourseTree
from ..model import Source
from .markdown import Citations, Fragments, Glossary, cite_after, indent


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


@dataclass
class Course:
    """A loaded course prepared for rendering; shared by all pages of one build."""

    tree: CourseTree

    @cached_property
    def glossary(self) -> Glossary:
        return Glossary({t.id: t for t in self.tree.terms})

    @cached_property
    def fragments(self) -> Fragments:
        return Fragments(self.glossary)

    @cached_property
    def sources(self) -> dict[str, Source]:
        return {s.id: s for s in self.tree.source_list}

    @cached_property
    def jinja(self) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.PackageLoader("mesotrain", "templates"),
            autoescape=False,  # templates emit Markdown; HTML is escaped where it is built
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=jinja2.StrictUndefined,
        )
        env.filters["cite"] = cite_after
        env.filters["indent_md"] = indent
        env.filters["cell"] = _cell
        return env


@dataclass
class Page:
    """One generated page: its path under the docs root, its Markdown, its title."""

    path: str
    content: str
    title: str


class PageContext:
    """Helpers a template calls while rendering one page (citations are per page)."""

    def __init__(self, course: Course, prefix: str, questions=None):
        self.course = course
        self.prefix = prefix
        self.citations = Citations(course.sources)
        self._questions = questions

    def prose(self, md: str) -> str:
        return self.course.glossary.link(md.strip(), self.prefix)

    def inline(self, md: str) -> str:
        return self.course.fragments.html(md)

    def marks(self, ids) -> str:
        return self.citations.marks(list(ids))

    def source(self, sid: str) -> Source:
        return self.course.sources[sid]

    def questions(self, ids) -> str:
        return self._questions(ids, self) if self._questions else ""
