"""cloze: blanks in a text; the share of blanks filled with an accepted answer."""
from __future__ import annotations

import difflib
import itertools
import re
from typing import Literal

from markupsafe import Markup, escape
from pydantic import Field, model_validator

from ..model.base import Id, Md, Model
from .base import BLANK, CASE_MATTERS, ITEMS, components, display_order, normalise_blank, token, unique
from .foreign import FULL, Answer, Exchange, Foreign, general

NAME = "cloze"


class Blank(Model):
    id: Id
    accept: list[str] = Field(min_length=1, description="Accepted answers; the first is shown as the key.")
    case_sensitive: bool = False
    choices: list[str] | None = Field(None, description="Offer a list to choose from instead of typing.")

    @model_validator(mode="after")
    def _choices_hold_key(self):
        if self.choices is not None and self.accept[0] not in self.choices:
            raise ValueError(f"blank '{self.id}': choices must include the accepted answer '{self.accept[0]}'")
        return self


class Body:
    type: Literal["cloze"]
    text: Md = Field(description="Text with blanks written as {{blank-id}}.")
    blanks: list[Blank] = Field(min_length=1)

    @model_validator(mode="after")
    def _blanks_match_text(self):
        used = BLANK.findall(self.text)
        declared = [b.id for b in self.blanks]
        unique(declared, "blank")
        missing = [b for b in declared if b not in used]
        unknown = [b for b in used if b not in declared]
        problems = []
        for name in unknown:  # a misspelling shows as both halves: name them together
            near = difflib.get_close_matches(name, missing, n=1, cutoff=0.5)
            if near:
                problems.append(f"the text's {{{{{name}}}}} matches no blank; did you mean {{{{{near[0]}}}}}, "
                                f"the declared blank that the text never places?")
                missing.remove(near[0])
            else:
                problems.append(f"the text's {{{{{name}}}}} matches no declared blank")
        if missing:
            problems.append(f"declared blank(s) {', '.join(missing)} are not placed in the text as {{{{id}}}}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _ok(blank, value: str) -> bool:
    given = normalise_blank(value, blank.case_sensitive)
    return given != "" and any(normalise_blank(a, blank.case_sensitive) == given for a in blank.accept)


def share(q, r, ms, neg) -> float:
    """Whitespace collapsed and case ignored unless the blank is case_sensitive."""
    return components([(b.id, lambda v, b=b: _ok(b, v)) for b in q.blanks], r, neg)


def key(q):
    return {b.id: b.accept[0] for b in q.blanks}


def view(q, data: dict) -> dict:
    data["blanks"] = [{"id": b.id, "accept": b.accept, "case_sensitive": b.case_sensitive} for b in q.blanks]
    return data


def widget(q, fd, scope, ctx) -> None:
    order = BLANK.findall(q.text)
    done = set()
    text = BLANK.sub(lambda m: f"MTBLANK{order.index(m.group(1))}X", q.text)
    out = ctx.html(text, inline=False)
    for n, bid in enumerate(order):
        blank = next(b for b in q.blanks if b.id == bid)
        name = token(scope, "blank", str(n)) if ctx.sealed else bid
        control = "" if bid in done else _blank(fd.uid, n, len(order), name, blank, scope)
        done.add(bid)
        out = out.replace(f"MTBLANK{n}X", control, 1)
    fd.body = Markup(out)


def _blank(uid, n, total, name, blank, scope) -> str:
    label = escape(f"Blank {n + 1} of {total}")
    attrs = f'id="{uid}-{n + 1}" data-mt-blank="{escape(name)}" aria-label="{label}"'
    if blank.choices:
        opts = "".join(f'<option value="{escape(ch)}">{escape(ch)}</option>'
                       for ch in display_order(f"{scope}/{name}", blank.choices, str))
        return f'<select {attrs}><option value="">Choose…</option>{opts}</select>'
    # One width for every blank: sized to the answer, the box would tell its length.
    return f'<input type="text" {attrs} size="18" autocomplete="off" autocapitalize="off" spellcheck="false">'


def feedback(q, ctx) -> dict:
    return {}


def key_text(q, ctx) -> str:
    order = BLANK.findall(q.text)
    return "<ol>" + "".join(
        f"<li>{escape(b.accept[0])}"
        + (f" (also accepted: {escape(', '.join(b.accept[1:]))})" if len(b.accept) > 1 else "")
        + "</li>" for b in sorted(q.blanks, key=lambda b: order.index(b.id))) + "</ol>"


def sealed_names(q, scope) -> dict:
    order = BLANK.findall(q.text)
    return {"blank": {token(scope, "blank", str(order.index(b.id))): b.id for b in q.blanks}}


def public(q) -> dict:
    return {"text": q.text, "blanks": [sorted(b.choices) if b.choices else None for b in q.blanks]}


def unseal(q, r, names, scope):
    return {names["blank"].get(k, k): v for k, v in r.items()} if isinstance(r, dict) else r


def to_page(q, r, inverse, scope):
    return {inverse["blank"][k]: v for k, v in r.items()}


PATTERNS = 16  # at most this many correct patterns: every mix of accepted answers can be many


def interaction(q) -> dict:
    """One item per blank in the order declared; a pattern per mix of accepted answers, the
    first answers first. Case matters for all when it matters for one blank."""
    prefix = CASE_MATTERS if any(b.case_sensitive for b in q.blanks) else ""
    mixes = itertools.islice(itertools.product(*(b.accept for b in q.blanks)), PATTERNS)
    return {"type": "fill-in", "correct": [prefix + ITEMS.join(m) for m in mixes], "weight": float(q.weight)}


def answer(q, r) -> str:
    r = r if isinstance(r, dict) else {}
    return ITEMS.join(v if isinstance(v := r.get(b.id), str) else "" for b in q.blanks)


# --- exchange: Moodle's multianswer (Cloze): the text holds {#n}, each blank a short answer or a
# menu. GIFT holds one blank per question (its "missing word" form); the writer there says so.

def _write(q, text) -> Foreign:
    blanks = {b.id: b for b in q.blanks}
    subs: list[Foreign] = []
    placed: dict[str, int] = {}

    def place(m: re.Match) -> str:
        bid = m.group(1)
        if bid in placed:  # the page shows a blank placed twice once, where it first stands
            return ""
        placed[bid] = len(subs) + 1
        b = blanks[bid]
        if b.choices:
            # a menu offers only its choices: accepted spellings outside it cannot be given anyway
            subs.append(Foreign("multichoice", bid, "", answers=[Answer(c, 1.0 if _ok(b, c) else 0.0)
                                                                 for c in b.choices]))
        else:
            subs.append(Foreign("shortanswer", bid, "", usecase=b.case_sensitive,
                                answers=[Answer(a, 1.0) for a in b.accept]))
        return "{#%d}" % placed[bid]

    body = BLANK.sub(place, q.text)
    return Foreign("multianswer", q.id, text.md(q.stem), general(q, text), q.weight, text=text.md(body), blanks=subs)


def _read_blank(f: Foreign, bid: str, notes: list) -> dict | None:
    full = [a.text for a in f.answers if a.fraction >= FULL]
    for a in f.answers:
        if 0 < a.fraction < FULL:
            notes.append(f"blank answer '{a.text}' earned {a.fraction:.0%}; here an answer is accepted or not")
    if any(a.feedback for a in f.answers):
        notes.append("the feedback of a blank's answers is left out: a blank here has none")
    if not full:
        notes.append(f"a blank ({f.qtype}) has no answer with full marks")
        return None
    out: dict = {"id": bid, "accept": full}
    if f.qtype == "multichoice":
        out["choices"] = [a.text for a in f.answers]
    elif f.qtype == "numerical":
        notes.append("a numerical blank becomes a typed answer compared as text (its tolerance is dropped)")
    elif f.qtype != "shortanswer":
        notes.append(f"a blank of Moodle's kind {f.qtype} has no form here")
        return None
    if f.usecase:
        out["case_sensitive"] = True
    return out


def _read(f: Foreign, notes: list) -> dict | None:
    if f.qtype == "shortanswer":
        blank = _read_blank(f, "answer", notes)
        return blank and {"type": NAME, "stem": f.stem, "text": "{{answer}}", "blanks": [blank]}
    if f.qtype != "multianswer" or not f.blanks or f.text is None:
        return None
    blanks = [_read_blank(sub, f"b{n}", notes) for n, sub in enumerate(f.blanks, 1)]
    if not all(blanks):
        return None
    return {"type": NAME, "stem": f.stem, "text": re.sub(r"\{#(\d+)\}", r"{{b\1}}", f.text), "blanks": blanks}


moodle = gift = Exchange(_write, _read)


def qti(q, item) -> None:
    """Each blank with an accepted answer +1/n; a wrong one -1/n under negative marking (as share())."""
    n = len(q.blanks)
    item.cloze(q.stem, q.text, [(b.id, b.accept, b.case_sensitive, b.choices) for b in q.blanks],
               right=1 / n, wrong=-1 / n if item.negative else 0.0)
    if any(not b.choices for b in q.blanks):
        item.note("typed answers are matched as typed: QTI does not trim or collapse spaces, nor compose "
                  "accents, as we do before comparing")
