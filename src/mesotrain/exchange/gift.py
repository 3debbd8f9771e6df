"""GIFT, Moodle's plain-text question format: writing a bank, reading a file.

Written the way Moodle's importer reads it: ``::id::[markdown]`` before the text keeps our
Markdown; ``~ = # { } :`` and ``\\`` are escaped, line breaks written ``\\n``; weights as
``%50%``; answer feedback after ``#``, general feedback (our rationale) after ``####``; a
true/false answer carries the feedback for a wrong answer first, then for a right one.
"""
from __future__ import annotations

import re

from ..model import Bank
from ..types.foreign import FULL, Answer, Foreign, fmt_number
from . import Export, Note, Text, mapped

_SPECIAL = re.compile(r"([\\~=#{}:])")


def escape(text: str | None) -> str:
    """Text as GIFT holds it: special characters escaped, line breaks as \\n."""
    if not text:
        return ""
    return _SPECIAL.sub(r"\\\1", text.replace("\r\n", "\n")).replace("\n", "\\n")


def _weight(fraction: float) -> str:
    return f"%{fmt_number(round(fraction * 100, 5))}%"


def _choice(a: Answer, single: bool) -> str:
    if single and a.fraction >= FULL:
        head = "="
    elif single and a.fraction == 0:
        head = "~"
    else:
        head = "~" + _weight(a.fraction)
    return head + escape(a.text) + (f"#{escape(a.feedback)}" if a.feedback else "")


def _answers(f: Foreign) -> str | None:
    """The part between braces (without general feedback), or None when GIFT cannot hold it."""
    if f.qtype in ("multichoice", "multichoiceset"):
        return " ".join(_choice(a, f.single) for a in f.answers)
    if f.qtype == "truefalse":
        right = next(a for a in f.answers if a.fraction >= FULL)
        wrong = next(a for a in f.answers if a is not right)
        feedback = f"#{escape(wrong.feedback)}#{escape(right.feedback)}" if (right.feedback or wrong.feedback) else ""
        return ("TRUE" if right.text == "true" else "FALSE") + feedback
    if f.qtype == "numerical":
        a = f.answers[0]
        return f"#{a.text}:{fmt_number(a.tolerance)}" + (f"#{escape(a.feedback)}" if a.feedback else "")
    if f.qtype == "match":
        return " ".join(f"={escape(p)} -> {escape(m)}" for p, m in f.pairs)
    if f.qtype == "shortanswer":
        return " ".join(("=" if a.fraction >= FULL else "=" + _weight(a.fraction)) + escape(a.text)
                        + (f"#{escape(a.feedback)}" if a.feedback else "") for a in f.answers)
    return None


def question(f: Foreign) -> tuple[str | None, list[str]]:
    """One question in GIFT, and what GIFT could not keep (None: it cannot hold the question)."""
    notes = []
    if f.weight != 1:
        notes.append(f"its weight ({fmt_number(f.weight)}) is not carried: GIFT has no mark per question")
    if f.qtype == "multichoiceset":
        notes.append("all-or-nothing scoring is not carried: GIFT's multiple answers give partial credit")
        f.answers = [Answer(a.text, (1 if a.fraction > 0 else -1) / sum(b.fraction > 0 for b in f.answers),
                            a.feedback) for a in f.answers]
    if f.qtype == "numerical" and f.unit:
        notes.append(f"its unit ({f.unit}) is not carried: GIFT numbers have none")
    if f.qtype == "shortanswer" and f.usecase:
        notes.append("case-sensitive answers are not carried: GIFT short answers ignore case")
    stem, after = escape(f.stem), ""
    if f.qtype == "multianswer":
        if len(f.blanks) != 1:
            return None, [f"not exported: GIFT holds one blank per question and this one has {len(f.blanks)}; "
                          "export to Moodle XML, which holds them all"]
        blank = f.blanks[0]
        blank.general, blank.single = f.general, True
        before, _, rest = (f.text or "").partition("{#1}")
        stem = f"{stem}\\n\\n{escape(before)}" if stem else escape(before)
        after, f = escape(rest), blank
        notes += question(blank)[1]
    answers = _answers(f)
    if answers is None:
        return None, [f"not exported: GIFT has no {f.qtype} question"]
    general = f"####{escape(f.general)}" if f.general else ""
    return f"::{escape(f.name)}::[markdown]{stem}{{{answers}{general}}}{after}", notes


def write(bank: Bank, text: Text) -> Export:
    notes: list[Note] = []
    out = [f"// {bank.id}: {len(bank.questions)} question(s), written by mesotrain", "",
           f"$CATEGORY: {bank.id}", ""]
    count = 0
    for q, f in mapped(bank, "gift", text, notes):
        body, said = question(f)
        notes.extend(Note(q.id, q.type, n) for n in said)
        if body is not None:
            out += [f"// {q.id} ({q.type})", body, ""]
            count += 1
    return Export("\n".join(out).encode("utf-8"), ".gift", notes, count)
