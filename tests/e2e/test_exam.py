"""The sealed exam end to end: sat by keyboard alone in Chromium, survives a reload, is
submitted and downloaded; the certifier's CLI imports, grades, exports, reports and
certifies it; the certificate verifies on the built site's Verify page.

Also: the timer warns and submits at zero, a closed tab keeps real time, and an open
exam shows the score scoring.py gives.
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import datetime

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect

from mesotrain import scoring
from mesotrain.cli import main
from mesotrain.exam import sealed_exam
from mesotrain.checks import load_checked
from mesotrain.results.sample import key_response, to_page

from .answering import answer
from .conftest import MINI, ROOT, build, free_port

FORM = "A"  # x05 ordering, x07 cloze, x02 true/false (must-pass), x08 hotspot, x06 matching


@pytest.fixture(scope="module")
def exam():
    tree, _ = load_checked(MINI)
    return sealed_exam(tree)


def press(page, selector: str) -> None:
    """Activate a button by keyboard: focus it, press Enter."""
    page.locator(selector).focus()
    page.keyboard.press("Enter")


def sit_answer(page, exam, item: str, response) -> None:
    answer(page, item, to_page(exam.pool[item].question, response), "keyboard")


def start(page, url: str, form: str = FORM, name: str = "Ada Lovelace", cid: str = "C-042") -> None:
    page.goto(url + f"exam/?form={form}")
    expect(page.locator("[data-x-step=start]")).to_be_visible()
    page.locator("#mt-x-name").focus()
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(cid)
    page.keyboard.press("Tab")
    page.keyboard.type("ada@example.org")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("[data-x-step=sit]")).to_be_visible()


def download(page) -> dict:
    with page.expect_download() as info:
        press(page, "[data-x=download]")
    return json.loads(open(info.value.path(), encoding="utf-8").read())


def cli(*args, root=MINI):
    result = CliRunner().invoke(main, ["results", "--root", str(root), *[str(a) for a in args]])
    assert result.exit_code == 0, result.output
    return result


def test_sit_by_keyboard_reload_submit_then_grade_certify_and_verify(page, mini_url, exam, tmp_path, monkeypatch,
                                                                     serve, offsite_requests):
    items = exam.form(FORM).items
    right = {i: key_response(exam.pool[i].question) for i in items}
    start(page, mini_url)
    expect(page.locator(".mt-x-where")).to_have_text("Question 1 of 5")
    expect(page.locator(f"#q-{items[0]}")).to_be_visible()
    expect(page.locator(f"#q-{items[1]}")).to_be_hidden()

    sit_answer(page, exam, items[0], right[items[0]])
    press(page, "[data-x=next]")
    sit_answer(page, exam, items[1], right[items[1]])
    page.locator(".mt-x-flagbox").focus()
    page.keyboard.press("Space")

    before = page.locator(".mt-x-timer").inner_text()
    page.reload()  # mid-exam: answers, flag, position and the clock survive
    expect(page.locator("[data-x-step=sit]")).to_be_visible()
    expect(page.locator(".mt-x-where")).to_have_text("Question 2 of 5")
    expect(page.locator(".mt-x-flagbox")).to_be_checked()
    assert page.locator(f"#q-{items[1]} input[type=text]").input_value() == "vertex"
    expect(page.locator(".mt-x-timer")).to_have_text(re.compile(r"^9:\d\d left$"))
    assert before.endswith("left")

    press(page, "[data-x=next]")
    sit_answer(page, exam, items[2], right[items[2]])
    press(page, "[data-x=next]")
    sit_answer(page, exam, items[3], right[items[3]])
    press(page, "[data-x=review]")
    expect(page.locator(".mt-x-summary")).to_have_text(re.compile(r"^1 not answered, 1 flagged for review\."))
    press(page, ".mt-x-list li:nth-child(5) button")  # back to the unanswered question 5
    expect(page.locator(".mt-x-where")).to_have_text("Question 5 of 5")
    partly = {"m1": "m1", "m2": "d0"}  # one premise right, one matched to the distractor
    sit_answer(page, exam, items[4], partly)
    press(page, "[data-x=review]")
    expect(page.locator(".mt-x-summary")).to_have_text(re.compile(r"^Every question answered, 1 flagged"))
    press(page, "[data-x=submit]")
    expect(page.locator("[data-x=confirm]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("[data-x-step=done]")).to_be_visible()
    expect(page.locator(".mt-x-score")).to_be_empty()  # sealed: no score in the browser

    doc = download(page)
    assert doc["exam"]["form"] == FORM and doc["exam"]["items"] == list(items)
    assert doc["candidate"] == {"name": "Ada Lovelace", "candidate_id": "C-042", "email": "ada@example.org"}
    assert doc["submitted_by"] == "candidate" and "Chrome" in doc["user_agent"]
    flagged = {r["item"]: r["flagged"] for r in doc["responses"]}
    assert flagged[items[1]] is True and sum(flagged.values()) == 1
    assert all(r["time_ms"] > 0 for r in doc["responses"])
    page.reload()  # the file can be downloaded again later
    expect(page.locator("[data-x-step=done]")).to_be_visible()
    assert download(page) == doc
    assert offsite_requests == []

    # the certifier's side
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "ada.json").write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.setenv("MESOTRAIN_RESULTS", str(tmp_path / "store.sqlite"))
    monkeypatch.setenv("MESOTRAIN_CERT_KEY", str(tmp_path / "cert.key"))
    assert "imported 1, already in the store 0, rejected 0" in cli("import", inbox).output
    assert "graded 1: 1 passed, 0 failed" in cli("grade").output
    answers = {i: right[i] for i in items}
    answers[items[4]] = partly
    expected = scoring.score_attempt(
        [(exam.pool[i].question, exam.pool[i].domain, answers[i]) for i in items],
        pass_mark=exam.exam.pass_mark, must_pass=exam.exam.must_pass)
    rows = list(csv.DictReader(io.StringIO(cli("export").stdout)))
    assert rows[0]["candidate_id"] == "C-042" and rows[0]["passed"] == "true"
    assert float(rows[0]["score_pct"]) == pytest.approx(100 * expected.fraction) == 90.0
    cli("report", "--out", tmp_path / "report")
    assert (tmp_path / "report" / "report.html").is_file()

    course = tmp_path / "course"
    shutil.copytree(MINI, course)
    issued = cli("certificates", "--out", tmp_path / "certs", "--publish",
                 "--list-file", course / "content" / "certificates.json").stdout
    code = re.search(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){3}\b", issued).group(0)
    assert (tmp_path / "certs").glob("C-042-*.pdf")

    port = free_port()
    config = course / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../overrides", str(ROOT / "overrides"))
                      + f"\nsite_url: http://127.0.0.1:{port}/\n")
    site = build(course, tmp_path / "site")
    url = serve(site, port)
    page.goto(url + f"verify/?code={code}")
    expect(page.locator(".mt-v-result")).to_have_text(re.compile(r"^Valid: issued for passing Mini course \(version 1\.0\)"))
    page.locator("#mt-v-code").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("ABCD-EFGH-JKMN-PQRS")
    page.keyboard.press("Enter")
    expect(page.locator(".mt-v-result")).to_have_text(re.compile(r"^Not found"))
    page.locator("#mt-v-code").fill(code.lower().replace("-", " "))
    page.keyboard.press("Enter")
    expect(page.locator(".mt-v-result")).to_have_text(re.compile(r"^Valid"))


def test_the_timer_warns_then_submits_at_zero(page, mini_url):
    page.clock.install(time=datetime(2025, 3, 1, 9, 0))
    start(page, mini_url, form="B", cid="C-100")
    page.clock.fast_forward("09:05")
    expect(page.locator(".mt-x-timer")).to_have_class(re.compile("mt-x-warn"))
    expect(page.locator(".mt-x-live")).to_have_text("1 minute left.")
    page.clock.fast_forward("01:00")
    expect(page.locator("[data-x-step=done]")).to_be_visible()
    expect(page.locator(".mt-x-thanks")).to_have_text(re.compile("^Time ran out"))
    doc = download(page)
    assert doc["submitted_by"] == "timer" and _minutes(doc) == 10


def _minutes(doc) -> float:
    started, ended = (datetime.fromisoformat(doc[k].replace("Z", "+00:00")) for k in ("started_at", "submitted_at"))
    return (ended - started).total_seconds() / 60


def test_a_closed_tab_keeps_real_time(context, mini_url):
    context.clock.install(time=datetime(2025, 3, 1, 9, 0))
    first = context.new_page()
    start(first, mini_url, form="A", cid="C-200")
    first.close()
    context.clock.fast_forward("30:00")  # the tab is closed for longer than the time limit
    again = context.new_page()
    again.goto(mini_url + "exam/")
    expect(again.locator("[data-x-step=done]")).to_be_visible()
    doc = download(again)
    assert doc["submitted_by"] == "timer" and _minutes(doc) == 10


def mini_variant(course, serve, exam_yaml: str) -> str:
    """A copy of the mini course at ``course`` with lines added to its exam.yaml, built with
    a site_url (so instant navigation is on) and served; → its URL."""
    shutil.copytree(MINI, course)
    exam_file = course / "quizzes" / "exam.yaml"
    exam_file.write_text(exam_file.read_text() + exam_yaml)
    port = free_port()
    config = course / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../overrides", str(ROOT / "overrides"))
                      + f"\nsite_url: http://127.0.0.1:{port}/\n")
    return serve(build(course, course.parent / (course.name + "-site")), port)


def test_an_open_exam_shows_the_score_scoring_py_gives(page, tmp_path, serve, exam):
    course = tmp_path / "open"
    url = mini_variant(course, serve, "mode: open\n")
    tree, _ = load_checked(course)
    opened = sealed_exam(tree)
    items = opened.form("B").items  # x09 case, x03 numeric, x02 true/false, x04 multiple, x01 single
    answers = {i: key_response(opened.pool[i].question) for i in items}
    answers["x04"] = ["a"]           # half of the multiple-answer key
    answers["x09"] = {"a": "b", "b": False}  # one case part right
    start(page, url, form="B", cid="C-300")
    for n, item in enumerate(items):
        sit_answer(page, opened, item, answers[item])
        press(page, "[data-x=next]" if n < len(items) - 1 else "[data-x=review]")
    press(page, "[data-x=submit]")
    press(page, "[data-x=confirm]")
    score = page.locator(".mt-x-score")
    expected = scoring.score_attempt(
        [(opened.pool[i].question, opened.pool[i].domain, answers[i]) for i in items],
        pass_mark=opened.exam.pass_mark, must_pass=opened.exam.must_pass)
    assert float(score.get_attribute("data-fraction")) == pytest.approx(expected.fraction)
    expect(score).to_contain_text(f"Your score: {round(expected.fraction * 1000) / 10:g} %")
    expect(score.locator("tbody tr")).to_have_count(2)


def test_every_exam_step_is_accessible_and_survives_instant_navigation(page, mini_url, axe):
    """axe on the exam's own markup at each step (the mini fixture keeps Material's default palette,
    whose active nav link the theme fixes only for the real course's palette)."""
    exam = "#mt-exam"
    page.goto(mini_url)
    page.get_by_role("link", name="Mini certification exam").first.click()  # Material's instant navigation
    expect(page.locator("[data-x-step=start]")).to_be_visible()
    assert axe(page, exam) == []
    start(page, mini_url, form="B", cid="C-400")
    assert axe(page, exam) == []
    page.locator(".mt-x-flagbox").check()
    press(page, "[data-x=review]")
    assert axe(page, exam) == []
    press(page, "[data-x=submit]")
    assert axe(page, exam) == []
    press(page, "[data-x=confirm]")
    expect(page.locator("[data-x-step=done]")).to_be_visible()
    assert axe(page, exam) == []
    page.goto(mini_url + "verify/?code=ABCD-EFGH-JKMN-PQRS")
    expect(page.locator(".mt-v-result")).to_have_text(re.compile("^Not found"))
    assert axe(page, ".md-content") == []
