"""Item analysis: gather the figures from the store in a few aggregate passes, write HTML and CSV.

The heavy lifting is SQL aggregation (sums per item, per form and per option), so a
cohort of 100,000 attempts is analysed without loading its item scores into Python;
:mod:`.stats` turns the sums into statistics.
"""
from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..exam import SealedExam
from . import stats
from .store import Store, now

CHOICE_TYPES = ("single", "multiple", "true_false", "hotspot")
NO_ANSWER = "(no answer)"


@dataclass
class FormStats:
    form: str
    n: int
    k: int
    mean: float | None      # fraction
    sd: float | None        # fraction
    kr20: float | None
    sem_items: float | None
    pass_rate: float | None
    histogram: list[int] = field(default_factory=lambda: [0] * 10)


@dataclass
class Option:
    id: str
    text: str
    key: bool
    count: int = 0
    upper: int = 0
    lower: int = 0


@dataclass
class Analysis:
    generated: str
    n: int
    forms: list[FormStats]
    items: list[stats.ItemStats]
    info: dict[str, dict[str, Any]]          # item id → type, domain, objective, stem
    options: dict[str, list[Option]]
    histogram: list[int]


def _groups(db, n: int) -> None:
    """temp.groups: each graded attempt's form, score, upper/lower group and number correct."""
    g = stats.group_size(n)
    db.execute("DROP TABLE IF EXISTS temp.groups")
    db.execute("CREATE TEMP TABLE groups (id INTEGER PRIMARY KEY, form TEXT, earned REAL, possible REAL, "
               "fraction REAL, passed INT, grp TEXT, ncorrect INT)")
    db.execute(
        "INSERT INTO temp.groups SELECT a.id, a.form, g.earned, g.possible, g.fraction, g.passed, "
        "CASE WHEN r.rn <= :g THEN 'U' WHEN r.rn > :n - :g THEN 'L' END, "
        "(SELECT SUM(correct) FROM item_scores s WHERE s.attempt = a.id) "
        "FROM attempts a JOIN grades g USING (attempt_id) JOIN ("
        "  SELECT attempt_id, ROW_NUMBER() OVER (ORDER BY fraction DESC, attempt_id) AS rn FROM grades) r "
        "USING (attempt_id)", {"g": g, "n": n})


def _item_sums(db) -> tuple[dict[str, stats.ItemSums], dict[str, dict[str, tuple[int, int]]]]:
    """Per item sums over all attempts, and per form: item → (n, correct) for KR-20."""
    per_item: dict[str, stats.ItemSums] = defaultdict(stats.ItemSums)
    per_form: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    rest = "CASE WHEN g.possible > s.possible THEN (g.earned - s.earned) / (g.possible - s.possible) END"
    cur = db.execute(
        f"SELECT g.form, s.item_id, COUNT(*), SUM(s.correct), SUM(s.earned / s.possible), COUNT({rest}), "
        f"SUM({rest}), SUM(({rest}) * ({rest})), SUM(s.correct * ({rest})), "
        "SUM(g.grp = 'U'), SUM(g.grp = 'U' AND s.correct), SUM(g.grp = 'L'), SUM(g.grp = 'L' AND s.correct) "
        "FROM item_scores s JOIN temp.groups g ON g.id = s.attempt "
        "GROUP BY g.form, s.item_id")
    for form, item, *sums in cur:
        part = stats.ItemSums(*[x or 0 for x in sums])
        per_item[item].add(part)
        per_form[form][item] = (part.n, int(part.correct))
    return per_item, per_form


def _forms(db, per_form: dict[str, dict[str, tuple[int, int]]]) -> list[FormStats]:
    out = []
    rows = db.execute("SELECT form, COUNT(*), SUM(ncorrect), SUM(ncorrect * ncorrect), SUM(fraction), "
                      "SUM(fraction * fraction), SUM(passed) FROM temp.groups GROUP BY form ORDER BY form")
    for form, n, s, ss, f, ff, passed in rows.fetchall():
        items = per_form.get(form, {})
        k = len(items)
        sum_pq = sum((c / m) * (1 - c / m) for m, c in items.values() if m)
        reliability = stats.kr20(k, n, sum_pq, s or 0, ss or 0)
        _, sd_items = stats.mean_sd(n, s or 0, ss or 0)
        mean, sd = stats.mean_sd(n, f or 0, ff or 0)
        fs = FormStats(form, n, k, mean, sd, reliability, stats.sem(sd_items, reliability),
                       passed / n if n else None)
        for b, count in db.execute("SELECT MIN(CAST(fraction * 10 AS INT), 9), COUNT(*) FROM temp.groups "
                                   "WHERE form = ? GROUP BY 1", (form,)):
            fs.histogram[b] += count
        out.append(fs)
    return out


def _options(db, sealed: SealedExam, item_ids: list[str]) -> dict[str, list[Option]]:
    """Every choice item's options with how many chose each, overall and in each group."""
    out: dict[str, list[Option]] = {}
    index: dict[str, dict[str, Option]] = {}
    for item in item_ids:
        q = sealed.pool[item].question if item in sealed.pool else None
        if q is None or q.type not in CHOICE_TYPES:
            continue
        if q.type in ("single", "multiple"):
            opts = [Option(o.id, o.text, o.correct) for o in q.options]
        elif q.type == "hotspot":
            opts = [Option(r.id, r.label, r.correct) for r in q.regions]
        else:
            opts = [Option("true", "True", q.answer is True), Option("false", "False", q.answer is False)]
        opts.append(Option(NO_ANSWER, NO_ANSWER, False))
        out[item] = opts
        index[item] = {o.id: o for o in opts}
    if not out:
        return out
    marks = ", ".join("?" * len(out))
    cur = db.execute(f"SELECT s.item_id, s.answer, t.grp, COUNT(*) FROM item_scores s JOIN temp.groups t "
                     f"ON t.id = s.attempt WHERE s.item_id IN ({marks}) GROUP BY 1, 2, 3", list(out))
    for item, answer, grp, count in cur:
        value = NO_ANSWER if answer is None else json.loads(answer)
        chosen = value if isinstance(value, list) else [value]
        for v in chosen:
            key = json.dumps(v) if isinstance(v, bool) else str(v)
            opt = index[item].get(key)
            if opt is None:
                continue
            opt.count += count
            if grp == "U":
                opt.upper += count
            elif grp == "L":
                opt.lower += count
    return out


def analyse(st: Store, sealed: SealedExam) -> Analysis:
    """Every figure of the report, computed from the graded attempts in the store."""
    db = st.db
    n = db.execute("SELECT COUNT(*) FROM grades").fetchone()[0]
    _groups(db, n)
    per_item, per_form = _item_sums(db)
    forms = _forms(db, per_form)
    order = [i for i in sealed.pool if i in per_item] + sorted(i for i in per_item if i not in sealed.pool)
    items = [stats.item_stats(i, per_item[i]) for i in order]
    options = _options(db, sealed, order)
    for s in items:
        if s.item_id in options:
            opts = [o for o in options[s.item_id] if o.id != NO_ANSWER]
            s.flags += stats.distractor_flags(s.n, {o.id: o.count for o in opts}, {o.id: o.upper for o in opts},
                                              {o.id for o in opts if o.key})
    info = {}
    for i in order:
        p = sealed.pool.get(i)
        info[i] = ({"type": p.question.type, "domain": p.domain, "objective": p.objective, "stem": p.question.stem}
                   if p else {"type": "?", "domain": None, "objective": None, "stem": "(no longer in the pool)"})
    histogram = [sum(f.histogram[b] for f in forms) for b in range(10)]
    db.execute("DROP TABLE IF EXISTS temp.groups")
    return Analysis(now(), n, forms, items, info, options, histogram)


def _r(x: float | None, digits: int = 3) -> Any:
    return "" if x is None else round(x, digits)


def write_csv(analysis: Analysis, out: Path) -> list[Path]:
    """items.csv, forms.csv and options.csv: the report's figures for a spreadsheet."""
    from .export import neutralise

    paths = [out / "items.csv", out / "forms.csv", out / "options.csv"]
    with paths[0].open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["item_id", "type", "domain", "objective", "n", "facility", "mean_credit", "point_biserial",
                    "upper_lower_d", "flags"])
        for s in analysis.items:
            i = analysis.info[s.item_id]
            w.writerow([s.item_id, i["type"], i["domain"], i["objective"], s.n, _r(s.facility), _r(s.mean_credit),
                        _r(s.point_biserial), _r(s.upper_lower), neutralise("; ".join(s.flags))])
    with paths[1].open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["form", "n", "items", "mean_pct", "sd_pct", "kr20", "sem_items", "pass_rate"])
        for f in analysis.forms:
            w.writerow([f.form, f.n, f.k, _r(f.mean and f.mean * 100, 2), _r(f.sd and f.sd * 100, 2),
                        _r(f.kr20), _r(f.sem_items), _r(f.pass_rate)])
    with paths[2].open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["item_id", "option_id", "option_text", "key", "count", "upper", "lower"])
        for item, opts in analysis.options.items():
            for o in opts:
                w.writerow([item, o.id, neutralise(o.text), o.key, o.count, o.upper, o.lower])
    return paths


def write_report(st: Store, sealed: SealedExam, out: Path) -> list[Path]:
    """Write report.html and its CSV files into ``out``; returns the paths written."""
    from .report_html import render_html

    out.mkdir(parents=True, exist_ok=True)
    analysis = analyse(st, sealed)
    html_path = out / "report.html"
    html_path.write_text(render_html(analysis, sealed), encoding="utf-8")
    return [html_path, *write_csv(analysis, out)]
