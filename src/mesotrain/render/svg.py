"""Hotspot images: an SVG from content/images/ inlined so its regions can be clicked.

Inlining (rather than <img>) is what lets a click on a shape select the matching radio
button. The file goes through the same parser-based allow-list as lesson figures
(:mod:`mesotrain.svgsafe`): ids are prefixed per question, so two questions on one page may
use the same image, and nothing that could run or load anything reaches the page. Hotspot
images may keep plain fixed colours.
"""
from __future__ import annotations

from pathlib import Path

from ..svgsafe import sanitise_file


def inline_svg(path: Path, prefix: str, alt: str, regions: dict[str, str]) -> str | None:
    """The SVG at ``path`` ready to inline, or None when it cannot be read or parsed.

    ``regions`` maps a shape id in the file to the value its radio button carries;
    each such shape gets ``data-mt-region`` so a click can find its radio.
    """
    return sanitise_file(path, prefix=prefix, label=alt, colours=True, regions=regions).markup
