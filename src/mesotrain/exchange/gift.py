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


# --- reading ---------------------------------------------------------------------------------

# Escaped characters stand in for themselves while a question is taken apart (private-use code
# points, which no GIFT file means as text); \n is a line break.
_ESCAPES = {"\\\\": "\ue000", "\\:": "\ue001", "\\#": "\ue002", "\\=": "\ue003", "\\{": "\ue004", "\\}": "\ue005",
            "\\~": "\ue006", "\\n": "\n"}
_BACK = {v: k[1] for k, v in _ESCAPES.items() if v != "\n"}
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]")
_ANSWER = re.compile(r"([=~])(%(-?[0-9.]+)%)?([^=~]*)")
_TF = re.compile(r"^(T|TRUE|F|FALSE)\s*(?:#([^#]*))?(?:#([^#]*))?$", re.I)


def _hide(text: str) -> str:
    return re.sub(r"\\[\\:#={}~n]", lambda m: _ESCAPES[m.group(0)], text)


def _show(text: str) -> str:
    return "".join(_BACK.get(c, c) for c in text).strip()


class GiftError(ValueError):
    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col = line, col


def blocks(text: str):
    """(line, text) of each question: blank lines part them, // comment lines are dropped."""
    start, lines = 0, []
    for n, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n") + [""], 1):
        if not line.strip():
            if lines:
                yield start, "\n".join(lines)
            lines = []
        elif not line.lstrip().startswith("//"):
            if not lines:
                start = n
            lines.append(line)


def _split_feedback(part: str) -> tuple[str, str | None]:
    text, _, feedback = part.partition("#")
    return text, (feedback if _ else None)


def parse_question(line: int, raw: str, to_md) -> Foreign | None:
    """One GIFT question (escapes intact) → Foreign; None for a $CATEGORY line; GiftError if malformed."""
    text = _hide(raw).strip()
    if text.startswith("$CATEGORY:"):
        return None
    name = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise GiftError(line, 1, "the title opened with '::' is never closed (write ::title:: before the text)")
        name, text = _show(text[2:end]), text[end + 2:]
    m = _FORMAT.match(text)
    fmt = m.group(1) if m else "moodle"
    text = text[m.end():] if m else text
    md = lambda s: to_md(_show(s), fmt)  # noqa: E731
    opened = text.find("{")
    if opened < 0:
        return Foreign("description", name, md(text))
    closed = text.rfind("}")
    if closed < opened:
        where = raw[:raw.find("{")].count("\n") if "{" in raw else 0
        raise GiftError(line + where, 1, "an answer block opened with '{' is never closed with '}' (a literal brace is written \\{)")
    before, body, after = text[:opened], text[opened + 1:closed], text[closed + 1:]
    body, _, general = body.partition("####")
    f = Foreign("", name, md(before), general=md(general) if _ else None)
    body = body.strip()
    tf = _TF.match(body)
    if not body:
        f.qtype = "essay"
    elif tf:
        right = tf.group(1).upper().startswith("T")
        wrong_fb, right_fb = (md(x) if x else None for x in (tf.group(2), tf.group(3)))
        f.qtype = "truefalse"
        f.answers = [Answer("true", 1.0 if right else 0.0, right_fb if right else wrong_fb),
                     Answer("false", 0.0 if right else 1.0, wrong_fb if right else right_fb)]
    elif body.startswith("#"):
        f.qtype = "numerical"
        numbers = body[1:].lstrip()
        numbers = numbers if numbers[:1] in ("=", "~") else "=" + numbers  # one answer needs no '='
        for m in _ANSWER.finditer(numbers):
            value, feedback = _split_feedback(_show(m.group(4)))
            value = value.strip()
            try:
                if ".." in value:
                    low, high = (float(x) for x in value.split(".."))
                    number, tol = (low + high) / 2, (high - low) / 2
                else:
                    number_text, _, tol_text = value.partition(":")
                    number, tol = float(number_text), float(tol_text or 0)
            except ValueError:
                raise GiftError(line, 1, f"'{value}' is not a number, a number:tolerance or a low..high range") from None
            weight = float(m.group(3)) / 100 if m.group(3) else 1.0
            f.answers.append(Answer(fmt_number(number), weight, md(feedback) if feedback else None, tolerance=tol))
    elif "->" in body:
        f.qtype = "match"
        for m in _ANSWER.finditer(body):
            premise, arrow, match = m.group(4).partition("->")
            if not arrow:
                raise GiftError(line, 1, f"a matching answer lacks '->': '{_show(m.group(4))}'")
            f.pairs.append((md(premise) or "", _show(match)))
    else:
        answers = list(_ANSWER.finditer(body))
        if not answers or body[0] not in "=~":
            raise GiftError(line, 1, "an answer must start with '=' (right) or '~' (wrong)")
        short = all(m.group(1) == "=" for m in answers)
        embedded = bool(after.strip())
        for m in answers:
            answer, feedback = _split_feedback(m.group(4))
            weight = float(m.group(3)) / 100 if m.group(3) else (1.0 if m.group(1) == "=" else 0.0)
            shown = _show(answer) if short or embedded else (md(answer) or "")  # a blank's answers are plain
            f.answers.append(Answer(shown, weight, md(feedback) if feedback else None))
        f.qtype = "shortanswer" if short else "multichoice"
        f.single = sum(a.fraction > 0 for a in f.answers) <= 1 or any(m.group(1) == "=" for m in answers)
    if after.strip() and f.qtype in ("shortanswer", "multichoice"):
        stem, cut, lead = before.rpartition("\n\n")  # our own export: the stem, a blank line, the text
        blank = Foreign(f.qtype, "", "", answers=f.answers)
        return Foreign("multianswer", name, md(stem) if cut else "", general=f.general, text=md(lead + "{#1}" + after),
                       blanks=[blank])
    return f


def read(text: str, file: str, to_md) -> list[Foreign]:
    """Every question of a GIFT file; ``to_md(text, format)`` makes our Markdown of its texts
    (and keeps in ``to_md.notes`` what it took out, which each question takes over).
    Raises GiftError, located, at the first malformed question."""
    out = []
    for line, raw in blocks(text):
        f = parse_question(line, raw, to_md)
        if f is not None:
            f.where = f"{file}:{line}:1"
            f.notes += to_md.notes
            out.append(f)
        to_md.notes.clear()
    return out
