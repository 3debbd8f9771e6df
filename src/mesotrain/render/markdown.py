"""Markdown helpers shared by every page: glossary links, citations, fragments as HTML.

Prose stays Markdown (MkDocs renders it in one pass per page). Only small fragments
that live inside HTML widgets (options, feedback) are converted here, through one
reused converter, with plain text taking a fast path that skips Markdown entirely.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import markdown as _markdown

from ..model import Source, Term
from ..safehtml import clean

TERM_REF = re.compile(r"\[\[([^\]|]+)(?:\|([^\]]*))?\]\]")
_PLAIN = re.compile(r"^[^*_`\[\]<>&#!|\\~\n]*$")


@dataclass
class Glossary:
    """Resolves [[term]] references into links (prose) or abbreviations (widgets)."""

    terms: dict[str, Term]

    def link(self, text: str, prefix: str) -> str:
        """Markdown with [[term]] turned into a link to the glossary with a tooltip."""
        def sub(m: re.Match) -> str:
            term = self.terms.get(m.group(1).strip())
            shown = m.group(2) or (term.term if term else m.group(1))
            if term is None:
                return shown
            title = term.definition.replace('"', "'")
            return f'[{shown}]({prefix}glossary.md#{term.id} "{title}")'
        return TERM_REF.sub(sub, text)

    def abbr(self, text: str) -> str:
        """Markdown with [[term]] turned into inline <abbr> with the definition as title."""
        def sub(m: re.Match) -> str:
            term = self.terms.get(m.group(1).strip())
            shown = m.group(2) or (term.term if term else m.group(1))
            if term is None:
                return shown
            return f'<abbr title="{html.escape(term.definition)}">{html.escape(shown)}</abbr>'
        return TERM_REF.sub(sub, text)


class Fragments:
    """Markdown fragments → HTML, for text placed inside HTML widgets."""

    def __init__(self, glossary: Glossary):
        self.glossary = glossary
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
            out = clean(self._md.convert(self.glossary.abbr(text)))
            if inline and out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
                out = out[3:-4]
        self._cache[key] = out
        return out

    def text(self, text: str | None) -> str:
        """Plain text (for attributes, hashes and search): markup dropped."""
        if not text:
            return ""
        return TERM_REF.sub(lambda m: m.group(2) or m.group(1), text)


@dataclass
class Citations:
    """Numbers sources in the order a page first cites them."""

    sources: dict[str, Source]
    order: list[str] = field(default_factory=list)

    def number(self, sid: str) -> int:
        if sid not in self.order:
            self.order.append(sid)
        return self.order.index(sid) + 1

    def marks(self, ids: list[str] | tuple[str, ...]) -> str:
        """Superscript citation marks linking to this page's source list."""
        if not ids:
            return ""
        links = []
        for sid in ids:
            n = self.number(sid)
            src = self.sources.get(sid)
            title = html.escape(f"{sid}: {src.title}" if src else sid)
            links.append(f'<a href="#src-{sid}" title="{title}">{n}</a>')
        return f'<sup class="mt-cite">[{", ".join(links)}]</sup>'


def indent(text: str, by: str = "    ") -> str:
    return "\n".join(by + line if line.strip() else "" for line in text.splitlines())


def cite_after(md: str, marks: str) -> str:
    """Place citation marks at the end of the last paragraph of a Markdown text."""
    return md.rstrip() + (" " + marks if marks else "")
