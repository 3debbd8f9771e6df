"""Practice when the browser's storage fails: full, refused, from an older mesotrain, or from a
course that has changed since. The page stays usable and says what happened (issue 15)."""
from __future__ import annotations

import json

from playwright.sync_api import expect

from .answering import answer, check

KEY = "mesotrain:/"


def _ready(page):
    expect(page.locator(".mt-q .mt-actions").first).to_be_visible()


def _errors(page) -> list:
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_full_storage_still_gives_feedback_and_says_progress_is_not_saved(page, mini_url):
    page.add_init_script("""
        Storage.prototype.setItem = function () {
            throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
        };""")
    errors = _errors(page)
    page.goto(mini_url + "lessons/basics/")
    _ready(page)
    answer(page, "b-q01", "a", "keyboard")
    assert check(page, "b-q01", "keyboard") == 1
    expect(page.locator(".mt-notice").first).to_contain_text("cannot save your progress")
    expect(page.locator(".mt-notice").first).to_be_visible()
    assert not errors


def test_progress_from_an_older_mesotrain_is_kept_aside_and_the_page_works(page, mini_url):
    old = json.dumps({"v": 0, "answers": {"b-q01": "a"}})
    page.add_init_script(f"if (!sessionStorage.getItem('seeded')) {{ localStorage.setItem({json.dumps(KEY)}, {json.dumps(old)});"
                         " sessionStorage.setItem('seeded', '1'); }")
    errors = _errors(page)
    page.goto(mini_url + "lessons/basics/")
    _ready(page)
    expect(page.locator(".mt-notice").first).to_contain_text("could not be read and was reset (a copy was kept)")
    assert page.evaluate("(k) => localStorage.getItem(k + ':unreadable')", KEY) == old
    answer(page, "b-q03", True, "mouse")
    assert check(page, "b-q03", "mouse") == 1
    assert not errors


def test_progress_on_a_question_that_has_changed_is_not_shown_as_its_answer(page, mini_url):
    page.goto(mini_url + "lessons/basics/")
    _ready(page)
    answer(page, "b-q01", "a", "mouse")
    check(page, "b-q01", "mouse")
    # the course is republished with b-q01 changed: its fingerprint no longer matches what was stored
    page.evaluate("""(k) => { const d = JSON.parse(localStorage.getItem(k));
                              d.q['b-q01'].h = 'changed00000'; localStorage.setItem(k, JSON.stringify(d)); }""", KEY)
    errors = _errors(page)
    page.reload()
    _ready(page)
    expect(page.locator("#q-b-q01 .mt-status")).not_to_contain_text("Your last answer")
    expect(page.locator("#q-b-q01 input[value=a]")).not_to_be_checked()
    answer(page, "b-q01", "b", "mouse")
    assert check(page, "b-q01", "mouse") == 0
    assert not errors
