"""Page weight: the quiz runtime, a lesson page with 20 questions, the search index, and
requests that leave the host, beside a plain Material page of the same prose."""
from __future__ import annotations

import functools
import gzip
import http.server
import subprocess
import sys
import threading
from pathlib import Path

import synth

ENV = {"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}


def sizes(paths: list[Path]) -> tuple[int, int]:
    raw = sum(p.stat().st_size for p in paths)
    gz = sum(len(gzip.compress(p.read_bytes(), 9)) for p in paths)
    return raw, gz


def kb(pair: tuple[int, int]) -> str:
    return f"{pair[0] / 1024:.1f} KB raw, {pair[1] / 1024:.1f} KB gzip"


def build(cwd: Path, out: Path) -> None:
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)], cwd=cwd, env=ENV, check=True)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def requests_off_host(site: Path, page: str) -> int | None:
    """Load the page in Debian's Chromium and count requests to anything but 127.0.0.1."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    off = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"])
            tab = browser.new_page()
            tab.on("request", lambda r: off.append(r.url) if not r.url.startswith(
                ("http://127.0.0.1", "data:", "blob:")) else None)
            tab.goto(f"http://127.0.0.1:{server.server_port}/{page}", wait_until="networkidle")
            browser.close()
    finally:
        server.shutdown()
    return len(off)


def measure(root: Path, work: Path, rows: list) -> None:
    out = work / "weight"
    synth.generate(3, 20, out)
    build(out / "mesotrain", out / "site-m")
    build(out / "plain", out / "site-p")
    m, p = out / "site-m", out / "site-p"
    assets = m / "assets" / "mesotrain"
    quiz = sizes([assets / "quiz.js", assets / "scoring.js", assets / "quiz.css"])
    rows.append(("Quiz runtime (quiz.js + scoring.js + quiz.css)", kb(quiz), "≤ 10 KB gzip", quiz[1] <= 10 * 1024))
    every = sizes(sorted(assets.glob("*.js")) + sorted(assets.glob("*.css")))
    rows.append(("All mesotrain JS + CSS a lesson page loads (adds the 0.5 KB exam loader)", kb(every), "—", None))
    lazy = sizes(sorted((assets / "lazy").glob("*")))
    rows.append(("Exam runtime, loaded only on the exam and Verify pages", kb(lazy), "—", None))
    lesson_m = sizes([m / "lessons" / "lesson-001" / "index.html"])
    lesson_p = sizes([p / "lesson-001" / "index.html"])
    rows.append(("Lesson page with 20 questions (HTML)", f"{kb(lesson_m)}; plain Material, same prose: {kb(lesson_p)}",
                 "—", None))
    idx_m = sizes([m / "search" / "search_index.json"])
    idx_p = sizes([p / "search" / "search_index.json"])
    rows.append(("Search index (3 lessons × 20 questions)", f"{kb(idx_m)}; plain: {kb(idx_p)}", "—", None))
    off = requests_off_host(m, "lessons/lesson-001/")
    rows.append(("Requests leaving the host from a lesson page",
                 "not measured (Playwright missing)" if off is None else f"**{off}**", "0", off == 0 if off is not None else None))
