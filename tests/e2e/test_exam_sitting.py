"""What a real sitting meets (issue 12, "The exam sitting"): no-JavaScript text with
JavaScript on, two tabs of one attempt, the ordering item's shown order, a browser that
cannot save, the receipt, the review grid, instant navigation and the candidate's details.

On a 360 px phone screen where the layout matters, and in both palettes where colour does.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .test_exam import download, press, start

PHONE = {"width": 360, "height": 740}
SHOWN_RADIO = ".mt-x-items .mt-q:not([hidden]) input[type=radio]"


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
