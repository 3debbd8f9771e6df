"""Certifier at scale: import, grade, export and analyse a synthetic cohort of result files.

The cohort (bench/examsynth.py) is written first and is not timed; writing it also
leaves the files in the page cache, as they would be after a certifier copied them in.
Each command runs as `mesotrain results …` in its own process, timed from start to
exit. Peak memory is the largest peak resident set (VmHWM) of any process of the command,
sampled every 0.1 s; the worker processes of --jobs add theirs, so the process tree's
total (proportional set size, sampled alike) is shown beside it. Not os.wait4's ru_maxrss:
Linux carries a process's high-water mark over fork and exec, so a command started by this
script (grown large by the sections before it) would report this script's size.

Import and grade change the store, so each of their runs starts from a fresh store
(import) or a freshly imported one (grade); export and the report only read it and
are timed as every other timing here: one warm-up, then the runs, medians.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import examsynth

SCALE = 100_000            # the budgets are stated for this many attempts
BUDGET_IMPORT_GRADE = 60.0  # seconds at SCALE
BUDGET_MEMORY_MB = 300
BUDGET_REPORT = 10.0        # seconds at SCALE
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@dataclass
class Run:
    seconds: float
    cpu: float           # user + system seconds of the command and its worker processes
    peak_mb: float       # the largest peak RSS (VmHWM) of any of the command's processes
    tree_mb: float       # the most the whole process tree held at once (PSS, sampled)
    out: str


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in Path(f"/proc/{p}/task/{task}/children").read_text().split()]
        except OSError:
            pass
    return found


def _proc_kb(pid: int, file: str, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run(cmd: list[str], expect: tuple[int, ...] = (0,)) -> Run:
    """Run one command; wall time, peak memory (own and the tree's), standard output."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    tree_peak, own_peak = [0], [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            pids = _descendants(proc.pid)
            tree_peak[0] = max(tree_peak[0], sum(_proc_kb(p, "smaps_rollup", "Pss:") for p in pids))
            own_peak[0] = max([own_peak[0]] + [_proc_kb(p, "status", "VmHWM:") for p in pids])
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = proc.stdout.read().decode("utf-8", "replace")  # drains the pipe; ends when the command exits
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    if code not in expect:
        raise SystemExit(f"benchmark command failed ({code}): {' '.join(cmd)}\n{out[-3000:]}")
    return Run(elapsed, usage.ru_utime + usage.ru_stime, own_peak[0] / 1024, tree_peak[0] / 1024, out)


def repeated(cmd: list[str], runs: int) -> list[Run]:
    """One warm-up, then ``runs`` runs (for commands that only read the store)."""
    run(cmd)
    return [run(cmd) for _ in range(runs)]


def _mesotrain() -> list[str]:
    script = Path(sys.executable).with_name("mesotrain")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from mesotrain.cli import main; main()"]


def _median(runs: list[Run]) -> Run:
    ordered = sorted(runs, key=lambda r: r.seconds)
    mid = ordered[len(ordered) // 2]
    return Run(statistics.median(r.seconds for r in runs), statistics.median(r.cpu for r in runs),
               max(r.peak_mb for r in runs), max(r.tree_mb for r in runs), mid.out)


def _mem(r: Run) -> str:
    return f"peak {r.peak_mb:.0f} MB (process tree {r.tree_mb:.0f} MB)"


def measure(root: Path, work: Path, attempts: int, rows: list, runs: int = 5, load_runs: int | None = None) -> None:
    """Append the certifier rows to ``rows``. ``load_runs``: runs of import and grade (default: 3 at
    100,000 attempts, where each takes most of a minute, else ``runs``)."""
    base = work / "certifier"
    course = examsynth.write_course(base / "course")
    cohort = examsynth.write_cohort(course, attempts, base / "inbox", jobs=os.cpu_count() or 1)
    results = _mesotrain() + ["results", "--root", str(course)]
    load_runs = load_runs or (3 if attempts >= SCALE else runs)
    imports, grades = [], []
    for n in range(load_runs):
        store = base / f"store-{n}.sqlite"
        cmd = results + ["--store", str(store)]
        imp = run(cmd + ["import", str(cohort.inbox)], expect=(1,))  # the damaged files are rejected
        wanted = f"imported {attempts}, already in the store {cohort.resent}, rejected {cohort.damaged}"
        if wanted not in imp.out:
            raise SystemExit(f"import did not give '{wanted}':\n{imp.out[-2000:]}")
        grd = run(cmd + ["grade"])
        if f"graded {attempts}:" not in grd.out:
            raise SystemExit(f"grade did not grade {attempts} attempts:\n{grd.out[-2000:]}")
        imports.append(imp), grades.append(grd)
        if n < load_runs - 1:
            store.unlink()
    cmd = results + ["--store", str(store)]
    csv = repeated(cmd + ["export", "--out", str(base / "attempts.csv")], runs)
    report = repeated(cmd + ["report", "--out", str(base / "report")], runs)
    items = [run(cmd + ["export", "--items", "--out", str(base / "items.csv")])]
    item_rows = attempts * 60
    store_mb = store.stat().st_size / 1e6
    shutil.rmtree(base, ignore_errors=True)

    imp, grd = _median(imports), _median(grades)
    both = statistics.median(i.seconds + g.seconds for i, g in zip(imports, grades))
    each = f"median of {load_runs}, each from a fresh store" if load_runs > 1 else "one run"
    rows.append((f"Certifier: synthetic cohort, {attempts:,} attempts of a 60-item exam",
                 f"{cohort.files:,} result files, {cohort.bytes / 1e6:,.0f} MB (incl. {cohort.resent} resent, "
                 f"{cohort.damaged} damaged); written in {cohort.seconds:.0f} s, not timed; store {store_mb:,.0f} MB",
                 "—", None))
    rows.append((f"Import {cohort.files:,} result files",
                 f"{imp.seconds:.1f} s: **{cohort.files / imp.seconds:,.0f} files/s** (CPU {imp.cpu:.1f} s); "
                 f"{_mem(imp)} ({each})",
                 "—", None))
    rows.append((f"Grade {attempts:,} attempts",
                 f"{grd.seconds:.1f} s: **{attempts / grd.seconds:,.0f} attempts/s** (CPU {grd.cpu:.1f} s); "
                 f"{_mem(grd)} ({each})",
                 "—", None))
    spread = sorted(i.seconds + g.seconds for i, g in zip(imports, grades))
    at_scale = attempts == SCALE  # the time budgets are stated for 100,000 attempts; smaller runs are for iterating
    rows.append((f"Import + grade, {attempts:,} attempts",
                 f"**{both:.1f} s**" + (f" (runs {spread[0]:.1f}–{spread[-1]:.1f} s)" if len(spread) > 1 else ""),
                 f"≤ {BUDGET_IMPORT_GRADE:.0f} s" + ("" if at_scale else " at 100,000"),
                 both <= BUDGET_IMPORT_GRADE if at_scale else None))
    every = imports + grades + csv + report + items
    peak, tree = max(r.peak_mb for r in every), max(r.tree_mb for r in every)
    rows.append(("Certifier peak memory (largest process of any command here)",
                 f"**{peak:.0f} MB** (import {imp.peak_mb:.0f}, grade {grd.peak_mb:.0f}, report "
                 f"{max(r.peak_mb for r in report):.0f}, item export {items[0].peak_mb:.0f}); "
                 f"with worker processes at most {tree:.0f} MB together",
                 f"≤ {BUDGET_MEMORY_MB} MB", peak <= BUDGET_MEMORY_MB))
    c = _median(csv)
    rows.append((f"Export CSV, one row per attempt ({attempts:,} rows)", f"**{c.seconds:.1f} s**; {_mem(c)}",
                 "—", None))
    rows.append((f"Export CSV, one row per item response ({item_rows:,} rows)",
                 f"**{items[0].seconds:.1f} s** (one run); {_mem(items[0])}", "—", None))
    r = _median(report)
    rows.append((f"Item analysis report, {attempts:,} attempts", f"**{r.seconds:.1f} s**; {_mem(r)}",
                 f"≤ {BUDGET_REPORT:.0f} s" + ("" if at_scale else " at 100,000"),
                 r.seconds <= BUDGET_REPORT if at_scale else None))
