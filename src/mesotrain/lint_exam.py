"""Item-writing rules for the certification exam (issue 11, "an exam that certifies competence").

An exam must measure what a practitioner does, not what a web page said, and a test-wise
candidate must find no cue to the key. Each rule here is one a program can check:

- no source named in a stem, vignette or option (a bare id or ``[@id]``);
- every item tagged ``cognitive``, and applied items (``application``) worth at least 40%
  of each form's points;
- the key is the longest option in at most 30% of single-choice items, exam-wide and on
  each form;
- no key that is the odd one out by a negation ("Do not…" against "Go ahead…", or the
  other way round);
- no absolute word ("always", "never", "all", "none", "only") in a true/false stem;
- at most 5% of items keyed "the sources do not say";
- parallel forms: the same vignettes and the same points per domain on every form;
- no exam item repeated, or nearly so, in a practice bank;
- in practice, at most one question per lesson names a source (for critical reading).
"""
from __future__ import annotations

import difflib
import re

from . import types
from .errors import Problem
from .exam.forms import BlueprintError, exam_pool, forms_for, parallel_problems
from .load import CourseTree

MAX_LONGEST_KEY = 0.30
MAX_SOURCES_SILENT = 0.05
MIN_APPLIED = 0.40
NEAR_DUPLICATE = 0.9
NEGATION = re.compile(r"^\W*(do not|don't|does not|doesn't|did not|not|no|never|none|cannot|can't|"
                      r"should not|shouldn't|must not|mustn't|avoid|without|stop)\b", re.I)
ABSOLUTE = re.compile(r"\b(always|never|all|none|only)\b", re.I)
SILENT = re.compile(r"\b(no source|neither source|none of the sources|the sources (?:do not|don't)|"
                    r"sources? (?:do(?:es)? not|don't|doesn't|never) (?:give|say|state|mention|name|set|specify|"
                    r"address|report|define|offer))|\bsays? nothing\b|\b(?:not|nothing) (?:given|stated|said|specified)\b",
                    re.I)
# A true/false stem keyed false that says the sources settle a point: keyed "they do not say".
SILENT_TF = re.compile(r"\b(?:the|any|all|five) sources? (?:themselves )?(?:say|says|settle|describe|give|state|"
                       r"mention|specify|name)\b", re.I)


def _source_refs(source_ids: list[str]) -> re.Pattern | None:
    if not source_ids:
        return None
    ids = "|".join(re.escape(s) for s in sorted(source_ids, key=len, reverse=True))
    return re.compile(rf"\[@(?:{ids})\]|(?<![\w-])(?:{ids})(?![\w-])")


def _units(q, loc: tuple):
    """The question and, for a case, each of its parts, with their YAML locations."""
    yield q, loc
    for j, part in enumerate(getattr(q, "parts", None) or []):
        yield part, loc + ("parts", j)


def _shown_texts(q, loc: tuple):
    """What a candidate reads of an item: stem, vignette, options and other choices."""
    if getattr(q, "vignette", None):
        yield loc + ("vignette",), q.vignette
    for unit, where in _units(q, loc):
        yield where + ("stem",), unit.stem
        for j, o in enumerate(getattr(unit, "options", None) or []):
            yield where + ("options", j, "text"), o.text
        for j, p in enumerate(getattr(unit, "pairs", None) or []):
            yield where + ("pairs", j, "premise"), p.premise
            yield where + ("pairs", j, "match"), p.match
        for j, i in enumerate(getattr(unit, "items", None) or []):
            yield where + ("items", j, "text"), i.text
        if isinstance(getattr(unit, "text", None), str):  # a cloze's text, blanks and all
            yield where + ("text",), unit.text


def _longest_is_key(unit) -> bool:
    lengths = [len(o.text.strip()) for o in unit.options]
    key = next(j for j, o in enumerate(unit.options) if o.correct)
    return all(lengths[key] > n for j, n in enumerate(lengths) if j != key)


def _negation_odd_key(unit) -> int | None:
    """The index of a key that alone starts with a negation, or alone lacks one."""
    if len(unit.options) < 3:
        return None
    neg = [bool(NEGATION.match(o.text)) for o in unit.options]
    for j, o in enumerate(unit.options):
        others = neg[:j] + neg[j + 1:]
        if o.correct and all(n != neg[j] for n in others):
            return j
    return None


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def lint_exam(tree: CourseTree) -> list[Problem]:
    """Every breach of the exam rules (empty when the course has no exam)."""
    if tree.exam is None:
        return []
    out: list[Problem] = []
    exam, edoc = tree.exam.model, tree.exam.doc
    pool_ids = set(exam.pool)
    banks = [b for b in tree.banks if b.model.kind == "exam" and b.model.id in pool_ids]
    refs = _source_refs([s.id for s in tree.source_list])
    singles: dict[str, tuple] = {}  # item id → (longest is key?, count) over its single-choice units
    silent, total = [], 0
    where: dict[str, tuple] = {}
    for b in banks:
        for i, q in enumerate(b.model.questions):
            loc = ("questions", i)
            where[q.id] = (b.doc, loc)
            total += 1
            if refs is not None:
                for at, text in _shown_texts(q, loc):
                    m = refs.search(text)
                    if m:
                        out.append(b.doc.problem(at, f"names a source ('{m.group(0)}'): an exam item asks what "
                                                     "to do and why, not which source said what"))
            if q.cognitive is None:
                out.append(b.doc.problem(loc + ("id",), f"exam item '{q.id}' has no 'cognitive: recall | application'"))
            longest, n = 0, 0
            keyed_silent = False
            for unit, at in _units(q, loc):
                kind = types.of(unit)
                if kind.key_position is not None:  # one key among options: the longest-option cue applies
                    n += 1
                    longest += _longest_is_key(unit)
                if getattr(unit, "options", None):  # options an author wrote, some keyed correct
                    odd = _negation_odd_key(unit)
                    if odd is not None:
                        out.append(b.doc.problem(at + ("options", odd), "the key is the odd one out by a negation "
                                                                        "(a cue): phrase the options alike"))
                    keyed_silent |= any(o.correct and SILENT.search(o.text) for o in unit.options)
                keyed_silent |= kind.STATEMENT and not unit.answer and bool(SILENT_TF.search(unit.stem))
                if kind.STATEMENT and ABSOLUTE.search(unit.stem):
                    out.append(b.doc.problem(at + ("stem",), f"'{ABSOLUTE.search(unit.stem).group(0)}' in a "
                                                             "true/false stem cues the answer: state the condition"))
            if n:
                singles[q.id] = (longest, n)
            if keyed_silent:
                silent.append(q.id)
    _rate(out, edoc, ("pool",), sum(v[0] for v in singles.values()), sum(v[1] for v in singles.values()),
          MAX_LONGEST_KEY, "the key is the longest option in {k} of {n} single-choice items exam-wide ({p}): "
                           "write distractors as long as the key")
    if total and len(silent) / total > MAX_SOURCES_SILENT:
        out.append(edoc.problem(("pool",), f"{len(silent)} of {total} exam items ({len(silent) / total:.0%}) are keyed "
                                           f"'the sources do not say' (at most {MAX_SOURCES_SILENT:.0%}): "
                                           + ", ".join(sorted(silent))))
    pool = exam_pool(tree)
    try:
        forms = forms_for(tree)
    except BlueprintError:
        forms = []  # check reports it in place
    by_id = {p.id: p for p in pool}
    for f in forms:
        items = [by_id[i] for i in f.items if i in by_id]
        _rate(out, edoc, ("forms",), sum(singles.get(i, (0, 0))[0] for i in f.items),
              sum(singles.get(i, (0, 0))[1] for i in f.items), MAX_LONGEST_KEY,
              "form " + f.id + ": the key is the longest option in {k} of {n} single-choice items ({p}): "
              "write distractors as long as the key")
        points = sum(p.question.weight for p in items)
        applied = sum(p.question.weight for p in items if p.question.cognitive == "application")
        if points and applied / points < MIN_APPLIED:
            out.append(edoc.problem(("forms",), f"form {f.id}: applied items (cognitive: application) are "
                                                f"{applied / points:.0%} of its points; at least {MIN_APPLIED:.0%} "
                                                "must put a patient, a situation or a decision to the candidate"))
    out += parallel_problems(tree, forms, pool)
    out += _practice_naming_sources(tree, refs)
    out += _repeats(tree, banks, where)
    return out


def _rate(out, doc, loc, k: int, n: int, limit: float, message: str) -> None:
    if n and k / n > limit:
        out.append(doc.problem(loc, message.format(k=k, n=n, p=f"{k / n:.0%}, at most {limit:.0%}")))


def _repeats(tree: CourseTree, exam_banks, where) -> list[Problem]:
    practice = [(b, i, q) for b in tree.banks if b.model.kind == "practice" for i, q in enumerate(b.model.questions)]
    stems = [(b, i, _norm(q.stem + " " + (getattr(q, "vignette", "") or ""))) for b, i, q in practice]
    out = []
    for eb in exam_banks:
        for i, q in enumerate(eb.model.questions):
            mine = _norm(q.stem + " " + (getattr(q, "vignette", "") or ""))
            matcher = difflib.SequenceMatcher(None, "", mine, autojunk=False)
            for b, j, theirs in stems:
                matcher.set_seq1(theirs)
                if theirs == mine or (matcher.real_quick_ratio() >= NEAR_DUPLICATE
                                      and matcher.quick_ratio() >= NEAR_DUPLICATE
                                      and matcher.ratio() >= NEAR_DUPLICATE):
                    line = b.doc.position(("questions", j))[0]
                    out.append(eb.doc.problem(("questions", i, "stem"), f"exam item '{q.id}' repeats practice question "
                                              f"'{b.model.questions[j].id}' ({b.doc.file}:{line}): "
                                              "the practice banks never show an exam item"))
                    break
    return out


def _practice_naming_sources(tree: CourseTree, refs: re.Pattern | None) -> list[Problem]:
    """A practice bank may keep one question about which source said what (for the
    critical-reading objectives); a second is a problem."""
    out: list[Problem] = []
    if refs is None:
        return out
    for b in tree.banks:
        if b.model.kind != "practice":
            continue
        naming = [(q.id, at) for i, q in enumerate(b.model.questions)
                  for at in [next((at for at, text in _shown_texts(q, ("questions", i)) if refs.search(text)), None)]
                  if at is not None]
        for _, at in naming[1:]:
            out.append(b.doc.problem(at, f"a second question naming a source (after '{naming[0][0]}'): "
                                         "a lesson's practice keeps at most one"))
    return out
