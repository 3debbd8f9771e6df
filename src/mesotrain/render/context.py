"""What every page renderer needs: the course, its glossary and sources, and Jinja2."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Protocol

import jinja2

from ..load import CourseTree
from ..inputs import TEMPLATES  # noqa: F401  (re-exported)
from ..model import Bank, Source
from ..page import FRAGMENT, Page, fill_fragments  # noqa: F401  (re-exported)
from ..sealing import fingerprint
from ..svgsafe import sanitise_file
from .markdown import CITE_REF, Citations, Fragments, Glossary, Numbers, cite_after, indent


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


class BuildMemo(Protocol):
    """What the renderers keep between builds (the build engine's memo answers this)."""

    def page(self, name: str, depends_on: Iterable[str], make: Callable[[], list[Page]]) -> list[Page]: ...
    def widget(self, key: tuple, make: Callable[[], str]) -> str: ...
    def value(self, key: tuple, make: Callable[[], Any]) -> Any: ...
    def inputs(self, names: Iterable[str]) -> tuple: ...


class OneBuild:
    """Keeps nothing between builds; within one, each widget is built once (the review page
    repeats every lesson's questions)."""

    def __init__(self):
        self._kept: dict = {}

    def page(self, name, depends_on, make):
        return make()

    def widget(self, key, make):
        if key not in self._kept:
            self._kept[key] = make()
        return self._kept[key]

    value = widget

    def inputs(self, names) -> tuple:
        return ()


@dataclass
class Course:
    """A loaded course prepared for rendering; shared by all pages of one build."""

    tree: CourseTree
    memo: BuildMemo = field(default_factory=OneBuild)

    @cached_property
    def glossary(self) -> Glossary:
        return Glossary({t.id: t for t in self.tree.terms}, self.numbers.plain)

    @cached_property
    def fragments(self) -> Fragments:
        return Fragments(self.glossary, self.numbers)

    @cached_property
    def sealed_fragments(self) -> Fragments:
        """For sealed exam widgets: a named source without a citation mark (nothing to link to)."""
        return Fragments(self.glossary, self.numbers, marks=False)

    @cached_property
    def numbers(self) -> Numbers:
        """Each source's one citation number, the same on every page."""
        return Numbers(self.sources)

    @cached_property
    def _banks(self) -> dict[int, tuple[Bank, str]]:
        """id of a question → its bank and the bank's file."""
        return {id(q): (b.model, b.doc.file) for b in self.tree.banks for q in b.model.questions}

    def fingerprint(self, q) -> str:
        """The question's content fingerprint, worked out once per version of its bank file."""
        bank, file = self._banks.get(id(q), (None, None))
        if bank is None or file not in self.tree.digests:
            return fingerprint(q)
        every = self.memo.value(("fingerprints", file, self.tree.digests[file]),
                                lambda: {x.id: fingerprint(x) for x in bank.questions})
        return every[q.id]

    @cached_property
    def sources(self) -> dict[str, Source]:
        return {s.id: s for s in self.tree.source_list}

    @property
    def jinja(self) -> jinja2.Environment:
        return _jinja()


TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


@lru_cache(maxsize=1)
def _jinja() -> jinja2.Environment:
    """One environment per process: its compiled templates outlive a serve rebuild."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
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
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR / "questions"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, auto_reload=False,
        undefined=jinja2.StrictUndefined)


_compiled_from: list = [None]


def forget_templates(version: object = None) -> None:
    """Compile mesotrain's templates afresh from their files unless ``version`` (the build
    engine's digest of them) is the one they were compiled from: they are read once per
    process, as they change only with mesotrain, so an edit to one must say so."""
    if version is None or version != _compiled_from[0]:
        _jinja.cache_clear()
        widget_jinja.cache_clear()
    _compiled_from[0] = version


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
