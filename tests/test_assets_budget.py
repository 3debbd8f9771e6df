"""A lesson page's own JavaScript and CSS stay small: within 10 KB gzipped in all.

That is every top-level file of the runtime (the plugin links each on every page: quiz.js with
the service worker's registration, quiz.css with the theme fixes and the figure colours, the
exam loader) and any theme CSS under overrides/. Files under assets/lazy/ (scoring, the progress
pages, the exam) load only where and when they are needed. For scale: mkdocs-quiz inlines about
14 KB gzipped into every quiz page; quizdown ships about 91 KB. The site carries the files
without their comments (render/runtime.py), and that is what is measured: what a trainee downloads.
"""
from __future__ import annotations

import gzip
import subprocess
from pathlib import Path

import pytest

from mesotrain.render.runtime import css, js, served

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "src" / "mesotrain" / "assets"
THEME = ROOT / "overrides" / "assets"
BUDGET = 10_000  # bytes: 10 KB read strictly (not 10 KiB)


def every_page_loads() -> list[Path]:
    return sorted(p for folder in (ASSETS, THEME) for p in folder.glob("*") if p.suffix in (".js", ".css"))


def test_a_lesson_page_loads_within_budget():
    sizes = {p.name: len(gzip.compress(served(p).encode(), compresslevel=9)) for p in every_page_loads()}
    total = sum(sizes.values())
    print("\nown JS+CSS on every page, gzipped: " + ", ".join(f"{n} {s} B" for n, s in sizes.items())
          + f"; total {total} B of {BUDGET} B")
    assert {"quiz.js", "quiz.css", "exam.js"} <= set(sizes)
    assert total <= BUDGET, f"a lesson page's own JS+CSS is {total} B gzipped, over the {BUDGET} B budget: {sizes}"


def test_the_site_carries_the_runtime_without_comments_and_nothing_else_changed():
    for name in ("quiz.js", "exam.js"):
        source = (ASSETS / name).read_text().splitlines()
        out = js("\n".join(source)).splitlines()
        assert len(out) == len(source)  # line for line: the browser's line numbers are the source's
        for was, now in zip(source, out):
            assert now in ("", was.strip()), (name, was)
            assert not now.startswith(("//", "/*"))
        assert sum(1 for was, now in zip(source, out) if was.strip() and not now) >= 5  # comments did go
        assert '"use strict";' in out
    assert "/*" not in css((ASSETS / "quiz.css").read_text())


@pytest.mark.parametrize("text, expected", [
    ("/* a\n   b */ go();\n", "\ngo();\n"),           # code after a comment's end stays
    ("  x(); // why\n  // why\n", "x(); // why\n\n"),  # a comment after code stays: no parser here
    ("s = `\n  // kept\n  `;\n", "s = `\n  // kept\n  `;\n"),  # inside a template literal
    ('u = "http://a"; r = /\\/\\//;\n', 'u = "http://a"; r = /\\/\\//;\n'),
])
def test_comment_trimming_keeps_code(text, expected):
    assert js(text) == expected


def test_css_trimming_drops_comments_and_spaces_only():
    assert css("/* colours */\n:root {\n  --a: #fff; /* white */\n}\n\n.b::after { content: \"✓\"; }\n") == \
        ':root {\n--a: #fff;\n}\n.b::after { content: "✓"; }\n'


def test_every_trimmed_script_still_parses(tmp_path):
    for path in sorted(ASSETS.rglob("*.js")):
        out = tmp_path / path.name
        out.write_text(served(path))
        result = subprocess.run(["node", "--check", str(out)], capture_output=True, text=True)
        assert result.returncode == 0, f"{path.name} no longer parses once trimmed:\n{result.stderr}"


def test_runtime_fetches_nothing():
    """No request off the site: the runtime neither fetches nor loads anything by URL."""
    for path in every_page_loads() + [ASSETS / "lazy" / "scoring.js", ASSETS / "lazy" / "progress.js"]:
        text = path.read_text()
        for word in ("fetch(", "XMLHttpRequest", "import(", "http://", "https://", "@import", "url("):
            assert word not in text, f"{path.name} contains {word!r}"
