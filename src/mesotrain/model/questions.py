"""Questions, practice banks and the exam: what instructors write under quizzes/.

Responses that the scoring module accepts, per type:
single → option id; multiple → [option ids]; true_false → bool; numeric → number;
ordering → [item ids]; matching → {premise id: choice id}; cloze → {blank id: text};
hotspot → region id; case → {part id: response of that part}.
"""
from __future__ import annotations

import re
from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from .base import Id, Md, Model, SourceIds

BLANK = re.compile(r"\{\{\s*([a-z0-9][a-z0-9_.-]*)\s*\}\}")


class Option(Model):
    id: Id | None = Field(None, description="Stable id; defaults to a, b, c … by position.")
    text: Md
    correct: bool = False
    feedback: Md | None = None


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


def _letter_ids(options: list[Option]) -> list[Option]:
    return [o if o.id else o.model_copy(update={"id": chr(ord("a") + i)})
            for i, o in enumerate(options)]


def _unique(ids: list[str], what: str) -> None:
    seen = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"{what} id '{i}' is used twice")
        seen.add(i)


class _Choice:
    @model_validator(mode="after")
    def _ids(self):
        object.__setattr__(self, "options", _letter_ids(self.options))
        _unique([o.id for o in self.options], "option")
        return self


class SingleBody(_Choice):
    type: Literal["single"]
    options: list[Option] = Field(min_length=2)
    shuffle: bool = True

    @model_validator(mode="after")
    def _one_key(self):
        if sum(o.correct for o in self.options) != 1:
            raise ValueError("a single-answer question needs exactly one option with correct: true")
        return self


class MultipleBody(_Choice):
    type: Literal["multiple"]
    options: list[Option] = Field(min_length=2)
    scoring: Literal["partial", "all_or_nothing"] | None = Field(
        None, description="Defaults to the bank's multiple_scoring.")
    shuffle: bool = True

    @model_validator(mode="after")
    def _some_key(self):
        if not any(o.correct for o in self.options):
            raise ValueError("a multiple-answer question needs at least one correct option")
        return self


class TrueFalseBody:
    type: Literal["true_false"]
    answer: bool
    feedback_true: Md | None = Field(None, description="Shown when the trainee answers true.")
    feedback_false: Md | None = Field(None, description="Shown when the trainee answers false.")


class NumericBody:
    type: Literal["numeric"]
    answer: float
    tolerance: float = Field(0, ge=0)
    tolerance_mode: Literal["absolute", "relative"] = "absolute"
    unit: str | None = None
    min: float | None = Field(None, description="Lowest value the input accepts.")
    max: float | None = Field(None, description="Highest value the input accepts.")


class Item(Model):
    id: Id
    text: Md


class OrderingBody:
    type: Literal["ordering"]
    items: list[Item] = Field(min_length=3, description="In the correct order; shown shuffled.")

    @model_validator(mode="after")
    def _ids(self):
        _unique([i.id for i in self.items], "item")
        return self


class Pair(Model):
    id: Id
    premise: Md
    match: Md
    feedback: Md | None = None


class MatchingBody:
    type: Literal["matching"]
    pairs: list[Pair] = Field(min_length=2)
    distractors: list[Md] = Field([], description="Extra choices that match no premise.")

    @model_validator(mode="after")
    def _ids(self):
        _unique([p.id for p in self.pairs], "pair")
        return self


class Blank(Model):
    id: Id
    accept: list[str] = Field(min_length=1, description="Accepted answers; the first is shown as the key.")
    case_sensitive: bool = False
    choices: list[str] | None = Field(None, description="Offer a list to choose from instead of typing.")

    @model_validator(mode="after")
    def _choices_hold_key(self):
        if self.choices is not None and self.accept[0] not in self.choices:
            raise ValueError(f"blank '{self.id}': choices must include the accepted answer '{self.accept[0]}'")
        return self


class ClozeBody:
    type: Literal["cloze"]
    text: Md = Field(description="Text with blanks written as {{blank-id}}.")
    blanks: list[Blank] = Field(min_length=1)

    @model_validator(mode="after")
    def _blanks_match_text(self):
        used = BLANK.findall(self.text)
        declared = [b.id for b in self.blanks]
        _unique(declared, "blank")
        missing = [b for b in declared if b not in used]
        unknown = [b for b in used if b not in declared]
        if missing:
            raise ValueError(f"blank(s) {', '.join(missing)} not placed in text as {{{{id}}}}")
        if unknown:
            raise ValueError(f"text uses undeclared blank(s) {', '.join(unknown)}")
        return self


class Region(Model):
    id: Id = Field(description="The id of a shape in the SVG image.")
    label: str = Field(min_length=1, description="Its name, read out to keyboard and screen-reader users.")
    correct: bool = False
    feedback: Md | None = None


class HotspotBody:
    type: Literal["hotspot"]
    image: str = Field(min_length=1, description="An SVG under content/images/.")
    alt: str = Field(min_length=1)
    regions: list[Region] = Field(min_length=2)

    @model_validator(mode="after")
    def _key(self):
        _unique([r.id for r in self.regions], "region")
        if not any(r.correct for r in self.regions):
            raise ValueError("a hotspot question needs at least one region with correct: true")
        return self


def _typed(body: type, base: type, name: str) -> type:
    return type(name, (body, base), {"__module__": __name__, "__doc__": body.__doc__})


# Case parts: every type except case itself, with objective/sources inherited from the case.
SinglePart = _typed(SingleBody, _Asked, "SinglePart")
MultiplePart = _typed(MultipleBody, _Asked, "MultiplePart")
TrueFalsePart = _typed(TrueFalseBody, _Asked, "TrueFalsePart")
NumericPart = _typed(NumericBody, _Asked, "NumericPart")
OrderingPart = _typed(OrderingBody, _Asked, "OrderingPart")
MatchingPart = _typed(MatchingBody, _Asked, "MatchingPart")
ClozePart = _typed(ClozeBody, _Asked, "ClozePart")
HotspotPart = _typed(HotspotBody, _Asked, "HotspotPart")

Part = Annotated[
    Union[SinglePart, MultiplePart, TrueFalsePart, NumericPart, OrderingPart,
          MatchingPart, ClozePart, HotspotPart],
    Field(discriminator="type"),
]

Single = _typed(SingleBody, _Question, "Single")
Multiple = _typed(MultipleBody, _Question, "Multiple")
TrueFalse = _typed(TrueFalseBody, _Question, "TrueFalse")
Numeric = _typed(NumericBody, _Question, "Numeric")
Ordering = _typed(OrderingBody, _Question, "Ordering")
Matching = _typed(MatchingBody, _Question, "Matching")
Cloze = _typed(ClozeBody, _Question, "Cloze")
Hotspot = _typed(HotspotBody, _Question, "Hotspot")


class Case(_Question):
    """A vignette with sub-questions; its credit is its parts' credit, scaled to its weight."""

    type: Literal["case"]
    vignette: Md
    parts: list[Part] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids(self):
        _unique([p.id for p in self.parts], "part")
        return self


Question = Annotated[
    Union[Single, Multiple, TrueFalse, Numeric, Ordering, Matching, Cloze, Case, Hotspot],
    Field(discriminator="type"),
]

QUESTION_TYPES = ("single", "multiple", "true_false", "numeric", "ordering",
                  "matching", "cloze", "case", "hotspot")


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
