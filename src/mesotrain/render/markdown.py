"""Markdown helpers shared by every page: glossary links, citations, fragments as HTML.

A source has one citation number in the whole course, its position in sources.yaml;
``[@id]`` in any Markdown field names the source (its ``short`` name) with that mark.

Prose stays Markdown (MkDocs renders it in one pass per page). Only small fragments
that live inside HTML widgets (options, feedback) are converted here, through one
reused converter, with plain text taking a fast path that skips Markdown entirely.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Callable

import markdown as _markdown

from ..model import Source, Term
from ..safehtml import clean

TERM_REF = re.compile(r"\[\[([^\]|]+)(?:\|([^\]]*))?\]\]")
CITE_REF = re.compile(r"\[@([a-z0-9][a-z0-9_.-]*)\]")
_CITED = re.compile(r'<a href="#src-([^"]+)"')
_PLAIN = re.compile(r"^[^*_`\[\]<>&#!|\\~\n]*$")


@dataclass
class Glossary:
    """Resolves [[term]] references into links (prose) or abbreviations (widgets)."""

    terms: dict[str, Term]
    plain: Callable[[str], str] = lambda text: text  # [@source] as plain text, for tooltips

    def link(self, text: str, prefix: str) -> str:
        """Markdown with [[term]] turned into a link to the glossary with a tooltip."""
        def sub(m: re.Match) -> str:
            term = self.terms.get(m.group(1).strip())
            shown = m.group(2) or (term.term if term else m.group(1))
            if term is None:
                return shown
            title = self.plain(term.definition).replace('"', "'")
            return f'[{shown}]({prefix}glossary.md#{term.id} "{title}")'
        return TERM_REF.sub(sub, text)

    def abbr(self, text: str) -> str:
        """Markdown with [[term]] turned into inline <abbr> with the definition as title."""
        def sub(m: re.Match) -> str:
            term = self.terms.get(m.group(1).strip())
            shown = m.group(2) or (term.term if term else m.group(1))
            if term is None:
                return shown
            return f'<abbr title="{html.escape(self.plain(term.definition))}">{html.escape(shown)}</abbr>'
        return TERM_REF.sub(sub, text)


class Fragments:
    """Markdown fragments → HTML, for text placed inside HTML widgets."""

    def __init__(self, glossary: Glossary, citations: "Numbers | None" = None, *, marks: bool = True):
        self.glossary = glossary
        self.citations = citations or Numbers({})
        # a sealed exam page has no source list to link to: sources are named without marks
        self._marks = None if marks else (lambda ids: "")
        self._md = _markdown.Markdown(extensions=["attr_list", "tables"], output_format="html")
        self._cache: dict[tuple[str, bool], str] = {}

    def html(self, text: str | None, *, inline: bool = True) -> str:
        if not text:
            return ""
        key = (text, inline)
        if key in self._cache:
            return self._cache[key]
        if _PLAIN.match(text):
            out = html.escape(text, quote=False)
            if not inline:
                out = f"<p>{out}</p>"
        else:
            self._md.reset()
            out = clean(self._md.convert(self.citations.named(self.glossary.abbr(text), self._marks)))
            if inline and out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
                out = out[3:-4]
        self._cache[key] = out
        return out

    def text(self, text: str | None) -> str:
        """Plain text (for attributes, hashes and search): markup dropped."""
        if not text:
            return ""
        return TERM_REF.sub(lambda m: m.group(2) or m.group(1), text)


class Numbers:
    """One citation number per source for the whole course: its position in sources.yaml."""

    def __init__(self, sources: dict[str, Source]):
        self.sources = sources
        self.numbers = {sid: n for n, sid in enumerate(sources, 1)}

    def number(self, sid: str) -> int | None:
        return self.numbers.get(sid)

    def marks(self, ids) -> str:
        """Superscript citation marks linking to the page's source list."""
        links = []
        for sid in ids:
            n = self.numbers.get(sid)
            if n is None:
                continue
            src = self.sources[sid]
            title = html.escape(f"[{n}] {src.title}")
            links.append(f'<a href="#src-{sid}" title="{title}">{n}</a>')
        return f'<sup class="mt-cite">[{", ".join(links)}]</sup>' if links else ""

    def name(self, sid: str) -> str | None:
        """How a sentence names a source: its short name, else its title."""
        src = self.sources.get(sid)
        return None if src is None else (src.short or src.title)

    def named(self, text: str, marks: Callable[[list[str]], str] | None = None) -> str:
        """``text`` with every [@source] replaced by the source's name and citation mark."""
        if "[@" not in text:
            return text
        marks = marks or self.marks

        def sub(m: re.Match) -> str:
            name = self.name(m.group(1))
            mark = marks([m.group(1)]) if name is not None else ""
            return m.group(0) if name is None else f"{name} {mark}" if mark else name
        return CITE_REF.sub(sub, text)

    def plain(self, text: str) -> str:
        """``text`` with every [@source] as "name [n]", for attributes and tooltips."""
        if "[@" not in text:
            return text
        return CITE_REF.sub(lambda m: f"{self.name(m.group(1))} [{self.numbers[m.group(1)]}]"
                            if m.group(1) in self.numbers else m.group(0), text)


@dataclass
class Citations:
    """The sources one page cites, each under its course-wide number."""

    numbers: Numbers
    cited: set[str] = field(default_factory=set)

    def note(self, ids) -> None:
        self.cited.update(sid for sid in ids if sid in self.numbers.numbers)

    def note_html(self, html_text: str) -> None:
        """Note the sources that citation marks in finished HTML point to."""
        if 'href="#src-' in html_text:
            self.note(_CITED.findall(html_text))

    @property
    def order(self) -> list[str]:
        """The cited sources by number, for the page's source list."""
        return sorted(self.cited, key=self.numbers.numbers.__getitem__)

    def number(self, sid: str) -> int | None:
        return self.numbers.number(sid)

    def marks(self, ids: list[str] | tuple[str, ...]) -> str:
        """Superscript citation marks linking to this page's source list."""
        if not ids:
            return ""
        self.note(ids)
        return self.numbers.marks(ids)


def indent(text: str, by: str = "    ") -> str:
    return "\n".join(by + line if line.strip() else "" for line in text.splitlines())


def cite_after(md: str, marks: str) -> str:
    """Place citation marks at the end of the last paragraph of a Markdown text."""
    return md.rstrip() + (" " + marks if marks else "")
