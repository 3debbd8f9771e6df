"""Item-writing rules, as medical boards teach them, run mechanically over every bank.

These are the rules a machine can check: no "all/none of the above", no NOT/EXCEPT
stems, no option whose length gives the key away, no article that agrees with one
option only, feedback on every option, the key's written position balanced across a
bank, and every objective assessed by at least three items. The exam's own rules (no source
named, applied items, no cue to the key, parallel forms) are in lint_exam.
"""
from __future__ import annotations

import re
from collections import Counter
from statistics import mean

from .errors import Problem
from .lint_exam import lint_exam
from .load import CourseTree
from .model import Bank
from .types import of
from .yamlsource import Document

BANNED = re.compile(r"\b(all|none|both|neither) of (the above|these|the options)\b", re.I)
NEGATIVE_STEM = re.compile(r"\b(NOT|EXCEPT|LEAST)\b")
MIN_ITEMS_PER_OBJECTIVE = 3
MAX_POSITION_SHARE = 0.4
MIN_QUESTIONS_FOR_BALANCE = 8


def _length_cue(lengths: list[int], key: int) -> bool:
    """The key is the longest option by a wide margin, so a test-wise guess finds it."""
    others = [n for i, n in enumerate(lengths) if i != key]
    return lengths[key] > max(others) and lengths[key] >= 1.6 * mean(others) and lengths[key] - max(others) >= 20


def _lint_question(q, doc: Document, loc: tuple, practice: bool, out: list[Problem]) -> None:
    texts = [(loc + ("stem",), q.stem)] + [(loc + ("options", j, "text"), o.text)
                                           for j, o in enumerate(getattr(q, "options", None) or [])]
    for where, text in texts:
        if BANNED.search(text):
            out.append(doc.problem(where, f"'{BANNED.search(text).group(0)}' is banned: "
                                          "write a distractor of its own"))
    if NEGATIVE_STEM.search(q.stem):
        out.append(doc.problem(loc + ("stem",), f"negative stem ('{NEGATIVE_STEM.search(q.stem).group(0)}'): "
                                               "ask for the best answer instead"))
    options = getattr(q, "options", None)
    if not options:
        return
    if practice:
        for j, o in enumerate(options):
            if not o.feedback:
                out.append(doc.problem(loc + ("options", j), "option has no feedback"))
    key = of(q).key_position(q) if of(q).key_position else None
    if key is not None:
        if _length_cue([len(o.text) for o in options], key):
            out.append(doc.problem(loc + ("options", key), "the key is much longer than every distractor "
                                                           "(a length cue): balance the options"))
        article = re.search(r"\b(an?)\s*$", q.stem.rstrip("?:. "))
        if article:
            vowel = [o.text.strip()[:1].lower() in "aeiou" for o in options]
            if (article.group(1) == "an") != vowel[key] or len(set(vowel)) > 1:
                out.append(doc.problem(loc + ("stem",), f"stem ends with '{article.group(1)}', a grammatical cue: "
                                                       "move the article into the options"))


def _lint_balance(bank: Bank, doc: Document, out: list[Problem]) -> None:
    positions = [of(q).key_position(q) for q in bank.questions if of(q).key_position]
    if len(positions) < MIN_QUESTIONS_FOR_BALANCE:
        return
    pos, n = Counter(positions).most_common(1)[0]
    if n / len(positions) > MAX_POSITION_SHARE:
        out.append(doc.problem(("questions",), f"the key is option {chr(97 + pos)} in {n} of {len(positions)} "
                                               f"single-answer questions: spread the key positions"))


def lint_course(tree: CourseTree) -> list[Problem]:
    """Every item-writing breach in the course's banks."""
    out: list[Problem] = []
    assessed: Counter[str] = Counter()
    for b in tree.banks:
        for i, q in enumerate(b.model.questions):
            assessed[q.objective] += 1
            practice = b.model.kind == "practice"
            _lint_question(q, b.doc, ("questions", i), practice, out)
            for j, part in enumerate(getattr(q, "parts", [])):
                _lint_question(part, b.doc, ("questions", i, "parts", j), practice, out)
        _lint_balance(b.model, b.doc, out)
    for l in tree.lessons:
        for i, o in enumerate(l.model.objectives):
            if assessed[o.id] < MIN_ITEMS_PER_OBJECTIVE:
                out.append(l.doc.problem(("objectives", i, "id"),
                                         f"objective '{o.id}' is assessed by {assessed[o.id]} item(s); "
                                         f"at least {MIN_ITEMS_PER_OBJECTIVE} are needed"))
    out += lint_exam(tree)
    return sorted(out)
