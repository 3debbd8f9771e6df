"""The offline copy: after one visit the built site works with the browser offline (every
page, practice, an exam sat, submitted and downloaded), a republished site is picked up, and
two courses on one origin keep their own copies.

These contexts set no request routing: Chromium bypasses service workers for a routed page.
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from mesotrain.render.offline import write_worker

from .answering import answer, check
from .conftest import _Quiet, _Server, free_port
from .test_accessibility import pages_of
from .test_exam import press, start

READY = "The course is ready to use offline."
WAIT = 60_000  # first precache of the whole site on a busy machine


@pytest.fixture
def offline_context(browser):
    context = browser.new_context(accept_downloads=True, locale="en-GB")
    context.set_default_timeout(15_000)
    context.offsite = []
    context.on("request", lambda r: r.url.startswith(("http://127.0.0.1", "data:", "blob:")) or context.offsite.append(r.url))
    yield context
    assert context.offsite == []
    context.close()


def copy_site(mini_site, tmp_path, name="site"):
    out = tmp_path / name
    shutil.copytree(mini_site, out)
    return out


def first_visit(page, url):
    page.goto(url)
    expect(page.locator(".mt-toast")).to_contain_text(READY, timeout=WAIT)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def test_the_build_writes_a_worker_listing_the_site(mini_site):
    text = (mini_site / "sw.js").read_text()
    files = json.loads(text.split("FILES = ", 1)[1].split(";", 1)[0])
    assert "./" in files and "lessons/basics/" in files and "assets/mesotrain/quiz.js" in files
    assert "assets/mesotrain/lazy/scoring.js" in files and "search/search_index.json" in files
    assert "sw.js" not in files and not [f for f in files if f.endswith(".gz")]


def test_every_page_works_offline_after_the_first_visit(offline_context, mini_site, tmp_path, serve):
    site = copy_site(mini_site, tmp_path)
    base = serve(site)
    page = offline_context.new_page()
    first_visit(page, base + "lessons/basics/")
    expect(page.locator(".mt-toast button", has_text="OK")).to_be_visible()
    offline_context.set_offline(True)
    for path in pages_of(site):
        response = page.goto(base + path)
        assert response is not None and response.ok, path
        expect(page.locator(".md-content")).to_be_visible()
    page.goto(base + "lessons/basics/")
    answer(page, "b-q01", "a", "mouse")
    assert check(page, "b-q01", "mouse") == 1  # scoring.js, loaded on demand, comes from the copy
    expect(page.locator("#q-b-q01 .mt-status")).to_contain_text("Correct")


def test_an_exam_in_progress_keeps_working_offline(offline_context, mini_site, tmp_path, serve):
    base = serve(copy_site(mini_site, tmp_path))
    page = offline_context.new_page()
    first_visit(page, base)
    start(page, base)
    offline_context.set_offline(True)
    page.reload()  # the sitting survives a reload with no network
    expect(page.locator("[data-x-step=sit]")).to_be_visible()
    for _ in range(4):
        press(page, "[data-x=next]")
    press(page, "[data-x=review]")
    press(page, "[data-x=submit]")
    expect(page.locator("[data-x=confirm]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("[data-x-step=done]")).to_be_visible()
    with page.expect_download() as info:
        press(page, "[data-x=download]")
    doc = json.loads(open(info.value.path(), encoding="utf-8").read())
    assert doc["submitted_by"] == "candidate" and doc["responses"]


def test_a_republished_site_is_offered_then_used(offline_context, mini_site, tmp_path, serve):
    site = copy_site(mini_site, tmp_path)
    base = serve(site)
    page = offline_context.new_page()
    first_visit(page, base + "lessons/safety/")
    page_file = site / "lessons" / "safety" / "index.html"
    page_file.write_text(page_file.read_text().replace(">Safety</h1>", ">Safety, second edition</h1>", 1))
    write_worker(site)  # what the next build writes
    page.reload()
    toast = page.locator(".mt-toast", has_text="A new version of the course is available.")
    expect(toast).to_be_visible(timeout=WAIT)
    expect(page.locator("h1")).to_have_text("Safety")  # nothing changes under the trainee's feet
    with page.expect_navigation():
        toast.get_by_role("button", name="Reload").click()
    expect(page.locator("h1")).to_have_text("Safety, second edition")
    offline_context.set_offline(True)
    page.reload()
    expect(page.locator("h1")).to_have_text("Safety, second edition")


def test_two_courses_on_one_origin_keep_their_own_copies(offline_context, mini_site, tmp_path, serve):
    root = tmp_path / "origin"
    a, b = copy_site(mini_site, root, "a"), copy_site(mini_site, root, "b")
    page_b = b / "lessons" / "safety" / "index.html"
    page_b.write_text(page_b.read_text().replace(">Safety</h1>", ">Safety in course B</h1>", 1))
    write_worker(b)
    base = serve(root)
    page = offline_context.new_page()
    first_visit(page, base + "a/lessons/safety/")
    first_visit(page, base + "b/lessons/safety/")
    names = page.evaluate("() => caches.keys()")
    assert len(names) == 2 and any("/a/" in n for n in names) and any("/b/" in n for n in names), names
    offline_context.set_offline(True)
    page.goto(base + "a/lessons/safety/")
    expect(page.locator("h1")).to_have_text("Safety")
    page.goto(base + "b/lessons/safety/")
    expect(page.locator("h1")).to_have_text("Safety in course B")


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


def test_mkdocs_serve_retires_a_worker_left_by_a_built_site(offline_context, mini_site, fixture_copy, tmp_path):
    """A built site previewed on the address mkdocs serve then uses must not hide live reload."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/lessons/safety/"
    built = _Server(("127.0.0.1", port), functools.partial(_Quiet, directory=str(copy_site(mini_site, tmp_path))))
    threading.Thread(target=built.serve_forever, daemon=True).start()
    page = offline_context.new_page()
    try:
        first_visit(page, url)
    finally:
        built.shutdown()
        built.server_close()
    root = fixture_copy("mini")
    log = open(tmp_path / "serve.log", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", str(root / "mkdocs.yml")],
                            cwd=root, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        deadline = time.monotonic() + 90
        while not _up(url) and time.monotonic() < deadline:
            time.sleep(0.3)
        page.goto(url)
        page.wait_for_function("() => typeof window.livereload === 'function'", timeout=WAIT)
        page.wait_for_function("() => navigator.serviceWorker.getRegistrations().then((r) => r.length === 0)", timeout=WAIT)
        assert page.evaluate("() => caches.keys()") == []
        lesson = root / "content" / "02-safety.yaml"
        lesson.write_text(lesson.read_text().replace("Pregnancy excludes treatment.", "Breastfeeding excludes it too."))
        expect(page.locator(".md-content")).to_contain_text("Breastfeeding excludes it too.", timeout=WAIT)
    finally:
        proc.terminate()
        proc.wait(10)
        log.seek(0)
        print(log.read())
        log.close()
