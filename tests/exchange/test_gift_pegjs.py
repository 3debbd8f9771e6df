"""Our GIFT export read by a third-party parser, gift-pegjs (npm): every shipped bank parses to
the same questions, answers, weights and feedback as the YAML says."""
from __future__ import annotations

import json
import subprocess

import pytest

from mesotrain import exchange
from mesotrain.model import Bank
from mesotrain.types.base import BLANK

from ..conftest import ROOT

PARSE = """
const gift = require('gift-pegjs');
const banks = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = {};
for (const [name, text] of Object.entries(banks)) out[name] = gift.parse(text);
console.log(JSON.stringify(out));
"""


def pegjs(texts: dict[str, str]) -> dict[str, list]:
    done = subprocess.run(["node", "-e", PARSE], input=json.dumps(texts), capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _fb(text):
    return {"format": "markdown", "text": text} if text else None


def expected(q, text: exchange.Text, scoring: str) -> dict | None:
    """What gift-pegjs should read for question q, worked out from the YAML alone (None: not exported)."""
    md = text.md
    base = {"title": q.id, "stem": _fb(md(q.stem)), "globalFeedback": _fb(md(q.rationale))}
    if q.type == "single":  # noqa: the test names each type on purpose
        return {**base, "type": "MC", "choices": [
            {"isCorrect": o.correct, "weight": None, "text": _fb(md(o.text)), "feedback": _fb(md(o.feedback))}
            for o in q.options]}
    if q.type == "multiple":
        k = sum(o.correct for o in q.options)
        return {**base, "type": "MC", "choices": [
            {"isCorrect": False, "weight": pytest.approx((100 if o.correct else -100) / k, abs=1e-4),
             "text": _fb(md(o.text)), "feedback": _fb(md(o.feedback))} for o in q.options]}
    if q.type == "true_false":
        # Moodle reads the first feedback as the one for a wrong answer; gift-pegjs calls it trueFeedback.
        wrong, right = (q.feedback_false, q.feedback_true) if q.answer else (q.feedback_true, q.feedback_false)
        return {**base, "type": "TF", "isTrue": q.answer, "trueFeedback": _fb(md(wrong)), "falseFeedback": _fb(md(right))}
    if q.type == "numeric":
        tol = q.tolerance * abs(q.answer) if q.tolerance_mode == "relative" else q.tolerance
        return {**base, "type": "Numerical", "choices": {"type": "range", "number": pytest.approx(q.answer),
                                                         "range": pytest.approx(tol)}}
    if q.type == "matching":
        return {**base, "type": "Matching", "matchPairs": [
            {"subquestion": _fb(md(p.premise)), "subanswer": md(p.match)} for p in q.pairs]
            + [{"subquestion": {"format": "markdown", "text": ""}, "subanswer": md(d)} for d in q.distractors]}
    if q.type == "cloze" and len(set(BLANK.findall(q.text))) == 1:
        (b,) = q.blanks
        before, after = BLANK.split(q.text, maxsplit=1)[0], BLANK.split(q.text, maxsplit=1)[2]
        stem = md(q.stem) + "\n\n" + md(before).rstrip() + (" _____ " + md(after).lstrip() if after.strip() else "")
        if b.choices:
            choices = [{"isCorrect": c in b.accept, "weight": None, "text": _fb(c), "feedback": None} for c in b.choices]
            kind = "MC"
        else:
            choices = [{"isCorrect": True, "weight": None, "text": _fb(a), "feedback": None} for a in b.accept]
            kind = "Short"
        return {**base, "stem": _fb(stem.strip()), "type": kind, "choices": choices}
    return None  # ordering, case, hotspot, cloze with several blanks: GIFT cannot hold them


# gift-pegjs 1.0.2 leaves its escape placeholders in a match's answer (Moodle's importer turns
# them back into the characters, as it does everywhere else): undo them as Moodle would.
_PLACEHOLDERS = {"&&092;": "\\", "&&058;": ":", "&&035;": "#", "&&061;": "=", "&&123;": "{", "&&125;": "}",
                 "&&126;": "~"}


def _unplace(text: str) -> str:
    for k, v in _PLACEHOLDERS.items():
        text = text.replace(k, v)
    return text


def _tidy(parsed: dict) -> dict:
    for pair in parsed.get("matchPairs", []):
        pair["subanswer"] = _unplace(pair["subanswer"])
    keep = {"title", "stem", "globalFeedback", "type", "choices", "isTrue", "trueFeedback", "falseFeedback", "matchPairs"}
    out = {k: v for k, v in parsed.items() if k in keep}
    if out.get("stem"):
        out["stem"] = {**out["stem"], "text": out["stem"]["text"].strip()}
    return out


def test_every_shipped_bank_reads_back_the_same_in_gift_pegjs(course):
    exports = {b.model.id: exchange.export(course, b.model, "gift") for b in course.banks}
    parsed = pegjs({name: e.data.decode() for name, e in exports.items()})
    compared = 0
    for b in course.banks:
        bank = b.model
        text = exchange.Text.of(course, bank)
        got = {q["title"]: q for q in parsed[bank.id] if q["type"] != "Category"}
        assert [q["title"] for q in parsed[bank.id] if q["type"] == "Category"] == [bank.id]
        noted = {n.qid for n in exports[bank.id].notes if n.message.startswith("not exported")}
        for q in bank.questions:
            want = expected(q, text, bank.multiple_scoring)
            if want is None:
                assert q.id not in got and q.id in noted, f"{q.id} ({q.type}) dropped without a note"
                continue
            assert q.id in got, f"{bank.id}: {q.id} is missing from gift-pegjs's reading"
            assert _tidy(got[q.id]) == want, q.id
            compared += 1
        assert len(got) == exports[bank.id].count
    assert compared > 150  # the shipped course: most of its questions travel in GIFT


def test_special_characters_and_line_breaks_survive(course):
    nasty = "a ~tilde, =equals, #hash, {braces}, colon: and back\\slash\n\nsecond paragraph"
    bank = Bank.model_validate({"id": "nasty", "lesson": "x", "questions": [
        {"id": "n1", "type": "single", "objective": "o", "sources": ["s"], "stem": nasty, "rationale": nasty,
         "options": [{"text": nasty, "correct": True, "feedback": nasty}, {"text": "plain"}]},
        {"id": "n2", "type": "true_false", "objective": "o", "sources": ["s"], "stem": "True?", "rationale": "r",
         "answer": True, "feedback_true": "right {1}", "feedback_false": None},
        {"id": "n3", "type": "matching", "objective": "o", "sources": ["s"], "stem": "Pair", "rationale": "r",
         "pairs": [{"id": "a", "premise": "x=1", "match": "y:2"}, {"id": "b", "premise": "#3", "match": "~4"}]}]})
    text = exchange.Text.of(course, bank)
    out = exchange.export(course, bank, "gift").data.decode()
    assert "\n\n" not in out.split("$CATEGORY")[1].split("::n1::")[1].split("// n2")[0].strip()
    got = {q["title"]: q for q in pegjs({"b": out})["b"] if q["type"] != "Category"}
    for q in bank.questions:
        assert _tidy(got[q.id]) == expected(q, text, "partial")


def test_glossary_links_and_citations_become_plain_words(course):
    text = exchange.Text({"mesotherapy": "Mesotherapy"}, {"s001": "the clinic page"})
    assert text.md("[[mesotherapy]] and [[mesotherapy|injections]], says [@s001]") == \
        "Mesotherapy and injections, says the clinic page"


def test_text_for_formats_that_want_html_or_plain_words():
    text = exchange.Text({"mesotherapy": "Mesotherapy"}, {})
    assert text.html("**[[mesotherapy]]** <span onclick='x()'>a & b</span>") == \
        "<strong>Mesotherapy</strong> <span>a &amp; b</span>"
    assert text.plain("**[[mesotherapy]]** <span onclick='x()'>a & b</span>") == "Mesotherapy a & b"
    assert text.html("one\n\ntwo") == "<p>one</p>\n<p>two</p>" and text.html(None) is None
