"""Our own GIFT reader (bank import) reads our GIFT export of every shipped bank back to the same
questions, apart from what GIFT cannot hold (weight, unit, no-shuffle, all-or-nothing, case)."""
from __future__ import annotations

import pytest

from mesotrain import exchange
from mesotrain.errors import ContentError
from mesotrain.exchange.importer import Sanitiser, read_foreign
from mesotrain.safehtml import unsafe
from mesotrain.types.base import BLANK

from .conftest import round_trips
from .test_moodle_xml import canon


def gift_view(q, md, scoring: str) -> dict:
    """canon() of a question as GIFT can hold it."""
    data = q.model_dump(mode="json", exclude_none=True)
    data.update(weight=1, shuffle=True)
    data.pop("unit", None)
    if q.type == "multiple":
        data["scoring"] = "partial"
    if q.type == "cloze":
        (b,) = data["blanks"]
        b["case_sensitive"] = False
        before, _, after = BLANK.split(q.text, maxsplit=1)
        if not after.strip():  # nothing after the blank: Moodle reads a plain short answer
            data.update(stem=f"{q.stem}\n\n{before}".strip(), text="{{answer}}")
            b["id"] = "answer"
    return canon(data, md, scoring)


def test_every_shipped_bank_reads_back_through_our_gift_reader(course, tmp_path):
    compared = 0
    for bank, text, exported, items in round_trips(course, tmp_path, "gift", "gift"):
        for f in items:
            q = next(q for q in bank.questions if q.id == f.name)
            keys, notes = read_foreign(f, "gift")
            assert keys is not None, (q.id, notes)
            got = canon({**keys, "weight": f.weight}, lambda s: s or None)
            assert got == gift_view(q, text.md, bank.multiple_scoring), q.id
            assert f.general == text.md(q.rationale), q.id
            compared += 1
    assert compared > 150


@pytest.mark.parametrize("gift,where,says", [
    ("::a::Fine {T}\n\n::b::Never closed {=yes ~no\n", ":3:1:", "never closed with '}'"),
    ("::title without end Question {T}\n", ":1:1:", "title opened with '::' is never closed"),
    ("::n::How many? {#lots}\n", ":1:1:", "'lots' is not a number"),
    ("::m::Match {=a -> 1 =b 2}\n", ":1:1:", "lacks '->'"),
    ("::x::Pick {yes no}\n", ":1:1:", "must start with '='"),
])
def test_a_bad_gift_file_is_refused_at_its_place(tmp_path, gift, where, says):
    path = tmp_path / "bad.gift"
    path.write_text(gift, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        exchange.read_file(path, "bad.gift")
    message = str(caught.value)
    assert message.startswith("bad.gift" + where) and says in message, message


@pytest.mark.parametrize("raw,fmt,left,said", [
    ("<script>alert(1)</script>Hi", "html", "Hi", True),
    ('<img src="x" onerror="alert(1)">', "html", '<img src="x">', True),
    ('<p style="color:red">Red</p>', "html", "Red", True),
    ("[click](javascript:alert(1)) here", "markdown", "click here", True),
    ("![pic](data:image/png;base64,AAA)", "markdown", "pic", True),
    ('<a href="vbscript:x">link</a>', "html", "<a>link</a>", True),
    ("<iframe src='https://example.org'></iframe>Text", "markdown", "Text", True),
    ("Fill {{b1}} or [[term]] or [@s1]", "plain", "Fill {\u200b{b1}} or [\u200b[term]] or [\u200b@s1]", True),
    ("a < b & c", "plain", "a &lt; b &amp; c", False),
    ("<p>Write &lt;script&gt; to see it</p>", "html", "Write &lt;script&gt; to see it", False),
    ("<p>Caf&eacute; &#8211; open</p>", "html", "Café – open", False),
])
def test_text_from_outside_is_made_safe(raw, fmt, left, said):
    sanitise = Sanitiser()
    assert sanitise(raw, fmt) == left
    assert unsafe(left) == []
    assert bool(sanitise.notes) is said, sanitise.notes


def test_gift_numbers_ranges_and_partial_answers(tmp_path):
    path = tmp_path / "n.gift"
    path.write_text("::n1::When? {#=1822:0#Right =%50%1822:2#Close}\n\n::n2::Range {#1..5}\n", encoding="utf-8")
    first, second = exchange.read_file(path, "n.gift")[0]
    keys, notes = read_foreign(first, "gift")
    assert keys == {"type": "numeric", "stem": "When?", "answer": 1822.0}
    assert notes == ["answer 1822 (50%) is left out: one answer and its tolerance count here",
                     "the answer's feedback is left out: a numeric question here has only its rationale"]
    keys, _ = read_foreign(second, "gift")
    assert keys == {"type": "numeric", "stem": "Range", "answer": 3.0, "tolerance": 2.0}
