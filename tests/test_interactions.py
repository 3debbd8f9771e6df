"""Questions as SCORM 2004 / xAPI interactions: the shared vectors in Python and, on the
scoring view the pages carry, in interactions.js; the key of every shipped question reads
as one of its correct patterns."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from mesotrain import types
from mesotrain.load import load_course
from mesotrain.render.questions import scoring_view
from mesotrain.types.base import CASE_MATTERS, ITEMS, RANGE, number, plain

from .test_scoring import load_question

ROOT = Path(__file__).resolve().parent.parent
VECTORS = json.loads((ROOT / "tests" / "vectors" / "interactions.json").read_text())
INTERACTIONS_JS = ROOT / "src" / "mesotrain" / "assets" / "lazy" / "interactions.js"


def _listed(q) -> list[dict]:
    return [{"id": i, **x} for i, _, x in types.interactions(q)]


@pytest.mark.parametrize("name", sorted(VECTORS["questions"]))
def test_interaction_vector(name):
    assert _listed(load_question(VECTORS["questions"][name])) == VECTORS["interactions"][name]


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda c: c["name"])
def test_answer_vector(case):
    q = load_question(VECTORS["questions"][case["question"]])
    assert types.answers(q, case["response"]) == case["answers"]


def test_vectors_reach_every_type():
    seen = set()
    for raw in VECTORS["questions"].values():
        seen.add(raw["type"])
        seen.update(p["type"] for p in raw.get("parts", []))
    assert seen == set(types.NAMES)


def _ids_only(listed: list[dict]) -> list[dict]:
    return [{k: [{"id": c["id"]} for c in v] if k in ("choices", "source", "target") else v
             for k, v in i.items()} for i in listed]


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed")
def test_interactions_js_gives_the_same_from_the_scoring_view():
    """What a page carries (the scoring view, not the YAML) is enough for the browser's mirror."""
    questions = {n: load_question(raw) for n, raw in VECTORS["questions"].items()}
    views = {n: scoring_view(q) for n, q in questions.items()}
    cases = [[c["question"], c["response"]] for c in VECTORS["cases"]]
    script = ("const I = require(process.argv[1]), d = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "console.log(JSON.stringify({of: Object.fromEntries(Object.entries(d.views).map(([n, q]) => [n, I.of(q)])),"
              " answers: d.cases.map(([n, r]) => I.answer(d.views[n], r))}))")
    run = subprocess.run(["node", "-e", script, str(INTERACTIONS_JS)], input=json.dumps({"views": views, "cases": cases}),
                         capture_output=True, text=True, check=True, timeout=60)
    got = json.loads(run.stdout)
    for n, q in questions.items():
        assert got["of"][n] == _ids_only(_listed(q)), n
    assert got["answers"] == [c["answers"] for c in VECTORS["cases"]]


def test_numbers_are_written_without_exponent():
    assert [number(x) for x in (5.0, -0.0, 0.1, 1e-7, -2.5e-6, 1e16, 1.5e21, 123.456)] == [
        "5", "0", "0.1", "0.0000001", "-0.0000025", "10000000000000000", "1500000000000000000000", "123.456"]


def test_descriptions_are_plain_text():
    assert plain("**Dose** of *biotin* [@s003], see [the table](#t) and `code`\n<br>here") == \
        "Dose of biotin, see the table and code here"


def _shipped():
    tree = load_course(ROOT)
    return [q for b in tree.banks for q in b.model.questions]


def _matches(pattern: str, answer: str, itype: str) -> bool:
    if itype == "numeric":
        low, high = (float(x) for x in pattern.split(RANGE))
        return low - 1e-9 <= float(answer) <= high + 1e-9
    if pattern.startswith(CASE_MATTERS):
        return pattern[len(CASE_MATTERS):] == answer
    return pattern.lower() == answer.lower() if itype == "fill-in" else pattern == answer


def test_every_shipped_key_reads_as_a_correct_pattern():
    """For each question of the course: its key, written as a learner response, is one of the
    correct patterns (numeric: within the range), and each component id is unique."""
    questions = _shipped()
    assert len(questions) > 50
    for q in questions:
        listed = types.interactions(q)
        for (sub_id, part, i), given in zip(listed, types.answers(q, types.of(q).key(q))):
            assert i is not None, f"{q.id}: {types.of(part).interaction}"
            assert any(_matches(p, given, i["type"]) for p in i["correct"]), (sub_id, given, i["correct"])
            for kind in ("choices", "source", "target"):
                ids = [c["id"] for c in i.get(kind, [])]
                assert len(ids) == len(set(ids)) and all(ITEMS not in c for c in ids), (sub_id, kind)


def test_interactions_js_fetches_nothing():
    text = INTERACTIONS_JS.read_text()
    for word in ("fetch(", "XMLHttpRequest", "import(", "http://", "https://"):
        assert word not in text, f"interactions.js contains {word!r}"
