"""hotspot: a region of an SVG image chosen; right or wrong."""
from __future__ import annotations

from typing import Literal

from markupsafe import Markup, escape
from pydantic import Field, model_validator

from ..model.base import Id, Md, Model
from .base import described, display_order, is_str, unique

NAME = "hotspot"
IMAGE = True


class Region(Model):
    id: Id = Field(description="The id of a shape in the SVG image.")
    label: str = Field(min_length=1, description="Its name, read out to keyboard and screen-reader users.")
    correct: bool = False
    feedback: Md | None = None


class Body:
    type: Literal["hotspot"]
    image: str = Field(min_length=1, description="An SVG under content/images/.")
    alt: str = Field(min_length=1)
    regions: list[Region] = Field(min_length=2)

    @model_validator(mode="after")
    def _key(self):
        unique([r.id for r in self.regions], "region")
        if not any(r.correct for r in self.regions):
            raise ValueError("a hotspot question needs at least one region with correct: true")
        return self


def share(q, r, ms, neg) -> float:
    return 1.0 if is_str(r) and r in {g.id for g in q.regions if g.correct} else 0.0


def key(q):
    return next(r.id for r in q.regions if r.correct)


def widget(q, fd, scope, ctx) -> None:
    regions = display_order(scope, q.regions, lambda r: r.label) if ctx.sealed else q.regions
    fd.choices = [{"value": r.id, "html": escape(r.label)} for r in regions]
    svg = ctx.svg(q.image, fd.uid, q.alt, {r.id: r.id for r in q.regions})
    fd.body = Markup(svg) if svg else Markup(f'<p class="mt-alt">{escape(q.alt)}</p>')


def feedback(q, ctx) -> dict:
    return {r.id: ctx.html(r.feedback) for r in q.regions if r.feedback}


def key_text(q, ctx) -> str:
    return escape(", ".join(r.label for r in q.regions if r.correct))


def sealed_names(q, scope) -> dict:
    return {}


def public(q) -> dict:
    return {"regions": sorted((r.id, r.label) for r in q.regions)}


def unseal(q, r, names, scope):
    return r


def to_page(q, r, inverse, scope):
    return r


def options(q) -> list[tuple]:
    return [(r.id, r.label, r.correct) for r in q.regions]


def interaction(q) -> dict:
    """A choice among the regions; each right region is a correct pattern of its own."""
    return {"type": "choice", "correct": [g.id for g in q.regions if g.correct], "weight": float(q.weight),
            "choices": described([(g.id, g.label) for g in q.regions])}


def answer(q, r) -> str:
    return r if is_str(r) else ""


moodle = gift = ("choosing a region of an SVG image has no form in this format (Moodle's drag-and-drop "
                 "markers need the picture as pixels and zones in pixel coordinates)")


def qti(q, item) -> None:
    """The regions as a choice beside the picture; any right region earns the credit."""
    right = [g.id for g in q.regions if g.correct]
    item.choice(q.stem, [(g.id, str(escape(g.label)), g.feedback) for g in q.regions], right[:1], shuffle=False,
                scores={g: 1.0 for g in right}, image=(q.image, q.alt))
    item.note("its regions are offered as a list of their names beside the picture (QTI's "
              "hotspotInteraction needs the shapes as coordinates on a bitmap)")
