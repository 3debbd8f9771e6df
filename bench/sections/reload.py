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


def measure(root: Path, work: Path, runs: int, rows: list) -> None:
    course = copy_course(root, work / "reload-course")
    port = free_port()
    url = f"http://127.0.0.1:{port}/{URL_PATH}"
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                            cwd=course, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not fetch(url):
            if time.monotonic() > deadline:
                raise SystemExit("mkdocs serve did not start")
            time.sleep(0.2)
        lesson = course / LESSON
        original = lesson.read_text(encoding="utf-8")
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
    t = statistics.median(times)
    rows.append(("Live reload: save lesson YAML → new page served (shipped course)",
                 f"**{t:.2f} s** (median of {len(times)}; min {min(times):.2f}, max {max(times):.2f})",
                 "≤ 1.5 s", t <= 1.5))
