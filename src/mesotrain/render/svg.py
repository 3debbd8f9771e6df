"""Hotspot images: an SVG from content/images/ inlined so its regions can be clicked.

Inlining (rather than <img>) is what lets a click on a shape select the matching
radio button. Ids are prefixed per question, so two questions on one page may use
the same image; scripts and event attributes are dropped, since the file is copied
into a page as markup.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

_PROLOGUE = re.compile(r"<\?xml.*?\?>|<!DOCTYPE[^>]*>|<!--.*?-->", re.S | re.I)
_SCRIPT = re.compile(r"<script\b.*?</script\s*>|<foreignObject\b.*?</foreignObject\s*>", re.S | re.I)
_EVENT = re.compile(r"""\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*')""", re.I)
_ID = re.compile(r"""(\sid\s*=\s*)(["'])([^"']+)\2""")
_URL_REF = re.compile(r"url\(\s*#([^)\s]+)\s*\)")
_HREF = re.compile(r"""((?:xlink:)?href\s*=\s*)(["'])#([^"']+)\2""")
_IDREFS = re.compile(r"""(aria-(?:labelledby|describedby)\s*=\s*)(["'])([^"']*)\2""")
_ROOT = re.compile(r"<svg\b([^>]*)>", re.I)
_ROOT_DROP = re.compile(r"""\s(?:role|aria-label|aria-labelledby|aria-describedby|width|height|class|focusable)\s*=\s*("[^"]*"|'[^']*')""", re.I)


def inline_svg(path: Path, prefix: str, alt: str, regions: dict[str, str]) -> str | None:
    """The SVG at ``path`` ready to inline, or None when it cannot be read.

    ``regions`` maps a shape id in the file to the value its radio button carries;
    each such shape gets ``data-mt-region`` so a click can find its radio.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    text = _SCRIPT.sub("", _PROLOGUE.sub("", text))
    text = _EVENT.sub("", text)

    def new_id(m: re.Match) -> str:
        old = m.group(3)
        extra = f' data-mt-region="{html.escape(regions[old])}"' if old in regions else ""
        return f"{m.group(1)}{m.group(2)}{prefix}-{old}{m.group(2)}{extra}"

    text = _ID.sub(new_id, text)
    text = _URL_REF.sub(lambda m: f"url(#{prefix}-{m.group(1)})", text)
    text = _HREF.sub(lambda m: f"{m.group(1)}{m.group(2)}#{prefix}-{m.group(3)}{m.group(2)}", text)
    text = _IDREFS.sub(lambda m: m.group(1) + m.group(2) + " ".join(
        f"{prefix}-{i}" for i in m.group(3).split()) + m.group(2), text)
    root = _ROOT.search(text)
    if root is None:
        return None
    attrs = _ROOT_DROP.sub("", root.group(1))
    opening = f'<svg{attrs} class="mt-svg" role="img" aria-label="{html.escape(alt)}" focusable="false">'
    return (text[:root.start()] + opening + text[root.end():]).strip()
