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
"""
from __future__ import annotations

import random
import string
from dataclasses import dataclass

from ..load import CourseTree
from ..model import Exam, Question


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


def _shuffle(rng: random.Random, ids: list[str], take: int | None = None) -> list[str]:
    """Partial Fisher–Yates over ``ids`` using only ``rng.random()``; the first ``take`` items."""
    out = list(ids)
    n = len(out)
    take = n if take is None else take
    for i in range(min(take, n)):
        j = i + int(rng.random() * (n - i))
        out[i], out[j] = out[j], out[i]
    return out[:take]


def draw_forms(exam: Exam, pool: list[PoolItem]) -> list[Form]:
    """Every form of the exam, as the build publishes them and the certifier re-draws them."""
    by_domain: dict[str | None, list[str]] = {}
    for item in pool:
        by_domain.setdefault(item.domain, []).append(item.id)
    must = set(exam.must_pass)
    forms = []
    for k in range(exam.forms):
        rng = random.Random(f"{exam.seed}/{k}")
        chosen: list[str] = []
        for row, wanted in zip(exam.blueprint, exam.row_items()):
            ids = sorted(i for i in by_domain.get(row.domain, []) if i not in chosen)
            required = [i for i in ids if i in must]
            if len(ids) < wanted:
                raise BlueprintError(f"domain '{row.domain}' has {len(ids)} pool item(s); "
                                     f"each form needs {wanted}")
            if len(required) > wanted:
                raise BlueprintError(f"domain '{row.domain}' has {len(required)} must-pass items "
                                     f"but each form takes only {wanted}")
            rest = [i for i in ids if i not in must]
            chosen += required + _shuffle(rng, rest, wanted - len(required))
        forms.append(Form(form_label(k), tuple(_shuffle(rng, chosen))))
    return forms


def forms_for(tree: CourseTree) -> list[Form]:
    """The forms of a loaded course's exam (none when it has no exam)."""
    return draw_forms(tree.exam.model, exam_pool(tree)) if tree.exam else []
