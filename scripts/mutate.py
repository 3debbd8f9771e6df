#!/usr/bin/env python3
"""make mutate: break one scoring rule at a time and check that a shared vector notices.

Each mutation replaces one snippet of scoring.py, a type module's rule or scoring.js, in a
temporary copy (never the tree), then runs that language's vector tests
(tests/test_scoring.py's vector cases; tests/js/scoring.test.mjs). A mutation the tests
still pass "survives": a rule the vectors do not pin. Exit 1 if any survives.
tests/test_mutate.py checks that every snippet still occurs exactly once, so the list
cannot rot as the code changes.

    python scripts/mutate.py            # all
    python scripts/mutate.py -k floor   # those whose name contains "floor"
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY, JS = "src/mesotrain/", "src/mesotrain/assets/lazy/scoring.js"
T = PY + "types/"

# (name, file, snippet, replacement): one rule broken the way a slip would break it.
MUTATIONS = [
    ("py single: any option is right", T + "single.py",
     "r == _choice.keys(q)[0]", "r in {o.id for o in q.options}"),
    ("py true_false: 1 counts as true", T + "true_false.py",
     "isinstance(r, bool) and r == q.answer", "r == q.answer"),
    ("py hotspot: any region is right", T + "hotspot.py",
     "{g.id for g in q.regions if g.correct}", "{g.id for g in q.regions}"),
    ("py multiple: wrong choices cost nothing", T + "multiple.py",
     "return (right - wrong) / len(keys)", "return right / len(keys)"),
    ("py multiple: the question's scoring is ignored", T + "multiple.py",
     "(q.scoring or ms)", "ms"),
    ("py multiple: all_or_nothing accepts a subset", T + "multiple.py",
     "set(chosen) == keys", "set(chosen) <= keys"),
    ("py numeric: min/max ignored", T + "numeric.py",
     "(q.min is not None and value < q.min) or (q.max is not None and value > q.max)", "False"),
    ("py numeric: relative tolerance read as absolute", T + "numeric.py",
     'q.tolerance * abs(q.answer) if q.tolerance_mode == "relative" else q.tolerance', "q.tolerance"),
    ("py numeric: the tolerance's edge excluded", T + "numeric.py",
     "abs(value - q.answer) <= allowed + slack", "abs(value - q.answer) < allowed"),
    ("py ordering: negative marking ignored", T + "ordering.py",
     "(right - wrong) / pairs if neg else right / pairs", "right / pairs"),
    ("py ordering: only the exact order earns", T + "ordering.py",
     "if place[ids[a]] < place[ids[b]])", "if place[ids[a]] < place[ids[b]]) // pairs * pairs"),
    ("py matching/cloze: negative marking ignored", T + "base.py",
     "(right - (wrong if neg else 0)) / len(checks)", "right / len(checks)"),
    ("py matching: any answered premise is right", T + "matching.py",
     "lambda v, p=p: v == p.id", "lambda v, p=p: True"),
    ("py cloze: case always ignored", T + "base.py",
     "return text if case_sensitive else text.lower()", "return text.lower()"),
    ("py cloze: whitespace not collapsed", T + "base.py",
     'text = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip(" ")', "text = text"),
    ("py case: parts unweighted", T + "case.py",
     "return sum(credit(p, r.get(p.id), ms, neg) for p in q.parts) / total",
     "return sum(credit(p, r.get(p.id), ms, neg) / float(p.weight) for p in q.parts) / len(q.parts)"),
    ("py case: negative marking not passed to parts", T + "case.py",
     "credit(p, r.get(p.id), ms, neg)", "credit(p, r.get(p.id), ms, False)"),
    ("py credit: no floor at zero", T + "base.py",
     "min(1.0, max(0.0, share))", "min(1.0, share)"),
    ("py attempt: a half-right must-pass item passes", PY + "scoring.py",
     "i.id in wanted and not i.correct", "i.id in wanted and not i.earned"),
    ("py attempt: negative marking ignored", PY + "scoring.py",
     "multiple_scoring=multiple_scoring, negative_marking=negative_marking)\n               for q",
     "multiple_scoring=multiple_scoring)\n               for q"),
    ("py attempt: bank multiple_scoring ignored", PY + "scoring.py",
     "[score_item(q, domain, response, multiple_scoring=multiple_scoring,",
     "[score_item(q, domain, response,"),
    ("py attempt: the pass mark itself fails", PY + "scoring.py",
     "fraction >= pass_mark - EPSILON", "fraction > pass_mark"),
    ("py attempt: domain minimums ignored", PY + "scoring.py",
     "and not failed and not below", "and not failed"),
    ("py attempt: partial credit counts as correct", PY + "scoring.py",
     "earned >= possible - EPSILON)", "earned > 0)"),

    ("js single: any option is right", JS,
     "r === keys(q)[0])", "ids(q).includes(r))"),
    ("js true_false: 1 counts as true", JS,
     'typeof r === "boolean" && r === q.answer', "r == q.answer"),
    ("js hotspot: any region is right", JS,
     "q.regions.filter((g) => g.correct).map", "q.regions.map"),
    ("js multiple: wrong choices cost nothing", JS,
     "return (right - wrong) / k.length;", "return right / k.length;"),
    ("js multiple: the question's scoring is ignored", JS,
     "const method = q.scoring || ms,", "const method = ms,"),
    ("js multiple: all_or_nothing accepts a subset", JS,
     "right === k.length && !wrong", "!wrong"),
    ("js numeric: min/max ignored", JS,
     "if ((q.min != null && r < q.min) || (q.max != null && r > q.max)) return 0;", ""),
    ("js numeric: relative tolerance read as absolute", JS,
     'q.tolerance_mode === "relative" ? tol * Math.abs(q.answer) : tol', "tol"),
    ("js numeric: the tolerance's edge excluded", JS,
     "Math.abs(r - q.answer) <= allowed + EPS * Math.max(1, Math.abs(q.answer))", "Math.abs(r - q.answer) < allowed"),
    ("js ordering: negative marking ignored", JS,
     "return neg ? (right - (pairs - right)) / pairs : right / pairs;", "return right / pairs;"),
    ("js ordering: only the exact order earns", JS,
     "return neg ? (right - (pairs - right)) / pairs : right / pairs;",
     "return neg ? (right - (pairs - right)) / pairs : +(right === pairs);"),
    ("js matching/cloze: negative marking ignored", JS,
     "return (right - (neg ? wrong : 0)) / list.length;", "return right / list.length;"),
    ("js matching: any answered premise is right", JS,
     "(p, v) => v === p.id", "() => true"),
    ("js cloze: case always ignored", JS,
     "return caseSensitive ? text : text.toLowerCase();", "return text.toLowerCase();"),
    ("js cloze: whitespace not collapsed", JS,
     '.replace(SPACE, " ").replace(/^ +| +$/g, "")', ""),
    ("js case: parts unweighted", JS,
     "total += w(p); earned += credit(p, own(r, p.id), ms, neg);",
     "total += 1; earned += credit(p, own(r, p.id), ms, neg) / w(p);"),
    ("js case: negative marking not passed to parts", JS,
     "earned += credit(p, own(r, p.id), ms, neg);", "earned += credit(p, own(r, p.id), ms, false);"),
    ("js credit: no floor at zero", JS,
     "Math.min(1, Math.max(0, share(q, r, ms", "Math.min(1, (share(q, r, ms"),
    ("js attempt: a half-right must-pass item passes", JS,
     "must.includes(i.id) && !i.correct", "must.includes(i.id) && !i.earned"),
    ("js attempt: negative marking ignored", JS,
     "credit(q, response, o.multiple_scoring, o.negative_marking)", "credit(q, response, o.multiple_scoring)"),
    ("js attempt: bank multiple_scoring ignored", JS,
     "credit(q, response, o.multiple_scoring, o.negative_marking)", "credit(q, response, undefined, o.negative_marking)"),
    ("js attempt: the pass mark itself fails", JS,
     "fraction >= o.pass_mark - EPS", "fraction > o.pass_mark"),
    ("js attempt: domain minimums ignored", JS,
     "!failed.length && !below.length", "!failed.length"),
    ("js attempt: partial credit counts as correct", JS,
     "correct: earned >= w(q) - EPS", "correct: earned > 0"),
]


def _copy(tmp: Path, js: bool) -> None:
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "node_modules", "e2e", "fixtures")
    if js:
        (tmp / JS).parent.mkdir(parents=True)
        shutil.copy(ROOT / JS, tmp / JS)
        shutil.copytree(ROOT / "tests/js", tmp / "tests/js")
    else:
        shutil.copytree(ROOT / "src", tmp / "src", ignore=skip)
        for name in ("__init__.py", "test_scoring.py"):
            shutil.copy(ROOT / "tests" / name, tmp / "tests" / name)
    shutil.copytree(ROOT / "tests/vectors", tmp / "tests/vectors")


def _run(tmp: Path, js: bool) -> bool:
    """True when the vector tests pass (the mutant survives)."""
    if js:
        cmd = ["node", "--test", "tests/js/"]
        env = dict(os.environ)
    else:
        cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-o", "addopts=",
               "tests/test_scoring.py", "-k", "vector"]
        # the copy first on the path: its modules shadow the installed tree's
        env = dict(os.environ, PYTHONPATH=str(tmp / "src"), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(cmd, cwd=tmp, env=env, capture_output=True).returncode == 0


def apply(name: str, path: str, old: str, new: str, tmp: Path) -> None:
    target = tmp / path
    text = target.read_text(encoding="utf-8")
    if text.count(old) != 1:
        raise SystemExit(f"mutation '{name}': its snippet occurs {text.count(old)} times in {path}, not once")
    target.write_text(text.replace(old, new), encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-k", default="", help="only mutations whose name contains this")
    args = ap.parse_args(argv)
    chosen = [m for m in MUTATIONS if args.k in m[0]]
    survivors = []
    with tempfile.TemporaryDirectory(prefix="mesotrain-mutate-") as base:
        for lang in ("py", "js"):
            ours = [m for m in chosen if m[1].endswith(".js") == (lang == "js")]
            if not ours:
                continue
            clean = Path(base) / f"clean-{lang}"
            (clean / "tests").mkdir(parents=True)
            _copy(clean, lang == "js")
            if not _run(clean, lang == "js"):
                print(f"the unmutated {lang} copy fails its vectors: fix that first")
                return 2
            for n, (name, path, old, new) in enumerate(ours):
                tmp = Path(base) / f"{lang}-{n}"
                shutil.copytree(clean, tmp)
                apply(name, path, old, new, tmp)
                alive = _run(tmp, lang == "js")
                print(f"{'SURVIVED' if alive else 'killed  '}  {name}", flush=True)
                if alive:
                    survivors.append(name)
                shutil.rmtree(tmp)
    print(f"{len(chosen) - len(survivors)} of {len(chosen)} mutants killed"
          + (f"; survivors: {', '.join(survivors)}" if survivors else ""))
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
