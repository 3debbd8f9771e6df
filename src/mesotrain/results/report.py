"""Item analysis: gather the figures from the store in a few passes, write HTML and CSV.

Sums over all attempts come from the item tallies that grading keeps (:mod:`.tallies`),
per form from the grades; only the upper and lower groups' item rows are read, one
attempt at a time in key order. So a cohort of 100,000 attempts is analysed without
sorting or loading its six million item scores; :mod:`.stats` turns the sums into
statistics.
"""
from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from ..exam import SealedExam
from ..types import of
from . import stats, tallies
from .analysis import Analysis, FormStats, Option
from .store import Store, now

CHOICE_TYPES = tallies.CHOICE_TYPES
NO_ANSWER = "(no answer)"


def _groups(db, n: int) -> None:
    """temp.groups: the attempts of the upper (U) and lower (L) groups, by score, ties broken by attempt id."""
    g = stats.group_size(n)
    db.execute("DROP TABLE IF EXISTS temp.groups")
    db.execute("CREATE TEMP TABLE groups (id INTEGER PRIMARY KEY, grp TEXT NOT NULL)")
    db.execute(
        "INSERT INTO temp.groups SELECT a.id, r.grp FROM attempts a JOIN ("
        "  SELECT attempt_id, CASE WHEN rn <= :g THEN 'U' ELSE 'L' END AS grp FROM ("
        "    SELECT attempt_id, ROW_NUMBER() OVER (ORDER BY fraction DESC, attempt_id) AS rn FROM grades)"
        "  WHERE rn <= :g OR rn > :n - :g) r USING (attempt_id)", {"g": g, "n": n})


def _item_sums(db, table: str) -> tuple[dict[str, stats.ItemSums], dict[str, dict[str, tuple[int, int]]]]:
    """Per item sums over all attempts from the tallies, and per form: item → (n, correct) for KR-20.

    Each tally row is n attempts with the same item result (e of p) and total possible P;
    ``total`` and ``total2`` sum their earned totals E, so the rest scores (E − e)/(P − p) sum
    without reading the attempts (see tallies.py).
    """
    per_item: dict[str, stats.ItemSums] = defaultdict(stats.ItemSums)
    per_form: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for form, item, e, p, c, big_p, n, total, total2 in db.execute(
            f"SELECT form, item_id, earned, possible, correct, total_possible, n, total, total2 FROM {table}"):
        s = per_item[item]
        s.n += n
        s.correct += c * n
        s.credit += n * (e / p)
        if big_p > p:
            d = big_p - p
            rest = (total - n * e) / d
            s.n_rest += n
            s.rest += rest
            s.rest2 += (total2 - 2 * e * total + n * e * e) / (d * d)
            s.correct_rest += c * rest
        m, k = per_form[form].get(item, (0, 0))
        per_form[form][item] = (m + n, k + c * n)
    return per_item, per_form


def _group_counts(db) -> dict[str, Counter]:
    """For the upper and lower groups: how many gave each (item, answer, correct), as "item␟answer␟correct".

    Their item rows are read attempt by attempt in key order and counted in C, which
    takes a fraction of the time that grouping them in SQL (a sort) does.
    """
    counts = {"U": Counter(), "L": Counter()}
    for grp, joined in db.execute(
            "SELECT g.grp, group_concat(s.item_id || x'1f' || IFNULL(s.answer, '') || x'1f' || s.correct, x'1e') "
            "FROM temp.groups g JOIN item_scores s ON s.attempt = g.id GROUP BY g.id"):
        counts[grp].update(joined.split("\x1e"))
    return counts


def _forms(db, per_form: dict[str, dict[str, tuple[int, int]]]) -> list[FormStats]:
    out = []
    t = "COALESCE(g.ncorrect, (SELECT SUM(correct) FROM item_scores s WHERE s.attempt = a.id), 0)"
    rows = db.execute(f"SELECT form, COUNT(*), SUM(t), SUM(t * t), SUM(fraction), SUM(fraction * fraction), "
                      f"SUM(passed) FROM (SELECT a.form, g.fraction, g.passed, {t} AS t "
                      "FROM attempts a JOIN grades g USING (attempt_id)) GROUP BY form ORDER BY form").fetchall()
    histograms: dict[str, list[int]] = defaultdict(lambda: [0] * 10)
    for form, b, count in db.execute("SELECT a.form, MIN(CAST(g.fraction * 10 AS INT), 9), COUNT(*) "
                                     "FROM attempts a JOIN grades g USING (attempt_id) GROUP BY 1, 2"):
        histograms[form][b] += count
    for form, n, s, ss, f, ff, passed in rows:
        items = per_form.get(form, {})
        k = len(items)
        sum_pq = sum((c / m) * (1 - c / m) for m, c in items.values() if m)
        reliability = stats.kr20(k, n, sum_pq, s or 0, ss or 0)
        _, sd_items = stats.mean_sd(n, s or 0, ss or 0)
        mean, sd = stats.mean_sd(n, f or 0, ff or 0)
        fs = FormStats(form, n, k, mean, sd, reliability, stats.sem(sd_items, reliability),
                       passed / n if n else None)
        fs.histogram = histograms[form]
        out.append(fs)
    return out


def _options(db, table: str, sealed: SealedExam, item_ids: list[str],
             groups: dict[str, Counter]) -> dict[str, list[Option]]:
    """Every choice item's options with how many chose each, overall and in each group."""
    out: dict[str, list[Option]] = {}
    index: dict[str, dict[str, Option]] = {}
    for item in item_ids:
        q = sealed.pool[item].question if item in sealed.pool else None
        if q is None or q.type not in CHOICE_TYPES:
            continue
        opts = [Option(*o) for o in of(q).options(q)]
        opts.append(Option(NO_ANSWER, NO_ANSWER, False))
        out[item] = opts
        index[item] = {o.id: o for o in opts}
    chosen_in: dict[str, list[str]] = {}

    def chosen(answer: str) -> list[str]:
        if answer not in chosen_in:
            value = NO_ANSWER if answer == "" else json.loads(answer)
            chosen_in[answer] = [json.dumps(v) if isinstance(v, bool) else str(v)
                                 for v in (value if isinstance(value, list) else [value])]
        return chosen_in[answer]

    counted = [(item, answer, n, None) for item, answer, n in db.execute(
        f"SELECT item_id, answer, SUM(n) FROM {table} GROUP BY 1, 2") if item in index]
    for grp, counter in groups.items():
        for key, n in counter.items():
            item, answer, _ = key.split("\x1f")
            if item in index:
                counted.append((item, answer, n, grp))
    for item, answer, n, grp in counted:
        for v in chosen(answer):
            opt = index[item].get(v)
            if opt is None:
                continue
            if grp is None:
                opt.count += n
            elif grp == "U":
                opt.upper += n
            else:
                opt.lower += n
    return out


def analyse(st: Store, sealed: SealedExam) -> Analysis:
    """Every figure of the report, computed from the graded attempts in the store."""
    db = st.db
    n = db.execute("SELECT COUNT(*) FROM grades").fetchone()[0]
    table = tallies.readable(db, sealed.pool)
    per_item, per_form = _item_sums(db, table)
    _groups(db, n)
    groups = _group_counts(db)
    for grp, counter in groups.items():
        for key, count in counter.items():
            item, _, correct = key.split("\x1f")
            s = per_item[item]
            if grp == "U":
                s.upper += count
                s.upper_correct += count * int(correct)
            else:
                s.lower += count
                s.lower_correct += count * int(correct)
    forms = _forms(db, per_form)
    order = [i for i in sealed.pool if i in per_item] + sorted(i for i in per_item if i not in sealed.pool)
    items = [stats.item_stats(i, per_item[i]) for i in order]
    options = _options(db, table, sealed, order, groups)
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
    db.execute("DROP TABLE IF EXISTS temp.tallies")
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
