"""Live reload: from saving an edited lesson to the new page being served by `mkdocs serve`.

On the shipped course, and on the synthetic course of 4,000 questions beside plain
Material serving its prose twin (bench/synth.py), where a save rebuilds the whole site.
"""
from __future__ import annotations

import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import synth

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


def serve_times(course: Path, lesson: Path, anchor: str, url_path: str, runs: int) -> list[float]:
    """Seconds from saving an edited lesson (``anchor`` replaced) to the edit being served,
    after one warm-up edit."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/{url_path}"
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                            cwd=course, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    original = lesson.read_text(encoding="utf-8")
    if anchor not in original:
        proc.terminate()
        raise SystemExit(f"{lesson} no longer has '{anchor}'; update bench/sections/reload.py")
    try:
        deadline = time.monotonic() + 300
        while not fetch(url):
            if time.monotonic() > deadline:
                raise SystemExit("mkdocs serve did not start")
            time.sleep(0.2)
        times = []
        for i in range(runs + 1):
            token = f"Reload probe {i} {time.time_ns()}"
            start = time.perf_counter()
            lesson.write_text(original.replace(anchor, anchor + token, 1), encoding="utf-8")
            while token not in fetch(url):
                if time.perf_counter() - start > 120:
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


def _spread(times: list[float]) -> str:
    return f"median of {len(times)}; min {min(times):.2f}, max {max(times):.2f}"


def measure(root: Path, work: Path, runs: int, rows: list) -> None:
    """The shipped course, with the plugin's memo off (every save rebuilds the whole course)
    and on (the default); then 4,000 questions beside plain Material's rebuild of the prose."""
    course = copy_course(root, work / "reload-course")
    config = course / "mkdocs.yml"
    default = config.read_text(encoding="utf-8")
    if "  - mesotrain\n" not in default:
        raise SystemExit("mkdocs.yml no longer lists '  - mesotrain'; update bench/sections/reload.py")
    shipped = (course / LESSON, "title: ", URL_PATH)
    config.write_text(default.replace("  - mesotrain\n", "  - mesotrain:\n      cache: false\n"), encoding="utf-8")
    before = serve_times(course, *shipped, runs)
    config.write_text(default, encoding="utf-8")
    after = serve_times(course, *shipped, runs)
    med = statistics.median
    rows.append(("Live reload, shipped course, plugin `cache: false` (every save rebuilds the whole course)",
                 f"{med(before):.2f} s ({_spread(before)})", "—", None))
    t = med(after)
    rows.append(("Live reload: save one lesson → new page served (shipped course)",
                 f"**{t:.2f} s** ({_spread(after)})", "≤ 0.5 s", t <= 0.5))

    out = work / "synth-200x20"
    if not (out / "mesotrain").exists():
        synth.generate(200, 20, out)
    mesotrain = serve_times(out / "mesotrain", out / "mesotrain" / "content" / "001-lesson-001.yaml",
                            "summary: ", "lessons/lesson-001/", runs)
    plain = serve_times(out / "plain", out / "plain" / "docs" / "lesson-001.md", "# Lesson 1", "lesson-001/", runs)
    r = med(mesotrain) / med(plain)
    rows.append(("Live reload, 4,000 questions: mesotrain vs plain Material serving the prose twin",
                 f"mesotrain {med(mesotrain):.2f} s ({_spread(mesotrain)}) vs {med(plain):.2f} s "
                 f"({_spread(plain)}): **{r:.2f}×**", "≤ 1.2×", r <= 1.2))


NOTES = """Reading the reload rows: the time from writing the edited file to the new page being
served, polled every 20 ms. mesotrain looks at content/ and quizzes/ every 0.1 s; MkDocs
looks at docs/ (the prose twin's pages) every 0.5 s, so about 0.2 s of the twin's time is
waiting to notice the save."""
