"""Every question type answered right and wrong, by mouse and by keyboard alone; the
credit the page shows is scoring.py's for the same response."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .answering import answer, check, expected_credit, questions_of
from .conftest import MINI

# The mini fixture has one practice question of each type on lessons/basics/.
RESPONSES = {
    "b-q01": {"right": "a", "wrong": "c"},
    "b-q02": {"right": ["a", "b"], "wrong": ["a", "c"], "partial": ["b"]},
    "b-q03": {"right": True, "wrong": False},
    "b-q04": {"right": 4, "wrong": 7.5},
    "b-q05": {"right": ["clean", "inject", "press"], "wrong": ["press", "inject", "clean"]},
    "b-q06": {"right": {"p1": "p1", "p2": "p2"}, "wrong": {"p1": "p2", "p2": "d0"}, "partial": {"p1": "p1", "p2": "d0"}},
    "b-q07": {"right": {"b1": "Nappage", "b2": "DHT"}, "wrong": {"b1": "mesolift", "b2": "TSH"}, "partial": {"b1": "nappaj", "b2": "LH"}},
    "b-q08": {"right": "vertex", "wrong": "frontal"},
    "b-q09": {"right": {"a": "a", "b": True}, "wrong": {"a": "b", "b": False}, "partial": {"a": "b", "b": True}},
}
TYPES = {"b-q01": "single", "b-q02": "multiple", "b-q03": "true_false", "b-q04": "numeric", "b-q05": "ordering",
         "b-q06": "matching", "b-q07": "cloze", "b-q08": "hotspot", "b-q09": "case"}
CASES = [(qid, which, how) for qid in RESPONSES for which in RESPONSES[qid] for how in ("mouse", "keyboard")]


@pytest.fixture(scope="module")
def mini_questions():
    return questions_of(MINI)


@pytest.fixture
def basics(page, mini_url):
    page.goto(mini_url + "lessons/basics/")
    expect(page.locator("#q-b-q01 .mt-actions")).to_be_visible()
    return page


def test_the_fixture_covers_every_type(mini_questions):
    assert {mini_questions[q][0].type for q in RESPONSES} == set(TYPES.values())
    assert TYPES == {q: mini_questions[q][0].type for q in TYPES}


@pytest.mark.parametrize("qid, which, how", CASES, ids=[f"{TYPES[q]}-{w}-{h}" for q, w, h in CASES])
def test_answer_and_check(basics, mini_questions, qid, which, how):
    q, bank = mini_questions[qid]
    r = RESPONSES[qid][which]
    answer(basics, qid, r, how)
    shown = check(basics, qid, how)
    want = expected_credit(q, bank, r)
    assert shown == pytest.approx(want, abs=1e-9)
    status = basics.locator(f"#q-{qid} .mt-status")
    verdict = {"right": "Correct", "wrong": "Not correct", "partial": "Partly correct"}[which]
    expect(status).to_have_text(re.compile(rf"^{verdict}: "))
    # right/wrong is never told by colour alone: every mark carries a word
    marks = basics.locator(f"#q-{qid} .mt-m .mt-tick")
    assert marks.count() >= 1
    assert all(re.search(r"Right|Wrong|In place|Not in place", t) for t in marks.all_inner_texts())
    # the explanation (rationale and sources) opens after a right answer only, never with the key
    shown = expect(basics.locator(f"#q-{qid} .mt-rationale"))
    shown.to_be_visible() if which == "right" else shown.to_be_hidden()
    if which == "right":
        expect(basics.locator(f"#q-{qid} .mt-sources")).to_be_visible()
    expect(basics.locator(f"#q-{qid} .mt-key")).to_be_hidden()


def test_page_score_equals_scoring_py(basics, mini_questions):
    total = 0.0
    for qid, responses in RESPONSES.items():
        r = responses.get("partial", responses["wrong"])
        answer(basics, qid, r, "mouse")
        check(basics, qid, "mouse")
        q, bank = mini_questions[qid]
        total += expected_credit(q, bank, r)
    tally = basics.locator(".mt-tally")
    assert float(tally.get_attribute("data-earned")) == pytest.approx(total, abs=1e-9)
    expect(tally).to_contain_text(f"Score on this page: {float(f'{total:.2f}'):g} of 9 points")


def test_focus_and_arrows_submit_nothing(basics):
    radio = basics.locator("#q-b-q01 input").first
    radio.focus()
    for key in ("ArrowDown", "ArrowDown", "ArrowUp", "Tab", "Shift+Tab"):
        basics.keyboard.press(key)
    expect(basics.locator("#q-b-q01 .mt-status")).to_have_text("")
    assert basics.locator("#q-b-q01 .mt-m").count() == 0
    stored = basics.evaluate("() => JSON.parse(localStorage.getItem(mesotrain.quiz.storageKey))")
    assert stored["q"] == {}


def test_check_without_an_answer_asks_for_one(basics):
    basics.locator("#q-b-q01 .mt-primary").click()
    expect(basics.locator("#q-b-q01 .mt-status")).to_have_text("Choose an answer first.")
    basics.locator("#q-b-q04 input").fill("four")
    basics.locator("#q-b-q04 input").press("Enter")
    expect(basics.locator("#q-b-q04 .mt-status")).to_contain_text("Enter a number")


def test_retry_clears_and_focuses_the_first_control(basics):
    answer(basics, "b-q01", "c", "mouse")
    check(basics, "b-q01", "mouse")
    basics.locator("#q-b-q01 button", has_text="Retry").click()
    assert basics.locator("#q-b-q01 .mt-m").count() == 0
    assert basics.evaluate("() => document.activeElement.closest('#q-b-q01') !== null && document.activeElement.tagName") == "INPUT"
    assert not basics.locator("#q-b-q01 input:checked").count()


@pytest.mark.parametrize("qid", list(TYPES))
def test_reveal_sets_the_key(basics, mini_questions, qid):
    answer(basics, qid, RESPONSES[qid]["wrong"], "mouse")
    check(basics, qid, "mouse")
    basics.locator(f"#q-{qid} button", has_text="Reveal").click()
    expect(basics.locator(f"#q-{qid} .mt-status")).to_have_text(re.compile("^The answer is shown"))
    expect(basics.locator(f"#q-{qid} .mt-key")).to_be_visible()
    # what the controls now hold earns full credit in scoring.js
    got = basics.evaluate("""(id) => { const el = document.getElementById('q-' + id);
        const d = JSON.parse(el.dataset.mtData);
        return mesotrain.scoring.credit(d.q, mesotrain.quiz.response(el), d.ms, d.neg); }""", qid)
    assert got == pytest.approx(mini_questions[qid][0].weight)


def test_enter_in_a_text_box_checks(basics):
    basics.locator("#q-b-q04 input").focus()
    basics.keyboard.type("4")
    basics.keyboard.press("Enter")
    expect(basics.locator("#q-b-q04 .mt-status")).to_have_text(re.compile("^Correct"))


def test_every_control_is_reachable_by_tab(basics):
    """Tab walks through every question: each radio group, checkbox, box, select and button."""
    seen = set()
    basics.locator("#q-b-q01").evaluate("(e) => e.scrollIntoView()")
    basics.locator("#q-b-q01 input").first.focus()
    for _ in range(200):
        basics.keyboard.press("Tab")
        key = basics.evaluate("""() => { const a = document.activeElement, q = a.closest('.mt-q');
            return q ? q.id + ' ' + (a.type === 'radio' ? 'radio:' + a.name : a.id || a.textContent) : null; }""")
        if key:
            seen.add(key)
    for qid in TYPES:
        assert f"q-{qid} Check" in seen
    assert "q-b-q08 radio:q-b-q08" in seen  # hotspot regions, by name
    assert {k for k in seen if k.startswith("q-b-q05 ") and "Move" not in k}  # ordering buttons
    assert len([k for k in seen if k.startswith("q-b-q06 q-b-q06-")]) == 2  # both matching selects
