"""Phones and looks: tap targets, the focus ring, My progress at 360 px, the disclaimer banner,
figures and hotspots in both palettes, and no serif fallback font."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .answering import answer, check
from .test_exam import start

PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
SCHEMES = ("light", "dark")


@pytest.fixture
def open_page(browser):
    contexts = []

    def make(url, scheme="light", **screen):
        context = browser.new_context(color_scheme=scheme, locale="en-GB", **(screen or PHONE))
        context.route(lambda u: not u.startswith("http://127.0.0.1"), lambda route: route.abort())
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(url)
        return page
    yield make
    for c in contexts:
        c.close()


def luminance(rgb) -> float:
    def lin(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = rgb[:3]
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# the colour of an element's property (or of the background around it: a focus ring sits
# outside the element), blended over its ancestors' backgrounds
EFFECTIVE = """(el, prop) => {
    const parse = (c) => { const m = c.match(/[\\d.]+/g) || []; return m.length < 3 ? [0, 0, 0, 0] : [+m[0], +m[1], +m[2], m[3] == null ? 1 : +m[3]]; };
    const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
    const layers = [];
    for (let e = el.parentElement; e; e = e.parentElement) layers.push(parse(getComputedStyle(e).backgroundColor));
    let bg = [255, 255, 255, 1];
    for (const l of layers.reverse()) bg = over(l, bg);
    if (prop === 'background') return bg;
    return over(parse(getComputedStyle(el)[prop]), bg);
}"""

CONTROLS = """() => [...document.querySelectorAll(
    '.md-content button, .md-content select, .md-content input:not([type=hidden]):not([type=file]), .md-content summary, .md-banner__button, .mt-x-flag')]
  .filter(e => e.offsetParent !== null || e.getClientRects().length)
  .map(e => { const t = (e.type === 'radio' || e.type === 'checkbox') && !e.closest('label') ? document.querySelector(`label[for="${e.id}"]`) || e : e.type === 'checkbox' || e.type === 'radio' ? e.closest('label') : e;
              const r = t.getBoundingClientRect();
              return {what: (e.getAttribute('aria-label') || e.id || e.textContent || e.className).trim().slice(0, 50), w: r.width, h: r.height}; })
  .filter(c => c.w > 0)"""


def small_controls(page) -> list:
    return [c for c in page.evaluate(CONTROLS) if c["w"] < 43.5 or c["h"] < 43.5]


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_every_control_is_44_px_to_tap(open_page, mini_url, screen):
    page = open_page(mini_url + "lessons/basics/", **(PHONE if screen == "phone" else DESKTOP))
    expect(page.locator("#q-b-q05 .mt-up").first).to_be_visible()
    answer(page, "b-q01", "c", "mouse")
    check(page, "b-q01", "mouse")  # Retry and Reveal appear
    answer(page, "b-q04", 4, "mouse")
    check(page, "b-q04", "mouse")  # the explanation's summary appears
    assert page.locator(".md-banner__button").count() == 1
    assert small_controls(page) == []
    page.goto(mini_url + "progress/")
    expect(page.locator("[data-mt-export]")).to_be_visible()
    assert small_controls(page) == []
    start(page, mini_url)
    expect(page.locator(".mt-x-flag")).to_be_visible()
    assert small_controls(page) == []


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_focus_ring_has_3_to_1_contrast(open_page, mini_url, scheme):
    page = open_page(mini_url + "lessons/basics/", scheme, **DESKTOP)
    expect(page.locator("#q-b-q01 .mt-actions")).to_be_visible()
    seen, bad = 0, []
    page.keyboard.press("Tab")
    for _ in range(60):
        el = page.evaluate_handle("() => document.activeElement")
        if el.evaluate("(e) => e.matches('.md-search__input')"):
            page.wait_for_timeout(600)  # Material fades the search box in: measure where it ends
        ring = el.evaluate("(e) => { const s = getComputedStyle(e); return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), what: e.outerHTML.slice(0, 60)}; }")
        color = el.evaluate(EFFECTIVE, "outlineColor")
        around = el.evaluate(EFFECTIVE, "background")
        if ring["style"] == "none" or ring["width"] < 2 or contrast(color, around) < 3:
            bad.append(f"{ring['what']} {color} on {around}")
        seen += 1
        page.keyboard.press("Tab")
    assert seen == 60
    assert bad == []


def test_my_progress_fits_a_360_px_screen(open_page, mini_url):
    page = open_page(mini_url + "lessons/basics/")
    answer(page, "b-q01", "a", "mouse")
    check(page, "b-q01", "mouse")
    page.goto(mini_url + "progress/")
    table = page.locator("[data-mt-dashboard] table").first
    expect(table).to_be_visible()
    heads = table.locator("th").all_inner_texts()
    for key in ("Lesson", "Answered", "Mastery", "Status"):
        assert key in heads
    width = page.evaluate("() => document.documentElement.clientWidth")
    for th in table.locator("th").all():
        if th.is_visible():
            box = th.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (th.inner_text(), box, width)
    expect(table.locator("td", has_text="In progress")).to_be_visible()
    # the mini course has one lesson per domain: a table by domain would only repeat it
    expect(page.get_by_role("heading", name="Mastery by domain")).to_have_count(0)
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_disclaimer_banner_stays_out_of_the_way_once_read(open_page, mini_url):
    page = open_page(mini_url + "lessons/basics/")
    banner = page.locator("[data-md-component=announce] .md-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("not medical advice")
    page.get_by_role("button", name=re.compile("Don't show this again", re.I)).click()
    expect(banner).to_be_hidden()
    for path in ("lessons/safety/", "", "progress/"):
        page.goto(mini_url + path)
        expect(page.locator(".md-content")).to_be_visible()
        expect(banner).to_be_hidden()
        expect(page.locator(".md-footer")).to_contain_text("Educational course — not medical advice.")
    page.goto(mini_url)
    expect(page.locator(".md-content")).to_contain_text("Not medical advice")
    header = page.locator(".md-header").bounding_box()
    assert header["y"] < 10  # nothing above the header on a phone any more


FIGURE = """() => {
  const at = document.querySelector('.md-content__inner');
  at.insertAdjacentHTML('beforeend', `<figure class="mt-fig"><svg class="mt-svg" viewBox="0 0 200 60" role="img" aria-label="test figure">
    <rect class="fill-1" x="0" y="0" width="200" height="60"/><rect class="fg" fill="none" x="1" y="1" width="198" height="58"/>
    <text class="fg" x="10" y="20">Label</text><text class="muted" x="10" y="40">Note</text><text class="accent" x="100" y="40">Key</text>
    <line class="accent" x1="0" y1="50" x2="200" y2="50"/></svg></figure>`);
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_figure_labels_follow_the_palette(open_page, mini_url, scheme):
    page = open_page(mini_url + "lessons/basics/", scheme, **DESKTOP)
    page.evaluate(FIGURE)
    page_bg = page.locator(".md-content").evaluate(EFFECTIVE, "background")
    for sel in ("text.fg", "text.muted", "text.accent"):
        fill = page.locator(f".mt-fig {sel}").evaluate("(e) => getComputedStyle(e).fill")
        rgb = [int(x) for x in re.findall(r"\d+", fill)[:3]]
        area = page.locator(".mt-fig .fill-1").evaluate("(e) => getComputedStyle(e).fill")
        area_rgb = [int(x) for x in re.findall(r"\d+", area)[:3]]
        assert contrast(rgb, page_bg) >= 4.5, (sel, fill, page_bg)
        assert contrast(rgb, area_rgb) >= 4.5, (sel, fill, area)  # labels on a soft area fill
    line = page.locator(".mt-fig line.accent").evaluate("(e) => [getComputedStyle(e).stroke, getComputedStyle(e).fill]")
    assert line[0] != "none"
    outline = page.locator(".mt-fig rect.fg").evaluate("(e) => getComputedStyle(e).fill")
    assert outline == "none"  # lines are stroked, never filled by the theme


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_selected_hotspot_region_is_highlighted(open_page, mini_url, scheme):
    page = open_page(mini_url + "lessons/basics/", scheme)
    region = page.locator("#q-b-q08 [data-mt-region=vertex]")
    before = region.evaluate("(e) => getComputedStyle(e).fill")
    region.click()
    expect(page.locator("#q-b-q08 input[value=vertex]")).to_be_checked()
    after = region.evaluate("""(e) => { const s = getComputedStyle(e);
        return {fill: s.fill, op: +s.fillOpacity, stroke: s.stroke, width: parseFloat(s.strokeWidth), last: !e.nextElementSibling}; }""")
    old = [int(x) for x in re.findall(r"\d+", before)[:3]]
    new = [int(x) for x in re.findall(r"\d+", after["fill"])[:3]]
    shown = [n * after["op"] + o * (1 - after["op"]) for n, o in zip(new, old)]
    stroke = [int(x) for x in re.findall(r"\d+", after["stroke"])[:3]]
    assert contrast(stroke, old) >= 3 and after["width"] >= 4, after  # its outline stands out
    assert contrast(shown, old) >= 1.8, (before, after)  # and its area changes colour
    assert after["last"]  # drawn last, so no neighbour covers its outline


SERIF = re.compile(r"serif|times|georgia|cambria|garamond", re.I)


@pytest.mark.parametrize("path", ["lessons/basics/", "progress/", "exam/", "glossary/"])
def test_no_serif_fallback_font(open_page, mini_url, path):
    page = open_page(mini_url + path, **DESKTOP)
    expect(page.locator(".md-content")).to_be_visible()
    if path.startswith("lessons"):
        answer(page, "b-q01", "c", "mouse")
        check(page, "b-q01", "mouse")
        answer(page, "b-q05", ["press", "inject", "clean"], "mouse")
        check(page, "b-q05", "mouse")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    used = {}
    for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "body *"})["nodeIds"]:
        try:
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        except Exception:
            continue
        for f in fonts:
            if re.search(SERIF, f["familyName"]) and "sans" not in f["familyName"].lower():
                used.setdefault(f["familyName"], cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"][:120])
    assert used == {}
