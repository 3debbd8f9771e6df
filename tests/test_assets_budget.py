"""The quiz runtime stays small: all of its JavaScript and CSS within 10 KB gzipped.

For scale: mkdocs-quiz inlines about 14 KB gzipped into every quiz page; quizdown
ships about 91 KB. The files are served as they are (no build step), so the size
measured here is the size a trainee downloads, once, then from cache.
"""
from __future__ import annotations

import gzip
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "src" / "mesotrain" / "assets"
RUNTIME = ("scoring.js", "quiz.js", "quiz.css")
BUDGET = 10_000  # bytes: 10 KB read strictly (not 10 KiB)


def test_quiz_runtime_within_budget():
    sizes = {name: len(gzip.compress((ASSETS / name).read_bytes(), compresslevel=9)) for name in RUNTIME}
    total = sum(sizes.values())
    print("\nquiz runtime, gzipped: " + ", ".join(f"{n} {s} B" for n, s in sizes.items())
          + f"; total {total} B of {BUDGET} B")
    assert total <= BUDGET, f"quiz JS+CSS is {total} B gzipped, over the {BUDGET} B budget: {sizes}"


def test_runtime_fetches_nothing():
    """No request off the site: the runtime neither fetches nor loads anything by URL."""
    for name in RUNTIME:
        text = (ASSETS / name).read_text()
        for word in ("fetch(", "XMLHttpRequest", "import(", "http://", "https://", "@import", "url("):
            assert word not in text, f"{name} contains {word!r}"
