"""QTI 2.1: a bank as an IMS content package of assessment items.

Each question becomes one ``assessmentItem`` (items/ID.xml): its text as XHTML, its
interaction(s), response processing that scores as scoring.py does wherever QTI can say it
(a fraction per question in SCORE_n, clamped to 0…1, then SCORE = Σ fraction × weight),
and modal feedback (each choice's, and the rationale). A case is one item with an
interaction per part. ``imsmanifest.xml`` lists every item and the files it uses.

Each question type maps itself (its ``qti`` part, ``qti(q, item)``, calling one of the
interactions of :class:`Item`) or says why it cannot (a str). What an item cannot keep is
noted per question for the command's report.
"""
from __future__ import annotations

import io
import re
import zipfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import markdown

from ..model import Bank
from ..safehtml import clean
from ..types import of
from ..types.base import BLANK, number, plain
from . import Export, Note, Text

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
ITEM_TYPE = "imsqti_item_xmlv2p1"
_STAMP = (2000, 1, 1, 0, 0, 0)  # every zip entry's date: the same bank gives the same bytes


class Cannot(Exception):
    """A question this format cannot carry (its message says why)."""


def identifier(*parts: str) -> str:
    """A QTI identifier (an XML name: a letter or _ first; letters, digits, _ . - after)."""
    text = re.sub(r"[^A-Za-z0-9_.-]", "_", "_".join(parts))
    return text if re.match(r"[A-Za-z_]", text) else "_" + text


# --- Markdown → QTI's XHTML ---------------------------------------------------------------

# QTI 2.1's XHTML subset; what else our sanitiser lets through becomes a span (text kept).
_TAGS = {"a", "abbr", "b", "big", "blockquote", "br", "caption", "cite", "code", "dd", "dfn", "div", "dl",
         "dt", "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "q",
         "samp", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
         "tr", "tt", "ul", "var"}
_BLOCKS = {"details": "div", "figure": "div", "figcaption": "p", "summary": "p"}
_ATTRS = {"a": {"href"}, "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan"},
          "th": {"colspan", "rowspan", "scope"}}
_VOID = {"br", "hr", "img"}


class _Builder(HTMLParser):
    """Sanitised HTML → ElementTree children of ``root``."""

    def __init__(self, root: ET.Element):
        super().__init__(convert_charrefs=True)
        self.stack = [root]

    def handle_starttag(self, tag, attrs):
        tag = _BLOCKS.get(tag, tag if tag in _TAGS else "span")
        keep = {k: v for k, v in attrs if v is not None and k in _ATTRS.get(tag, ())}
        if tag == "img":
            keep.setdefault("alt", "")
        el = ET.SubElement(self.stack[-1], tag, keep)
        if tag not in _VOID:
            self.stack.append(el)

    def handle_endtag(self, tag):
        if tag not in _VOID and len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data):
        parent = self.stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def xhtml(html: str, into: ET.Element) -> ET.Element:
    _Builder(into).feed(html)
    return into


def _unwrap(el: ET.Element) -> ET.Element:
    """A lone paragraph's content in place of the paragraph (for inline places: choices)."""
    if len(el) == 1 and el[0].tag == "p" and not (el.text or "").strip() and not (el[0].tail or "").strip():
        p = el[0]
        el.remove(p)
        el.text = p.text
        el.extend(list(p))
    return el


# --- one item ---------------------------------------------------------------------------

class Item:
    """One assessment item, built by a question type's ``qti`` part (mesotrain.types.base.QtiItem)."""

    def __init__(self, q, text: Text, negative: bool, scoring: str):
        self.q, self.text = q, text
        self.negative, self.scoring = negative, scoring
        self.declarations: list[ET.Element] = []
        self.body = ET.Element("itemBody")
        self.rules: list[ET.Element] = []
        self.feedback: list[ET.Element] = []
        self.scores: list[tuple[str, float]] = []   # (SCORE_n, weight)
        self.images: dict[str, str] = {}            # package path → course image file name
        self.notes: list[str] = []
        self.n = 0

    # what types call
    def question(self, n: int, weight: float) -> None:
        """Start scored question n (0: the item itself; 1…: a case's parts) worth ``weight``."""
        self.n = n
        self.scores.append((f"SCORE_{n}", float(weight)))

    def note(self, message: str) -> None:
        self.notes.append(f"part {self.n}: {message}" if self.n else message)

    def cannot(self, reason: str):
        raise Cannot(reason)

    def block(self, md: str | None) -> None:
        """Text (a stem, a vignette) as a block of the item's body."""
        if md:
            self.body.append(self._flow(md, "div"))

    def choice(self, stem, choices, correct, *, max_choices=1, shuffle=True, scores=None, image=None) -> None:
        """choiceInteraction. choices: [(id, Markdown, feedback)]; scores: {id: fraction} summed
        (mapResponse), or None: all or nothing against ``correct``."""
        self.block(stem)
        if image:
            self._image(*image)
        rid = self._response("single" if max_choices == 1 else "multiple", "identifier",
                             [identifier(c) for c in correct],
                             {identifier(k): v for k, v in scores.items()} if scores else None)
        box = ET.SubElement(self.body, "choiceInteraction", responseIdentifier=rid,
                            shuffle=_bool(shuffle), maxChoices=str(max_choices))
        for cid, md, fb in choices:
            box.append(_unwrap(self._flow(md, "simpleChoice", identifier=identifier(cid))))
            if fb:
                value = _base("identifier", identifier(cid))
                self._feedback(_el("match", _var(rid), value) if max_choices == 1 else _el("member", value, _var(rid)), fb)
        self._score(rid, mapped=bool(scores))

    def order(self, stem, choices, correct, *, shuffle=True) -> None:
        """orderInteraction: all or nothing against the order ``correct``."""
        self.block(stem)
        rid = self._response("ordered", "identifier", [identifier(c) for c in correct])
        box = ET.SubElement(self.body, "orderInteraction", responseIdentifier=rid, shuffle=_bool(shuffle))
        for cid, md in choices:
            box.append(_unwrap(self._flow(md, "simpleChoice", identifier=identifier(cid))))
        self._score(rid, mapped=False)

    def match(self, stem, sources, targets, pairs, *, right, wrong) -> None:
        """matchInteraction. sources: [(id, Markdown, feedback when not matched right)];
        targets: [(id, Markdown)]; each pair in ``pairs`` earns ``right``, any other ``wrong``."""
        self.block(stem)
        src, tgt = (lambda i: identifier("s", i)), (lambda i: identifier("t", i))
        keys = [f"{src(a)} {tgt(b)}" for a, b in pairs]
        rid = self._response("multiple", "directedPair", keys, {k: right for k in keys}, default=wrong)
        box = ET.SubElement(self.body, "matchInteraction", responseIdentifier=rid, shuffle="true",
                            maxAssociations=str(len(sources)))
        first, second = ET.SubElement(box, "simpleMatchSet"), ET.SubElement(box, "simpleMatchSet")
        for sid, md, _ in sources:
            first.append(_unwrap(self._flow(md, "simpleAssociableChoice", identifier=src(sid), matchMax="1")))
        for tid, md in targets:
            second.append(_unwrap(self._flow(md, "simpleAssociableChoice", identifier=tgt(tid), matchMax="0")))
        for (sid, _, fb), key in zip(sources, keys):
            if fb:
                self._feedback(_el("and", _el("not", _el("isNull", _var(rid))),
                                   _el("not", _el("member", _base("directedPair", key), _var(rid)))), fb)
        self._score(rid, mapped=True)

    def numeric(self, stem, answer: float, low: float, high: float, *, unit=None) -> None:
        """textEntryInteraction for a number: credit for any value in [low, high]."""
        self.block(stem)
        rid = self._response("single", "float", [number(answer)])
        p = ET.SubElement(self.body, "p")
        ET.SubElement(p, "textEntryInteraction", responseIdentifier=rid, expectedLength="10").tail = \
            f" {unit}" if unit else None
        inside = _el("and", _el("gte", _var(rid), _base("float", number(low))),
                     _el("lte", _var(rid), _base("float", number(high))))
        self._add(inside, _base("float", "1"))

    def cloze(self, stem, md: str, blanks, *, right, wrong) -> None:
        """A text with a textEntryInteraction (or, for a blank with choices, an
        inlineChoiceInteraction) per blank. blanks: [(id, accepted answers, case sensitive,
        choices or None)]; an accepted answer earns ``right``, anything else ``wrong``."""
        self.block(stem)
        order = BLANK.findall(md)
        marked = BLANK.sub(lambda m: f"MTBLANK{order.index(m.group(1))}X", md)
        flow = self._flow(marked, "div")
        controls = {}
        for bid, accept, case, choices in blanks:
            if choices:
                ids = {c: identifier("c", str(n)) for n, c in enumerate(choices)}
                rid = self._response("single", "identifier", [ids[accept[0]]],
                                     {ids[a]: right for a in accept if a in ids}, default=wrong, part=bid)
                control = ET.Element("inlineChoiceInteraction", responseIdentifier=rid, shuffle="true")
                for c in choices:
                    ET.SubElement(control, "inlineChoice", identifier=ids[c]).text = c
            else:
                rid = self._response("single", "string", [accept[0]], {a: right for a in accept},
                                     default=wrong, part=bid, case_sensitive=case)
                control = ET.Element("textEntryInteraction", responseIdentifier=rid, expectedLength="18")
            controls[f"MTBLANK{order.index(bid)}X"] = control
            self._score(rid, mapped=True)
        _splice(flow, controls)
        self.body.append(flow)

    # the parts of an item
    def _flow(self, md: str, tag: str, **attrs) -> ET.Element:
        html = clean(markdown.markdown(self.text.md(md) or ""))
        return xhtml(html, ET.Element(tag, attrs))

    def _image(self, image: str, alt: str) -> None:
        path = f"images/{image}"
        self.images[path] = image
        p = ET.SubElement(self.body, "p")
        ET.SubElement(p, "object", type="image/svg+xml", data=path).text = alt

    def _response(self, cardinality, base_type, correct, mapping=None, *, default=0.0, part=None,
                  case_sensitive=True) -> str:
        rid = identifier("RESPONSE", str(self.n), *([part] if part else []))
        d = ET.Element("responseDeclaration", identifier=rid, cardinality=cardinality, baseType=base_type)
        values = ET.SubElement(d, "correctResponse")
        for v in correct:
            ET.SubElement(values, "value").text = v
        if mapping is not None:
            m = ET.SubElement(d, "mapping", defaultValue=number(default))  # bounds: the clamp of SCORE_n
            for key, value in mapping.items():
                ET.SubElement(m, "mapEntry", mapKey=key, mappedValue=number(value),
                              **({} if base_type != "string" else {"caseSensitive": _bool(case_sensitive)}))
        self.declarations.append(d)
        return rid

    def _score(self, rid: str, mapped: bool) -> None:
        if mapped:
            self._add(_el("not", _el("isNull", _var(rid))), _el("mapResponse", identifier=rid))
        else:
            self._add(_el("match", _var(rid), _el("correct", identifier=rid)), _base("float", "1"))

    def _add(self, condition: ET.Element, value: ET.Element) -> None:
        """If condition: SCORE_n += value."""
        out = self.scores[-1][0]
        self.rules.append(_if(condition, _set(out, _el("sum", _var(out), value))))

    def _feedback(self, condition: ET.Element, md: str) -> None:
        fid = identifier("FB", str(len(self.feedback) + 1))
        self.rules.append(_if(condition, _set("FEEDBACK", _el("multiple", _var("FEEDBACK"), _base("identifier", fid)))))
        self.feedback.append(self._flow(md, "modalFeedback", outcomeIdentifier="FEEDBACK", identifier=fid,
                                        showHide="show"))

    def xml(self, title: str) -> bytes:
        item = ET.Element("assessmentItem", {
            "xmlns": QTI, "xmlns:xsi": XSI, "xsi:schemaLocation": f"{QTI} {QTI_XSD}",
            "identifier": identifier(self.q.id), "title": title, "adaptive": "false", "timeDependent": "false"})
        item.extend(self.declarations)
        total = sum(w for _, w in self.scores)
        for name, default in [("SCORE", 0.0), ("MAXSCORE", total)] + [(s, 0.0) for s, _ in self.scores]:
            o = ET.SubElement(item, "outcomeDeclaration", identifier=name, cardinality="single", baseType="float")
            ET.SubElement(ET.SubElement(o, "defaultValue"), "value").text = number(default)
        ET.SubElement(item, "outcomeDeclaration", identifier="FEEDBACK", cardinality="multiple", baseType="identifier")
        item.append(self.body)
        rp = ET.SubElement(item, "responseProcessing")
        rp.extend(self.rules)
        for s, _ in self.scores:  # each question's fraction within 0…1, as scoring.py clamps its credit
            rp.append(_if(_el("lt", _var(s), _base("float", "0")), _set(s, _base("float", "0"))))
            rp.append(_if(_el("gt", _var(s), _base("float", "1")), _set(s, _base("float", "1"))))
        rp.append(_set("SCORE", _el("sum", *[_el("product", _var(s), _base("float", number(w)))
                                             for s, w in self.scores])))
        item.extend(self.feedback)
        ET.indent(item)
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(item, encoding="utf-8")


def _el(tag: str, *children: ET.Element, **attrs) -> ET.Element:
    e = ET.Element(tag, attrs)
    e.extend(children)
    return e


def _var(name: str) -> ET.Element:
    return _el("variable", identifier=name)


def _base(base_type: str, value: str) -> ET.Element:
    e = _el("baseValue", baseType=base_type)
    e.text = value
    return e


def _set(name: str, value: ET.Element) -> ET.Element:
    return _el("setOutcomeValue", value, identifier=name)


def _if(condition: ET.Element, then: ET.Element) -> ET.Element:
    return _el("responseCondition", _el("responseIf", condition, then))


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _splice(root: ET.Element, controls: dict[str, ET.Element]) -> None:
    """Put each control where its marker stands in root's text (markers are in text and tails)."""
    marker = re.compile("|".join(map(re.escape, controls)))

    def split(text: str) -> list:
        out, at = [], 0
        for m in marker.finditer(text):
            out += [text[at:m.start()], controls[m.group(0)]]
            at = m.end()
        return out + [text[at:]]

    for parent in list(root.iter()):
        children = list(parent)
        pieces = split(parent.text or "")
        parent.text = pieces[0] or None
        new = []
        for control, text in zip(pieces[1::2], pieces[2::2]):
            control.tail = text or None
            new.append(control)
        for child in children:
            tail = split(child.tail or "")
            child.tail = tail[0] or None
            new.append(child)
            for control, text in zip(tail[1::2], tail[2::2]):
                control.tail = text or None
                new.append(control)
        for child in children:
            parent.remove(child)
        parent.extend(new)


# --- the package ----------------------------------------------------------------------

def write(bank: Bank, text: Text) -> Export:
    """``bank`` as a QTI 2.1 content package (zip)."""
    notes: list[Note] = []
    files: dict[str, bytes] = {}
    resources = []
    root = text.root
    for q in bank.questions:
        t = of(q)
        if not callable(t.qti):
            notes.append(Note(q.id, q.type, f"not exported: {t.qti or 'this type has no QTI 2.1 mapping'}"))
            continue
        item = Item(q, text, bank.negative_marking, text.scoring)
        try:
            if not t.COMPOSITE:
                item.question(0, q.weight)
            t.qti(q, item)
        except Cannot as e:
            notes.append(Note(q.id, q.type, f"not exported: {e}"))
            continue
        notes.extend(Note(q.id, q.type, n) for n in item.notes)
        if q.rationale:
            item.rules.append(_set("FEEDBACK", _el("multiple", _var("FEEDBACK"), _base("identifier", "RATIONALE"))))
            item.feedback.append(item._flow(q.rationale, "modalFeedback", outcomeIdentifier="FEEDBACK",
                                            identifier="RATIONALE", showHide="show", title="Explanation"))
        href = f"items/{identifier(q.id)}.xml"
        stem = plain(text.md(q.stem))
        files[href] = item.xml(stem if len(stem) <= 80 else stem[:79] + "…")
        used = [href]
        for path, image in item.images.items():
            source = (Path(root) / "content" / "images" / image) if root else None
            if source is None or not source.is_file():
                notes.append(Note(q.id, q.type, f"the image {image} was not found; the item names it without it"))
                continue
            files[path] = source.read_bytes()
            used.append(path)
        resources.append((identifier("item", q.id), href, used))
    files["imsmanifest.xml"] = _manifest(bank, resources)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ["imsmanifest.xml"] + sorted(n for n in files if n != "imsmanifest.xml"):
            z.writestr(zipfile.ZipInfo(name, _STAMP), files[name], zipfile.ZIP_DEFLATED)
    return Export(out.getvalue(), ".zip", notes, count=len(resources))


def _manifest(bank: Bank, resources) -> bytes:
    m = ET.Element("manifest", {"xmlns": CP, "xmlns:xsi": XSI, "xsi:schemaLocation": f"{CP} {CP_XSD}",
                                "identifier": identifier("manifest", bank.id)})
    meta = ET.SubElement(m, "metadata")
    ET.SubElement(meta, "schema").text = "QTIv2.1 Package"
    ET.SubElement(meta, "schemaversion").text = "1.0.0"
    ET.SubElement(m, "organizations")
    res = ET.SubElement(m, "resources")
    for rid, href, used in resources:
        r = ET.SubElement(res, "resource", identifier=rid, type=ITEM_TYPE, href=href)
        for f in used:
            ET.SubElement(r, "file", href=f)
    ET.indent(m)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(m, encoding="utf-8")
