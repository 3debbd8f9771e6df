"""The quiz runtime as a trainee downloads it: the asset files without their comments.

The files under assets/ are written to be read, and about a tenth of their gzipped size is
comments; a lesson page's own JS+CSS has a 10 KB budget (tests/test_assets_budget.py), so the
site gets them without. Nothing is renamed or rewritten: a CSS comment goes with its spaces and
empty lines; in JavaScript a comment that fills its line (``//`` or ``/* … */`` starting the
line) leaves an empty line, so line numbers in the browser's errors are the source's, and lines
lose their indentation. A comment after code stays: telling it from a ``//`` inside a string or
a regular expression needs a parser. Lines inside a template literal (an odd count of backticks
opened it) are kept as they are.
"""
from __future__ import annotations

import re
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "assets"
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def css(text: str) -> str:
    """Stylesheet text without comments, indentation or empty lines."""
    lines = (line.strip() for line in _CSS_COMMENT.sub("", text).splitlines())
    return "".join(line + "\n" for line in lines if line)


def js(text: str) -> str:
    """Script text with comment lines emptied and indentation gone, line for line."""
    out: list[str] = []
    template = block = False
    for line in text.splitlines():
        bare = line.strip()
        if not block and not template and bare.startswith("/*"):
            block, bare = True, bare[2:]
        if block:
            end = bare.find("*/")
            block, bare = end < 0, "" if end < 0 else bare[end + 2:].strip()
            out.append(bare)  # code after a comment's end stays
        elif not template and bare.startswith("//"):
            out.append("")
        else:
            out.append(line if template else bare)
            template ^= line.count("`") % 2 == 1
    return "\n".join(out) + "\n"


def served(path: Path) -> str | None:
    """What the site carries for an asset file: trimmed text for .js and .css, else None (as is)."""
    trim = {".js": js, ".css": css}.get(path.suffix)
    return trim(path.read_text(encoding="utf-8")) if trim else None
