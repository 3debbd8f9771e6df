"""The SCORM package in an LMS, for real: scorm-again (npm) plays the LMS in a page on
loopback, the package's launch page runs in a frame of it, a trainee studies a lesson and
sits the exam, and the LMS's own data model is read back: status, score, interactions,
objectives, session time, suspend data. Both SCORM versions; every value the runtime set
must have been accepted by scorm-again's checks of each version's formats.
"""
from __future__ import annotations

import json
import re
import shutil
import zipfile
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from mesotrain import scoring
from mesotrain.checks import load_checked
from mesotrain.exam import sealed_exam
from mesotrain.results.sample import key_response, to_page

from .answering import answer, check
from .conftest import ROOT

AGAIN = ROOT / "node_modules" / "scorm-again" / "dist"
FORM = "B"  # x09 case, x03 numeric, x02 true/false (must-pass), x04 multiple, x01 single

LMS_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test LMS</title>
<script src="scorm-again/scorm12.min.js"></script><script src="scorm-again/scorm2004.min.js"></script></head>
<body><script>
const q = new URLSearchParams(location.search), v = q.get("v");  // ?v=1.2|2004 [&mastery=60] [&at=PAGE&data=SUSPEND]
const api = v === "1.2" ? new Scorm12API({autocommit: false, logLevel: 5})
                        : new Scorm2004API({autocommit: false, logLevel: 5});
const names = v === "1.2" ? {set: "LMSSetValue", err: "LMSGetLastError", end: "LMSFinish"}
                          : {set: "SetValue", err: "GetLastError", end: "Terminate"};
window.lms = {api, refused: [], sets: [], ended: 0};
const set = api[names.set].bind(api), end = api[names.end].bind(api);
api[names.set] = (k, value) => {
  const r = set(k, value);
  lms.sets.push([k, value]);
  if (String(r) !== "true") lms.refused.push([k, value, String(api[names.err]())]);
  return r;
};
api[names.end] = () => { lms.ended++; return end(); };
const at = q.get("at") || "", data = q.get("data") || "", entry = at ? "resume" : "ab-initio";
if (v === "1.2") api.loadFromJSON({core: {student_id: "C-7", student_name: "Lovelace, Ada", lesson_location: at, entry},
                                   suspend_data: data, student_data: {mastery_score: q.get("mastery") || "60"}});
else api.loadFromJSON({learner_id: "C-7", learner_name: "Ada Lovelace", location: at, suspend_data: data, entry});
window[v === "1.2" ? "API" : "API_1484_11"] = api;
</script>
<iframe title="Course" src="pkg/launch.html" style="width:100%;height:90vh"></iframe></body></html>"""


@pytest.fixture(scope="module")
def lms_url(tmp_path_factory, serve, mini_packages) -> dict[str, str]:
    """version → URL of the test LMS page launching the mini course's package of that version."""
    if not (AGAIN / "scorm12.min.js").is_file():
        pytest.skip("scorm-again is not installed: run `npm ci` (make test does)")
    work = tmp_path_factory.mktemp("lms")
    urls = {}
    for version, zip_path in mini_packages.items():
        site = work / f"lms-{version}"
        with zipfile.ZipFile(zip_path) as z:
            z.extractall(site / "pkg")
        shutil.copytree(AGAIN, site / "scorm-again")
        (site / "lms.html").write_text(LMS_PAGE, encoding="utf-8")
        urls[version] = serve(site) + f"lms.html?v={version}"
    return urls


@pytest.fixture(scope="module")
def exam():
    tree, _ = load_checked(ROOT / "tests" / "fixtures" / "mini")
    return sealed_exam(tree)


def course_frame(page):
    """The site's frame (inside the launch page's frame), once it shows a page."""
    expect(page.frame_locator("iframe").frame_locator("#mt-scorm-site").locator("h1").first).to_be_visible()
    launch = next(f for f in page.frames if f.url.endswith("/launch.html"))
    return launch.child_frames[0]


def lms(page, js: str):
    """Evaluate ``js`` with ``cmi``, the LMS's data model as scorm-again serialises it (arrays as
    objects keyed "0", "1", …), and ``api``."""
    return page.evaluate(f"() => {{ const api = window.lms.api, cmi = JSON.parse(JSON.stringify(api.cmi)); return {js}; }}")


def study_and_sit(page, exam, answers: dict):
    """Study the safety lesson (its one practice question right), then sit form B."""
    site = course_frame(page)
    site.goto(site.url.rsplit("/", 1)[0] + "/lessons/safety.html")
    answer(site, "s-q01", True, "mouse")
    check(site, "s-q01", "mouse")
    site.goto(site.url.rsplit("/", 2)[0] + f"/exam.html?form={FORM}")
    expect(site.locator("[data-x-step=start]")).to_be_visible()
    expect(site.locator("#mt-x-name")).to_have_value("Ada Lovelace")  # as the LMS knows the trainee
    expect(site.locator("#mt-x-cid")).to_have_value("C-7")
    site.locator("#mt-x-email").fill("ada@example.org")
    site.locator("#mt-x-email").press("Tab")
    page.keyboard.press("Enter")
    expect(site.locator("[data-x-step=sit]")).to_be_visible()
    items = exam.form(FORM).items
    for n, item in enumerate(items):
        answer(site, item, to_page(exam.pool[item].question, answers[item]), "mouse")
        site.locator("[data-x=next]" if n < len(items) - 1 else "[data-x=review]").click()
    site.locator("[data-x=submit]").click()
    site.locator("[data-x=confirm]").click()
    expect(site.locator("[data-x-step=done]")).to_be_visible()
    return site


def form_answers(exam):
    items = exam.form(FORM).items
    answers = {i: key_response(exam.pool[i].question) for i in items}
    answers["x04"] = ["a"]                    # half of the multiple-answer key
    answers["x09"] = {"a": "b", "b": False}   # one case part right
    expected = scoring.score_attempt(
        [(exam.pool[i].question, exam.pool[i].domain, answers[i]) for i in items],
        pass_mark=exam.exam.pass_mark, must_pass=exam.exam.must_pass)
    return answers, expected


def test_scorm_2004_records_status_score_and_interactions(page, lms_url, exam, offsite_requests):
    answers, expected = form_answers(exam)
    page.goto(lms_url["2004"])
    site = study_and_sit(page, exam, answers)
    page.wait_for_function("() => window.lms.api.cmi.success_status !== 'unknown'")
    cmi = lms(page, "cmi")
    assert lms(page, "window.lms.refused") == []
    assert cmi["completion_status"] == "completed"
    assert cmi["success_status"] == ("passed" if expected.passed else "failed")
    assert float(cmi["score"]["scaled"]) == pytest.approx(expected.fraction, abs=1e-4)
    assert float(cmi["score"]["raw"]) == pytest.approx(expected.earned, abs=1e-4)
    assert cmi["score"]["min"] == "0" and float(cmi["score"]["max"]) == pytest.approx(expected.possible)
    got = {i["id"]: i for i in cmi["interactions"].values()}
    items = exam.form(FORM).items
    assert {"x01", "x02", "x03", "x04", "x09.1", "x09.2"} <= set(got), sorted(got)
    assert got["x02"]["type"] == "true-false" and got["x02"]["result"] == "correct"
    assert got["x04"]["type"] == "choice" and got["x04"]["learner_response"] == "a"
    assert got["x04"]["result"] not in ("correct", "incorrect")  # half credit, as a number
    assert float(got["x04"]["result"]) == pytest.approx(0.5)
    assert [got["x09.1"]["result"], got["x09.2"]["result"]].count("correct") == 1
    assert got["x01"]["correct_responses"]["0"]["pattern"] == key_response(exam.pool["x01"].question)
    for i in got.values():
        assert re.fullmatch(r"P(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?", i["latency"]), i["latency"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,2}Z", i["timestamp"]), i["timestamp"]
        assert float(i["weighting"]) > 0
    objectives = {o["id"]: o for o in cmi["objectives"].values()}
    assert set(objectives) == {f"domain.{d}" for d in ("basics", "safety")}
    assert all(o["success_status"] in ("passed", "failed") for o in objectives.values())
    assert cmi["location"].startswith("exam.html")
    progress = json.loads(cmi["suspend_data"])
    assert progress["l"]["safety"] == "c" and progress["p"]["s-q01"] == 100
    assert progress["x"]["p"] == (1 if expected.passed else 0)
    assert len(items) == 5

    page.evaluate("() => document.querySelector('iframe').remove()")  # the LMS closes the activity
    page.wait_for_function("() => window.lms.ended === 1")
    cmi = lms(page, "cmi")
    assert re.fullmatch(r"PT(\d+H)?(\d+M)?\d+(\.\d+)?S", cmi["session_time"]), cmi["session_time"]
    assert cmi["exit"] == "normal"
    assert offsite_requests == []


def test_scorm_12_records_status_score_and_interactions_in_its_own_formats(page, lms_url, exam):
    answers, expected = form_answers(exam)
    page.goto(lms_url["1.2"])
    study_and_sit(page, exam, answers)
    page.wait_for_function("() => ['passed', 'failed'].includes(window.lms.api.cmi.core.lesson_status)")
    cmi = lms(page, "cmi")
    assert lms(page, "window.lms.refused") == []
    core = cmi["core"]
    assert core["lesson_status"] == ("passed" if expected.passed else "failed")
    assert float(core["score"]["raw"]) == pytest.approx(100 * expected.fraction, abs=0.01)
    assert core["score"]["min"] == "0" and core["score"]["max"] == "100"
    got = {i["id"]: i for i in cmi["interactions"].values()}
    assert got["x02"]["type"] == "true-false" and got["x02"]["student_response"] in ("t", "f")
    assert got["x02"]["result"] == "correct"
    assert [got["x09.1"]["result"], got["x09.2"]["result"]].count("wrong") == 1
    assert got["x03"]["correct_responses"] == {} and got["x03"]["result"] == "correct"  # a range: 1.2 has none
    assert got["x04"]["correct_responses"]["0"]["pattern"] == "a,b"
    for i in got.values():
        # scorm-again stores a CMITimespan its own way (2 digits of hours, no trailing zeros);
        # the form the runtime writes is pinned by tests/js/scorm.test.mjs
        assert re.fullmatch(r"\d{2,4}:\d\d:\d\d(\.\d{1,2})?", i["latency"]), i["latency"]
        assert re.fullmatch(r"\d\d:\d\d:\d\d", i["time"]), i["time"]
        assert "[,]" not in i["student_response"] and "[.]" not in i["student_response"]
    assert core["lesson_location"].startswith("exam.html")
    progress = json.loads(cmi["suspend_data"])
    assert len(cmi["suspend_data"]) <= 4096 and progress["l"]["safety"] == "c"
    page.evaluate("() => document.querySelector('iframe').remove()")
    page.wait_for_function("() => window.lms.ended === 1")
    assert re.fullmatch(r"\d{2,4}:\d\d:\d\d(\.\d{1,2})?", lms(page, "cmi.core.session_time"))


def test_before_the_exam_the_trainee_is_incomplete_and_resumes_where_they_were(page, lms_url):
    page.goto(lms_url["2004"])
    site = course_frame(page)
    site.goto(site.url.rsplit("/", 1)[0] + "/lessons/basics.html")
    page.wait_for_function("() => (window.lms.api.cmi.location || '').startsWith('lessons/basics.html')")
    cmi = lms(page, "cmi")
    assert cmi["completion_status"] == "incomplete" and cmi["success_status"] == "unknown"
    assert float(cmi["progress_measure"]) < 1
    assert json.loads(cmi["suspend_data"])["l"]["basics"] == "a"
    page.evaluate("() => document.querySelector('iframe').remove()")
    page.wait_for_function("() => window.lms.ended === 1")
    assert lms(page, "cmi.exit") == "suspend"


def test_without_an_lms_the_package_is_the_plain_site(page, lms_url, axe):
    url = lms_url["2004"].replace("lms.html?v=2004", "pkg/launch.html")
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    site = page.frame_locator("#mt-scorm-site")
    expect(site.locator("h1").first).to_be_visible()
    assert page.evaluate("() => window.mesotrain.scorm.live()") is False
    assert axe(page) == []  # the launch page: a titled frame in a page with a language and a title
    page.goto(url.replace("launch.html", "lessons/safety.html"))
    answer(page, "s-q01", True, "mouse")
    assert check(page, "s-q01", "mouse") == 1.0
    page.wait_for_load_state("load")
    assert page.evaluate("() => navigator.serviceWorker.getRegistrations().then((r) => r.length)") == 0
    assert errors == []


def test_scorm_12_progress_stays_within_4096_characters(page, lms_url):
    saved = {"v": 1, "l": {"basics": "c"}, "p": {}, "x": None}
    while len(data := json.dumps(saved, separators=(",", ":"))) < 4096 - 14:  # one more result would not fit
        saved["p"][f"old-q{len(saved['p']):03}"] = 50
    assert len(data) <= 4096
    page.goto(lms_url["1.2"] + "&at=lessons/safety.html&data=" + quote(data))
    site = course_frame(page)
    answer(site, "s-q01", True, "mouse")
    check(site, "s-q01", "mouse")
    page.wait_for_function("() => JSON.parse(window.lms.api.cmi.suspend_data).l.safety === 'c'")
    text = lms(page, "cmi.suspend_data")
    progress = json.loads(text)
    assert len(text) <= 4096 and lms(page, "window.lms.refused") == []
    assert progress["p"]["s-q01"] == 100 and "old-q000" not in progress["p"]  # the oldest practice gave way
    assert progress["l"] == {"basics": "c", "safety": "c"}


def test_scorm_12_takes_the_lms_mastery_score_against_the_score(page, lms_url, exam):
    answers, expected = form_answers(exam)
    assert expected.passed and expected.fraction < 0.95  # the course's own verdict is a pass
    page.goto(lms_url["1.2"] + "&mastery=95")
    study_and_sit(page, exam, answers)
    page.wait_for_function("() => ['passed', 'failed'].includes(window.lms.api.cmi.core.lesson_status)")
    assert lms(page, "cmi.core.lesson_status") == "failed"
    assert lms(page, "window.lms.refused") == []


def test_a_returning_trainee_starts_where_they_left_with_their_progress(page, lms_url):
    saved = json.dumps({"v": 1, "l": {"basics": "c"}, "p": {"b-q01": 100}, "x": None})
    page.goto(lms_url["2004"] + "&at=lessons/safety.html&data=" + quote(saved))
    site = course_frame(page)
    assert site.url.endswith("/lessons/safety.html")
    answer(site, "s-q01", True, "mouse")
    check(site, "s-q01", "mouse")
    page.wait_for_function("() => JSON.parse(window.lms.api.cmi.suspend_data).l.safety === 'c'")
    progress = json.loads(lms(page, "cmi.suspend_data"))
    assert progress["l"] == {"basics": "c", "safety": "c"} and progress["p"] == {"b-q01": 100, "s-q01": 100}
    assert lms(page, "cmi.completion_status") == "incomplete"  # every lesson, but not the exam yet
    assert float(lms(page, "cmi.progress_measure")) == pytest.approx(2 / 3, abs=1e-3)
