"""The build's last look at a sealed exam: a page that would publish key material is refused.

Sealing is the renderer's job (widgets in ``sealed`` mode carry stems and choices under
tokens). This guard does not trust it: before the exam pages leave the build, every
text of an exam item that its sealed view does not show — feedback, rationale, accepted
answers — is looked for in them, as written and as HTML and JSON escape it. Texts the
course publishes on purpose elsewhere (a lesson sentence, a practice question) are not
key material. A hit stops the build with the item's file and line.
"""
from __future__ import annotations

import html
import json
from typing import Any, Iterable

from ..errors import ContentError, Problem
from ..types.base import public_view

MIN_LENGTH = 6  # shorter texts ("True", "mm") say nothing about the key on their own
# Values that name or classify rather than say anything: ids are public (tokens stand for the
# choices' ids on the page, and item ids are in it), the rest carries no answer.
_NAMES = {"id", "type", "objective", "sources", "difficulty", "cognitive", "image", "scoring",
          "tolerance_mode"}


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in _NAMES:
                yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def key_material(sealed) -> dict[str, str]:
    """Text → id of the exam item it belongs to, for every text the sealed page must not carry."""
    secret: dict[str, str] = {}
    public: set[str] = set()
    for item in sealed.pool.values():
        q = item.question
        shown = set(_strings(public_view(q)))
        public |= shown
        for text in set(_strings(q.model_dump(mode="json"))) - shown:
            if len(text.strip()) >= MIN_LENGTH:
                secret.setdefault(text, item.id)
    return {t: i for t, i in secret.items() if t not in public}


def _published(tree) -> str:
    """Everything the course publishes on purpose besides the exam: lessons and practice banks."""
    files = sorted((tree.root / "content").glob("*.yaml"))
    files += [tree.root / b.doc.file for b in tree.banks if b.model.kind == "practice"]
    return "\n".join(p.read_text(encoding="utf-8") for p in files if p.is_file()).lower()


def _forms(text: str) -> set[str]:
    return {text, html.escape(text), html.escape(text, quote=False), json.dumps(text)[1:-1],
            json.dumps(text, ensure_ascii=False)[1:-1]}


def _where(tree, item_id: str) -> tuple[str, int, int, str]:
    for b in tree.banks:
        for i, q in enumerate(b.model.questions):
            if q.id == item_id:
                line, col = b.doc.position(("questions", i))
                return b.doc.file, line, col, f"questions[{i}]"
    return "quizzes/exam.yaml", 0, 0, ""


def refuse_leaks(sealed, pages) -> None:
    """Raise ContentError when any of ``pages`` (the exam's) carries key material of a sealed exam."""
    if sealed.exam.mode != "sealed":
        return
    texts = {p.path: p.source + "\n".join(p.fragments) for p in pages}
    everything = "\n".join(texts.values())
    found: dict[str, tuple[str, str]] = {}
    corpus = None
    for text, item in key_material(sealed).items():
        hits = [f for f in _forms(text) if f in everything]
        if not hits:
            continue
        corpus = _published(sealed.tree) if corpus is None else corpus
        if text.lower() not in corpus:  # published on purpose elsewhere: not a key
            path = next(p for p, t in texts.items() if any(f in t for f in hits))
            found.setdefault(item, (path, text))
    if found:
        problems = []
        for item, (path, text) in sorted(found.items()):
            file, line, col, loc = _where(sealed.tree, item)
            shown = text if len(text) <= 50 else text[:47] + "…"
            problems.append(Problem(file, line, col, loc, f"the sealed exam page {path} would carry key material of "
                                    f"item '{item}' ('{shown}'): the build is refused (a mesotrain bug; please report it)"))
        raise ContentError(problems)
