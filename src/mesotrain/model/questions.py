"""Questions, practice banks and the exam: what instructors write under quizzes/.

Each question type's own keys live in its module under mesotrain/types/; the Question
and Part unions are built here from the registry.
"""
from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, create_model, model_validator

from ..types import TYPES
from ..types.base import BLANK  # noqa: F401  (re-exported)
from ..types.cloze import Blank  # noqa: F401
from ..types.hotspot import Region  # noqa: F401
from ..types.matching import Pair  # noqa: F401
from ..types.ordering import Item  # noqa: F401
from ..types.single import Option  # noqa: F401
from .base import Id, Md, Model, SourceIds


class _Asked(Model):
    """What every question and case part has."""

    id: Id
    stem: Md
    rationale: Md | None = None
    weight: float = Field(1.0, gt=0)


class _Question(_Asked):
    objective: Id
    rationale: Md
    sources: SourceIds
    difficulty: Literal["easy", "medium", "hard"] = "medium"
    cognitive: Literal["recall", "application"] | None = Field(None, description=(
        "recall, or application: a patient, a situation, a decision. Lint requires it on exam items."))


def _class_name(t) -> str:
    return "".join(w.title() for w in t.NAME.split("_"))


def _typed(t, base: type, suffix: str = "", **fields) -> type:
    """A type's model: its Body on top of what every question (or case part) has."""
    return create_model(_class_name(t) + suffix, __base__=(t.Body, base), __module__=__name__,
                        __doc__=t.Body.__doc__, **fields)


# Case parts: every type but the composite ones, with objective/sources inherited from the case.
PARTS = {t.NAME: _typed(t, _Asked, "Part") for t in TYPES if not t.COMPOSITE}
Part = Annotated[Union[tuple(PARTS.values())], Field(discriminator="type")]
QUESTIONS = {t.NAME: _typed(t, _Question, **({"parts": (list[Part], Field(min_length=1))} if t.COMPOSITE else {}))
             for t in TYPES}
Question = Annotated[Union[tuple(QUESTIONS.values())], Field(discriminator="type")]
QUESTION_TYPES = tuple(QUESTIONS)
# Each model a module attribute under its own name (Single, SinglePart, …): pickling finds it there.
globals().update({m.__name__: m for m in (*PARTS.values(), *QUESTIONS.values())})


class Bank(Model):
    """quizzes/NN-name.yaml (practice, one per lesson) or an exam pool file."""

    id: Id
    kind: Literal["practice", "exam"] = "practice"
    lesson: Id | None = Field(None, description="The lesson a practice bank belongs to.")
    multiple_scoring: Literal["partial", "all_or_nothing"] = "partial"
    negative_marking: bool = Field(False, description="Wrong answers may cost credit, floored at zero per question.")
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _practice_has_lesson(self):
        if self.kind == "practice" and self.lesson is None:
            raise ValueError("a practice bank needs 'lesson: <lesson id>'")
        return self


class BlueprintRow(Model):
    """A domain's part of each form: a number of items, or a share of the exam's length."""

    domain: Id
    items: int | None = Field(None, ge=1, description="How many items each form draws from this domain.")
    share: float | None = Field(None, gt=0, le=1, description=(
        "Instead of items: this domain's share of the exam's length (e.g. 0.25), rounded to whole items."))
    min_score: float | None = Field(None, ge=0, le=1, description="Optional minimum fraction in this domain.")

    @model_validator(mode="after")
    def _items_or_share(self):
        if (self.items is None) == (self.share is None):
            raise ValueError("give a blueprint row either items or share")
        return self


class Band(Model):
    name: str = Field(min_length=1, max_length=40)
    min: float = Field(ge=0, le=1, description="The lowest score (fraction) in this band.")


class Exam(Model):
    """quizzes/exam.yaml: the certification exam's blueprint and rules."""

    id: Id
    title: str = Field(min_length=1)
    mode: Literal["sealed", "open"] = "sealed"
    pool: list[Id] = Field(min_length=1, description="Ids of exam banks that make up the pool.")
    blueprint: list[BlueprintRow] = Field(min_length=1)
    must_pass: list[Id] = Field([], description=(
        "Critical items: every form includes them, and missing one fails the attempt whatever its total."))
    pass_mark: float = Field(gt=0, le=1, description="Fraction of the weighted total needed to pass.")
    time_limit_minutes: int = Field(ge=1)
    attempts_allowed: int = Field(1, ge=1)
    forms: int = Field(1, ge=1, description="Number of parallel forms drawn from the pool.")
    length: int | None = Field(None, ge=1, description=(
        "Items per form; needed when blueprint rows give a share instead of items."))
    seed: int = Field(description="Seed of the form draw; the certifier's tool reproduces forms from it.")
    vignettes: int | None = Field(None, ge=0, description=(
        "Case items on every form: each form has exactly this many (check enforces it)."))
    apart: list[list[Id]] = Field([], description=(
        "Groups of pool items that never share a form (enemy items): one gives another's answer "
        "away, or both ask the same decision."))
    vary_cases: bool = Field(False, description=(
        "With vignettes: let later forms carry their cases in other domains than form A, where the "
        "points per domain stay equal. Off by default: it redraws forms B, C, ... of an existing exam."))
    instructions: Md | None = None
    bands: list[Band] = Field([], description=(
        "Score bands printed on certificates instead of the exact score, e.g. Pass 0.7, Distinction 0.9. "
        "Default: one band, Pass, from the pass mark."))

    @model_validator(mode="after")
    def _length_for_shares(self):
        shares = [r for r in self.blueprint if r.share is not None]
        if shares and self.length is None:
            raise ValueError("blueprint rows with a share need the exam's length (items per form)")
        if shares:
            fixed = sum(r.items for r in self.blueprint if r.items is not None)
            if fixed >= self.length:
                raise ValueError(f"rows with items already take {fixed} of the {self.length} items; none is left to share")
        return self

    def row_items(self) -> list[int]:
        """Items each blueprint row draws: its items, or its share of what the other rows leave of
        ``length``, by largest remainder (shares are normalised, so they need not add up to 1)."""
        counts = [r.items or 0 for r in self.blueprint]
        shared = [(i, r.share) for i, r in enumerate(self.blueprint) if r.share is not None]
        if shared:
            left = self.length - sum(counts)
            total = sum(s for _, s in shared)
            exact = [(i, left * s / total) for i, s in shared]
            for i, x in exact:
                counts[i] = int(x)
            spare = left - sum(counts[i] for i, _ in shared)
            for i, _ in sorted(exact, key=lambda t: (-(t[1] - int(t[1])), t[0]))[:spare]:
                counts[i] += 1
        return counts

    @model_validator(mode="after")
    def _bands_above_pass_mark(self):
        low = [b.name for b in self.bands if b.min < self.pass_mark]
        if low:
            raise ValueError(f"band(s) {', '.join(low)} start below the pass mark; certificates are for passes only")
        return self

    def band(self, fraction: float) -> str:
        """The name of the band a passing score falls in."""
        bands = sorted(self.bands, key=lambda b: b.min) or [Band(name="Pass", min=self.pass_mark)]
        name = bands[0].name
        for b in bands:
            if fraction >= b.min - 1e-9:
                name = b.name
        return name
