"""`mkdocs serve` rebuilds when course files change, and keeps the last good site on an error."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None


def wait_for(predicate, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return None


@pytest.fixture
def server(fixture_copy, tmp_path):
    root = fixture_copy("mini")
    port = free_port()
    log = open(tmp_path / "serve.log", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}",
                             "-f", str(root / "mkdocs.yml")], cwd=root, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/lessons/safety/"
    try:
        if not wait_for(lambda: fetch(url), 60):
            log.seek(0)
            pytest.fail("mkdocs serve did not start:\n" + log.read())
        yield root, url, log
    finally:
        proc.terminate()
        proc.wait(10)
        log.seek(0)
        print(log.read())  # shown when a test fails
        log.close()


def test_editing_a_lesson_rebuilds_and_an_error_keeps_the_last_good_page(server):
    root, url, log = server
    lesson = root / "content" / "02-safety.yaml"
    lesson.write_text(lesson.read_text().replace("Pregnancy excludes treatment.", "Breastfeeding excludes it too."))
    assert wait_for(lambda: "Breastfeeding excludes it too." in (fetch(url) or "")), "edit was not served"

    lesson.write_text(lesson.read_text().replace("sources: [s1, s2]", "sources: [s7]"))
    def reported():
        log.seek(0)
        return "content/02-safety.yaml:12:19: sections[0].blocks[0].sources[0]: unknown source 's7'" in log.read()
    assert wait_for(reported), "content error was not reported with file:line:col"
    page = wait_for(lambda: "this is the last good version" in (fetch(url) or "") and fetch(url))
    assert page, "the problem is not shown on the page"
    assert "Breastfeeding excludes it too." in page, "last good page is no longer served"
    assert "unknown source &#39;s7&#39;" in page or "unknown source 's7'" in page

    bank = root / "quizzes" / "02-safety.yaml"
    lesson.write_text(lesson.read_text().replace("sources: [s7]", "sources: [s1]"))
    bank.write_text(bank.read_text().replace("Pregnancy excludes treatment.", "Pregnancy rules treatment out."))
    assert wait_for(lambda: "Pregnancy rules treatment out." in (fetch(url) or "")), "quiz edit was not served"


def test_a_rebuild_that_mkdocs_stops_shows_why_on_the_open_page(server):
    """Under strict, a broken link stops MkDocs' rebuild: the page used to stay as it was, silently."""
    root, url, log = server
    lesson = root / "content" / "02-safety.yaml"
    lesson.write_text(lesson.read_text().replace("Pregnancy excludes treatment.",
                                                 "Pregnancy excludes treatment, see [the rules](nowhere.md)."))
    page = wait_for(lambda: "this is the last good version" in (fetch(url) or "") and fetch(url))
    assert page, "the failed rebuild is not shown on the page"
    assert 'role="alert"' in page and "nowhere.md" in page
    lesson.write_text(lesson.read_text().replace(", see [the rules](nowhere.md).", "."))
    assert wait_for(lambda: "this is the last good version" not in (fetch(url) or "x")), "the banner stayed"
