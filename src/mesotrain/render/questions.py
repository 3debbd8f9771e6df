"""Question widgets as HTML, in two modes.

- ``practice``: native controls plus everything the quiz runtime needs to give
  instant feedback — the scoring view of the question, per-option feedback, the
  rationale and its cited sources. Without JavaScript the question still reads as a
  question, and a "Show the answer" disclosure gives the key and the explanation.
- ``sealed`` (certification exam): stems and controls only. No key, feedback,
  rationale or sources, and choices are named by opaque tokens in a key-independent
  order (see :mod:`mesotrain.sealing`); ``shuffle: false`` is ignored there, because
  authored order is key material.

Widgets are built from Jinja2 templates under templates/questions/ with HTML
autoescaping; fragments already converted from Markdown are passed in as Markup.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from ..model import Bank, Question
from ..sealing import choice_tokens, fingerprint, part_scope, sealed_names
from ..types import of
from .context import TEMPLATES, PageContext, widget_jinja
from .svg import inline_svg

MODES = ("practice", "sealed")
# Text-only keys that the runtime does not need to score (the page shows them as HTML).
_TEXT_KEYS = {"stem", "rationale", "sources", "feedback", "feedback_true", "feedback_false",
              "vignette", "difficulty", "cognitive", "text", "premise", "match", "label", "image", "alt",
              "distractors", "shuffle", "unit", "choices"}


def scoring_view(q: Any) -> dict:
    """The part of a question scoring.js needs (ids, keys, weights, tolerances), JSON-ready."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in _TEXT_KEYS and v is not None}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    view = strip(q.model_dump(mode="json"))
    return of(q).view(q, view) if of(q).view else view


@dataclass
class _Field:
    """One set of controls: a whole question, or one part of a case."""

    uid: str
    type: str
    legend: Markup
    part: str | None = None
    hint: str | None = None
    points: float | None = None
    choices: list[dict] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)
    premises: list[dict] = field(default_factory=list)
    body: Markup = Markup("")
    numeric: dict | None = None


class _Builder:
    """Builds the view of one question for the templates; each type's module fills its field
    through this object (the ``Render`` interface of mesotrain.types.base)."""

    def __init__(self, c: PageContext, mode: str):
        self.c = c
        self.sealed = mode == "sealed"
        self.f = c.course.sealed_fragments if self.sealed else c.course.fragments

    def html(self, md: str | None, inline: bool = True) -> str:
        return self.f.html(md, inline=inline)

    def text(self, md: str) -> str:
        return self.f.text(md)

    def svg(self, image: str, uid: str, alt: str, ids: dict[str, str]) -> str | None:
        return inline_svg(self.c.course.tree.root / "content" / "images" / image, uid, alt, ids)

    def legend(self, md: str) -> Markup:
        # A legend holds phrasing content only: paragraphs become blocks of spans.
        out = self.f.html(md)
        if "<p>" in out:
            out = out.replace("<p>", '<span class="mt-para">').replace("</p>", "</span>")
        return Markup(out)

    def names(self, scope: str, kind: str, ids: list[str], texts: list[str]) -> list[str]:
        return choice_tokens(scope, kind, texts) if self.sealed else ids

    def field(self, q, uid: str, scope: str, part: str | None = None) -> _Field:
        fd = _Field(uid=uid, type=q.type, legend=self.legend(q.stem), part=part,
                    points=q.weight if part is not None and q.weight != 1 else None)
        of(q).widget(q, fd, scope, self)
        return fd

    # --- practice only ----------------------------------------------------------------

    def feedback(self, q) -> dict:
        return of(q).feedback(q, self)

    def key_text(self, q) -> Markup:
        """The key in words, for the no-JavaScript "Show the answer" disclosure."""
        return Markup(of(q).key_text(q, self))


def _json(data: dict) -> str:
    """JSON for a data attribute (autoescaped there). Not a <script> block: Material's
    instant navigation re-creates inline scripts without their type and runs them."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


_CITES = "<!--mt-cites-->"


def render_question(q: Question, bank: Bank | None, c: PageContext, *, mode: str = "practice") -> str:
    """One question as HTML that reads as a question without JavaScript.

    A widget is the same on every page but for its citation numbers, so it is kept under
    its question's content fingerprint and what else it shows (mode, the bank's scoring
    settings, term definitions, an inlined image, the widget templates), and only the
    page's numbered citations are put in each time.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    course = c.course
    settings = (bank.kind, bank.lesson, bank.multiple_scoring, bank.negative_marking) if bank else None
    inputs = WIDGET_INPUTS + (("content/images/",) if _shows_image(q) else ())
    key = (mode, q.id, course.fingerprint(q), settings, course.memo.inputs(inputs))
    html = course.memo.widget(key, lambda: _build_question(q, bank, c, mode))
    if mode == "sealed":
        return html
    html = html.replace(_CITES, c.citations.marks(q.sources))
    c.citations.note_html(html)  # sources a feedback text names with [@id]
    return html


WIDGET_INPUTS = ("content/glossary.yaml", "content/sources.yaml", TEMPLATES + "questions/")  # terms, citation numbers


def _shows_image(q) -> bool:
    return of(q).IMAGE or any(of(p).IMAGE for p in getattr(q, "parts", None) or [])


def _build_question(q: Question, bank: Bank | None, c: PageContext, mode: str) -> str:
    b = _Builder(c, mode)
    uid = f"q-{q.id}"
    if of(q).COMPOSITE:
        names = sealed_names(q, q.id)["part"] if b.sealed else {}
        by_id = {v: k for k, v in names.items()}
        fields = [b.field(p, f"{uid}-{n + 1}", part_scope(q.id, n) if b.sealed else p.id,
                          part=by_id.get(p.id, p.id))
                  for n, p in enumerate(q.parts)]
    else:
        fields = [b.field(q, uid, q.id)]
    view: dict[str, Any] = dict(
        q=q, uid=uid, mode=mode, fields=fields, case=of(q).COMPOSITE,
        stem=b.legend(q.stem),
        vignette=Markup(b.f.html(getattr(q, "vignette", None), inline=False)),
        hash=fingerprint(q, sealed=True) if b.sealed else c.course.fingerprint(q),  # worked out once per bank
        lesson=bank.lesson if bank is not None and bank.kind == "practice" and not b.sealed else None,
    )
    if not b.sealed:
        view.update(
            data=_json({
                "q": scoring_view(q), "fb": b.feedback(q),
                "ms": bank.multiple_scoring if bank else "partial",
                "neg": bank.negative_marking if bank else False}),
            key=b.key_text(q),
            rationale=Markup(c.course.fragments.html(q.rationale, inline=False)),
            sources=Markup(_CITES),
        )
    out = widget_jinja().get_template("question.html.j2").render(**view)
    # No blank lines: Markdown must keep the whole widget as one raw HTML block.
    return "\n".join(line for line in out.splitlines() if line.strip())


def render_questions(questions: list[Question], bank: Bank | None, c: PageContext, *,
                     mode: str = "practice") -> str:
    """Several questions, each its own raw HTML block in the page's Markdown."""
    return "\n\n".join(render_question(q, bank, c, mode=mode) for q in questions)
