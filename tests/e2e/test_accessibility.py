"""axe-core on every page of the built sites, in the light and dark palettes, before and
after answering; and no page makes a request that leaves 127.0.0.1."""
from __future__ import annotations

from pathlib import Path

import pytest

from .answering import answer, check
from .test_questions import RESPONSES

SCHEMES = ("light", "dark")


def pages_of(site: Path) -> list[str]:
    """Every HTML page of a built site, as a path relative to its root URL."""
    out = []
    for f in sorted(site.rglob("*.html")):
        rel = f.relative_to(site).as_posix()
        out.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return out


def _report(violations: dict) -> str:
    lines = []
    for path, found in violations.items():
        for v in found:
            lines.append(f"{path or '/'}: {v['id']} ({v['impact']}): {v['help']}")
            lines += [f"    {n['target']}: {n['summary']}" for n in v["nodes"]]
    return "\n".join(lines)


def sweep(browser, base: str, site: Path, scheme: str, axe_run) -> dict:
    """Load every page in a fresh context; axe violations by page and every request URL."""
    context = browser.new_context(color_scheme=scheme)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    violations = {}
    try:
        page = context.new_page()
        for path in pages_of(site):
            page.goto(base + path)
            found = axe_run(page)
            if found:
                violations[path] = found
    finally:
        context.close()
    return {"violations": violations, "requests": requests, "pages": len(pages_of(site))}


@pytest.fixture(scope="module")
def sweeps(browser, axe_source):
    cache = {}

    def get(name, base, site, scheme):
        if (name, scheme) not in cache:
            def run(page):
                if not page.evaluate("() => !!window.axe"):
                    page.add_script_tag(content=axe_source)
                # Dark mode changes colours only, so its sweep runs the colour rules alone.
                only = {"runOnly": ["color-contrast", "link-in-text-block"]} if scheme == "dark" else {}
                return page.evaluate("""async (only) => (await axe.run(document, {resultTypes: ['violations'], ...only}))
                    .violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}))""", only)
            cache[name, scheme] = sweep(browser, base, site, scheme, run)
        return cache[name, scheme]
    return get


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_nothing_on_any_mini_page(sweeps, mini_url, mini_site, scheme):
    result = sweeps("mini", mini_url, mini_site, scheme)
    print(f"axe, mini site, {scheme}: {result['pages']} pages, {len(result['violations'])} with violations")
    assert not result["violations"], _report(result["violations"])


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_nothing_on_any_course_page(sweeps, course_url, course_site, scheme):
    result = sweeps("course", course_url, course_site, scheme)
    print(f"axe, course site, {scheme}: {result['pages']} pages, {len(result['violations'])} with violations")
    assert not result["violations"], _report(result["violations"])


@pytest.mark.parametrize("name", ["mini", "course"])
def test_no_request_leaves_loopback(request, sweeps, name):
    base, site = request.getfixturevalue(f"{name}_url"), request.getfixturevalue(f"{name}_site")
    result = sweeps(name, base, site, "light")
    offsite = sorted({u for u in result["requests"] if not u.startswith("http://127.0.0.1:")})
    print(f"{name}: {len(result['requests'])} requests over {result['pages']} pages, {len(offsite)} off-site")
    assert not offsite


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_nothing_once_questions_are_answered(browser, mini_url, axe, scheme):
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(mini_url + "lessons/basics/")
        page.locator("#q-b-q01 .mt-actions").wait_for()
        for n, (qid, responses) in enumerate(RESPONSES.items()):
            answer(page, qid, responses["right" if n % 2 else "wrong"], "mouse")
            check(page, qid, "mouse")
        page.locator("#q-b-q05 button", has_text="Reveal").click()
        page.locator("#q-b-q08 input").first.focus()  # the region outline shows focus
        assert axe(page) == [], "lesson page after answering"
        page.goto(mini_url + "progress/")
        page.locator(".mt-dashboard table").first.wait_for()
        assert axe(page) == [], "dashboard with progress"
        page.goto(mini_url + "review/")
        page.locator(".mt-pool .mt-q:visible").first.wait_for()
        assert axe(page) == [], "review page with questions due"
    finally:
        context.close()
