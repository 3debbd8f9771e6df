"""Practice as a trainee meets it: the explanation waits for a right answer or a reveal,
ordering items are reshuffled and never scored untouched, every Check names its question,
glossary and citation notes open by tap and by Enter, lessons (not headings) are marked done,
a number out of range says the range. On a desktop and on a 360 px touch screen."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .answering import answer, check
from .test_questions import RESPONSES

SCREENS = {"desktop": {"viewport": {"width": 1280, "height": 900}},
           "phone": {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}}
KEY = ["clean", "inject", "press"]  # b-q05's key


@pytest.fixture(params=list(SCREENS))
def screen(request, browser, mini_url):
    context = browser.new_context(**SCREENS[request.param], locale="en-GB")
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(mini_url + "lessons/basics/")
    expect(page.locator("#q-b-q01 .mt-actions")).to_be_visible()
    page.touch = request.param == "phone"
    yield page
    context.close()


def order(page, qid="b-q05") -> list[str]:
    return page.locator(f"#q-{qid} fieldset li").evaluate_all("(lis) => lis.map(l => l.dataset.mtItem)")


def test_the_explanation_waits_for_a_right_answer_or_a_reveal(screen):
    explain = screen.locator("#q-b-q01 .mt-explain")
    answer(screen, "b-q01", "c", "mouse")
    check(screen, "b-q01", "mouse")
    expect(screen.locator("#q-b-q01 .mt-status")).to_contain_text("Not correct")
    expect(explain).to_be_hidden()  # the rationale would give the key away before Retry
    expect(screen.locator("#q-b-q01 .mt-rationale")).to_be_hidden()
    screen.locator("#q-b-q01 button", has_text="Retry").click()
    answer(screen, "b-q01", "a", "mouse")
    check(screen, "b-q01", "mouse")
    expect(screen.locator("#q-b-q01 .mt-rationale")).to_be_visible()
    # partly right is not right: still hidden, until the trainee asks for the answer
    answer(screen, "b-q02", ["b"], "mouse")
    check(screen, "b-q02", "mouse")
    expect(screen.locator("#q-b-q02 .mt-rationale")).to_be_hidden()
    screen.locator("#q-b-q02 button", has_text="Reveal").click()
    expect(screen.locator("#q-b-q02 .mt-rationale")).to_be_visible()
    expect(screen.locator("#q-b-q02 .mt-key")).to_be_visible()


def test_a_wrong_answer_stays_unexplained_after_a_reload(screen):
    answer(screen, "b-q03", False, "mouse")
    check(screen, "b-q03", "mouse")
    screen.reload()
    expect(screen.locator("#q-b-q03 .mt-status")).to_contain_text("Your last answer — Not correct")
    expect(screen.locator("#q-b-q03 .mt-rationale")).to_be_hidden()


def test_check_on_an_untouched_ordering_item_asks_for_an_answer(screen):
    shown = order(screen)
    assert shown != KEY
    screen.locator("#q-b-q05 .mt-primary").click()
    expect(screen.locator("#q-b-q05 .mt-status")).to_contain_text("Move the items into order first")
    assert screen.locator("#q-b-q05 .mt-m").count() == 0
    assert screen.locator("#q-b-q05 .mt-status").get_attribute("data-earned") is None
    stored = screen.evaluate("() => JSON.parse(localStorage.getItem(mesotrain.quiz.storageKey) || '{}')")
    assert "b-q05" not in stored.get("q", {})


def test_retry_reshuffles_an_ordering_item(screen):
    seen = set()
    for _ in range(4):
        tried = ["press", "inject", "clean"]
        answer(screen, "b-q05", tried, "mouse")
        check(screen, "b-q05", "mouse")
        screen.locator("#q-b-q05 button", has_text="Retry").click()
        now = order(screen)
        assert now != tried and now != KEY, now
        assert sorted(now) == sorted(KEY)
        seen.add(tuple(now))
        # a reshuffled order is untouched again: Check asks for a move
        screen.locator("#q-b-q05 .mt-primary").click()
        expect(screen.locator("#q-b-q05 .mt-status")).to_contain_text("Move the items into order first")


def test_each_check_button_names_its_question(screen):
    names = []
    for q in screen.locator(".mt-q[data-mt-mode=practice]").all():
        stem = q.locator("legend, .mt-stem").first.inner_text().split("\n")[0].strip()
        button = q.locator(".mt-actions .mt-primary")
        name = button.evaluate("(b) => b.getAttribute('aria-label') || b.textContent")
        assert name.startswith("Check"), name  # the visible word starts the accessible name
        assert stem[:40] in name, (stem, name)
        names.append(name)
        expect(screen.get_by_role("button", name=name, exact=True)).to_have_count(1)
    assert len(set(names)) == len(names) > 5


@pytest.mark.parametrize("how", ["tap", "enter"])
@pytest.mark.parametrize("what, link, text, goes", [
    ("glossary", "article a[href*='glossary/#dht']", "Dihydrotestosterone.", "Open in the glossary"),
    ("citation", "article .mt-cite a[href$='#src-s2']", "Second source", "Go to the source"),
])
def test_glossary_and_citation_notes_open_by_tap_and_enter(screen, how, what, link, text, goes):
    url = screen.url
    a = screen.locator(link).first
    if how == "enter":
        a.focus()
        screen.keyboard.press("Enter")
    elif screen.touch:
        a.tap()
    else:
        a.click()
    tip = screen.locator(".mt-tip")
    expect(tip).to_be_visible()
    expect(tip).to_contain_text(text)
    expect(tip.get_by_role("link", name=goes)).to_be_visible()
    assert screen.url == url  # it opened in place instead of leaving the lesson
    box, width = tip.bounding_box(), screen.evaluate("() => document.documentElement.clientWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # fully on screen, also at 360 px
    if how == "enter":
        screen.keyboard.press("Escape")
        expect(tip).to_have_count(0)
        assert screen.evaluate("() => document.activeElement.title") != ""
    else:  # a tap elsewhere closes it
        screen.locator("h1").click()
        expect(tip).to_have_count(0)


def test_the_note_link_still_leads_to_the_glossary(screen, mini_url):
    screen.locator("article a[href*='glossary/#dht']").first.click()
    screen.locator(".mt-tip a").click()
    expect(screen).to_have_url(re.compile(r"glossary/#dht$"))


def test_finishing_a_lesson_marks_the_lesson_not_its_headings(screen):
    for qid, responses in RESPONSES.items():
        answer(screen, qid, responses["right"], "mouse")
        check(screen, qid, "mouse")
    done = screen.locator("a.md-nav__link.mt-done")
    expect(done.first).to_be_attached()
    hrefs = done.evaluate_all("(as) => as.map(a => a.getAttribute('href'))")
    assert hrefs and not [h for h in hrefs if "#" in h], hrefs
    expect(screen.locator(".md-nav--secondary a.md-nav__link.mt-done")).to_have_count(0)


@pytest.mark.parametrize("value, said", [("75", "between 0 and 50"), ("-2", "between 0 and 50")])
def test_a_number_out_of_range_says_the_range(screen, value, said):
    box = screen.locator("#q-b-q04 input")
    box.fill(value)
    box.press("Enter")
    expect(screen.locator("#q-b-q04 .mt-status")).to_have_text(f"Enter a number {said}.")
    assert screen.locator("#q-b-q04 .mt-m").count() == 0
    assert screen.evaluate("() => document.activeElement.id") == "q-b-q04-n"
