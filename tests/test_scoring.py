"""scoring.py against the shared vectors, plus properties that must hold for any question."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from mesotrain import scoring
from mesotrain.model import Question

VECTORS = Path(__file__).parent / "vectors"
INTERACTIONS = "interactions.json"  # not credit vectors: tests/test_interactions.py runs them
FILLER = {"stem": "Stem?", "objective": "o", "rationale": "Because.", "sources": ["s"]}
_question = TypeAdapter(Question)


def load_question(raw: dict):
    return _question.validate_python({**FILLER, **raw})


def _response(raw):
    return None if raw == {"$undefined": True} else raw


def _credit_cases():
    for path in sorted(VECTORS.glob("*.json")):
        if path.name in ("attempt.json", INTERACTIONS):
            continue
        data = json.loads(path.read_text())
        for case in data["cases"]:
            yield pytest.param(data["questions"][case["question"]], case, id=f"{path.stem}: {case['name']}")


def _attempt_cases():
    data = json.loads((VECTORS / "attempt.json").read_text())
    for case in data["cases"]:
        yield pytest.param(data["questions"], case, id=case["name"])


@pytest.mark.parametrize("raw, case", list(_credit_cases()))
def test_credit_vector(raw, case):
    q = load_question(raw)
    got = scoring.credit(q, _response(case["response"]),
                         multiple_scoring=case.get("multiple_scoring", "partial"),
                         negative_marking=case.get("negative_marking", False))
    assert got == pytest.approx(case["expected"], abs=1e-9)


@pytest.mark.parametrize("questions, case", list(_attempt_cases()))
def test_attempt_vector(questions, case):
    items = [(load_question(questions[i["question"]]), i["domain"], i["response"]) for i in case["items"]]
    got = scoring.score_attempt(items, pass_mark=case["pass_mark"], must_pass=case.get("must_pass", ()),
                                domain_minimums=case.get("domain_minimums"),
                                multiple_scoring=case.get("multiple_scoring", "partial"),
                                negative_marking=case.get("negative_marking", False))
    want = case["expected"]
    assert got.earned == pytest.approx(want["earned"])
    assert got.possible == pytest.approx(want["possible"])
    assert got.fraction == pytest.approx(want["fraction"])
    assert got.passed is want["passed"]
    assert list(got.must_pass_failed) == want["must_pass_failed"]
    assert list(got.domains_below_minimum) == want["domains_below_minimum"]
    for name in ("by_domain", "by_objective"):
        tally = getattr(got, name)
        assert list(tally) == list(want[name])
        for k, (earned, possible) in tally.items():
            assert (earned, possible) == pytest.approx(tuple(want[name][k]))
    assert {i.id: i.correct for i in got.items} == want["correct"]
    assert got.rules_version == scoring.RULES_VERSION


def test_every_type_has_vectors():
    types = {raw["type"] for path in VECTORS.glob("*.json") if path.name != INTERACTIONS
             for raw in json.loads(path.read_text())["questions"].values()}
    assert types >= {"single", "multiple", "true_false", "numeric", "ordering",
                     "matching", "cloze", "case", "hotspot"}


def test_public_api_is_pinned():
    assert set(scoring.__all__) == {"RULES_VERSION", "credit", "key_response", "max_credit", "ItemResult",
                                    "AttemptScore", "score_attempt", "normalise_blank"}
    assert isinstance(scoring.RULES_VERSION, str)


def test_huge_and_non_finite_numbers_earn_nothing():
    q = load_question({"id": "n", "type": "numeric", "answer": 4})
    for bad in (float("inf"), float("-inf"), float("nan"), 10 ** 400):
        assert scoring.credit(q, bad) == 0


def test_malformed_responses_never_raise():
    for path in VECTORS.glob("*.json"):
        for raw in json.loads(path.read_text())["questions"].values():
            q = load_question(raw)
            for r in (None, 0, -1, 1.5, "", "x", [], [None], [[]], {}, {"a": None}, {"a": []}, object(), True):
                assert 0 <= scoring.credit(q, r) <= q.weight


# --- properties --------------------------------------------------------------------------

_ids = st.lists(st.sampled_from("abcdefgh"), min_size=2, max_size=8, unique=True)
_weight = st.floats(min_value=0.25, max_value=10, allow_nan=False)


@st.composite
def choice_questions(draw):
    ids = draw(_ids)
    keys = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
    kind = draw(st.sampled_from(["single", "multiple"]))
    if kind == "single":
        keys = keys[:1]
    raw = {"id": "p", "type": kind, "weight": draw(_weight),
           "options": [{"id": i, "text": i.upper(), "correct": i in keys} for i in ids]}
    if kind == "multiple":
        raw["scoring"] = draw(st.sampled_from([None, "partial", "all_or_nothing"]))
    return load_question(raw)


@st.composite
def any_questions(draw):
    """A question of any type with a random weight and a random key."""
    kind = draw(st.sampled_from(["choice", "true_false", "numeric", "ordering", "matching",
                                 "cloze", "hotspot", "case"]))
    w = draw(_weight)
    if kind == "choice":
        return draw(choice_questions())
    if kind == "true_false":
        return load_question({"id": "p", "type": kind, "weight": w, "answer": draw(st.booleans())})
    if kind == "numeric":
        answer = draw(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
        return load_question({"id": "p", "type": kind, "weight": w, "answer": answer,
                              "tolerance": draw(st.floats(min_value=0, max_value=10)),
                              "tolerance_mode": draw(st.sampled_from(["absolute", "relative"]))})
    if kind == "ordering":
        ids = draw(st.lists(st.sampled_from("abcdefgh"), min_size=3, max_size=8, unique=True))
        return load_question({"id": "p", "type": kind, "weight": w, "items": [{"id": i, "text": i} for i in ids]})
    if kind == "matching":
        ids = draw(_ids)
        return load_question({"id": "p", "type": kind, "weight": w, "distractors": ["x"],
                              "pairs": [{"id": i, "premise": i, "match": i.upper()} for i in ids]})
    if kind == "cloze":
        ids = draw(_ids)
        return load_question({"id": "p", "type": kind, "weight": w, "text": " ".join("{{%s}}" % i for i in ids),
                              "blanks": [{"id": i, "accept": [draw(st.text(min_size=1, max_size=5)) + "z"]}
                                         for i in ids]})
    if kind == "hotspot":
        ids = draw(_ids)
        keys = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
        return load_question({"id": "p", "type": kind, "weight": w, "image": "m.svg", "alt": "m",
                              "regions": [{"id": i, "label": i, "correct": i in keys} for i in ids]})
    parts = [draw(choice_questions()), load_question({"id": "t", "type": "true_false", "answer": True})]
    return load_question({"id": "p", "type": "case", "weight": w, "vignette": "v",
                          "parts": [{**p.model_dump(exclude={"objective", "rationale", "sources", "difficulty", "cognitive"}),
                                     "id": f"part{n}"} for n, p in enumerate(parts)]})


_junk = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=4),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4),
                     max_leaves=8)
_opts = dict(multiple_scoring=st.sampled_from(["partial", "all_or_nothing"]), negative=st.booleans())
_fast = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_fast
@given(q=any_questions(), response=_junk, **_opts)
def test_credit_always_within_zero_and_weight(q, response, multiple_scoring, negative):
    got = scoring.credit(q, response, multiple_scoring=multiple_scoring, negative_marking=negative)
    assert 0 <= got <= q.weight and not math.isnan(got)


@_fast
@given(q=any_questions(), **_opts)
def test_the_key_earns_full_credit(q, multiple_scoring, negative):
    got = scoring.credit(q, scoring.key_response(q), multiple_scoring=multiple_scoring, negative_marking=negative)
    assert got == pytest.approx(scoring.max_credit(q))


@_fast
@given(q=choice_questions(), data=st.data(), **_opts)
def test_adding_a_wrong_choice_never_raises_credit(q, data, multiple_scoring, negative):
    if q.type != "multiple":
        return
    wrong = [o.id for o in q.options if not o.correct]
    if not wrong:
        return
    chosen = data.draw(st.lists(st.sampled_from([o.id for o in q.options]), unique=True))
    extra = data.draw(st.sampled_from(wrong))
    if extra in chosen:
        return
    before = scoring.credit(q, chosen, multiple_scoring=multiple_scoring, negative_marking=negative)
    after = scoring.credit(q, chosen + [extra], multiple_scoring=multiple_scoring, negative_marking=negative)
    assert after <= before


@_fast
@given(q=any_questions(), **_opts)
def test_one_wrong_component_never_raises_credit(q, multiple_scoring, negative):
    """Spoiling one component of the key (a premise, a blank) never earns more than the key."""
    if q.type not in ("matching", "cloze"):
        return
    key = scoring.key_response(q)
    first = next(iter(key))
    spoiled = {**key, first: "d0" if q.type == "matching" else "wrong answer!"}
    assert (scoring.credit(q, spoiled, multiple_scoring=multiple_scoring, negative_marking=negative)
            < scoring.credit(q, key, multiple_scoring=multiple_scoring, negative_marking=negative))
