"""Course, sources, glossary and lessons: what instructors write under content/."""
from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal, Union

from pydantic import Field, model_validator

from .base import Id, Md, Model, SourceIds

READING_WPM = 200  # words a minute, for dense technical text
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_NOT_READ = {"id", "kind", "style", "sources", "questions", "src", "self_check", "domain"}


def _words(value: Any) -> int:
    if isinstance(value, str):
        return len(_WORD.findall(value))
    if isinstance(value, dict):
        return sum(_words(v) for k, v in value.items() if k not in _NOT_READ)
    if isinstance(value, (list, tuple)):
        return sum(_words(v) for v in value)
    return 0


class Domain(Model):
    id: Id
    title: str = Field(min_length=1)


class Course(Model):
    """content/course.yaml: the course as a whole and its lesson order."""

    id: Id
    title: str = Field(min_length=1)
    version: str = Field(min_length=1, description="Shown on the site and in every result file.")
    audience: str = Field(min_length=1)
    language: str = "en"
    disclaimer: Md = Field(description="Shown on every page: what the course is and is not.")
    introduction: Md = Field(description="The body of the course home page.")
    domains: list[Domain] = Field(min_length=1)
    lessons: list[Id] = Field(min_length=1, description="Lesson ids in the order they are taught.")


class Source(Model):
    id: Id
    title: str = Field(min_length=1)
    short: str | None = Field(None, min_length=1, description=(
        "A readable name usable mid-sentence, e.g. 'the translated clinic page'; "
        "[@id] in any Markdown field shows it with the source's citation mark."))
    publisher: str = Field(min_length=1, description="Publisher or web site.")
    date: str | None = Field(None, description="As the document gives it; omit when unknown.")
    kind: str = Field(min_length=1, description="e.g. clinic marketing page, patient blog.")
    reliability: Md = Field(description="A frank note: commercial interest, translation, evidence.")
    file: str | None = Field(None, description="Where the source text is kept, if anywhere.")


class Sources(Model):
    """content/sources.yaml."""

    sources: list[Source] = Field(min_length=1)


class Term(Model):
    id: Id
    term: str = Field(min_length=1)
    definition: str = Field(min_length=1, description="Plain text; it becomes a tooltip.")
    aliases: list[str] = []
    sources: list[Id] = []


class Glossary(Model):
    """content/glossary.yaml."""

    terms: list[Term] = Field(min_length=1)


class Objective(Model):
    id: Id
    text: str = Field(min_length=1, description="Measurable: starts with a verb the trainee can do.")


class TextBlock(Model):
    kind: Literal["text"]
    md: Md
    sources: SourceIds


class KeyPointsBlock(Model):
    kind: Literal["key_points"]
    title: str = "Key points"
    items: list[Md] = Field(min_length=1)
    sources: SourceIds


class TableBlock(Model):
    kind: Literal["table"]
    caption: str = Field(min_length=1)
    header: list[str] = Field(min_length=1)
    rows: list[list[str]] = Field(min_length=1)
    sources: SourceIds

    @model_validator(mode="after")
    def _rows_fit_header(self) -> "TableBlock":
        for i, row in enumerate(self.rows):
            if len(row) != len(self.header):
                raise ValueError(f"row {i} has {len(row)} cells but the header has {len(self.header)}")
        return self


class StepsBlock(Model):
    kind: Literal["steps"]
    title: str = Field(min_length=1)
    steps: list[Md] = Field(min_length=1)
    sources: SourceIds


class CalloutBlock(Model):
    kind: Literal["callout"]
    style: Literal["note", "tip", "info", "warning", "danger", "example", "question"] = "note"
    title: str | None = None
    md: Md
    sources: list[Id] = []
    editorial: bool = Field(False, description="Our own note, not from a source; needs no sources.")

    @model_validator(mode="after")
    def _sourced_or_editorial(self) -> "CalloutBlock":
        if not self.sources and not self.editorial:
            raise ValueError("a callout needs sources, or 'editorial: true' when it is our own note")
        return self


class Position(Model):
    claim: Md
    quote: str | None = Field(None, description="A short verbatim quotation, shown as a quote.")
    sources: SourceIds


class DisagreementBlock(Model):
    kind: Literal["disagreement"]
    topic: str = Field(min_length=1)
    positions: list[Position] = Field(min_length=2)
    note: Md | None = Field(None, description="Editorial comment; shown marked as editorial.")


class CautionBlock(Model):
    kind: Literal["caution"]
    title: str = Field(min_length=1, description="What the doubtful claim is about.")
    claim: Md = Field(description="What the source says, paraphrased or quoted.")
    quote: str | None = None
    why: Md = Field(description="Why the claim is doubtful.")
    sources: SourceIds
    editorial: Md | None = Field(None, description="A correction no source makes; shown as editorial.")


class FigureBlock(Model):
    kind: Literal["figure"]
    src: str = Field(min_length=1, description=(
        "Path under content/images/, e.g. figures/hair-cycle.svg. An SVG is inlined into the page."))
    alt: str = Field(min_length=1, description="A full description of what the figure shows.")
    caption: Md | None = None
    sources: list[Id] = []
    editorial: bool = Field(False, description=(
        "The figure shows textbook background that no source gives; it is labelled Editorial."))


class QuizBlock(Model):
    kind: Literal["quiz"]
    questions: list[Id] = Field(min_length=1, description="Practice question ids to ask here.")


Block = Annotated[
    Union[TextBlock, KeyPointsBlock, TableBlock, StepsBlock, CalloutBlock,
          DisagreementBlock, CautionBlock, FigureBlock, QuizBlock],
    Field(discriminator="kind"),
]


class Section(Model):
    title: str = Field(min_length=1)
    blocks: list[Block] = Field(min_length=1)


class Lesson(Model):
    """content/NN-name.yaml: one lesson."""

    id: Id
    title: str = Field(min_length=1)
    domain: Id
    summary: Md = Field(description="Shown under the title, with the reading time and the objectives.")
    objectives: list[Objective] = Field(min_length=1)
    sections: list[Section] = Field(min_length=1)
    in_short: list[Md] | None = Field(None, min_length=3, max_length=6, description=(
        "3–6 key points shown last, under 'In short' (required by check --strict)."))
    self_check: list[Id] | None = Field(None, min_length=2, max_length=3, description=(
        "2–3 practice question ids of the lesson's bank, not already in a quiz block, "
        "shown under 'Check yourself'."))

    def words(self) -> int:
        """Words a trainee reads on the lesson page, questions aside."""
        return _words(self.model_dump(exclude={"id", "domain", "self_check"}))

    def reading_minutes(self) -> int:
        """Reading time, shown at the top of the lesson (whole minutes, at least one)."""
        return max(1, math.ceil(self.words() / READING_WPM))
