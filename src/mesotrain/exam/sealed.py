"""The exam as both sides see it: the public definition the page carries, and the key.

The build and the certifier's tool both construct a :class:`SealedExam` from the same
course files. Its ``content_hash`` (SHA-256 over the canonical public definition)
travels in every result file, so the certifier can tell that a result was sat on the
exam as published from these files; its ``key_hash`` covers what grading depends on
(keys, weights, scoring rules, pass marks), so a regrade can say the key changed. A
weight edit changes the key hash only: attempts already sat are re-scored by ``regrade``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .. import sealing
from ..canonical import sha256_hex
from ..load import CourseTree
from ..model import Bank, Exam
from .forms import Form, PoolItem, exam_pool, forms_for


@dataclass
class SealedExam:
    """A course's exam: its forms, each drawn item sealed, and the fingerprints of both sides."""

    tree: CourseTree

    @property
    def exam(self) -> Exam:
        return self.tree.exam.model

    @property
    def course_id(self) -> str:
        return self.tree.course.model.id

    @property
    def course_version(self) -> str:
        return self.tree.course.model.version

    @property
    def course_title(self) -> str:
        return self.tree.course.model.title

    @cached_property
    def pool(self) -> dict[str, PoolItem]:
        return {p.id: p for p in exam_pool(self.tree)}

    @cached_property
    def forms(self) -> list[Form]:
        return forms_for(self.tree)

    def form(self, form_id: str) -> Form | None:
        return next((f for f in self.forms if f.id == form_id), None)

    @cached_property
    def drawn(self) -> list[str]:
        """Every item that some form uses, in pool order."""
        used = {i for f in self.forms for i in f.items}
        return [i for i in self.pool if i in used]

    @property
    def sealed(self) -> bool:
        return self.exam.mode == "sealed"

    def unseal(self, item_id: str, response: Any) -> Any:
        """A response as the page recorded it → in the item's real ids (what scoring takes).

        A sealed page names choices by opaque tokens (see :mod:`mesotrain.sealing`); an
        open page publishes its key anyway and records real ids.
        """
        q = self.pool[item_id].question
        return sealing.unseal(q, response) if self.sealed else response

    @cached_property
    def scoring_bank(self) -> Bank:
        """The first pool bank: its multiple_scoring and negative_marking score the exam."""
        banks = {b.model.id: b.model for b in self.tree.banks}
        return next(banks[b] for b in self.exam.pool if b in banks)

    def public_definition(self, *, weights: bool = False) -> dict[str, Any]:
        """What the exam page publishes about the exam; the content hash is taken over it.

        Weights are left out: they are grading, like keys (the key hash covers them), so a
        weight edit keeps attempts already sat gradable and ``regrade`` re-scores them."""
        e = self.exam
        return {
            "course": self.course_id,
            "exam": {"id": e.id, "title": e.title, "mode": e.mode, "instructions": e.instructions,
                     "time_limit_minutes": e.time_limit_minutes, "attempts_allowed": e.attempts_allowed},
            "forms": {f.id: list(f.items) for f in self.forms},
            "items": {i: sealing.fingerprint(self.pool[i].question, sealed=self.sealed, weight=weights)
                      for i in self.drawn},
        }

    @cached_property
    def content_hash(self) -> str:
        return "sha256:" + sha256_hex(self.public_definition())

    @cached_property
    def content_hashes(self) -> tuple[str, str]:
        """Content hashes a result file of this exam may carry: today's, and the one pages built
        before weights left it wrote (weights included), so their attempts stay gradable."""
        return self.content_hash, "sha256:" + sha256_hex(self.public_definition(weights=True))

    @cached_property
    def key_hash(self) -> str:
        e = self.exam
        bank = self.scoring_bank
        return "sha256:" + sha256_hex({
            "items": {i: self.pool[i].question.model_dump(mode="json") for i in self.drawn},
            "domains": {i: self.pool[i].domain for i in self.drawn},
            "rules": {"pass_mark": e.pass_mark, "must_pass": list(e.must_pass),
                      "minimums": {r.domain: r.min_score for r in e.blueprint},
                      "multiple_scoring": bank.multiple_scoring, "negative_marking": bank.negative_marking},
        })


def sealed_exam(tree: CourseTree) -> SealedExam | None:
    """The course's exam, or None when it has none."""
    return SealedExam(tree) if tree.exam is not None and tree.course is not None else None
