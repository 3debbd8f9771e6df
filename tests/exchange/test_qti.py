"""QTI 2.1 export (`bank export --format qti21`): every shipped bank becomes a content package
whose items pass structural checks (no QTI 2.1 XSD is published on PyPI or npm, so these
checks stand in for it and say so in their names), and whose response processing, run by a
small interpreter here, scores the shared scoring vectors as scoring.py does."""
from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from mesotrain import scoring
from mesotrain.exchange import Text
from mesotrain.exchange.qti import CP, QTI, Item, identifier, write
from mesotrain.load import load_course
from mesotrain.model import Bank
from mesotrain.types import of
from mesotrain.types.base import part_weight

from ..test_scoring import FILLER, _credit_cases, _response, load_question

ROOT = Path(__file__).resolve().parents[2]
Q = "{%s}" % QTI
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
# What an itemBody may hold here: QTI 2.1's XHTML subset and the interactions we write.
BODY = {"a", "abbr", "b", "big", "blockquote", "br", "caption", "cite", "code", "dd", "dfn", "div", "dl", "dt",
        "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "q", "samp",
        "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt",
        "ul", "var", "object", "choiceInteraction", "simpleChoice", "orderInteraction", "matchInteraction",
        "simpleMatchSet", "simpleAssociableChoice", "textEntryInteraction", "inlineChoiceInteraction",
        "inlineChoice"}
ORDER = ["responseDeclaration", "outcomeDeclaration", "itemBody", "responseProcessing", "modalFeedback"]


def _tree():
    return load_course(ROOT)


def _unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def check_item(root: etree._Element) -> None:
    """The structure the QTI 2.1 XSD requires of the items we write, checked by hand."""
    assert root.tag == Q + "assessmentItem"
    for attr in ("identifier", "title", "adaptive", "timeDependent"):
        assert root.get(attr), attr
    assert NAME.match(root.get("identifier"))
    kinds = [etree.QName(c).localname for c in root]
    assert kinds == sorted(kinds, key=ORDER.index), f"children out of order: {kinds}"
    declared = {d.get("identifier"): d for d in root if etree.QName(d).localname in ("responseDeclaration",
                                                                                 "outcomeDeclaration")}
    assert all(NAME.match(i) for i in declared)
    for d in root.iter(Q + "responseDeclaration"):
        assert d.get("cardinality") in ("single", "multiple", "ordered") and d.get("baseType")
    body = root.find(Q + "itemBody")
    for el in body.iter():
        if el is not body:
            assert etree.QName(el).localname in BODY, f"{etree.QName(el).localname} in itemBody"
    for block in body:
        assert etree.QName(block).localname in ("div", "p", "choiceInteraction", "orderInteraction",
                                                "matchInteraction"), "itemBody holds blocks only"
    used = set()
    for inter in body.iter():
        rid = inter.get("responseIdentifier")
        if rid is None:
            continue
        assert rid in declared and rid not in used, rid
        used.add(rid)
        choices = [c.get("identifier") for c in inter.iter() if c is not inter and c.get("identifier")]
        assert len(choices) == len(set(choices)) and all(NAME.match(c) for c in choices)
        for v in declared[rid].iter(Q + "value"):
            if declared[rid].get("baseType") == "identifier":
                assert v.text in choices, (rid, v.text)
            elif declared[rid].get("baseType") == "directedPair":
                assert all(part in choices for part in v.text.split()), (rid, v.text)
    responses = {d.get("identifier") for d in root.iter(Q + "responseDeclaration")}
    assert responses == used, "a response declared without its interaction"
    for ref in root.find(Q + "responseProcessing").iter(Q + "variable", Q + "mapResponse", Q + "correct",
                                                     Q + "setOutcomeValue"):
        assert ref.get("identifier") in declared, ref.get("identifier")
    shown = {m.get("identifier") for m in root.iter(Q + "modalFeedback")}
    given = {b.text for b in root.iter(Q + "baseValue") if b.get("baseType") == "identifier"
             and b.getparent().tag == Q + "multiple"}
    assert shown == given, "every modal feedback is shown by a rule, and every rule shows one"


@pytest.mark.parametrize("bank", [b.model for b in _tree().banks], ids=lambda b: b.id)
def test_shipped_bank_as_qti21_passes_structural_checks_no_xsd_on_any_registry(bank):
    tree = _tree()
    out = write(bank, Text.of(tree, bank))
    files = _unzip(out.data)
    manifest = etree.fromstring(files["imsmanifest.xml"])
    assert manifest.tag == "{%s}manifest" % CP
    resources = manifest.findall(f"{{{CP}}}resources/{{{CP}}}resource")
    assert len(resources) == out.count
    hrefs = set()
    for r in resources:
        assert r.get("type") == "imsqti_item_xmlv2p1" and NAME.match(r.get("identifier"))
        listed = [f.get("href") for f in r.findall(f"{{{CP}}}file")]
        assert r.get("href") in listed and all(f in files for f in listed), listed
        item = etree.fromstring(files[r.get("href")])
        check_item(item)
        shown = {o.get("data") for o in item.iter(Q + "object")}
        assert shown <= set(listed), f"{r.get('href')} shows a file its resource does not list: {shown}"
        assert all(files[f].lstrip().startswith(b"<svg") or b"<svg" in files[f][:300] for f in shown)
        hrefs.update(listed)
    assert hrefs | {"imsmanifest.xml"} == set(files), "a file in the package no resource lists"
    carried = {n.qid for n in out.notes if n.message.startswith("not exported")}
    assert out.count + len(carried) == len(bank.questions) and out.count > 0


# --- scoring: the items' response processing, run here, against the shared vectors -------------

def _value(decl, raw):
    base = decl.get("baseType")
    return float(raw) if base == "float" else raw


def run(root: etree._Element, responses: dict) -> dict:
    """A QTI 2.1 response processing interpreter, for the operators our items use."""
    decls = {d.get("identifier"): d for d in root.iter(Q + "responseDeclaration")}
    out = {}
    for o in root.iter(Q + "outcomeDeclaration"):
        default = o.find(f"{Q}defaultValue/{Q}value")
        out[o.get("identifier")] = float(default.text) if default is not None else None
    env = {**out, **responses}

    def correct(rid):
        values = [_value(decls[rid], v.text) for v in decls[rid].iter(Q + "value")]
        return values[0] if decls[rid].get("cardinality") == "single" else values

    def mapped(rid):
        r, m = env.get(rid), decls[rid].find(Q + "mapping")
        entries = [(e.get("mapKey"), float(e.get("mappedValue")), e.get("caseSensitive") != "false")
                   for e in m.iter(Q + "mapEntry")]

        def one(v):
            for key, value, case in entries:
                if key == v or (not case and key.lower() == v.lower()):
                    return value
            return float(m.get("defaultValue", "0"))
        return one(r) if not isinstance(r, list) else sum(one(v) for v in set(r))

    def ev(e):
        tag = etree.QName(e).localname
        kids = [c for c in e if isinstance(c.tag, str)]
        if tag == "variable":
            return env.get(e.get("identifier"))
        if tag == "baseValue":
            return float(e.text) if e.get("baseType") == "float" else e.text
        if tag == "correct":
            return correct(e.get("identifier"))
        if tag == "mapResponse":
            return mapped(e.get("identifier"))
        args = [ev(k) for k in kids]
        if tag == "isNull":
            return args[0] is None or args[0] == []
        if tag == "not":
            return None if args[0] is None else not args[0]
        if tag == "and":
            return None if None in args else all(args)
        if tag in ("gte", "lte", "lt", "gt"):
            if None in args:
                return None
            a, b = args
            return {"gte": a >= b, "lte": a <= b, "lt": a < b, "gt": a > b}[tag]
        if tag == "match":
            if None in args:
                return None
            a, b = args
            return sorted(a) == sorted(b) if isinstance(a, list) and e[0].get("identifier") and \
                decls.get(e[0].get("identifier"), e).get("cardinality") == "multiple" else a == b
        if tag == "member":
            return None if args[1] is None else args[0] in args[1]
        if tag == "sum":
            return None if None in args else sum(args)
        if tag == "product":
            return None if None in args else args[0] * args[1]
        if tag == "multiple":
            return [v for a in args if a is not None for v in (a if isinstance(a, list) else [a])]
        raise AssertionError(f"the interpreter has no {tag}")

    def do(e):
        tag = etree.QName(e).localname
        if tag == "setOutcomeValue":
            env[e.get("identifier")] = ev(e[0])
        elif tag == "responseCondition":
            for branch in e:
                kids = list(branch)
                if etree.QName(branch).localname == "responseElse" or ev(kids[0]) is True:
                    for k in (kids if etree.QName(branch).localname == "responseElse" else kids[1:]):
                        do(k)
                    break
    for rule in root.find(Q + "responseProcessing"):
        do(rule)
    return env


def qti_response(q, r, n=0) -> dict | None:
    """Our response → the item's response variables; None when no QTI delivery could record it
    (a malformed response, a choice that is not offered)."""
    if r is None:
        return {}
    if of(q).COMPOSITE:
        out = {}
        for k, p in enumerate(q.parts, 1):
            if isinstance(r, dict) and p.id in r:
                sub = qti_response(p, r[p.id], k)
                if sub is None:
                    return None
                out.update(sub)
        return out if isinstance(r, dict) else None
    rid = identifier("RESPONSE", str(n))
    kind = q.type  # a test may name types; the package may not
    if kind == "matching":
        if not isinstance(r, dict) or not all(isinstance(v, str) for v in r.values()):
            return None
        return {rid: [f"{identifier('s', k)} {identifier('t', v)}" for k, v in r.items() if v]}
    if kind == "cloze":
        if not isinstance(r, dict):
            return None
        out = {}
        for b in q.blanks:
            v = r.get(b.id)
            if not isinstance(v, str) or not v.strip():
                continue
            if b.choices and v not in b.choices:
                return None
            out[identifier("RESPONSE", str(n), b.id)] = identifier("c", str(b.choices.index(v))) if b.choices else v
        return out
    if kind == "true_false":
        return {rid: "true" if r else "false"} if isinstance(r, bool) else None
    if kind == "numeric":
        return {rid: float(r)} if isinstance(r, (int, float)) and not isinstance(r, bool) else None
    known = [o.id for o in getattr(q, "options", None) or getattr(q, "items", None) or getattr(q, "regions", [])]
    if kind in ("multiple", "ordering"):
        ok = isinstance(r, list) and all(isinstance(x, str) and x in known for x in r) and len(set(r)) == len(r)
        return ({rid: [identifier(x) for x in r]} if r else {}) if ok else None
    return {rid: identifier(r)} if isinstance(r, str) and r in known else None


def qti_expected(q, r, ms: str, neg: bool) -> float:
    """scoring.py's credit, but an ordering's all or nothing (QTI's standard processing compares
    the whole order), and a case's parts weighed as it weighs them."""
    if of(q).COMPOSITE:
        r = r if isinstance(r, dict) else {}
        return sum(qti_expected(p, r.get(p.id), ms, neg) / float(p.weight) * part_weight(q, p) for p in q.parts)
    credit = scoring.credit(q, r, multiple_scoring=ms, negative_marking=neg)
    if q.type == "ordering":
        return float(q.weight) if credit >= float(q.weight) - 1e-9 else 0.0
    return credit


# Vectors QTI scores otherwise, and why (the writer notes it on each such question).
NOT_IN_QTI = {
    "inner whitespace collapsed, non-breaking space too": "typed answers are matched as typed",
    "decomposed accent equals composed (NFC)": "typed answers are matched as typed",
}


def _recordable():
    for p in _credit_cases():
        raw, case = p.values
        if qti_response(load_question(raw), _response(case["response"])) is not None:
            yield p


def _bank(raw, case) -> Bank:
    return Bank.model_validate({"id": "v", "lesson": "l", "questions": [{**FILLER, **raw}],
                                "multiple_scoring": case.get("multiple_scoring", "partial"),
                                "negative_marking": case.get("negative_marking", False)})


@pytest.mark.parametrize("raw, case", list(_recordable()))
def test_qti_response_processing_scores_the_vectors_as_scoring_py(raw, case):
    bank = _bank(raw, case)
    q = bank.questions[0]
    out = write(bank, Text({}, {}, bank.multiple_scoring))
    assert out.count == 1, out.notes
    item = etree.fromstring(next(v for k, v in _unzip(out.data).items() if k.startswith("items/")))
    r = _response(case["response"])
    got = run(item, qti_response(q, r))["SCORE"]
    want = qti_expected(q, r, bank.multiple_scoring, bank.negative_marking)
    if case["name"] in NOT_IN_QTI:
        assert got != pytest.approx(want), "QTI now agrees: take the case off NOT_IN_QTI"
        assert any(NOT_IN_QTI[case["name"]] in n.message for n in out.notes)
    else:
        assert got == pytest.approx(want, abs=1e-9), (case["name"], got, want)


def test_every_vector_qti_scores_otherwise_is_run():
    assert set(NOT_IN_QTI) <= {p.values[1]["name"] for p in _recordable()}


def test_the_interpreter_can_tell_a_wrong_score():
    """The checks above would catch a writer that scores everything right."""
    raw = {"id": "w", "type": "single", "options": [{"text": "A", "correct": True}, {"text": "B"}]}
    bank = _bank(raw, {})
    item = etree.fromstring(next(v for k, v in _unzip(write(bank, Text({}, {})).data).items() if k.startswith("items/")))
    assert run(item, {"RESPONSE_0": "a"})["SCORE"] == 1 and run(item, {"RESPONSE_0": "b"})["SCORE"] == 0
    assert run(item, {})["SCORE"] == 0


def test_bank_export_qti21_command_writes_the_package_and_reports_what_it_loses(tmp_path):
    from click.testing import CliRunner

    from mesotrain.cli import main

    out = tmp_path / "session.zip"
    run = CliRunner().invoke(main, ["bank", "export", "--root", str(ROOT), "session", "--format", "qti21",
                                    "--out", str(out)])
    assert run.exit_code == 0, run.output
    files = _unzip(out.read_bytes())
    assert "imsmanifest.xml" in files and any(n.startswith("images/") for n in files)
    assert "in QTI 2.1" in run.output and "all or nothing in QTI" in run.output
    bare = CliRunner().invoke(main, ["bank", "export", "--root", str(ROOT), "session", "--format", "qti21"])
    assert bare.exit_code == 2 and "give --out FILE.zip" in bare.output and "Traceback" not in bare.output
