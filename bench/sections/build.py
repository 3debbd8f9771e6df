"""Build time side by side: one synthetic course built by mesotrain and by its plain-Material twins.

Twins (bench/synth.py): the prose alone; the same questions as ordinary Markdown (the floor
for putting those words on a page); and, where they install from PyPI, the same questions
for the mkdocs-quiz and quizdown plugins, built in a venv of their own (bench/.twins/) with
the same MkDocs and Material. Commands alternate within each round, so a noisy neighbour
slows all sides alike; ratios are the median of round-by-round ratios.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import synth

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
SIZES = ((50, 20), (200, 20))
TWINS_VENV = Path(__file__).resolve().parent.parent / ".twins"
TWIN_PACKAGES = ["mkdocs==1.6.1", "mkdocs-material==9.8.1", "pymdown-extensions", "mkdocs-quiz",
                 "mkdocs-quizdown-plugin"]
EDITED_LESSON = "content/001-lesson-001.yaml"


PEAK: dict[str, int] = {}  # command's label → largest resident memory seen (KiB)
# command's label → CPU seconds (user + system) of each measured run: on a machine others share,
# wall time says how long a build waited as much as how long it worked; CPU time is the work.
CPU: dict[str, list[float]] = {}


def run_measured(cmd: list[str], cwd: Path, label: str = "") -> float:
    """Wall seconds of one command; its peak resident memory goes to PEAK[label]."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(map(str, cmd))}\n{proc.stderr.read().decode()}")
    proc.stderr.close()
    PEAK[label] = max(PEAK.get(label, 0), usage.ru_maxrss)
    if label:
        CPU.setdefault(label, []).append(usage.ru_utime + usage.ru_stime)
    return elapsed


def alternated(commands: dict[str, tuple[list[str], Path]], runs: int) -> dict[str, list[float]]:
    """One warm-up of each, then ``runs`` rounds running every command once, in turn."""
    for cmd, cwd in commands.values():
        run_measured(cmd, cwd)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (cmd, cwd) in commands.items():
            times[name].append(run_measured(cmd, cwd, name))
    return times


def ratio(times: dict[str, list[float]], a: str, b: str) -> float:
    return statistics.median(x / y for x, y in zip(times[a], times[b]))


def cpu(a: str, b: str) -> str:
    """The same ratio in CPU seconds, for the result column."""
    return f"; CPU {ratio(CPU, a, b):.2f}× ({statistics.median(CPU[a]):.2f} s vs {statistics.median(CPU[b]):.2f} s)"


def twins_python() -> tuple[Path | None, str]:
    """The twins' venv with mkdocs-quiz and quizdown, made once; (None, why) when they do not install."""
    python = TWINS_VENV / "bin" / "python"
    if not python.exists():
        made = subprocess.run([sys.executable, "-m", "venv", str(TWINS_VENV)], capture_output=True)
        if made.returncode != 0:
            return None, "could not make a venv for them"
    got = subprocess.run([str(python), "-m", "pip", "install", "-q", *TWIN_PACKAGES], capture_output=True, text=True)
    if got.returncode != 0:
        return None, "pip could not install them: " + (got.stderr.strip().splitlines() or ["?"])[-1]
    return python, ""


def measure(work: Path, runs: int, rows: list) -> None:
    python, why = twins_python()
    growth = []
    for n, q in SIZES:
        out = work / f"synth-{n}x{q}"
        synth.generate(n, q, out)
        total = n * q
        mkdocs = lambda py, site: [str(py), "-m", "mkdocs", "build", "-q", "-d", str(out / site)]  # noqa: E731
        first = {
            "mesotrain": (["sh", "-c", "rm -rf .cache && " + " ".join(mkdocs(sys.executable, "site-m"))],
                          out / "mesotrain"),
            "markdown": (mkdocs(sys.executable, "site-md"), out / "markdown"),
            "prose": (mkdocs(sys.executable, "site-p"), out / "plain"),
        }
        if python:
            first["mkdocs-quiz"] = (mkdocs(python, "site-q"), out / "mkdocs-quiz")
            first["quizdown"] = (mkdocs(python, "site-qd"), out / "quizdown")
        rounds = runs if total <= 1000 else min(runs, 3)  # keeps make bench under 15 minutes
        PEAK.clear()
        CPU.clear()
        t = alternated(first, rounds)
        med = {k: statistics.median(v) for k, v in t.items()}
        growth.append((med["mesotrain"], PEAK["mesotrain"]))
        r = ratio(t, "mesotrain", "markdown")
        rows.append((f"First build, {total:,} questions ({n} lessons): mesotrain vs the same questions as "
                     "plain Markdown in Material",
                     f"mesotrain {med['mesotrain']:.2f} s vs {med['markdown']:.2f} s: **{r:.2f}×** "
                     f"(prose alone {med['prose']:.2f} s: {ratio(t, 'mesotrain', 'prose'):.2f}×)"
                     + cpu("mesotrain", "markdown"),
                     "≤ 1.0×", r <= 1.0))
        for other in ("mkdocs-quiz", "quizdown"):
            if other in t:
                rows.append((f"First build, {total:,} questions: {other} on the same course",
                             f"{med[other]:.2f} s: **{ratio(t, 'mesotrain', other):.2f}×** is mesotrain's time "
                             "against it", "—", None))
            else:
                rows.append((f"First build, {total:,} questions: {other} on the same course",
                             f"skipped: {why}", "—", None))
        # One lesson edited before every mesotrain build; the twin has no memory, so it builds it all.
        edit = (f"sed -i 's/^summary: /summary: Edited. /' {EDITED_LESSON} && "
                + " ".join(mkdocs(sys.executable, "site-m")))
        CPU.clear()
        t = alternated({"mesotrain": (["sh", "-c", edit], out / "mesotrain"),
                        "prose": first["prose"]}, rounds)
        r = ratio(t, "mesotrain", "prose")
        rows.append((f"Build after editing one lesson, {total:,} questions: mesotrain vs the prose twin",
                     f"mesotrain {statistics.median(t['mesotrain']):.2f} s vs {statistics.median(t['prose']):.2f} s: "
                     f"**{r:.2f}×**" + cpu("mesotrain", "prose"), "≤ 1.1×", r <= 1.1))


NOTES = """Reading the build rows: the twins are plain Material for MkDocs sites of the same course,
with the same theme settings and navigation (bench/synth.py): the prose alone, and the prose
with the same questions as ordinary Markdown (stem, options as a task list, explanation).
*First build* deletes mesotrain's `.cache/` before every run; *after editing one lesson*
changes one lesson's summary before every mesotrain build, which keeps its memo, while the
prose twin is built whole each time, as MkDocs does."""
