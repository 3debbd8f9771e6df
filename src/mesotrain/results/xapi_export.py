"""``mesotrain results export --format xapi``: graded attempts as xAPI statements.

For each graded attempt, with the candidate (name and email) as actor and the attempt as
registration: one ``answered`` statement per interaction of every item (the item's
interaction activity from its type — a case is one per part — with the response in real ids,
the score and whether it was right), then ``completed`` and ``passed`` or ``failed`` for the
exam with the score (scaled, raw, min, max) and the time taken. Statement ids are fixed by the
attempt and what a statement is about, so an LRS given the same export twice keeps one copy.
The interactions carry the correct responses: the export is for the organisation's own LRS.
"""
from __future__ import annotations

import json
from typing import IO, Any, Iterator

from .. import scoring, types, xapi
from ..exam import SealedExam
from .store import Store, responses_of


def _lang(text: str) -> dict:
    return {"en-US": text}


def _activity(iri: str, kind: str, name: str | None = None, **definition: Any) -> dict:
    d: dict[str, Any] = {"type": xapi.ACTIVITY_TYPES[kind], **definition}
    if name:
        d["name"] = _lang(name)
    return {"objectType": "Activity", "id": iri, "definition": d}


def _score(raw: float, top: float) -> dict:
    return {"scaled": round(raw / top, 4) if top > 0 else 0, "raw": round(raw, 4), "min": 0, "max": round(top, 4)}


def _interaction(iri: str, part: Any, it: dict) -> dict:
    definition: dict[str, Any] = {"interactionType": it["type"], "correctResponsesPattern": list(it["correct"])}
    for k in ("choices", "source", "target", "steps"):
        if k in it:
            definition[k] = [{"id": c["id"], **({"description": _lang(c["description"])} if c.get("description") else {})}
                             for c in it[k]]
    stem = getattr(part, "stem", None)
    return _activity(iri, "question", types.base.plain(stem)[:500] if stem else None, **definition)


class Statements:
    """Builds the statements of one exam's attempts under an activity base."""

    def __init__(self, sealed: SealedExam, base: str):
        self.sealed = sealed
        self.base = xapi.activity_base(base)
        self.course = _activity(self.base, "course", sealed.course_title)
        self.exam = _activity(f"{self.base}exam/{sealed.exam.id}", "exam", sealed.exam.title)
        bank = sealed.scoring_bank
        self.rules = dict(multiple_scoring=bank.multiple_scoring, negative_marking=bank.negative_marking)

    def _statement(self, attempt: dict, verb: str, about: str, obj: dict, result: dict, parent: dict | None = None) -> dict:
        aid = attempt["attempt_id"]
        actor = {"objectType": "Agent", "name": attempt["name"], "mbox": "mailto:" + attempt["email"]}
        context: dict[str, Any] = {"registration": xapi.registration(aid),
                                   "contextActivities": {"parent": [parent or self.course]},
                                   "extensions": {xapi.ATTEMPT: aid}}
        if parent:
            context["contextActivities"]["grouping"] = [self.course]
        return {"id": xapi.statement_id(aid, verb, about), "actor": actor,
                "verb": {"id": xapi.VERBS[verb], "display": _lang(verb)}, "object": obj, "result": result,
                "context": context, "timestamp": attempt["submitted_at"]}

    def items(self, attempt: dict, graded: list[tuple], times: dict[str, int]) -> Iterator[dict]:
        for item_id, answer, earned, possible in graded:
            q = self.sealed.pool[item_id].question
            response = None if answer is None else json.loads(answer)
            said = types.answers(q, response)
            found = types.interactions(q)
            for n, (sub_id, part, it) in enumerate(found):
                if it is None:
                    continue
                raw, top = earned, possible
                if len(found) > 1:  # a part of a case: its own credit
                    own = response.get(part.id) if isinstance(response, dict) else None
                    raw, top = scoring.credit(part, own, **self.rules), scoring.max_credit(part)
                result: dict[str, Any] = {"response": said[n], "score": _score(raw, top), "success": raw >= top - 1e-9}
                if len(found) == 1 and item_id in times:
                    result["duration"] = xapi.duration(times[item_id] / 1000)
                iri = f"{self.exam['id']}/{sub_id}"
                yield self._statement(attempt, "answered", sub_id, _interaction(iri, part, it), result, parent=self.exam)

    def attempt(self, attempt: dict, graded: list[tuple], times: dict[str, int]) -> Iterator[dict]:
        yield from self.items(attempt, graded, times)
        score = _score(attempt["earned"], attempt["possible"])
        took = xapi.duration(attempt["duration_s"])
        yield self._statement(attempt, "completed", "", self.exam, {"completion": True, "duration": took, "score": score})
        verb = "passed" if attempt["passed"] else "failed"
        yield self._statement(attempt, verb, "", self.exam,
                              {"score": score, "success": bool(attempt["passed"]), "completion": True, "duration": took})


def statements(st: Store, sealed: SealedExam, base: str) -> Iterator[dict]:
    """Every statement of every graded attempt, attempts in submission order."""
    build = Statements(sealed, base)
    db = st.db
    rows = db.execute("SELECT a.id, a.attempt_id, a.candidate_name, a.candidate_email, a.submitted_at, a.duration_s, "
                      "g.earned, g.possible, g.passed FROM attempts a JOIN grades g USING (attempt_id) "
                      "ORDER BY a.submitted_at, a.attempt_id").fetchall()
    for row, aid, name, email, submitted, took, earned, possible, passed in rows:
        attempt = {"attempt_id": aid, "name": name, "email": email, "submitted_at": submitted, "duration_s": took,
                   "earned": earned, "possible": possible, "passed": passed}
        graded = db.execute("SELECT item_id, answer, earned, possible FROM item_scores WHERE attempt = ? "
                            "ORDER BY position", (row,)).fetchall()
        document = db.execute("SELECT document FROM attempts WHERE id = ?", (row,)).fetchone()[0]
        times = {r["item"]: r.get("time_ms", 0) for r in responses_of(document)}
        yield from build.attempt(attempt, graded, times)


def write(out: IO[str], st: Store, sealed: SealedExam, base: str) -> int:
    """A JSON array of statements, written one at a time; returns how many."""
    n = 0
    out.write("[")
    for s in statements(st, sealed, base):
        out.write(",\n " if n else "\n ")
        out.write(json.dumps(s, ensure_ascii=False))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n
