"""The exam pages: the certification exam, the Verify page, and the files they rely on.

The exam page carries every item that some form uses, rendered by the question
widgets in ``sealed`` mode (stems and controls under opaque tokens, no key), and a
JSON block with what ``exam.js`` needs to run an attempt and write the result file.
In a sealed exam that block holds no key material either; an open exam adds the
scoring view and token names of each item so the browser can score it.
"""
from __future__ import annotations

import json
from pathlib import Path

from markupsafe import Markup, escape

from .. import scoring
from ..exam import SealedExam, sealed_exam
from ..exam.guard import refuse_leaks
from ..exam.resultfile import FORMAT, FORMAT_VERSION, SCHEMA_FILE
from ..sealing import part_scope, sealed_names
from ..types import of
from .context import Course, Page, PageContext
from .questions import render_question, scoring_view

EXAM_PATH = "exam.md"
VERIFY_PATH = "verify.md"
SCHEMA_PATH = "exam/result.schema.json"
CERTIFICATES_PATH = "certificates.json"
CERTIFICATES_SOURCE = "content/certificates.json"
EMPTY_LIST = {"format": "mesotrain-certificates", "format_version": 1, "certificates": {}}


def _attribute(data: dict) -> Markup:
    """JSON for a data attribute (not a script block: Material's instant navigation re-runs
    inline scripts as JavaScript, which breaks JSON ones)."""
    return escape(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def _names(q) -> dict:
    """Token → id maps of a question (and, for a case, of each part), for an open exam's scoring."""
    names = sealed_names(q, q.id)
    if of(q).COMPOSITE:
        names["parts"] = {p.id: sealed_names(p, part_scope(q.id, n)) for n, p in enumerate(q.parts)}
    return names


def exam_config(sealed: SealedExam) -> dict:
    """What exam.js needs: identities for the result file, forms, timing; the key only when open."""
    e = sealed.exam
    config = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "course": {"id": sealed.course_id, "version": sealed.course_version, "content_hash": sealed.content_hash},
        "exam": {"id": e.id, "mode": e.mode, "seed": e.seed, "time_limit_minutes": e.time_limit_minutes,
                 "attempts_allowed": e.attempts_allowed, "forms": {f.id: list(f.items) for f in sealed.forms}},
        "rules_version": scoring.RULES_VERSION,
        "warn_minutes": max(1, min(5, e.time_limit_minutes // 10)),
    }
    if e.mode == "open":
        bank = sealed.scoring_bank
        domains = {d.id: d.title for d in sealed.tree.course.model.domains}
        config["open"] = {
            "pass_mark": e.pass_mark, "must_pass": list(e.must_pass),
            "domain_minimums": {r.domain: r.min_score for r in e.blueprint if r.min_score is not None},
            "multiple_scoring": bank.multiple_scoring, "negative_marking": bank.negative_marking,
            "domains": {r.domain: domains.get(r.domain, r.domain) for r in e.blueprint},
            "items": {i: {"q": scoring_view(sealed.pool[i].question), "domain": sealed.pool[i].domain,
                          "names": _names(sealed.pool[i].question)} for i in sealed.drawn},
        }
    return config


def _exam_page(course: Course, sealed: SealedExam) -> Page:
    c = PageContext(course, "")
    items = [render_question(sealed.pool[i].question, None, c, mode="sealed") for i in sealed.drawn]
    e = sealed.exam
    form_size = len(sealed.forms[0].items) if sealed.forms else 0
    widget = course.jinja.get_template("exam.html.j2").render(
        config=_attribute(exam_config(sealed)), items=items, exam=e)
    text = course.jinja.get_template("exam.md.j2").render(
        exam=e, c=c, items=form_size, widget=c.fragment(widget), schema=SCHEMA_PATH)
    return Page(EXAM_PATH, text, e.title, c.fragments)


def _certificate_list(root: Path) -> str:
    path = root / CERTIFICATES_SOURCE
    if path.is_file():
        return path.read_text(encoding="utf-8")
    return json.dumps(EMPTY_LIST) + "\n"


def exam_pages(course: Course) -> list[Page]:
    """The exam and Verify pages, the result file's schema and the published certificate list."""
    sealed = sealed_exam(course.tree)
    if sealed is None:  # no exam, no certificates to verify
        return []
    pages = [_exam_page(course, sealed),
             Page(SCHEMA_PATH, SCHEMA_FILE.read_text(encoding="utf-8"), "Result file schema")]
    c = PageContext(course, "")
    verify = course.jinja.get_template("verify.md.j2").render(
        course=course.tree.course.model, listing=CERTIFICATES_PATH, widget=c.fragment(
            course.jinja.get_template("verify.html.j2").render()))
    pages.append(Page(VERIFY_PATH, verify, "Verify a certificate", c.fragments))
    pages.append(Page(CERTIFICATES_PATH, _certificate_list(course.tree.root), "Published certificates"))
    refuse_leaks(sealed, pages)
    return pages
