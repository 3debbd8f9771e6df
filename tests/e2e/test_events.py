"""The browser events other runtimes build on (SCORM, xAPI; contract in ECOSYSTEM-BRIEF.md):
mesotrain:answered for a practice check, mesotrain:lesson for a visit and a completion,
mesotrain:exam when an attempt starts and is submitted — with a score in an open exam, and
neither key nor score in a sealed one. interactions.js, loaded as a consumer loads it, reads
an answered event's question and response as the type modules do."""
from __future__ import annotations

import json
from datetime import datetime

import pytest
from playwright.sync_api import expect

from mesotrain import scoring, types
from mesotrain.checks import load_checked
from mesotrain.exam import sealed_exam
from mesotrain.results.sample import key_response

from .answering import answer, check, questions_of
from .conftest import MINI
from .test_exam import mini_variant, press, sit_answer, start

LISTEN = """window.__events = [];
for (const n of ["answered", "lesson", "exam"])
  document.addEventListener("mesotrain:" + n, (e) => window.__events.push([n, JSON.parse(JSON.stringify(e.detail))]));"""


@pytest.fixture
def listened(page):
    page.add_init_script(LISTEN)
    return page


def events(page, clear=True) -> list:
    got = page.evaluate("() => window.__events.splice(0)" if clear else "() => window.__events")
    return [tuple(e) for e in got]


def _iso(text: str) -> datetime:
    assert text.endswith("Z"), text
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_lesson_visit_a_check_and_the_completion(listened, mini_url):
    page = listened
    page.goto(mini_url + "lessons/safety/")
    expect(page.locator("#q-s-q01 .mt-actions")).to_be_visible()
    visit = {"id": "safety", "title": "Safety", "url": mini_url + "lessons/safety/"}
    assert events(page) == [("lesson", {**visit, "status": "attempted"})]  # one question, not answered yet

    answer(page, "s-q01", False, "mouse")
    check(page, "s-q01", "mouse")
    (kind, got), lesson = events(page)
    q, bank = questions_of(MINI)["s-q01"]
    assert kind == "answered"
    assert {k: got[k] for k in ("kind", "id", "lesson", "r", "max")} == {
        "kind": "practice", "id": "s-q01", "lesson": "safety", "r": False, "max": 1}
    assert got["earned"] == scoring.credit(q, False) and got["q"]["type"] == "true_false"
    assert abs((datetime.now().astimezone() - _iso(got["at"])).total_seconds()) < 60
    assert lesson == ("lesson", {**visit, "status": "completed"})  # its only question now has an answer

    # a consumer loads interactions.js and reads the event as the type modules would
    read = page.evaluate("""(d) => new Promise((done) => mesotrain.quiz.need("interactions",
        () => done([mesotrain.interactions.of(d.q), mesotrain.interactions.answer(d.q, d.r)])))""", got)
    [(iid, _, want)] = types.interactions(q)
    assert read[0] == [{"id": iid, "type": want["type"], "correct": want["correct"], "weight": want["weight"]}]
    assert read[1] == types.answers(q, False) == ["false"]

    page.locator("#q-s-q01 button", has_text="Retry").click()
    answer(page, "s-q01", True, "mouse")
    check(page, "s-q01", "mouse")
    assert [e[0] for e in events(page)] == ["answered"]  # completed once, not on every check

    page.reload()
    expect(page.locator("#q-s-q01 .mt-status")).to_contain_text("Your last answer")
    assert events(page) == [("lesson", {**visit, "status": "attempted"}), ("lesson", {**visit, "status": "completed"})]


def _sit(page, url, opened, form, answers):
    start(page, url, form=form, cid="C-777")
    items = opened.form(form).items
    for n, item in enumerate(items):
        if item in answers:
            sit_answer(page, opened, item, answers[item])
        press(page, "[data-x=next]" if n < len(items) - 1 else "[data-x=review]")
    press(page, "[data-x=submit]")
    press(page, "[data-x=confirm]")
    expect(page.locator("[data-x-step=done]")).to_be_visible()
    return items


def _exam_events(page) -> tuple[dict, dict]:
    got = [e for e in events(page) if e[0] == "exam"]
    assert [d["phase"] for _, d in got] == ["started", "submitted"]
    started, submitted = got[0][1], got[1][1]
    assert started["attempt"] == submitted["attempt"] and started["ended"] is None and "file" not in started
    assert _iso(submitted["ended"]) >= _iso(submitted["started"]) == _iso(started["started"])
    assert submitted["duration_ms"] >= 0
    sheet = json.loads(submitted["file"])
    assert sheet["attempt_id"] == submitted["attempt"] and sheet["checksum"].startswith("sha256:")
    return started, submitted


def test_an_open_exam_submission_carries_its_score(listened, tmp_path, serve):
    page = listened
    course = tmp_path / "open"
    url = mini_variant(course, serve, "mode: open\n")
    opened = sealed_exam(load_checked(course)[0])
    answers = {i: key_response(opened.pool[i].question) for i in opened.form("B").items}
    answers["x09"] = {"a": "b", "b": False}  # one case part right
    del answers["x03"]                        # one left unanswered
    items = _sit(page, url, opened, "B", answers)
    started, submitted = _exam_events(page)
    e = opened.exam
    assert started["exam"] == submitted["exam"] == {"id": e.id, "mode": "open", "form": "B", "pass_mark": e.pass_mark,
                                                    "time_limit_minutes": e.time_limit_minutes}
    want = scoring.score_attempt([(opened.pool[i].question, opened.pool[i].domain, answers.get(i)) for i in items],
                                 pass_mark=e.pass_mark, must_pass=e.must_pass)
    result = submitted["result"]
    assert (result["min"], result["passed"]) == (0, want.passed)
    assert result["raw"] == pytest.approx(want.earned) and result["max"] == pytest.approx(want.possible)
    assert result["scaled"] == pytest.approx(want.fraction) and 0 < want.fraction < 1
    assert [i["id"] for i in result["items"]] == list(items)
    for got, item, graded in zip(result["items"], items, want.items):
        q = opened.pool[item].question  # the response in real ids, not the page's tokens (ticks in any order)
        assert types.answers(q, got["r"]) == types.answers(q, answers.get(item)), item
        assert got["earned"] == pytest.approx(graded.earned) and got["max"] == pytest.approx(graded.possible)
        assert got["domain"] == opened.pool[item].domain and got["time_ms"] >= 0
        assert got["q"]["id"] == item


def test_a_sealed_exam_event_carries_no_key_and_no_score(listened, mini_url):
    page = listened
    tree, _ = load_checked(MINI)
    sealed = sealed_exam(tree)
    _sit(page, mini_url, sealed, "A", {"x02": True})
    started, submitted = _exam_events(page)
    assert submitted["exam"]["mode"] == "sealed" and submitted["exam"]["pass_mark"] is None
    assert "result" not in submitted and "result" not in started

    def keys(v):
        if isinstance(v, dict):
            return set(v) | set().union(*map(keys, v.values()))
        return set().union(*map(keys, v)) if isinstance(v, list) else set()
    found = keys(started) | keys(submitted) | keys(json.loads(submitted["file"]))
    assert not found & {"correct", "accept", "answer", "q", "earned", "scaled", "raw", "passed", "score"}, found
