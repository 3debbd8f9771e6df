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
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..model import BLANK, Bank, Question
from ..sealing import (choice_tokens, display_order, fingerprint, part_scope, sealed_names,
                       token)
from .context import PageContext
from .svg import inline_svg

MODES = ("practice", "sealed")
# Text-only keys that the runtime does not need to score (the page shows them as HTML).
_TEXT_KEYS = {"stem", "rationale", "sources", "feedback", "feedback_true", "feedback_false",
              "vignette", "difficulty", "cognitive", "text", "premise", "match", "label", "image", "alt",
              "distractors", "shuffle", "unit", "choices"}


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("mesotrain", "templates/questions"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, auto_reload=False,
        undefined=jinja2.StrictUndefined)


def scoring_view(q: Any) -> dict:
    """The part of a question scoring.js needs (ids, keys, weights, tolerances), JSON-ready."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in _TEXT_KEYS and v is not None}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    view = strip(q.model_dump(mode="json"))
    if q.type == "cloze":  # accepted answers are needed; the text is not
        view["blanks"] = [{"id": b.id, "accept": b.accept, "case_sensitive": b.case_sensitive}
                          for b in q.blanks]
    return view


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
    """Builds the view of one question for the templates."""

    def __init__(self, c: PageContext, mode: str):
        self.c = c
        self.f = c.course.fragments
        self.sealed = mode == "sealed"

    def legend(self, md: str) -> Markup:
        # A legend holds phrasing content only: paragraphs become blocks of spans.
        out = self.f.html(md)
        if "<p>" in out:
            out = out.replace("<p>", '<span class="mt-para">').replace("</p>", "</span>")
        return Markup(out)

    def names(self, q, scope: str, kind: str, ids: list[str], texts: list[str]) -> list[str]:
        return choice_tokens(scope, kind, texts) if self.sealed else ids

    def field(self, q, uid: str, scope: str, part: str | None = None) -> _Field:
        fd = _Field(uid=uid, type=q.type, legend=self.legend(q.stem), part=part,
                    points=q.weight if part is not None and q.weight != 1 else None)
        getattr(self, "_" + q.type)(q, fd, scope)
        return fd

    def _ordered(self, q, scope, entries, text):
        if self.sealed or getattr(q, "shuffle", True):
            return display_order(scope, entries, text)
        return list(entries)

    def _single(self, q, fd, scope):
        values = dict(zip([o.id for o in q.options],
                          self.names(q, scope, "option", [o.id for o in q.options], [o.text for o in q.options])))
        fd.choices = [{"value": values[o.id], "html": Markup(self.f.html(o.text))}
                      for o in self._ordered(q, scope, q.options, lambda o: o.text)]

    def _multiple(self, q, fd, scope):
        self._single(q, fd, scope)
        fd.hint = "Choose all that apply."

    def _true_false(self, q, fd, scope):
        fd.choices = [{"value": "true", "html": "True"}, {"value": "false", "html": "False"}]

    def _numeric(self, q, fd, scope):
        hint = []
        if q.min is not None and q.max is not None:
            hint.append(f"Between {_num(q.min)} and {_num(q.max)}.")
        elif q.min is not None:
            hint.append(f"At least {_num(q.min)}.")
        elif q.max is not None:
            hint.append(f"At most {_num(q.max)}.")
        fd.numeric = {"unit": q.unit, "hint": " ".join(hint), "min": q.min, "max": q.max}

    def _ordering(self, q, fd, scope):
        values = self.names(q, scope, "item", [i.id for i in q.items], [i.text for i in q.items])
        by_id = dict(zip([i.id for i in q.items], values))
        shown = display_order(scope, q.items, lambda i: i.text)
        if not self.sealed and [i.id for i in shown] == [i.id for i in q.items]:
            shown = shown[1:] + shown[:1]  # never show a practice ordering already solved
        fd.items = [{"value": by_id[i.id], "html": Markup(self.f.html(i.text))} for i in shown]
        fd.hint = "Put the items in order, first at the top."

    def _matching(self, q, fd, scope):
        premise = self.names(q, scope, "premise", [p.id for p in q.pairs], [p.premise for p in q.pairs])
        choices = [(p.id, p.match) for p in q.pairs] + [(f"d{i}", d) for i, d in enumerate(q.distractors)]
        values = dict(zip([c[0] for c in choices],
                          self.names(q, scope, "choice", [c[0] for c in choices], [c[1] for c in choices])))
        options = [{"value": values[cid], "text": self.f.text(text)}
                   for cid, text in display_order(scope, choices, lambda c: c[1])]
        pairs = self._ordered(q, scope, list(zip(q.pairs, premise)), lambda p: p[0].premise) \
            if self.sealed else list(zip(q.pairs, premise))
        fd.premises = [{"value": v, "html": Markup(self.f.html(p.premise)), "options": options}
                       for p, v in pairs]

    def _cloze(self, q, fd, scope):
        order = BLANK.findall(q.text)
        parts, done = [], set()
        text = BLANK.sub(lambda m: f"MTBLANK{order.index(m.group(1))}X", q.text)
        out = self.f.html(text, inline=False)
        for n, bid in enumerate(order):
            blank = next(b for b in q.blanks if b.id == bid)
            name = token(scope, "blank", str(n)) if self.sealed else bid
            control = "" if bid in done else self._blank(fd.uid, n, len(order), name, blank, scope)
            done.add(bid)
            out = out.replace(f"MTBLANK{n}X", control, 1)
        fd.body = Markup(out)

    def _blank(self, uid, n, total, name, blank, scope) -> str:
        label = escape(f"Blank {n + 1} of {total}")
        attrs = f'id="{uid}-{n + 1}" data-mt-blank="{escape(name)}" aria-label="{label}"'
        if blank.choices:
            opts = "".join(f'<option value="{escape(ch)}">{escape(ch)}</option>'
                           for ch in display_order(f"{scope}/{name}", blank.choices, str))
            return f'<select {attrs}><option value="">Choose…</option>{opts}</select>'
        # One width for every blank: sized to the answer, the box would tell its length.
        return f'<input type="text" {attrs} size="18" autocomplete="off" autocapitalize="off" spellcheck="false">'

    def _hotspot(self, q, fd, scope):
        regions = display_order(scope, q.regions, lambda r: r.label) if self.sealed else q.regions
        fd.choices = [{"value": r.id, "html": escape(r.label)} for r in regions]
        svg = inline_svg(self.c.course.tree.root / "content" / "images" / q.image, fd.uid, q.alt,
                         {r.id: r.id for r in q.regions})
        fd.body = Markup(svg) if svg else Markup(f'<p class="mt-alt">{escape(q.alt)}</p>')

    # --- practice only ----------------------------------------------------------------

    def feedback(self, q) -> dict:
        h = lambda md: self.f.html(md)  # noqa: E731
        t = q.type
        if t in ("single", "multiple"):
            return {o.id: h(o.feedback) for o in q.options if o.feedback}
        if t == "true_false":
            return {k: h(v) for k, v in (("true", q.feedback_true), ("false", q.feedback_false)) if v}
        if t == "matching":
            return {p.id: h(p.feedback) for p in q.pairs if p.feedback}
        if t == "hotspot":
            return {r.id: h(r.feedback) for r in q.regions if r.feedback}
        if t == "case":
            return {p.id: self.feedback(p) for p in q.parts}
        return {}

    def key_text(self, q) -> Markup:
        """The key in words, for the no-JavaScript "Show the answer" disclosure."""
        h = lambda md: self.f.html(md)  # noqa: E731
        t = q.type
        if t in ("single", "multiple"):
            out = ", ".join(h(o.text) for o in q.options if o.correct)
        elif t == "true_false":
            out = "True" if q.answer else "False"
        elif t == "numeric":
            tol = "" if not q.tolerance else (f" (± {_num(q.tolerance * 100)} %)" if q.tolerance_mode == "relative"
                                              else f" (± {_num(q.tolerance)})")
            out = escape(f"{_num(q.answer)}{' ' + q.unit if q.unit else ''}{tol}")
        elif t == "ordering":
            out = "<ol>" + "".join(f"<li>{h(i.text)}</li>" for i in q.items) + "</ol>"
        elif t == "matching":
            out = "<ul>" + "".join(f"<li>{h(p.premise)} → {h(p.match)}</li>" for p in q.pairs) + "</ul>"
        elif t == "cloze":
            out = "<ol>" + "".join(
                f"<li>{escape(b.accept[0])}"
                + (f" (also accepted: {escape(', '.join(b.accept[1:]))})" if len(b.accept) > 1 else "")
                + "</li>" for b in sorted(q.blanks, key=lambda b: BLANK.findall(q.text).index(b.id))) + "</ol>"
        elif t == "hotspot":
            out = escape(", ".join(r.label for r in q.regions if r.correct))
        else:
            out = "<ol>" + "".join(f"<li>{self.f.html(p.stem)} {self.key_text(p)}</li>" for p in q.parts) + "</ol>"
        return Markup(out)


def _num(x: float) -> str:
    return f"{x:g}"


def _json(data: dict) -> str:
    """JSON for a data attribute (autoescaped there). Not a <script> block: Material's
    instant navigation re-creates inline scripts without their type and runs them."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


_CITES = "<!--mt-cites-->"


def render_question(q: Question, bank: Bank | None, c: PageContext, *, mode: str = "practice") -> str:
    """One question as HTML that reads as a question without JavaScript.

    A widget is the same on every page but for its citation numbers, so it is built
    once per build (the review page repeats every lesson's questions) and only the
    page's citation marks are put in each time.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    widgets = c.course.widgets
    key = (id(q), mode, id(bank))
    hit = widgets.get(key)
    if hit is None:  # the entry keeps q and bank alive, so their ids stay theirs
        hit = widgets[key] = (q, bank, _build_question(q, bank, c, mode))
    html = hit[2]
    if mode == "sealed":
        return html
    html = html.replace(_CITES, c.citations.marks(q.sources))
    c.citations.note_html(html)  # sources a feedback text names with [@id]
    return html


def _build_question(q: Question, bank: Bank | None, c: PageContext, mode: str) -> str:
    b = _Builder(c, mode)
    uid = f"q-{q.id}"
    if q.type == "case":
        names = sealed_names(q, q.id)["part"] if b.sealed else {}
        by_id = {v: k for k, v in names.items()}
        fields = [b.field(p, f"{uid}-{n + 1}", part_scope(q.id, n) if b.sealed else p.id,
                          part=by_id.get(p.id, p.id))
                  for n, p in enumerate(q.parts)]
    else:
        fields = [b.field(q, uid, q.id)]
    view: dict[str, Any] = dict(
        q=q, uid=uid, mode=mode, fields=fields, case=q.type == "case",
        stem=b.legend(q.stem),
        vignette=Markup(c.course.fragments.html(getattr(q, "vignette", None), inline=False)),
        hash=fingerprint(q, sealed=b.sealed),
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
    out = _env().get_template("question.html.j2").render(**view)
    # No blank lines: Markdown must keep the whole widget as one raw HTML block.
    return "\n".join(line for line in out.splitlines() if line.strip())


def render_questions(questions: list[Question], bank: Bank | None, c: PageContext, *,
                     mode: str = "practice") -> str:
    """Several questions, each its own raw HTML block in the page's Markdown."""
    return "\n\n".join(render_question(q, bank, c, mode=mode) for q in questions)


def progress_pages(course) -> list:
    """The trainee's dashboard and "Review my mistakes" pages."""
    from .progress import progress_pages as pages
    return pages(course)
