"""Moodle XML: writing a bank, reading a file exported from Moodle.

Texts are written as Markdown (``format="markdown"``), which Moodle renders and our reader
keeps as it is; a file from Moodle usually holds HTML, which the reader makes safe Markdown.
A Cloze question (Moodle's multianswer) carries its blanks inside its text as
``{1:SHORTANSWER:=answer~=other}``; both directions handle that syntax here.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from xml.parsers import expat

from ..model import Bank
from ..types.foreign import FULL, Answer, Foreign, fmt_number
from . import Export, Note, Text, mapped

# Moodle's type name in XML where it differs from its internal one
_XML_TYPE = {"match": "matching", "multianswer": "cloze"}
_INTERNAL = {v: k for k, v in _XML_TYPE.items()}


def _percent(fraction: float) -> str:
    return fmt_number(round(fraction * 100, 5))


def _text(parent: ET.Element, tag: str, value: str | None, fmt: str | None = "markdown") -> ET.Element:
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(el, "text").text = value or ""
    return el


def _answer(parent: ET.Element, a: Answer, fmt: str | None = "markdown") -> ET.Element:
    el = ET.SubElement(parent, "answer", {"fraction": _percent(a.fraction), **({"format": fmt} if fmt else {})})
    ET.SubElement(el, "text").text = a.text
    if a.tolerance:
        ET.SubElement(el, "tolerance").text = fmt_number(a.tolerance)
    _text(el, "feedback", a.feedback)
    return el


_CLOZE_SPECIAL = re.compile(r'([}#~/"\\])')


def _cloze_code(blank: Foreign) -> str:
    kind = ("MULTICHOICE" if blank.qtype == "multichoice" else
            "SHORTANSWER_C" if blank.usecase else "SHORTANSWER")
    answers = "~".join(("=" if a.fraction >= FULL else f"%{_percent(a.fraction)}%" if a.fraction else "")
                       + _CLOZE_SPECIAL.sub(r"\\\1", a.text) for a in blank.answers)
    return f"{{1:{kind}:{answers}}}"


def question(f: Foreign) -> ET.Element:
    q = ET.Element("question", {"type": _XML_TYPE.get(f.qtype, f.qtype)})
    ET.SubElement(ET.SubElement(q, "name"), "text").text = f.name
    stem = f.stem
    if f.qtype == "multianswer":
        body = re.sub(r"\{#(\d+)\}", lambda m: _cloze_code(f.blanks[int(m.group(1)) - 1]), f.text or "")
        stem = f"{stem}\n\n{body}" if stem else body
    _text(q, "questiontext", stem)
    _text(q, "generalfeedback", f.general)
    ET.SubElement(q, "defaultgrade").text = fmt_number(f.weight)
    ET.SubElement(q, "penalty").text = "0"
    ET.SubElement(q, "hidden").text = "0"
    ET.SubElement(q, "idnumber").text = f.name
    if f.qtype in ("multichoice", "multichoiceset"):
        if f.qtype == "multichoice":
            ET.SubElement(q, "single").text = "true" if f.single else "false"
        ET.SubElement(q, "shuffleanswers").text = "true" if f.shuffle else "false"
        ET.SubElement(q, "answernumbering").text = "abc"
        for a in f.answers:
            _answer(q, a)
    elif f.qtype == "truefalse":
        for a in f.answers:
            _answer(q, a, "moodle_auto_format")
    elif f.qtype == "numerical":
        for a in f.answers:
            _answer(q, a, None)
        if f.unit:
            unit = ET.SubElement(ET.SubElement(q, "units"), "unit")
            ET.SubElement(unit, "multiplier").text = "1"
            ET.SubElement(unit, "unit_name").text = f.unit
            ET.SubElement(q, "unitgradingtype").text = "0"   # the unit is shown, not graded
            ET.SubElement(q, "showunits").text = "3"
    elif f.qtype == "shortanswer":
        ET.SubElement(q, "usecase").text = "1" if f.usecase else "0"
        for a in f.answers:
            _answer(q, a, "moodle_auto_format")
    elif f.qtype == "match":
        ET.SubElement(q, "shuffleanswers").text = "true"
        for premise, match in f.pairs:
            sub = _text(q, "subquestion", premise)
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = match
    elif f.qtype == "ordering":
        for tag, value in (("layouttype", "VERTICAL"), ("selecttype", "ALL"), ("selectcount", "0"),
                           ("gradingtype", "RELATIVE_ALL_PREVIOUS_AND_NEXT"), ("showgrading", "SHOW"),
                           ("numberingstyle", "none")):
            ET.SubElement(q, tag).text = value
        for a in f.answers:
            el = ET.SubElement(q, "answer", {"fraction": fmt_number(a.fraction), "format": "markdown"})
            ET.SubElement(el, "text").text = a.text
    return q


def write(bank: Bank, text: Text) -> Export:
    notes: list[Note] = []
    quiz = ET.Element("quiz")
    quiz.append(ET.Comment(f" {bank.id}: written by mesotrain "))
    category = ET.SubElement(quiz, "question", {"type": "category"})
    ET.SubElement(ET.SubElement(category, "category"), "text").text = f"$course$/top/{bank.id}"
    count = 0
    for q, f in mapped(bank, "moodle-xml", text, notes):
        quiz.append(question(f))
        count += 1
    ET.indent(quiz)
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="utf-8") + b"\n"
    return Export(data, ".xml", notes, count)


# --- reading ---------------------------------------------------------------------------------

class MoodleError(ValueError):
    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col = line, col


def _parse(text: str) -> tuple[ET.Element, dict]:
    """The element tree of ``text``, and where each element starts (line, column)."""
    parser = expat.ParserCreate()
    builder = ET.TreeBuilder()
    where: dict[ET.Element, tuple[int, int]] = {}

    def start(tag, attrs):
        where[builder.start(tag, attrs)] = (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        parser.Parse(text, True)
    except expat.ExpatError as exc:
        raise MoodleError(exc.lineno, exc.offset + 1, f"the XML breaks off here: {expat.ErrorString(exc.code)} (is a tag left open or mistyped?)") from None
    return builder.close(), where


_FORMATS = {"plain_text": "plain", "markdown": "markdown"}
_CODE = re.compile(r"\{(\d*):([A-Z_]+):((?:\\.|[^\\}])*)\}")
_KINDS = {"SHORTANSWER": "shortanswer", "SA": "shortanswer", "MW": "shortanswer",
          "SHORTANSWER_C": "shortanswer_c", "SAC": "shortanswer_c", "MWC": "shortanswer_c",
          "NUMERICAL": "numerical", "NM": "numerical"}


def _get(el: ET.Element, path: str, default: str = "") -> str:
    found = el.find(path)
    return found.text or default if found is not None else default


def _formatted(el: ET.Element | None, to_md) -> str:
    if el is None:
        return ""
    return to_md(_get(el, "text"), _FORMATS.get(el.get("format", "html"), "html"))


def _fraction(el: ET.Element, where: tuple[int, int]) -> float:
    try:
        return float(el.get("fraction", "0")) / 100
    except ValueError:
        raise MoodleError(*where, f"fraction=\"{el.get('fraction')}\" is not a number (a percentage, e.g. 100 or 33.333)") from None


def _cloze_blanks(text: str) -> tuple[str, list[Foreign]]:
    blanks: list[Foreign] = []

    def code(m: re.Match) -> str:
        kind = m.group(2)
        qtype = _KINDS.get(kind) or ("multichoice" if kind.startswith("MULTICHOICE") or kind in
                                     ("MC", "MCV", "MCH", "MCS", "MCVS", "MCHS") else kind.lower())
        blank = Foreign("shortanswer" if qtype == "shortanswer_c" else qtype, "", "", usecase=qtype == "shortanswer_c")
        for part in re.split(r"(?<!\\)~", m.group(3)):
            weight = re.match(r"^(=|%(-?[0-9.]+)%)?", part)
            value = part[weight.end():]
            fraction = 1.0 if weight.group(1) == "=" else float(weight.group(2)) / 100 if weight.group(2) else 0.0
            split = re.match(r"((?:\\.|[^\\#])*)(?:#(.*))?$", value, re.S)
            value, feedback = split.group(1), split.group(2)
            plain = html.unescape(re.sub(r"<[^>]*>", "", re.sub(r"\\(.)", r"\1", value))).strip()
            blank.answers.append(Answer(plain, fraction, feedback or None))
        blanks.append(blank)
        return "{#%d}" % len(blanks)

    return _CODE.sub(code, text), blanks


def _question(el: ET.Element, where: tuple[int, int], to_md) -> Foreign:
    kind = el.get("type", "")
    qtype = _INTERNAL.get(kind, kind)
    f = Foreign(qtype, _get(el, "name/text").strip(), "")
    raw = el.find("questiontext")
    if qtype == "multianswer":
        body, f.blanks = _cloze_blanks(_get(raw, "text") if raw is not None else "")
        fmt = _FORMATS.get(raw.get("format", "html"), "html") if raw is not None else "html"
        paragraphs = to_md(body, fmt).split("\n\n")
        lead = next((n for n, p in enumerate(paragraphs) if "{#" in p), 0)
        f.stem, f.text = "\n\n".join(paragraphs[:lead]), "\n\n".join(paragraphs[lead:])
    else:
        f.stem = _formatted(raw, to_md)
    f.general = _formatted(el.find("generalfeedback"), to_md) or None
    try:
        f.weight = float(_get(el, "defaultgrade", "1"))
    except ValueError:
        raise MoodleError(*where, "defaultgrade is not a number") from None
    f.single = _get(el, "single", "true").strip().lower() in ("true", "1")
    f.shuffle = _get(el, "shuffleanswers", "true").strip().lower() in ("true", "1")
    f.usecase = _get(el, "usecase", "0").strip() == "1"
    for a in el.findall("answer"):
        text = _get(a, "text")
        fmt = a.get("format", "plain_text" if qtype in ("numerical", "shortanswer", "truefalse") else "html")
        if qtype in ("numerical", "shortanswer", "truefalse"):
            shown = html.unescape(text).strip()
        else:
            shown = to_md(text, _FORMATS.get(fmt, "html"))
        answer = Answer(shown, _fraction(a, where), _formatted(a.find("feedback"), to_md) or None)
        try:
            answer.tolerance = float(_get(a, "tolerance", "0") or 0)
        except ValueError:
            raise MoodleError(*where, "an answer's tolerance is not a number") from None
        if qtype == "ordering":
            answer.fraction *= 100  # the fraction of an ordering answer is its place, not a percentage
        f.answers.append(answer)
    for sub in el.findall("subquestion"):
        f.pairs.append((_formatted(sub, to_md), html.unescape(_get(sub, "answer/text")).strip()))
    for unit in el.findall("units/unit"):
        if _get(unit, "multiplier", "1").strip() in ("1", "1.0", "1.0000000"):
            f.unit = _get(unit, "unit_name").strip() or None
    said = [tag for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback", "hint")
            if any((_get(x, "text") or "").strip() for x in el.findall(tag))]
    if said:
        f.notes.append(f"Moodle's {', '.join(said)} texts are left out: here feedback belongs to each answer "
                       "and the rationale")
    if el.find(".//file") is not None or "@@PLUGINFILE@@" in ET.tostring(el, encoding="unicode"):
        f.notes.append("it refers to files (images) stored in the Moodle export, which are not imported")
    return f


def read(text: str, file: str, to_md) -> list[Foreign]:
    """Every question of a Moodle XML file (categories skipped). Raises MoodleError, located."""
    if re.search(r"<!(DOCTYPE|ENTITY)", text):
        line = text[:re.search(r"<!(DOCTYPE|ENTITY)", text).start()].count("\n") + 1
        raise MoodleError(line, 1, "a DOCTYPE or entity declaration is not accepted in a question file")
    root, located = _parse(text)
    if root.tag != "quiz":
        raise MoodleError(*located[root], f"the root element is <{root.tag}>; a Moodle XML file starts with <quiz>")
    out = []
    for el in root.findall("question"):
        where = located[el]
        if el.get("type") == "category":
            continue
        f = _question(el, where, to_md)
        f.where = f"{file}:{where[0]}:{where[1]}"
        f.notes += to_md.notes
        to_md.notes.clear()
        out.append(f)
    return out
