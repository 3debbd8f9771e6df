"""Lighthouse (mobile) performance and accessibility of a lesson page, when lighthouse is installed.

A performance score moves by a few points from run to run on this machine, so the page is
audited ``runs`` times and the median score is reported, with the range beside it.

The site is served from 127.0.0.1 with gzip, as any static host or CDN would serve it;
Python's plain http.server sends every script uncompressed, which no real host does.
Lighthouse is large (~185 MB), so it is not a dependency of the project: `make bench`
installs it into bench/node_modules when npm can, and this section is skipped otherwise.
"""
from __future__ import annotations

import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import threading
from pathlib import Path

FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync"
COMPRESS = {".html", ".js", ".css", ".json", ".svg", ".xml"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in COMPRESS or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        import io
        return io.BytesIO(body)


def measure(root: Path, work: Path, rows: list, runs: int = 5) -> None:
    binary = root / "bench" / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        rows.append(("Lighthouse (mobile), lesson page", "not measured: lighthouse not installed "
                     "(npm install --prefix bench lighthouse@12)", "≥ 95 / 100", None))
        return
    site = work / "lighthouse-site"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=root, check=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    handler = lambda *a, **k: GzipHandler(*a, directory=str(site), **k)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    report = work / "lighthouse.json"
    perf, a11y = [], []
    try:
        for _ in range(runs):
            subprocess.run([str(binary), f"http://127.0.0.1:{server.server_port}/lessons/contraindications/",
                            "--quiet", f"--chrome-flags={FLAGS}", "--only-categories=performance,accessibility",
                            "--output=json", f"--output-path={report}"],
                           env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"}, check=True, timeout=300,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            scores = {k: round(v["score"] * 100) for k, v in json.loads(report.read_text())["categories"].items()}
            perf.append(scores.get("performance", 0)), a11y.append(scores.get("accessibility", 0))
    finally:
        server.shutdown()
    p, a = statistics.median(perf), min(a11y)
    rows.append(("Lighthouse (mobile), shipped lesson page: performance / accessibility",
                 f"**{p:.0f} / {a}** (median performance of {runs} runs, range {min(perf)}–{max(perf)}; "
                 f"accessibility the lowest of them)", "≥ 95 / 100", p >= 95 and a == 100))
