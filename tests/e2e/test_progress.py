"""Progress that lasts: reload, instant navigation, dashboard, nav marks, export/import,
corrupted storage, and the spaced review of missed questions."""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from .answering import answer, check

KEY = "mesotrain:/"


def _ready(page):
    expect(page.locator(".mt-q .mt-actions").first).to_be_visible()


def _stored(page) -> dict:
    return json.loads(page.evaluate("(k) => localStorage.getItem(k)", KEY) or "null")


def _nav(page, title: str):
    """Follow a sidebar link, as a trainee would (Material's instant navigation, no reload)."""
    page.locator(".md-sidebar--primary a.md-nav__link", has_text=title).first.click()


def test_progress_survives_reload(page, mini_url):
    page.goto(mini_url + "lessons/basics/")
    _ready(page)
    answer(page, "b-q01", "a", "mouse")
    check(page, "b-q01", "mouse")
    answer(page, "b-q06", {"p1": "p1", "p2": "d0"}, "mouse")
    check(page, "b-q06", "mouse")
    page.reload()
    _ready(page)
    expect(page.locator("#q-b-q01 .mt-status")).to_have_text("Your last answer — Correct: 1 of 1 point.")
    expect(page.locator("#q-b-q01 input[value=a]")).to_be_checked()
    expect(page.locator("#q-b-q06 select[data-mt-premise=p2]")).to_have_value("d0")
    expect(page.locator("#q-b-q06 .mt-status")).to_contain_text("Partly correct: 0.5 of 1 point")
    expect(page.locator(".mt-tally")).to_contain_text("1.5 of 9 points (2 of 9 questions checked)")


def test_instant_navigation_keeps_progress_and_marks_the_nav(page, mini_url):
    page.goto(mini_url + "lessons/safety/")
    _ready(page)
    page.evaluate("() => { window.__sameDocument = true; }")  # lost on a full reload
    answer(page, "s-q01", True, "keyboard")
    check(page, "s-q01", "keyboard")
    expect(page.locator(".md-sidebar--primary a.md-nav__link.mt-done", has_text="Safety")).to_have_count(1)
    _nav(page, "Basics")
    expect(page).to_have_url(re.compile("lessons/basics/$"))
    _ready(page)
    assert page.evaluate("() => window.__sameDocument") is True, "Material's instant navigation did not run"
    # the new page is live: its questions check, and the nav still marks Safety done
    answer(page, "b-q03", True, "mouse")
    assert check(page, "b-q03", "mouse") == 1
    done = page.locator(".md-sidebar--primary a.md-nav__link.mt-done")
    expect(done).to_have_count(1)
    expect(done).to_contain_text("Safety")
    expect(done.locator(".mt-sr")).to_have_text(" (done)")
    _nav(page, "Safety")
    _ready(page)
    expect(page.locator("#q-s-q01 .mt-status")).to_contain_text("Correct: 1 of 1 point")
    assert page.evaluate("() => window.__sameDocument") is True


def test_a_changed_question_is_not_shown_as_answered(page, mini_url):
    page.goto(mini_url + "lessons/safety/")
    _ready(page)
    answer(page, "s-q01", True, "mouse")
    check(page, "s-q01", "mouse")
    data = _stored(page)
    data["q"]["s-q01"]["h"] = "0123456789ab"  # as if the question was edited since
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEY, json.dumps(data)])
    page.reload()
    _ready(page)
    expect(page.locator("#q-s-q01 .mt-status")).to_have_text("")
    expect(page.locator(".md-sidebar--primary a.mt-done")).to_have_count(0)


def test_dashboard_shows_mastery_and_where_to_resume(page, mini_url):
    page.goto(mini_url + "lessons/basics/")
    _ready(page)
    answer(page, "b-q01", "a", "mouse")
    check(page, "b-q01", "mouse")
    answer(page, "b-q02", ["b"], "mouse")
    check(page, "b-q02", "mouse")
    page.goto(mini_url + "lessons/safety/")
    _ready(page)
    answer(page, "s-q01", True, "mouse")
    check(page, "s-q01", "mouse")
    _nav(page, "My progress")
    rows = page.locator(".mt-dashboard table").first.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_text(re.compile(r"Basics\s*2 of 9\s*17 %\s*In progress"))
    expect(rows.nth(1)).to_have_text(re.compile(r"Safety\s*1 of 1\s*100 %\s*Done"))
    # one lesson per domain in the mini course: no Domain column, no table repeating it by domain
    expect(page.locator(".mt-dashboard table")).to_have_count(1)
    resume = page.locator(".mt-resume a")
    expect(resume).to_have_text("Basics")
    expect(page.locator(".mt-summary")).to_contain_text("answered 3 of 10 practice questions; overall mastery 25 %. 1 due for review")
    resume.click()
    expect(page).to_have_url(re.compile("lessons/basics/$"))


def test_export_then_import_in_a_fresh_context(browser, page, mini_url, tmp_path):
    page.goto(mini_url + "lessons/basics/")
    _ready(page)
    answer(page, "b-q05", ["clean", "inject", "press"], "mouse")
    check(page, "b-q05", "mouse")
    answer(page, "b-q08", "occipital", "mouse")
    check(page, "b-q08", "mouse")
    page.goto(mini_url + "progress/")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export progress to a file").click()
    file = tmp_path / download.value.suggested_filename
    download.value.save_as(file)
    exported = json.loads(file.read_text())
    assert exported["format"] == "mesotrain-progress" and set(exported["progress"]["q"]) == {"b-q05", "b-q08"}

    fresh = browser.new_context()
    try:
        other = fresh.new_page()
        other.goto(mini_url + "progress/")
        expect(other.locator(".mt-dashboard tbody tr").first).to_contain_text("0 of 9")
        other.locator("#mt-import").set_input_files(str(file))
        expect(other.locator(".mt-notice")).to_have_text("Imported progress on 2 questions.")
        expect(other.locator(".mt-dashboard tbody tr").first).to_contain_text("2 of 9")
        other.goto(mini_url + "lessons/basics/")
        expect(other.locator("#q-b-q05 .mt-status")).to_contain_text("Correct: 1 of 1 point")
        expect(other.locator("#q-b-q08 .mt-status")).to_contain_text("Not correct")
        # a file that is not ours is refused and changes nothing
        bad = tmp_path / "bad.json"
        bad.write_text('{"hello": 1}')
        other.goto(mini_url + "progress/")
        other.locator("#mt-import").set_input_files(str(bad))
        expect(other.locator(".mt-notice")).to_contain_text("not a mesotrain progress file")
        expect(other.locator(".mt-dashboard tbody tr").first).to_contain_text("2 of 9")
    finally:
        fresh.close()


def test_reset_erases_progress(page, mini_url):
    page.goto(mini_url + "lessons/safety/")
    _ready(page)
    answer(page, "s-q01", False, "mouse")
    check(page, "s-q01", "mouse")
    page.goto(mini_url + "progress/")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Reset progress").click()
    expect(page.locator(".mt-notice")).to_have_text("Your progress was reset.")
    expect(page.locator(".mt-dashboard tbody tr").nth(1)).to_contain_text("0 of 1")
    assert _stored(page) is None or _stored(page)["q"] == {}


@pytest.mark.parametrize("stored, message", [
    ("{not json", "could not be read and was reset"),
    ('{"v": 99, "q": {}}', "could not be read and was reset"),
    ('[1, 2, 3]', "could not be read and was reset"),
    ('{"v": 1, "q": {"b-q01": {"h": 5}, "b-q02": {"h": "x", "c": 1, "t": 1}}, "l": {}}', "Some saved progress could not be read"),
])
def test_corrupted_or_unknown_storage_recovers_with_a_notice(page, mini_url, stored, message):
    page.add_init_script(f"localStorage.setItem({json.dumps(KEY)}, {json.dumps(stored)})")
    errors = []
    page.on("pageerror", lambda e: errors.append(e))
    page.goto(mini_url + "lessons/basics/")
    _ready(page)
    expect(page.locator(".mt-notice")).to_contain_text(message)
    answer(page, "b-q03", True, "mouse")
    assert check(page, "b-q03", "mouse") == 1
    assert _stored(page)["q"]["b-q03"]["c"] == 1
    assert not errors


def test_storage_turned_off_still_gives_feedback(page, mini_url):
    page.add_init_script("Object.defineProperty(window, 'localStorage', {get() { throw new Error('denied'); }})")
    errors = []
    page.on("pageerror", lambda e: errors.append(e.stack) if "/mesotrain/" in (e.stack or "") else None)
    page.goto(mini_url + "lessons/basics/")
    _ready(page)
    answer(page, "b-q01", "a", "keyboard")
    assert check(page, "b-q01", "keyboard") == 1
    assert not errors


def test_missed_questions_come_back_spaced_out(page, mini_url):
    start = datetime(2026, 3, 2, 9, 0)
    page.clock.install(time=start)
    page.goto(mini_url + "lessons/basics/")
    _ready(page)
    answer(page, "b-q01", "c", "mouse")
    check(page, "b-q01", "mouse")
    answer(page, "b-q03", True, "mouse")  # right first time: never in review
    check(page, "b-q03", "mouse")
    page.goto(mini_url + "review/")
    expect(page.locator("[data-mt-review]")).to_have_text("1 question is due for review now.")
    visible = page.locator(".mt-pool .mt-q:visible")
    expect(visible).to_have_count(1)
    expect(visible).to_have_id("q-b-q01")
    expect(page.locator("#q-b-q01 .mt-status")).to_have_text("")  # asked afresh, not pre-filled
    answer(page, "b-q01", "a", "keyboard")
    check(page, "b-q01", "keyboard")
    expect(page.locator("[data-mt-review]")).to_contain_text("Nothing is due for review right now. 1 more scheduled")
    assert _stored(page)["q"]["b-q01"]["b"] == 2

    page.clock.set_system_time(start + timedelta(hours=12))
    page.reload()
    expect(page.locator(".mt-pool .mt-q:visible")).to_have_count(0)
    page.clock.set_system_time(start + timedelta(days=1, hours=1))
    page.reload()
    expect(page.locator(".mt-pool .mt-q:visible")).to_have_count(1)
    answer(page, "b-q01", "a", "mouse")
    check(page, "b-q01", "mouse")
    entry = _stored(page)["q"]["b-q01"]
    assert entry["b"] == 3
    assert entry["d"] == pytest.approx((start + timedelta(days=4, hours=1)).timestamp() * 1000, abs=60_000)
    # a miss sends it back to the first box, due at once
    page.reload()
    page.clock.set_system_time(start + timedelta(days=5))
    page.reload()
    answer(page, "b-q01", "b", "mouse")
    check(page, "b-q01", "mouse")
    assert _stored(page)["q"]["b-q01"]["b"] == 1
    expect(page.locator("[data-mt-review]")).to_have_text("1 question is due for review now.")
