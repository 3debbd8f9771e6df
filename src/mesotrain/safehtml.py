"""Raw HTML in course Markdown: what an instructor may write, and the guard on what reaches a page.

Course text is Markdown, and Markdown lets raw HTML through. A lesson or a question is
published to every trainee, so a stray ``<script>`` or ``onclick`` would run on their
pages. Two layers:

- ``unsafe(text)`` finds what is not allowed, for ``check`` to report at the value's
  file:line:col: any tag outside ``TAGS``, any attribute outside ``ATTRIBUTES`` (event
  handlers, ``style``), and links or images whose URL scheme is not http(s) or mailto
  (``javascript:``, ``data:``, ``vbscript:``), in HTML and in Markdown link syntax.
- ``clean(html)`` runs the HTML fragments mesotrain converts itself (options, feedback,
  rationales) through nh3, an allow-list sanitiser, with the same lists: a second wall
  should the first ever miss something.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "dfn",
    "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var",
})
_EVERYWHERE = {"class", "id", "title", "lang", "dir"}
ATTRIBUTES = {
    "*": _EVERYWHERE,
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "details": {"open"},
}
SCHEMES = frozenset({"http", "https", "mailto"})
_URL_ATTRS = {"href", "src"}
# A Markdown link or image target, an autolink, or a reference definition.
_MD_URL = re.compile(r"\]\(\s*<?([^)\s>]*)|<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>|^\s*\[[^\]]+\]:\s*<?(\S+)", re.M)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def bad_url(url: str) -> str | None:
    """The scheme of a URL that must not be published (javascript:, data:, …), else None.
    Relative links and anchors are fine. Browsers ignore control characters and spaces inside
    a scheme, so ``java\\tscript:`` is read as what it is."""
    m = _SCHEME.match(_INVISIBLE.sub("", html.unescape(url)))
    if m and m.group(1).lower() not in SCHEMES:
        return m.group(1).lower()
    return None


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if ":" in tag:  # an autolink such as <https://…>, judged by its scheme above
            return
        if tag not in TAGS:
            self.found.append(f"<{tag}> is not allowed in course text; write Markdown instead")
            return
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>: event-handler attributes are not allowed (no script runs from course text)")
            elif name not in allowed:
                self.found.append(f"<{tag} {name}=…>: attribute '{name}' is not allowed (allowed: {', '.join(sorted(allowed))})")
            elif name in _URL_ATTRS and value and bad_url(value):
                self.found.append(f"<{tag} {name}=\"{bad_url(value)}:…\">: only http, https, mailto and relative links are allowed")

    handle_startendtag = handle_starttag


def unsafe(text: str) -> list[str]:
    """What in a Markdown text may not be published, one message each (empty when clean)."""
    if "<" not in text and ":" not in text and "&" not in text:  # '&#58;' is a ':' to a browser
        return []
    found = []
    for m in _MD_URL.finditer(text):
        url = next(g for g in m.groups() if g is not None)
        scheme = bad_url(url)
        if scheme:
            found.append(f"a link to '{scheme}:…' is not allowed; only http, https, mailto and relative links")
    if "<" in text:
        scan = _Scan()
        scan.feed(text)
        scan.close()
        found += scan.found
    return list(dict.fromkeys(found))


def clean(fragment: str) -> str:
    """``fragment`` with everything outside the allow-lists removed (script content too)."""
    if "<" not in fragment:
        return fragment
    return nh3.clean(fragment, tags=set(TAGS), clean_content_tags={"script", "style"},
                     attributes={k: set(v) for k, v in ATTRIBUTES.items()}, url_schemes=set(SCHEMES),
                     link_rel=None, strip_comments=False)
