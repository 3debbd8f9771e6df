"""Names and other text from candidates, made safe to store, print, align and put on a certificate.

A result file is the candidate's own statement: its name field may hold anything the
exam form accepted. The file's bytes stay in the store as evidence (what the person
typed); the store's name column, the terminal, CSV cells and certificates use the
printable form below, so a carriage return cannot split a CSV row, an ESC cannot drive
the certifier's terminal, and a right-to-left override cannot make the PDF and the HTML
certificate show different names.
"""
from __future__ import annotations

import re
import unicodedata

# Bidirectional embedding, override and isolate controls, and the implicit marks: they change
# how the text around them is displayed, not what it says.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_DROP = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{BIDI_CONTROLS}\\u2028\\u2029\\ufeff]")
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` as it is stored and shown: NFC, controls and bidi formatting removed,
    runs of white space (tabs and line breaks included) made one space, trimmed.
    Joiners (ZWJ, ZWNJ) stay: emoji sequences and several scripts need them."""
    return _SPACES.sub(" ", _DROP.sub(" ", unicodedata.normalize("NFC", text))).strip()


def for_terminal(text: str) -> str:
    """Any text made harmless on a terminal: control characters shown as ``\\x1b`` escapes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def width(text: str) -> int:
    """Columns ``text`` takes on a terminal: wide and full-width characters two, combining marks none."""
    n = 0
    for ch in text:
        if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d":
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def fit(text: str, columns: int) -> str:
    """``text`` cut to at most ``columns`` terminal columns, with an ellipsis when cut."""
    if width(text) <= columns:
        return text
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > columns - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def pad(text: str, columns: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``columns`` terminal columns."""
    fill = " " * max(0, columns - width(text))
    return fill + text if right else text + fill
