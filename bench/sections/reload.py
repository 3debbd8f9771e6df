"""Live reload: from saving an edited lesson YAML to the new page being served by `mkdocs serve`."""
from __future__ import annotations

import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

COURSE_PARTS = ("content", "quizzes", "docs", "overrides", "mkdocs.yml")
LESSON = "content/06-contraindications.yaml"
URL_PATH = "lessons/contraindications/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8")
    except OSError:
        return ""


def copy_course(root: Path, target: Path) -> Path:
    for part in COURSE_PARTS:
        src = root / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, target / part)
    return target


def serve_times(course: Path, runs: int) -> list[float]:
    """Seconds from saving an edited lesson to the edit being served, after one warm-up edit."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/{URL_PATH}"
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                            cwd=course, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lesson = course / LESSON
    original = lesson.read_text(encoding="utf-8")
    try:
        deadline = time.monotonic() + 120
        while not fetch(url):
            if time.monotonic() > deadline:
                raise SystemExit("mkdocs serve did not start")
            time.sleep(0.2)
        anchor = "title: Contraindications and precautions"
        if anchor not in original:
            raise SystemExit(f"{LESSON} no longer has '{anchor}'; update bench/sections/reload.py")
        times = []
        for i in range(runs + 1):
            token = f"Reload probe {i} {time.time_ns()}"
            start = time.perf_counter()
            lesson.write_text(original.replace(anchor, f"title: {token}", 1), encoding="utf-8")
            while token not in fetch(url):
                if time.perf_counter() - start > 60:
                    raise SystemExit("the edit was never served")
                time.sleep(0.02)
            if i:  # the first edit is the warm-up
                times.append(time.perf_counter() - start)
            time.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait(10)
        lesson.write_text(original, encoding="utf-8")
    return times


def measure(root: Path, work: Path, runs: int, rows: list) -> None:
    """Before and after: serve with the plugin's caches off (MkDocs' full rebuild of the
    course on every save) and with them on (the default)."""
    course = copy_course(root, work / "reload-course")
    config = course / "mkdocs.yml"
    default = config.read_text(encoding="utf-8")
    if "  - mesotrain\n" not in default:
        raise SystemExit("mkdocs.yml no longer lists '  - mesotrain'; update bench/sections/reload.py")
    config.write_text(default.replace("  - mesotrain\n", "  - mesotrain:\n      cache: false\n"), encoding="utf-8")
    before = serve_times(course, runs)
    config.write_text(default, encoding="utf-8")
    after = serve_times(course, runs)
    med = statistics.median
    rows.append(("Live reload, before: every save rebuilds the whole course (plugin `cache: false`; "
                 "in both rows course files are polled every 0.1 s, where MkDocs polls every 0.5 s)",
                 f"{med(before):.2f} s (median of {len(before)}; min {min(before):.2f}, max {max(before):.2f})",
                 "—", None))
    t = med(after)
    rows.append(("Live reload: save lesson YAML → new page served (shipped course; serve re-reads the "
                 "changed file, re-renders the pages that use it, keeps the theme's templates compiled)",
                 f"**{t:.2f} s** (median of {len(after)}; min {min(after):.2f}, max {max(after):.2f})",
                 "≤ 1.5 s", t <= 1.5))
