"""What every page renderer needs: the course, its glossary and sources, and Jinja2."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import jinja2

from ..load import CourseTree
from ..model import Source
from ..svgsafe import sanitise_file
from ..page import FRAGMENT, Page, fill_fragments  # noqa: F401  (re-exported)
from .markdown import CITE_REF, Citations, Fragments, Glossary, Numbers, cite_after, indent


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


@dataclass
class Course:
    """A loaded course prepared for rendering; shared by all pages of one build."""

    tree: CourseTree

    @cached_property
    def glossary(self) -> Glossary:
        return Glossary({t.id: t for t in self.tree.terms}, self.numbers.plain)

    @cached_property
    def fragments(self) -> Fragments:
        return Fragments(self.glossary, self.numbers)

    @cached_property
    def numbers(self) -> Numbers:
        """Each source's one citation number, the same on every page."""
        return Numbers(self.sources)

    @cached_property
    def widgets(self) -> dict[tuple, tuple]:
        """Question widgets: (id of question, mode, id of bank) → (question, bank, HTML). An
        entry holds its question and bank, so their ids stay theirs. render_site may hand
        over the last build's (see PageCache.widgets)."""
        return {}

    @cached_property
    def sources(self) -> dict[str, Source]:
        return {s.id: s for s in self.tree.source_list}

    @property
    def jinja(self) -> jinja2.Environment:
        return _jinja()


@lru_cache(maxsize=1)
def _jinja() -> jinja2.Environment:
    """One environment per process: its compiled templates outlive a serve rebuild."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mesotrain", "templates"),
        autoescape=False,  # templates emit Markdown; HTML is escaped where it is built
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # shipped with the package: no stat per get_template
        undefined=jinja2.StrictUndefined,
    )
    env.filters["cite"] = cite_after
    env.filters["indent_md"] = indent
    env.filters["cell"] = _cell
    return env


@lru_cache(maxsize=1)
def widget_jinja() -> jinja2.Environment:
    """The question widgets' environment: HTML, autoescaped."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("mesotrain", "templates/questions"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, auto_reload=False,
        undefined=jinja2.StrictUndefined)


def reread_templates(on: bool) -> None:
    """Look at mesotrain's packaged template files again on every use (off by default: they
    change only with mesotrain itself). The plugin turns it on with ``cache: false``, for
    work on mesotrain's templates under ``mkdocs serve``."""
    _jinja().auto_reload = widget_jinja().auto_reload = on


def use_template_cache(cache: jinja2.BytecodeCache | None) -> None:
    """Keep mesotrain's compiled templates in ``cache`` (see buildcache.templates)."""
    env = _jinja()
    if env.bytecode_cache is not cache:
        env.bytecode_cache = cache
        env.cache.clear()  # templates compiled before were not written to it


class PageContext:
    """Helpers a template calls while rendering one page (it lists the sources it cites)."""

    def __init__(self, course: Course, prefix: str, questions=None):
        self.course = course
        self.prefix = prefix
        self.citations = Citations(course.numbers)
        self._questions = questions
        self._figures = 0
        self.fragments: list[str] = []

    def fragment(self, html: str) -> str:
        """A marker that the finished HTML replaces after Markdown has run."""
        if not html:
            return ""
        self.fragments.append(html)
        return f"<!--mt-fragment-{len(self.fragments) - 1}-->"

    def prose(self, md: str) -> str:
        text = self.course.glossary.link(md.strip(), self.prefix)
        return self.course.numbers.named(text, self.marks)

    def inline(self, md: str) -> str:
        if md and "[@" in md:
            self.citations.note(CITE_REF.findall(md))
        return self.course.fragments.html(md)

    def plain(self, text: str) -> str:
        """Text for an attribute or a plain-text spot: [@source] as "name [n]"."""
        return self.course.numbers.plain(text)

    def marks(self, ids) -> str:
        """Citation marks for Markdown: a fragment, as inline HTML costs Markdown and
        MkDocs' anchor scan much more than a comment does."""
        return self.fragment(self.citations.marks(list(ids)))

    def anchor(self, sid: str) -> str:
        """The target of a citation mark in the page's source list, showing its number."""
        return self.fragment(f'<span id="src-{sid}" class="mt-cite-n">[{self.course.numbers.number(sid)}]</span>')

    def source_list(self) -> str:
        """The page's cited sources by their course-wide numbers, linked to the bibliography."""
        lines = []
        for sid in self.citations.order:
            s = self.source(sid)
            date = f", {s.date}" if s.date else ""
            lines.append(f"- {self.anchor(sid)} [*{s.title}*]({self.prefix}sources.md#{sid}): "
                         f"{s.kind}{date}.")
        return "\n".join(lines)

    def source(self, sid: str) -> Source:
        return self.course.sources[sid]

    def figure(self, b) -> str | None:
        """A clean SVG figure inlined, with its caption, as one fragment; None for any other
        image (or an SVG that would not follow the palette), which the template shows as <img>."""
        if not b.src.lower().endswith(".svg"):
            return None
        self._figures += 1
        svg = sanitise_file(self.course.tree.root / "content" / "images" / b.src,
                            prefix=f"fig{self._figures}", label=self.plain(b.alt))
        if not svg.clean:
            return None
        return self.fragment(f'<figure class="mt-figure mt-fig">{svg.markup}{self.figcaption(b)}</figure>')

    def figcaption(self, b) -> str:
        label = '<strong class="mt-editorial-label">Editorial</strong> ' if b.editorial else ""
        text = self.inline(b.caption) if b.caption else ""
        marks = self.citations.marks(list(b.sources))
        if not (label or text or marks):
            return ""
        return f"<figcaption>{label}{text}{' ' + marks if marks and text else marks}</figcaption>"

    def questions(self, ids) -> str:
        return self.fragment(self._questions(ids, self)) if self._questions else ""
