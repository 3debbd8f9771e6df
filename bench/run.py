"""mesotrain benchmarks: one markdown table, printed and written to bench/RESULTS.md.

    python bench/run.py [--runs N] [--quick] [--only build,growth,...]

Every timing: one warm-up, then N runs (default 5), medians. Comparisons alternate the
two commands in the same run and take the ratio pair by pair, so a noisy neighbour on
this 2-core machine slows both sides alike. Not part of `make test`: speed targets live
here, as figures, not in timed tests.
"""
from __future__ import annotations

import argparse
import gzip
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

import synth  # noqa: E402
from sections import reload, weight  # noqa: E402

ALL = "build,generation,reload,weight,lighthouse,certifier"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
MKDOCS = [sys.executable, "-m", "mkdocs"]


def run_measured(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB) of one command, read from its own rusage."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{proc.stderr.read().decode()}")
    proc.stderr.close()
    return elapsed, usage.ru_maxrss


def paired(a: list[str], a_cwd: Path, b: list[str], b_cwd: Path, runs: int) -> dict:
    """Alternate A and B after a warm-up of each; medians and the median of per-pair ratios."""
    run_measured(a, a_cwd), run_measured(b, b_cwd)
    ta, tb, ma, mb, ratios = [], [], [], [], []
    for _ in range(runs):
        t1, m1 = run_measured(a, a_cwd)
        t2, m2 = run_measured(b, b_cwd)
        ta.append(t1), tb.append(t2), ma.append(m1), mb.append(m2), ratios.append(t1 / t2)
    med = statistics.median
    return {"a": med(ta), "b": med(tb), "ratio": med(ratios), "mem_a": max(ma), "mem_b": max(mb)}


SCENARIOS = (  # (label, shell command run before each mesotrain build)
    ("first build (no .cache)", "rm -rf .cache"),
    ("after a course edit (compiled templates kept)", "echo '# edited' >> content/course.yaml"),
    ("no change (pages from the build cache)", "true"),
)


def build_overhead(work: Path, runs: int, rows: list, sizes=((50, 20), (200, 20))) -> dict:
    """mesotrain against the plain twin, in three states of mesotrain's .cache folder: none at
    all; a course file edited since the last build, so every page is rendered again with the
    compiled templates kept; and nothing changed, so the pages come from the build cache (its
    digest still reads every course file)."""
    results = {}
    for n, q in sizes:
        out = work / f"synth-{n}x{q}"
        synth.generate(n, q, out)
        plain = (MKDOCS + ["build", "-q", "-d", str(out / "site-p")], out / "plain")
        build = " ".join(MKDOCS + ["build", "-q", "-d", str(out / "site-m")])
        for label, before in SCENARIOS:
            r = paired(["sh", "-c", f"{before} && {build}"], out / "mesotrain", *plain, runs)
            results.setdefault((n, q), r)  # growth compares first builds
            rows.append((f"Build overhead, {n} lessons × {q} questions ({n * q:,} questions), {label}",
                         f"mesotrain {r['a']:.2f} s vs plain Material {r['b']:.2f} s: **{r['ratio']:.2f}×**",
                         "≤ 1.25×", r["ratio"] <= 1.25))
    return results


def growth(results: dict, rows: list) -> None:
    small, large = results[(50, 20)], results[(200, 20)]
    t, m = large["a"] / small["a"], large["mem_a"] / small["mem_a"]
    rows.append(("Growth, 4× content (time)", f"{small['a']:.2f} s → {large['a']:.2f} s: **{t:.2f}×**", "≤ 4.2×", t <= 4.2))
    rows.append(("Growth, 4× content (peak memory)",
                 f"{small['mem_a'] / 1024:.0f} MB → {large['mem_a'] / 1024:.0f} MB: **{m:.2f}×**", "≤ 4.2×", m <= 4.2))


def generation(work: Path, runs: int, rows: list) -> None:
    """YAML → pages without MkDocs, at 4,000 questions."""
    from mesotrain.checks import load_checked
    from mesotrain.render import render_site

    out = work / "synth-200x20"
    if not out.exists():
        synth.generate(200, 20, out)
    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        tree, _ = load_checked(out / "mesotrain")
        render_site(tree)
        if i:
            times.append(time.perf_counter() - start)
    t = statistics.median(times)
    rows.append(("Generation alone (load, check, render), 4,000 questions",
                 f"{t:.2f} s: **{4000 / t:,.0f} questions/s**", "—", None))


NOTES = """Reading the build rows: the plain twin is the same prose and the same navigation
(a Lessons section) built by Material alone, from scratch every time. mesotrain keeps a
`.cache/mesotrain/` folder beside the course: *first build* deletes it before every run;
*after a course edit* changes a course file before every run, so every page is loaded,
checked and rendered again while compiled templates are kept (Material's as well as
mesotrain's, so part of that saving is on the theme's side); *no change* reuses the last
build's pages. The synthetic courses are generated by bench/synth.py, the certifier's
cohort by bench/examsynth.py.
"""


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else "?"
    mem = next((int(l.split()[1]) // 1024 // 1024 for l in Path("/proc/meminfo").read_text().splitlines()
                if l.startswith("MemTotal")), 0) if Path("/proc/meminfo").exists() else 0
    import mkdocs
    from importlib.metadata import version
    return (f"{os.cpu_count()} cores ({cpu}), {mem} GiB, {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, MkDocs {mkdocs.__version__}, "
            f"Material {version('mkdocs-material')}")


def table(rows: list) -> str:
    out = ["| measure | result | budget | met |", "| --- | --- | --- | --- |"]
    for name, result, budget, ok in rows:
        out.append(f"| {name} | {result} | {budget} | {'—' if ok is None else ('yes' if ok else '**no**')} |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs per timing (after one warm-up)")
    parser.add_argument("--only", default=ALL,
                        help="comma-separated sections to run")
    parser.add_argument("--attempts", type=int, default=100_000, help="synthetic result files for the certifier")
    parser.add_argument("--output", type=Path, default=None,
                        help="where to write the table (default: bench/RESULTS.md for a full run; "
                             "a run of some sections only prints)")
    args = parser.parse_args()
    only = set(args.only.split(","))
    rows: list = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mesotrain-bench-") as tmp:
        work = Path(tmp)
        if "build" in only:
            print("build overhead and growth…", file=sys.stderr)
            growth(build_overhead(work, args.runs, rows), rows)
        if "generation" in only:
            print("generation…", file=sys.stderr)
            generation(work, args.runs, rows)
        if "reload" in only:
            print("live reload…", file=sys.stderr)
            reload.measure(ROOT, work, args.runs, rows)
        if "weight" in only:
            print("page weight…", file=sys.stderr)
            weight.measure(ROOT, work, rows)
        if "lighthouse" in only:
            print("lighthouse…", file=sys.stderr)
            from sections import lighthouse

            lighthouse.measure(ROOT, work, rows, runs=args.runs)
        if "certifier" in only:
            print("certifier at scale…", file=sys.stderr)
            from sections import certifier

            certifier.measure(ROOT, work, args.attempts, rows, runs=args.runs)
    text = (f"# Benchmark results\n\nMachine: {machine()}.\n\n"
            f"Each timing: one warm-up, then {args.runs} runs, medians; comparisons alternate the two "
            f"commands and take the median of pair-by-pair ratios. Total time {time.perf_counter() - started:.0f} s.\n\n"
            + table(rows) + "\n\n" + NOTES)
    print(text)
    output = args.output or (ROOT / "bench" / "RESULTS.md" if only == set(ALL.split(",")) else None)
    if output:
        output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
