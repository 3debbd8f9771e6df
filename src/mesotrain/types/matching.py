"""matching: each premise given its match; the share of premises matched."""
from __future__ import annotations

from typing import Literal

from markupsafe import Markup
from pydantic import Field, model_validator

from ..model.base import Id, Md, Model
from .base import ITEMS, PAIR, choice_tokens, components, described, display_order, is_str, unique
from .foreign import Exchange, Foreign, general

NAME = "matching"


class Pair(Model):
    id: Id
    premise: Md
    match: Md
    feedback: Md | None = None


class Body:
    type: Literal["matching"]
    pairs: list[Pair] = Field(min_length=2)
    distractors: list[Md] = Field([], description="Extra choices that match no premise.")

    @model_validator(mode="after")
    def _ids(self):
        unique([p.id for p in self.pairs], "pair")
        return self


def share(q, r, ms, neg) -> float:
    return components([(p.id, lambda v, p=p: v == p.id) for p in q.pairs], r, neg)


def key(q):
    return {p.id: p.id for p in q.pairs}


def _choices(q) -> list[tuple[str, str]]:
    """Choices as (choice id, text): pairs' matches, then distractors d0, d1 …"""
    return [(p.id, p.match) for p in q.pairs] + [(f"d{i}", d) for i, d in enumerate(q.distractors)]


def widget(q, fd, scope, ctx) -> None:
    premise = ctx.names(scope, "premise", [p.id for p in q.pairs], [p.premise for p in q.pairs])
    choices = _choices(q)
    values = dict(zip([c[0] for c in choices],
                      ctx.names(scope, "choice", [c[0] for c in choices], [c[1] for c in choices])))
    options = [{"value": values[cid], "text": ctx.text(text)}
               for cid, text in display_order(scope, choices, lambda c: c[1])]
    pairs = list(zip(q.pairs, premise))
    if ctx.sealed:
        pairs = display_order(scope, pairs, lambda p: p[0].premise)
    fd.premises = [{"value": v, "html": Markup(ctx.html(p.premise)), "options": options} for p, v in pairs]


def feedback(q, ctx) -> dict:
    return {p.id: ctx.html(p.feedback) for p in q.pairs if p.feedback}


def key_text(q, ctx) -> str:
    return "<ul>" + "".join(f"<li>{ctx.html(p.premise)} → {ctx.html(p.match)}</li>" for p in q.pairs) + "</ul>"


def sealed_names(q, scope) -> dict:
    choices = _choices(q)
    return {"premise": dict(zip(choice_tokens(scope, "premise", [p.premise for p in q.pairs]),
                                [p.id for p in q.pairs])),
            "choice": dict(zip(choice_tokens(scope, "choice", [c[1] for c in choices]), [c[0] for c in choices]))}


def public(q) -> dict:
    return {"premises": sorted(p.premise for p in q.pairs), "choices": sorted(c[1] for c in _choices(q))}


def unseal(q, r, names, scope):
    if not isinstance(r, dict):
        return r
    return {names["premise"].get(k, k): names["choice"].get(v, v) if isinstance(v, str) else v
            for k, v in r.items()}


def to_page(q, r, inverse, scope):
    return {inverse["premise"][k]: inverse["choice"].get(v, v) for k, v in r.items()}


def view(q, data: dict) -> dict:
    """Distractors by their choice ids (d0, d1 …): their texts stay on the page."""
    data["distractors"] = [cid for cid, _ in _choices(q)[len(q.pairs):]]
    return data


def interaction(q) -> dict:
    """Premises are the sources, matches and distractors the targets; a match has its pair's id."""
    return {"type": "matching", "correct": [ITEMS.join(p.id + PAIR + p.id for p in q.pairs)],
            "weight": float(q.weight), "source": described([(p.id, p.premise) for p in q.pairs]),
            "target": described(_choices(q))}


def answer(q, r) -> str:
    """Pairs in the premises' order; a premise left unmatched is left out."""
    r = r if isinstance(r, dict) else {}
    return ITEMS.join(p.id + PAIR + r[p.id] for p in q.pairs if is_str(r.get(p.id)))


# --- exchange: Moodle's match; a distractor is a match with no premise -----------------------

def _write(q, text) -> Foreign:
    f = Foreign("match", q.id, text.md(q.stem), general(q, text), q.weight,
                pairs=[(text.md(p.premise), text.md(p.match)) for p in q.pairs] + [("", text.md(d)) for d in q.distractors])
    if any(p.feedback for p in q.pairs):
        f.notes.append("the feedback of its pairs is not carried: a Moodle matching question has none")
    return f


def _read(f: Foreign, notes: list) -> dict | None:
    if f.qtype != "match":
        return None
    pairs = [(p, m) for p, m in f.pairs if p.strip()]
    if len(pairs) < 2:
        return None
    out = {"type": NAME, "stem": f.stem,
           "pairs": [{"id": f"p{n}", "premise": p, "match": m} for n, (p, m) in enumerate(pairs, 1)]}
    distractors = [m for p, m in f.pairs if not p.strip() and m.strip()]
    if distractors:
        out["distractors"] = distractors
    return out


moodle = gift = Exchange(_write, _read)


def qti(q, item) -> None:
    """Each premise matched right +1/n; matched wrong -1/n under negative marking (as share())."""
    n = len(q.pairs)
    item.match(q.stem, [(p.id, p.premise, p.feedback) for p in q.pairs], _choices(q),
               [(p.id, p.id) for p in q.pairs], right=1 / n, wrong=-1 / n if item.negative else 0.0)
