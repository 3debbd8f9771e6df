"""A generated page, kept apart from the renderer so a cached build can load pages cheaply."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

FRAGMENT = re.compile(r"<!--mt-fragment-(\d+)-->")


@dataclass
class Page:
    """One generated page: its path under the docs root, its Markdown, its title.

    ``source`` may hold ``<!--mt-fragment-N-->`` markers standing for finished HTML in
    ``fragments`` (question widgets). The MkDocs plugin puts the HTML in after Markdown
    and search have run, so neither spends time on widgets nor indexes answers;
    ``content`` is the whole Markdown, fragments in place, for any other generator.
    """

    path: str
    source: str
    title: str
    fragments: list[str] = field(default_factory=list)

    @property
    def content(self) -> str:
        return fill_fragments(self.source, self.fragments)


def fill_fragments(text: str, fragments: list[str]) -> str:
    if not fragments:
        return text
    return FRAGMENT.sub(lambda m: fragments[int(m.group(1))], text)
