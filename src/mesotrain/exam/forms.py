"""The exam pool and its parallel forms, drawn from the blueprint by a seeded draw.

The draw is pure and deterministic: the same exam.yaml and pool give the same forms
on the build machine and on the certifier's, today and in five years. To keep that
promise across Python versions it uses only ``random.Random(str).random()``, the one
part of the ``random`` module whose output Python guarantees to keep stable; sampling
and shuffling are written out here instead of calling ``random.sample``/``shuffle``.

The algorithm, for anyone who wants to reproduce it by hand:

1. The pool is every question of the banks listed in ``pool``; each question's
   domain is the domain of the lesson that owns its objective.
2. For form number k (0, 1, …; labelled A, B, …) a generator is seeded with the
   string ``"<seed>/<k>"``.
3. For each blueprint row, in order: the row's must-pass items (sorted by id) are
   taken first; the remaining quota is drawn from the domain's other items, sorted
   by id, by a partial Fisher–Yates shuffle (step i swaps position i with position
   i + floor(r × (n − i)), r the generator's next number).
4. The form's items are then shuffled by the same generator with the same method.

With ``vignettes: N`` in exam.yaml the forms are drawn parallel (``_draw_parallel``): every
form holds exactly N case items and the same points in every domain.
"""
from __future__ import annotations

import random
import string
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..errors import Problem
from ..load import CourseTree
from ..model import Exam, Question
from ..types import of


@dataclass(frozen=True)
class PoolItem:
    """One exam question with the domain and objective it is scored under."""

    question: Question
    domain: str | None
    objective: str

    @property
    def id(self) -> str:
        return self.question.id


@dataclass(frozen=True)
class Form:
    """One parallel form: a label and its items in the order the candidate sees them."""

    id: str
    items: tuple[str, ...]


class BlueprintError(ValueError):
    """The pool cannot fill the blueprint (the course check reports the same in place)."""


def form_label(k: int) -> str:
    """A, B, … Z, then F27, F28 …: short labels a proctor can read aloud."""
    return string.ascii_uppercase[k] if k < 26 else f"F{k + 1}"


def exam_pool(tree: CourseTree) -> list[PoolItem]:
    """The exam's pool questions in pool order, each with its domain."""
    if tree.exam is None:
        return []
    lesson_of = {o.id: l.model.id for l in tree.lessons for o in l.model.objectives}
    banks = {b.model.id: b.model for b in tree.banks}
    items = []
    for bank_id in tree.exam.model.pool:
        bank = banks.get(bank_id)
        if bank is None or bank.kind != "exam":
            continue
        for q in bank.questions:
            lesson = lesson_of.get(q.objective)
            items.append(PoolItem(q, tree.domain_of(lesson) if lesson else None, q.objective))
    return items


def _shuffle(rng: random.Random, ids: list[str], take: int | None = None,
             apart: Apart | None = None) -> list[str]:
    """Partial Fisher–Yates over ``ids`` using only ``rng.random()``; the first ``take`` items.

    With ``apart``, an item that an item already on the form keeps off it is passed over (its
    step still draws a number) and the next one taken; each item taken is put on the form. With
    nothing to pass over this is exactly the plain shuffle, so exams without ``apart`` draw as
    they always did. Fewer than ``take`` come back when too many are passed over."""
    out = list(ids)
    n = len(out)
    take = n if take is None else take
    got: list[str] = []
    i = 0
    while len(got) < take and i < n:
        j = i + int(rng.random() * (n - i))
        out[i], out[j] = out[j], out[i]
        if apart is None or apart.allows(out[i]):
            got.append(out[i])
            if apart is not None:
                apart.put(out[i])
        i += 1
    return got


class Apart:
    """The exam's ``apart`` groups for one form: which items the form's items keep off it."""

    def __init__(self, groups: list[list[str]], form: str) -> None:
        self.enemies: dict[str, set[str]] = defaultdict(set)
        for group in groups:
            for item in group:
                self.enemies[item] |= set(group) - {item}
        self.form, self.banned = form, set()

    def allows(self, item: str) -> bool:
        return item not in self.banned

    def put(self, item: str) -> None:
        self.banned |= self.enemies.get(item, set())

    def check(self, domain: str | None, picked: list[str], wanted: int) -> None:
        if len(picked) < wanted:
            raise BlueprintError(f"apart: form {self.form} cannot draw {wanted} item(s) of domain '{domain}' "
                                 f"with its 'apart' groups kept off one form; the pool has too few others")


def _fillable(domain: str, wanted: int, ids: list[str], required: list[str]) -> None:
    if len(ids) < wanted:
        raise BlueprintError(f"domain '{domain}' has {len(ids)} pool item(s); each form needs {wanted}")
    if len(required) > wanted:
        raise BlueprintError(f"domain '{domain}' has {len(required)} must-pass items "
                             f"but each form takes only {wanted}")


def _apart(exam: Exam, form: str) -> Apart | None:
    """The form's enemy-item bookkeeping, must-pass items already on it; None without ``apart``."""
    if not exam.apart:
        return None
    apart = Apart(exam.apart, form)
    for item in exam.must_pass:
        apart.put(item)
    return apart


def draw_forms(exam: Exam, pool: list[PoolItem]) -> list[Form]:
    """Every form of the exam, as the build publishes them and the certifier re-draws them."""
    if exam.vignettes is not None:
        return _draw_parallel(exam, pool)
    by_domain: dict[str | None, list[str]] = {}
    for item in pool:
        by_domain.setdefault(item.domain, []).append(item.id)
    must = set(exam.must_pass)
    forms = []
    for k in range(exam.forms):
        rng = random.Random(f"{exam.seed}/{k}")
        apart = _apart(exam, form_label(k))
        chosen: list[str] = []
        for row, wanted in zip(exam.blueprint, exam.row_items()):
            ids = sorted(i for i in by_domain.get(row.domain, []) if i not in chosen)
            required = [i for i in ids if i in must]
            _fillable(row.domain, wanted, ids, required)
            rest = [i for i in ids if i not in must]
            picked = _shuffle(rng, rest, wanted - len(required), apart)
            if apart:
                apart.check(row.domain, picked, wanted - len(required))
            chosen += required + picked
        forms.append(Form(form_label(k), tuple(_shuffle(rng, chosen))))
    return forms


def is_vignette(q: Question) -> bool:
    """A case item: a vignette with its parts."""
    return of(q).COMPOSITE


def _vignette_bounds(exam: Exam, pool: list[PoolItem]) -> tuple[list[int], list[int], list[int]]:
    """Per blueprint row: the fewest vignettes it must draw, the most it can, and its cases."""
    must = set(exam.must_pass)
    lo, hi, spare = [], [], []
    for row, wanted in zip(exam.blueprint, exam.row_items()):
        items = [p for p in pool if p.domain == row.domain]
        cases = [p for p in items if is_vignette(p.question)]
        must_cases = sum(p.id in must for p in cases)
        must_other = sum(p.id in must for p in items) - must_cases
        lo.append(max(must_cases, wanted - (len(items) - len(cases))))
        hi.append(min(len(cases), wanted - must_other))
        spare.append(len(cases))
    if sum(lo) > exam.vignettes or sum(hi) < exam.vignettes or any(a > b for a, b in zip(lo, hi)):
        raise BlueprintError(f"forms cannot hold exactly {exam.vignettes} vignette(s): the blueprint and "
                             f"the pool allow between {sum(lo)} and {sum(hi)}")
    return lo, hi, spare


def vignette_targets(exam: Exam, pool: list[PoolItem], turn: int = 0) -> list[int]:
    """How many of its items each blueprint row draws as vignettes, so that every form holds
    exactly ``exam.vignettes``: each row first takes what it must (its must-pass cases; the
    cases it needs when its other items run short), then one vignette at a time goes to the
    row with the most cases still unused (on a tie, the first such row counting from row
    ``turn``, wrapping round: later forms of a ``vary_cases`` exam start further on)."""
    lo, hi, spare = _vignette_bounds(exam, pool)
    counts = list(lo)
    for _ in range(exam.vignettes - sum(counts)):
        open_rows = [i for i in range(len(counts)) if counts[i] < hi[i]]
        best = max(open_rows, key=lambda i: (spare[i] - counts[i], -((i - turn) % len(counts))))
        counts[best] += 1
    return counts


def _draw_parallel(exam: Exam, pool: list[PoolItem]) -> list[Form]:
    """Parallel forms: the same vignettes and the same points in every domain on every form.

    Form A is drawn as in the classic draw but with each row's vignettes drawn apart from
    its other items (``vignette_targets``). Every later form then draws, row by row, as many
    items of each kind (vignette or not) and weight as form A holds there, from the pool's
    items of that kind and weight, by the same seeded shuffle; must-pass items come first.

    With ``vary_cases``, form k first tries form A's way with the tie among rows broken from
    row k × f on (f: the vignettes no row must take), so its cases sit in other domains; it
    keeps that draw when it holds the same vignettes and points per domain as form A (and its
    ``apart`` groups leave every row enough items), else tries from the next row on, and so on
    round the rows; when none will do it draws as above.
    """
    info = {p.id: p for p in pool}
    kind = lambda i: (is_vignette(info[i].question), float(info[i].question.weight))  # noqa: E731
    must = set(exam.must_pass)
    for row, wanted in zip(exam.blueprint, exam.row_items()):
        ids = [p.id for p in pool if p.domain == row.domain]
        _fillable(row.domain, wanted, ids, [i for i in ids if i in must])
    free = exam.vignettes - sum(_vignette_bounds(exam, pool)[0])
    rows = list(zip(exam.blueprint, exam.row_items()))

    def draw(rng: random.Random, targets: list[int] | None, profile, label: str) -> tuple[list[str], list]:
        apart = _apart(exam, label)
        chosen: list[str] = []
        drawn: list[dict[tuple[bool, float], int]] = []
        for r, (row, wanted) in enumerate(rows):
            ids = sorted(p.id for p in pool if p.domain == row.domain and p.id not in chosen)
            required = [i for i in ids if i in must]
            rest = [i for i in ids if i not in must]
            if targets is not None:
                cases = targets[r] - sum(kind(i)[0] for i in required)
                picked = (_shuffle(rng, [i for i in rest if kind(i)[0]], cases, apart)
                          + _shuffle(rng, [i for i in rest if not kind(i)[0]], wanted - len(required) - cases, apart))
            else:
                picked = []
                for bucket, n in sorted(profile[r].items()):
                    picked += _shuffle(rng, [i for i in rest if kind(i) == bucket], n, apart)
            if apart:
                apart.check(row.domain, picked, wanted - len(required))
            drawn.append(dict(Counter(kind(i) for i in picked)))
            chosen += required + picked
        return chosen, drawn

    forms: list[Form] = []
    profile, shape = None, None
    for k in range(exam.forms):
        rng = random.Random(f"{exam.seed}/{k}")
        chosen: list[str] | None = None
        if profile is None:
            chosen, profile = draw(rng, vignette_targets(exam, pool), None, form_label(k))
            shape = form_shape(Form("", tuple(chosen)), info)
        elif exam.vary_cases and free:
            for step in range(len(rows)):  # the first start row, from k × f on, that draws parallel
                try:
                    chosen, _ = draw(rng, vignette_targets(exam, pool, turn=k * free + step), None, form_label(k))
                except BlueprintError:
                    chosen = None  # its apart groups leave a row short
                if chosen is not None and form_shape(Form("", tuple(chosen)), info) == shape:
                    break
                chosen, rng = None, random.Random(f"{exam.seed}/{k}")  # afresh for the next try
        if chosen is None:
            chosen, _ = draw(rng, None, profile, form_label(k))
        forms.append(Form(form_label(k), tuple(_shuffle(rng, chosen))))
    return forms


def forms_for(tree: CourseTree) -> list[Form]:
    """The forms of a loaded course's exam (none when it has no exam)."""
    return draw_forms(tree.exam.model, exam_pool(tree)) if tree.exam else []


def form_shape(form: Form, pool: dict[str, PoolItem]) -> tuple[int, dict]:
    """A form's vignette count and its points per domain."""
    items = [pool[i] for i in form.items if i in pool]
    points: dict = defaultdict(float)
    for p in items:
        points[p.domain] += p.question.weight
    return sum(is_vignette(p.question) for p in items), dict(points)


def parallel_problems(tree: CourseTree, forms: list[Form], pool: list[PoolItem]) -> list[Problem]:
    """Forms that differ in vignettes or in points per domain, or miss ``vignettes``."""
    exam, doc = tree.exam.model, tree.exam.doc
    by_id = {p.id: p for p in pool}
    shapes = [(f.id, *form_shape(f, by_id)) for f in forms]
    out: list[Problem] = []
    hint = "" if exam.vignettes is not None else " (set 'vignettes: N' to draw parallel forms)"
    counts = {label: n for label, n, _ in shapes}
    if exam.vignettes is not None:
        off = {label: n for label, n in counts.items() if n != exam.vignettes}
        if off:
            out.append(doc.problem(("vignettes",), f"every form must hold {exam.vignettes} vignette(s) but "
                                   + ", ".join(f"form {k} holds {n}" for k, n in off.items())))
    elif len(set(counts.values())) > 1:
        out.append(doc.problem(("forms",), "forms are not parallel: "
                               + ", ".join(f"form {k} has {n} vignette(s)" for k, n in counts.items()) + hint))
    rows = {row.domain: i for i, row in enumerate(exam.blueprint)}
    for domain, i in rows.items():
        worth = {label: round(points.get(domain, 0.0), 6) for label, _, points in shapes}
        if len(set(worth.values())) > 1:
            out.append(doc.problem(("blueprint", i), f"domain '{domain}' is worth "
                                   + ", ".join(f"{v:g} point(s) on form {k}" for k, v in worth.items())
                                   + "; parallel forms give each domain the same points" + hint))
    return out
