"""Moodle XML: every shipped bank goes out and comes back through our importer as the same
questions; files from elsewhere are read safely, and bad ones are refused with their place."""
from __future__ import annotations

import pytest

from mesotrain import exchange
from mesotrain.errors import ContentError
from mesotrain.exchange.importer import read_foreign
from mesotrain.types.base import BLANK, normalise_blank

from .conftest import round_trips


def canon(d: dict, md, scoring: str = "partial") -> dict:
    """The parts of a question (as YAML data) that a faithful exchange keeps, in a comparable form."""
    t = d["type"]
    out = {"type": t, "stem": md(d["stem"]), "weight": float(d.get("weight", 1))}
    if t in ("single", "multiple"):
        out["options"] = [(md(o["text"]), bool(o.get("correct")), md(o.get("feedback"))) for o in d["options"]]
        out["shuffle"] = d.get("shuffle", True)
        if t == "multiple":
            out["scoring"] = d.get("scoring") or scoring
    elif t == "true_false":
        out.update(answer=d["answer"], feedback=(md(d.get("feedback_true")), md(d.get("feedback_false"))))
    elif t == "numeric":
        tol = d.get("tolerance", 0) * (abs(d["answer"]) if d.get("tolerance_mode") == "relative" else 1)
        out.update(answer=pytest.approx(d["answer"]), tolerance=pytest.approx(tol), unit=d.get("unit"))
    elif t == "matching":
        out.update(pairs=[(md(p["premise"]), md(p["match"])) for p in d["pairs"]],
                   distractors=[md(x) for x in d.get("distractors") or []])
    elif t == "ordering":
        out["items"] = [md(i["text"]) for i in d["items"]]
    elif t == "cloze":
        order = list(dict.fromkeys(BLANK.findall(d["text"])))
        blanks = {b["id"]: b for b in d["blanks"]}
        seen: set = set()

        def rename(m):
            if m.group(1) in seen:
                return ""
            seen.add(m.group(1))
            return "{{%d}}" % (order.index(m.group(1)) + 1)
        out["text"] = md(BLANK.sub(rename, d["text"]))
        out["blanks"] = [(_accepted(blanks[b]), blanks[b].get("choices"), bool(blanks[b].get("case_sensitive")))
                         for b in order]
    return out


def _accepted(blank: dict) -> list[str]:
    """A menu's accepted answers are the choices it accepts (other spellings cannot be chosen)."""
    if not blank.get("choices"):
        return blank["accept"]
    same = {normalise_blank(a, blank.get("case_sensitive", False)) for a in blank["accept"]}
    return [c for c in blank["choices"] if normalise_blank(c, blank.get("case_sensitive", False)) in same]


def test_every_shipped_bank_round_trips_through_moodle_xml(course, tmp_path):
    compared = 0
    for bank, text, exported, items in round_trips(course, tmp_path, "moodle-xml", "moodle"):
        back = {f.name: f for f in items}
        for q in bank.questions:
            note = [n for n in exported.notes if n.qid == q.id and n.message.startswith("not exported")]
            if q.type in ("case", "hotspot"):
                assert note and q.id not in back
                continue
            f = back[q.id]
            keys, notes = read_foreign(f, "moodle")
            assert keys is not None, (q.id, notes)
            assert notes == [] and f.notes == [], (q.id, notes, f.notes)
            want = canon(q.model_dump(mode="json", exclude_none=True), text.md, bank.multiple_scoring)
            got = canon({**keys, "weight": f.weight}, lambda s: s or None)
            assert got == want, q.id
            assert f.general == text.md(q.rationale), q.id
            compared += 1
    assert compared > 200


def _read(tmp_path, xml: str, name: str = "bank.xml"):
    path = tmp_path / name
    path.write_text(xml, encoding="utf-8")
    return exchange.read_file(path, name)[0]


MOODLE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Imported</text></category></question>
  <question type="multichoice">
    <name><text>Capital</text></name>
    <questiontext format="html"><text><![CDATA[<p onclick="steal()">What is the <b>capital</b> of France?<script>alert(1)</script></p>]]></text></questiontext>
    <generalfeedback format="html"><text><![CDATA[<p>See <a href="javascript:alert(2)">the map</a>.</p>]]></text></generalfeedback>
    <defaultgrade>2</defaultgrade>
    <single>true</single>
    <answer fraction="100" format="html"><text><![CDATA[<img src="x" onerror="alert(3)">Paris]]></text>
      <feedback format="html"><text>Yes.</text></feedback></answer>
    <answer fraction="0" format="html"><text>Lyon</text></answer>
    <correctfeedback format="html"><text>Well done.</text></correctfeedback>
    <incorrectfeedback format="html"><text></text></incorrectfeedback>
  </question>
  <question type="cloze">
    <name><text>cloze-1</text></name>
    <questiontext format="html"><text><![CDATA[<p>Fill in.</p><p>Water is {1:SHORTANSWER:=H2O~=h2o#right} and salt is {1:MULTICHOICE:=NaCl~KCl}.</p>]]></text></questiontext>
  </question>
  <question type="essay"><name><text>Essay</text></name><questiontext format="html"><text>Discuss.</text></questiontext></question>
</quiz>
"""


def test_a_moodle_file_with_hostile_html_is_made_safe(tmp_path):
    items = _read(tmp_path, MOODLE)
    capital, cloze, essay = items
    keys, _ = read_foreign(capital, "moodle")
    everything = repr(keys) + repr(capital.general)
    for bad in ("script", "onclick", "onerror", "javascript", "alert"):
        assert bad not in everything, bad
    assert keys["stem"] == "What is the <b>capital</b> of France?"
    assert keys["options"][0] == {"text": '<img src="x">Paris', "correct": True, "feedback": "Yes."}
    assert capital.weight == 2 and any("unsafe markup was removed" in n for n in capital.notes)
    assert "Moodle's correctfeedback texts are left out: here feedback belongs to each answer and the rationale" \
        in capital.notes
    keys, notes = read_foreign(cloze, "moodle")
    assert notes == ["the feedback of a blank's answers is left out: a blank here has none"]
    assert keys == {"type": "cloze", "stem": "Fill in.", "text": "Water is {{b1}} and salt is {{b2}}.",
                    "blanks": [{"id": "b1", "accept": ["H2O", "h2o"]},
                               {"id": "b2", "accept": ["NaCl"], "choices": ["NaCl", "KCl"]}]}
    assert read_foreign(essay, "moodle") == (None, [])


@pytest.mark.parametrize("xml,where,says", [
    ("<quiz>\n  <question type='truefalse'>\n    <name><text>x</text></name>\n  </question\n</quiz>", "5:1", "XML breaks off here: not well-formed"),
    ("<questions/>", "1:1", "starts with <quiz>"),
    ("<!DOCTYPE quiz [<!ENTITY a 'aaaa'>]>\n<quiz/>", "1:1", "DOCTYPE"),
    ("<quiz>\n<question type='multichoice'><answer fraction='lots'><text>a</text></answer></question></quiz>", "2:1",
     "not a number"),
])
def test_a_bad_moodle_file_is_refused_at_its_place(tmp_path, xml, where, says):
    with pytest.raises(ContentError) as caught:
        _read(tmp_path, xml)
    message = str(caught.value)
    assert message.startswith("bank.xml:") and where in message and says in message, message


def test_exported_choice_weights_pass_moodles_own_checks(course):
    """Moodle refuses a one-answer question without a 100% answer, and a several-answer one whose
    positive fractions do not add up to 100% (rounded to two places of the fraction)."""
    import xml.etree.ElementTree as ET

    seen = 0
    for b in course.banks:
        quiz = ET.fromstring(exchange.export(course, b.model, "moodle-xml").data)
        for q in quiz.iter("question"):
            if q.get("type") != "multichoice":
                continue
            fractions = [float(a.get("fraction")) / 100 for a in q.findall("answer")]
            if q.findtext("single") == "true":
                assert max(fractions) == 1, q.findtext("name/text")
            else:
                assert round(sum(f for f in fractions if f > 0), 2) == 1, q.findtext("name/text")
            seen += 1
    assert seen > 50
