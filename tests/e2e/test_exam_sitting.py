"""What a real sitting meets (issue 12, "The exam sitting"): no-JavaScript text with
JavaScript on, two tabs of one attempt, the ordering item's shown order, a browser that
cannot save, the receipt, the review grid, instant navigation and the candidate's details.

On a 360 px phone screen where the layout matters, and in both palettes where colour does.
"""
from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from playwright.sync_api import expect


from .test_exam import download, mini_variant, press, start

PHONE = {"width": 360, "height": 740}
SHOWN_RADIO = ".mt-x-items .mt-q:not([hidden]) input[type=radio]"
SHOWN = ".mt-x-items .mt-q:not([hidden])"


def answer_shown(page) -> None:
    """Give the question on screen some answer, whatever its type (the draw decides which comes first)."""
    q = page.locator(SHOWN)
    for control, act in (("input[type=radio]", "check"), ("input[type=checkbox]", "check"), ("select", "select"),
                         ("input[type=text], input[type=number], input:not([type])", "fill")):
        c = q.locator(control)
        if c.count():
            c = c.first
            c.check() if act == "check" else c.select_option(index=1) if act == "select" else c.fill("5")
            return
    raise AssertionError("the shown question has no control this helper knows")


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def visible_nojs(page) -> list[str]:
    return page.locator(".mt-nojs").evaluate_all(
        "(els) => els.filter(e => e.getClientRects().length).map(e => e.textContent.trim())")


def test_no_javascript_text_is_hidden_when_scripts_run(phone, mini_url):
    page = phone
    page.goto(mini_url + "exam/")
    expect(page.locator("[data-x-step=start]")).to_be_visible()
    assert visible_nojs(page) == []
    start(page, mini_url, form="B", cid="C-500")
    assert visible_nojs(page) == []
    press(page, "[data-x=review]")
    press(page, "[data-x=submit]")
    press(page, "[data-x=confirm]")
    expect(page.locator("[data-x-step=done]")).to_be_visible()
    assert visible_nojs(page) == []
    for path in ("verify/", "progress/"):
        page.goto(mini_url + path)
        page.wait_for_load_state("load")
        assert page.locator(".mt-nojs").count() and visible_nojs(page) == [], path
    # navigated in by Material's instant navigation, not loaded
    page.goto(mini_url, wait_until="networkidle")  # instant navigation starts once it has the sitemap
    page.evaluate("window.mtSameDocument = 1")
    page.locator("a[href$='verify/']").first.dispatch_event("click")
    expect(page.locator("[data-mt-verify]")).to_be_visible()
    assert page.evaluate("window.mtSameDocument") == 1
    assert visible_nojs(page) == []


def test_no_javascript_text_shows_without_javascript(browser, mini_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(mini_url + "exam/")
        assert visible_nojs(page) == ["The exam needs JavaScript. Turn it on, or use another browser, and reload this page."]
    finally:
        context.close()


def test_one_attempt_has_one_writer(context, mini_url, axe):
    first = context.new_page()
    start(first, mini_url, form="B", cid="C-600")
    first.locator(SHOWN_RADIO).first.check()
    second = context.new_page()
    second.goto(mini_url + "exam/")
    here = second.locator("[data-x-step=elsewhere]")
    expect(here).to_be_visible()
    expect(here).to_contain_text("open in another tab")
    assert axe(second, "#mt-exam") == []
    expect(second.locator("[data-x-step=sit]")).to_be_hidden()
    first.wait_for_timeout(2500)  # the first tab keeps its attempt and its clock
    expect(first.locator("[data-x-step=sit]")).to_be_visible()
    expect(second.locator("[data-x-step=sit]")).to_be_hidden()

    press(second, "[data-x=here]")  # continue in the second tab: the first one stops
    expect(second.locator("[data-x-step=sit]")).to_be_visible()
    expect(second.locator(SHOWN_RADIO).first).to_be_checked()
    expect(first.locator("[data-x-step=elsewhere]")).to_be_visible()
    expect(first.locator("[data-x-step=sit]")).to_be_hidden()

    press(second, "[data-x=review]")
    press(second, "[data-x=submit]")
    press(second, "[data-x=confirm]")
    expect(second.locator("[data-x-step=done]")).to_be_visible()
    first.wait_for_timeout(2500)  # the stopped tab writes nothing: the attempt stays submitted
    second.reload()
    expect(second.locator("[data-x-step=done]")).to_be_visible()
    doc = download(second)
    assert doc["candidate"]["candidate_id"] == "C-600" and doc["submitted_by"] == "candidate"
    press(first, "[data-x=here]")  # back in the first tab: the submitted attempt is final
    expect(first.locator("[data-x-step=done]")).to_be_visible()
    assert download(first) == doc


def test_a_reload_or_a_closed_tab_does_not_lock_the_attempt_out(context, mini_url):
    page = context.new_page()
    start(page, mini_url, form="B", cid="C-700")
    page.reload()
    expect(page.locator("[data-x-step=sit]")).to_be_visible()
    page.close()
    again = context.new_page()
    again.goto(mini_url + "exam/")
    expect(again.locator("[data-x-step=sit]")).to_be_visible()
    expect(again.locator(".mt-x-live")).to_have_text(re.compile("Welcome back"))


def test_moving_an_item_answers_an_ordering_and_unticking_withdraws_it(page, mini_url):
    start(page, mini_url, form="A", cid="C-800")  # x05, an ordering, comes first
    box = page.locator("#q-x05 .mt-x-keep input")
    expect(box).not_to_be_checked()
    page.locator("#q-x05 li").nth(1).locator(".mt-up").click()
    expect(box).to_be_checked()
    box.uncheck()
    press(page, "[data-x=review]")
    expect(page.locator(".mt-x-list button").first).to_have_accessible_name("Question 1: not answered")


def _exam_key(page) -> str:
    return page.evaluate("""() => { const c = JSON.parse(document.querySelector('[data-mt-exam]').dataset.mtExam);
        return 'mesotrain-exam:' + location.pathname + ':' + c.exam.id + ':' + c.course.content_hash; }""")


FULL = """(() => { const set = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) {
    if (String(k).startsWith('mesotrain-exam:')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return set.call(this, k, v); }; })()"""


def test_a_browser_that_cannot_save_warns_at_once_and_offers_the_answers_so_far(phone, mini_url):
    page = phone
    page.add_init_script(FULL)
    page.goto(mini_url + "exam/")
    warning = page.locator(".mt-x-alert")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("cannot save your answers")
    start(page, mini_url, form="B", cid="C-900")
    expect(warning).to_be_visible()
    page.locator(SHOWN_RADIO).first.check()
    first = page.locator(".mt-x-items .mt-q:not([hidden])").get_attribute("data-mt-q")
    sofar = warning.locator("[data-x=sofar]")
    assert sofar.bounding_box()["height"] >= 44
    with page.expect_download() as info:
        press(page, ".mt-x-alert [data-x=sofar]")
    doc = json.loads(open(info.value.path(), encoding="utf-8").read())
    assert doc["format"] == "mesotrain-answers-so-far" and doc["candidate"]["candidate_id"] == "C-900"
    assert next(r for r in doc["responses"] if r["item"] == first)["response"] is not None
    assert "submitted_at" not in doc and "checksum" not in doc


def test_unreadable_saved_data_is_kept_and_said_and_never_loses_an_attempt(page, mini_url):
    start(page, mini_url, form="B", cid="C-910")
    key = _exam_key(page)
    state = json.loads(page.evaluate("(k) => localStorage.getItem(k)", key))
    state["attempts"].append({"id": 7, "form": "nonsense"})  # one attempt garbled
    raw = json.dumps(state)
    page.goto(mini_url)  # away from the exam, which would write over it
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, raw])
    page.goto(mini_url + "exam/")
    expect(page.locator("[data-x-step=sit]")).to_be_visible()  # the sound attempt goes on
    warning = page.locator(".mt-x-alert")
    expect(warning).to_contain_text("could not be read. A copy of it was kept")
    kept = page.evaluate("(k) => Object.keys(localStorage).filter(x => x.startsWith(k + ':unreadable:'))", key)
    assert len(kept) == 1 and page.evaluate("(k) => localStorage.getItem(k)", kept[0]) == raw
    with page.expect_download() as info:
        press(page, ".mt-x-alert [data-x=copy]")
    assert open(info.value.path(), encoding="utf-8").read() == raw

    page.goto(mini_url)
    page.evaluate("(k) => localStorage.setItem(k, '{not json')", key)  # all of it garbled
    page.goto(mini_url + "exam/")
    expect(warning).to_contain_text("could not be read")
    expect(page.locator("[data-x-step=start]")).to_be_visible()
    kept = page.evaluate("(k) => Object.keys(localStorage).filter(x => x.startsWith(k + ':unreadable:'))", key)
    assert sorted(page.evaluate("(k) => localStorage.getItem(k)", k) for k in kept) == sorted([raw, "{not json"])


def test_reopening_after_the_deadline_says_time_ran_out(context, mini_url):
    context.clock.install(time=datetime(2025, 3, 1, 9, 0))
    first = context.new_page()
    start(first, mini_url, form="A", cid="C-920")
    first.close()
    context.clock.fast_forward("45:00")
    again = context.new_page()
    again.goto(mini_url + "exam/")
    expect(again.locator("[data-x-step=done]")).to_be_visible()
    expect(again.locator(".mt-x-thanks")).to_have_text(re.compile(r"^Time ran out at .* while this page was closed"))
    expect(again.locator(".mt-x-live")).to_have_text(re.compile("^Time ran out"))
    assert "kept running" not in again.locator("#mt-exam").inner_text()


def test_the_receipt_quotes_the_attempt_id_and_the_files_checksum(phone, mini_url):
    page = phone
    start(page, mini_url, form="B", cid="C-930")
    press(page, "[data-x=review]")
    press(page, "[data-x=submit]")
    press(page, "[data-x=confirm]")
    doc = download(page)
    for _ in range(2):  # and again after a reload
        receipt = page.locator(".mt-x-receipt")
        expect(receipt.locator(".mt-x-aid")).to_have_text(doc["attempt_id"])
        expect(receipt.locator(".mt-x-sum")).to_have_text(doc["checksum"])
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.reload()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_review_screen_is_a_compact_grid_with_the_timer(page, course_url, axe, scheme):
    page.set_viewport_size(PHONE)
    page.emulate_media(color_scheme=scheme)
    start(page, course_url, form="A", cid=f"C-94{scheme[0]}")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate" if scheme == "dark" else "default")
    answer_shown(page)
    press(page, "[data-x=next]")
    page.locator(".mt-x-flagbox").check()
    press(page, "[data-x=review]")
    expect(page.locator(".mt-x-timer")).to_be_in_viewport()
    expect(page.locator(".mt-x-timer")).to_have_text(re.compile(r"^\d+:\d\d left$"))
    cells = page.locator(".mt-x-list button")
    n = cells.count()
    assert n >= 20
    expect(cells.nth(0)).to_have_accessible_name("Question 1: answered")
    expect(cells.nth(1)).to_have_accessible_name("Question 2: not answered, flagged")
    expect(cells.nth(2)).to_have_accessible_name("Question 3: not answered")
    boxes = [cells.nth(i).bounding_box() for i in range(n)]
    assert all(b["width"] >= 44 and b["height"] >= 44 for b in boxes)
    rows = len({round(b["y"]) for b in boxes})
    assert rows <= -(-n // 5)  # at least five to a row on a 360 px screen
    assert axe(page, "#mt-exam") == []
    press(page, ".mt-x-list li:nth-child(2) button")
    expect(page.locator(".mt-x-where")).to_have_text(f"Question 2 of {n}")


def test_instant_navigation_keeps_the_exams_stylesheet_and_scripts(page, mini_url):
    page.goto(mini_url, wait_until="networkidle")  # instant navigation starts once it has the sitemap
    page.evaluate("window.mtSameDocument = 1")
    exam, verify = page.locator("a[href$='exam/']").first, page.locator("a[href$='verify/']").first
    exam.dispatch_event("click")
    expect(page.locator("[data-x-step=start]")).to_be_visible()
    verify.dispatch_event("click")
    expect(page.locator("[data-mt-verify]")).to_be_visible()
    page.locator("a[href$='exam/']").first.dispatch_event("click")
    expect(page.locator("[data-x-step=start]")).to_be_visible()
    assert page.evaluate("window.mtSameDocument") == 1  # never a full load
    assert page.locator("link[href$='lazy/exam.css']").count() == 1
    assert page.locator("script[src$='lazy/exam-run.js']").count() == 1
    assert page.locator(".mt-x-list").evaluate("(e) => getComputedStyle(e).display") == "grid"
    page.locator("#mt-x-name").fill("Ada Lovelace")
    page.locator("#mt-x-cid").fill("C-950")
    page.locator("#mt-x-email").fill("ada@example.org")
    press(page, "form.mt-x-form button[type=submit]")
    expect(page.locator("[data-x-step=sit]")).to_be_visible()
    expect(page.locator(".mt-x-bar")).to_have_css("position", "sticky")
    expect(page.locator(".mt-x-timer")).to_have_text(re.compile(r"^\d+:\d\d left$"))


@pytest.fixture(scope="module")
def two_attempts_url(tmp_path_factory, serve):
    return mini_variant(tmp_path_factory.mktemp("twice") / "course", serve, "attempts_allowed: 2\n")


def test_candidate_details_are_checked_focused_and_kept(phone, two_attempts_url):
    page, url = phone, two_attempts_url
    page.goto(url + "exam/?form=B")
    page.locator("#mt-x-cid").fill("C-960")
    page.locator("#mt-x-email").fill("a@b")
    press(page, "form.mt-x-form button[type=submit]")
    expect(page.locator(".mt-x-error")).to_have_text("Please enter your full name.")
    expect(page.locator("#mt-x-name")).to_be_focused()
    page.keyboard.type("Ada Lovelace")
    press(page, "form.mt-x-form button[type=submit]")
    email = page.locator("#mt-x-email")
    expect(page.locator(".mt-x-error")).to_have_text(re.compile("^Please enter your email address"))
    expect(email).to_be_focused()
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(re.compile("^Please enter your email address"))
    for bad in ("a@b", "a@b.c", "a@.org", "a b@example.org", "ada@example..org"):
        email.fill(bad)
        press(page, "form.mt-x-form button[type=submit]")
        expect(email).to_be_focused()
        expect(page.locator("[data-x-step=start]")).to_be_visible()
    email.fill("ada@example.org")
    press(page, "form.mt-x-form button[type=submit]")
    expect(page.locator("[data-x-step=sit]")).to_be_visible()
    expect(email).not_to_have_attribute("aria-invalid", "true")
    press(page, "[data-x=review]")
    press(page, "[data-x=submit]")
    press(page, "[data-x=confirm]")
    page.reload()
    press(page, "[data-x=again]")
    expect(page.locator("#mt-x-name")).to_have_value("Ada Lovelace")
    expect(page.locator("#mt-x-cid")).to_have_value("C-960")
    expect(email).to_have_value("ada@example.org")
