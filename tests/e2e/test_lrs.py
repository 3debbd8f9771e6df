"""A site built with an LRS, in Chromium, against a real LRS (Ralph on 127.0.0.1): lesson and
practice statements arrive, the queue holds them while the browser is offline and sends them
when it is back, an open exam's scores arrive, and a sealed attempt submitted through the LRS
is imported with `results import --lrs` and graded to the same score as its downloaded file.
Every statement that arrives passes Learning Locker's validator."""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect

from mesotrain import scoring, types, xapi
from mesotrain.checks import load_checked
from mesotrain.cli import main
from mesotrain.exam import sealed_exam
from mesotrain.results.sample import key_response
from tests.lrs import ralph as ralph_mod
from tests.lrs.validation import problems

from .answering import answer, check, questions_of
from .conftest import MINI, ROOT, build, free_port
from .test_events import _sit
from .test_exam import download

BASE = "https://training.example.org/mini/"
QUEUE = "mesotrain:xapi-queue:/"


def lrs_site(course, port: int, lrs, exam_yaml: str = ""):
    """The mini course at ``course`` with an LRS in its mkdocs.yml, built for 127.0.0.1:port."""
    shutil.copytree(MINI, course)
    if exam_yaml:
        exam_file = course / "quizzes" / "exam.yaml"
        exam_file.write_text(exam_file.read_text() + exam_yaml)
    config = course / "mkdocs.yml"
    user, secret = ralph_mod.SITE
    config.write_text(config.read_text().replace("../../../overrides", str(ROOT / "overrides")).replace(
        "plugins: [search, mesotrain]",
        f"plugins:\n  - search\n  - mesotrain:\n      lrs:\n        endpoint: {lrs.base}\n        key: {user}\n"
        f"        secret: {secret}\n        activities: {BASE}\n") + f"\nsite_url: http://127.0.0.1:{port}/\n")
    return build(course, course.parent / (course.name + "-site"))


@pytest.fixture(scope="module")
def sites(tmp_path_factory, serve):
    """Ralph (CORS open to both sites) and two sites sending to it: the mini course (sealed exam)
    and the same with its exam open."""
    work = tmp_path_factory.mktemp("lrs-sites")
    ports = free_port(), free_port()
    lrs = ralph_mod.start(work / "ralph", origins=tuple(f"http://127.0.0.1:{p}" for p in ports))
    try:
        sealed = serve(lrs_site(work / "sealed", ports[0], lrs), ports[0])
        opened = serve(lrs_site(work / "open", ports[1], lrs, "mode: open\n"), ports[1])
        yield {"lrs": lrs, "sealed": sealed, "open": opened, "open_root": work / "open"}
    finally:
        lrs.stop()


@pytest.fixture
def lrs(sites):
    sites["lrs"].clear()
    return sites["lrs"]


def valid(statements: list[dict]) -> list[dict]:
    assert statements
    assert problems(statements) == [], json.dumps(statements, indent=1)[:3000]
    return statements


def verbs(statements) -> list[str]:
    names = {v: k for k, v in xapi.VERBS.items()}
    return [names[s["verb"]["id"]] for s in statements]


def test_lesson_and_practice_statements_arrive(page, sites, lrs):
    page.goto(sites["sealed"] + "lessons/safety/")
    expect(page.locator("#q-s-q01 .mt-actions")).to_be_visible()
    answer(page, "s-q01", False, "mouse")
    check(page, "s-q01", "mouse")
    got = valid(lrs.wait_for(lambda s: len(s) >= 3, page.wait_for_timeout))
    assert sorted(verbs(got)) == ["answered", "attempted", "completed"]
    by = {v: s for v, s in zip(verbs(got), got)}
    trainee = page.evaluate("() => mesotrain.xapi.trainee()")
    for s in got:
        assert s["actor"]["account"] == {"homePage": BASE, "name": trainee}  # anonymous, kept by the browser
        assert s["context"]["contextActivities"]["parent"][0]["id"] in (BASE, BASE + "lessons/safety")
    assert by["attempted"]["object"]["id"] == by["completed"]["object"]["id"] == BASE + "lessons/safety"
    question, _ = questions_of(MINI)["s-q01"]  # the practice question, as the type modules map it
    [(iid, _, want)] = types.interactions(question)
    d = by["answered"]["object"]["definition"]
    assert by["answered"]["object"]["id"] == BASE + "questions/" + iid
    assert (d["interactionType"], d["correctResponsesPattern"]) == (want["type"], want["correct"])
    result = by["answered"]["result"]
    assert result["response"] == "false" and result["success"] is (scoring.credit(question, False) >= 1)
    assert result["score"]["raw"] == scoring.credit(question, False) and result["score"]["max"] == 1
    assert page.evaluate(f"() => JSON.parse(localStorage.getItem('{QUEUE}'))") == []


def test_the_queue_keeps_statements_offline_and_sends_them_when_back_online(page, context, sites, lrs):
    page.goto(sites["sealed"] + "lessons/basics/")
    lrs.wait_for(lambda s: len(s) >= 1, page.wait_for_timeout)
    lrs.clear()
    # the offline copy (service worker) would serve the lazy scripts; this test does without it
    page.evaluate("() => new Promise((done) => mesotrain.quiz.need('scoring', done))")
    page.wait_for_function("() => !!mesotrain.interactions")  # the runtime loads it as it starts
    context.set_offline(True)
    answer(page, "b-q01", "a", "mouse")
    check(page, "b-q01", "mouse")
    queued = page.evaluate(f"() => JSON.parse(localStorage.getItem('{QUEUE}'))")
    assert [verbs([e["s"]])[0] for e in queued] == ["answered"]
    assert lrs.statements() == []
    context.set_offline(False)  # the browser's online event: the queue is sent at once
    got = valid(lrs.wait_for(lambda s: len(s) >= 1, page.wait_for_timeout))
    assert [s["id"] for s in got] == [queued[0]["s"]["id"]]
    page.wait_for_function(f"() => JSON.parse(localStorage.getItem('{QUEUE}')).length === 0")


def test_a_sealed_attempt_submitted_through_the_lrs_grades_as_its_downloaded_file(page, sites, lrs, tmp_path,
                                                                                  monkeypatch):
    exam = sealed_exam(load_checked(MINI)[0])
    items = exam.form("A").items
    answers = {i: key_response(exam.pool[i].question) for i in items[:3]}
    _sit(page, sites["sealed"], exam, "A", answers)
    doc = download(page)
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "a.json").write_text(json.dumps(doc), encoding="utf-8")

    [sub] = valid(lrs.wait_for(lambda s: len(s) >= 1, page.wait_for_timeout, verb=xapi.VERBS["submitted"]))
    assert sub["actor"] == {"objectType": "Agent", "name": "Ada Lovelace", "mbox": "mailto:ada@example.org"}
    assert sub["context"]["registration"] == doc["attempt_id"]
    assert json.loads(sub["result"]["extensions"][xapi.RESULT_FILE]) == doc
    assert "score" not in sub["result"] and "success" not in sub["result"]

    def results(*args):
        got = CliRunner().invoke(main, ["results", "--root", str(MINI), *map(str, args)])
        assert got.exit_code == 0, got.output
        return got.output

    graded = {}
    for store, source in (("lrs", ["--lrs", lrs.base, "--auth", ":".join(ralph_mod.CERTIFIER)]),
                          ("file", [tmp_path / "inbox"])):
        monkeypatch.setenv("MESOTRAIN_RESULTS", str(tmp_path / f"{store}.sqlite"))
        assert "imported 1" in results("import", *source)
        results("grade")
        results("export", "--format", "json", "--out", tmp_path / f"{store}.json")
        graded[store] = json.loads((tmp_path / f"{store}.json").read_text(encoding="utf-8"))
    assert graded["lrs"] == graded["file"] and graded["lrs"][0]["attempt_id"] == doc["attempt_id"]
    assert 0 < graded["lrs"][0]["earned"] < graded["lrs"][0]["possible"]  # a score that could differ


def test_an_open_exam_sends_each_answer_and_its_score(page, sites, lrs):
    opened = sealed_exam(load_checked(sites["open_root"])[0])
    items = opened.form("B").items
    answers = {i: key_response(opened.pool[i].question) for i in items}
    answers["x09"] = {"a": "b", "b": False}  # one case part right
    _sit(page, sites["open"], opened, "B", answers)
    want = scoring.score_attempt([(opened.pool[i].question, opened.pool[i].domain, answers[i]) for i in items],
                                 pass_mark=opened.exam.pass_mark, must_pass=opened.exam.must_pass)
    parts = sum(len(types.interactions(opened.pool[i].question)) for i in items)
    got = lrs.wait_for(lambda s: sum("mbox" in x["actor"] for x in s) >= parts + 2, page.wait_for_timeout)
    exam_statements = valid([s for s in got if "mbox" in s["actor"]])
    assert sorted(verbs(exam_statements)) == sorted(["answered"] * parts
                                                    + ["completed", "passed" if want.passed else "failed"])
    final = next(s for s in exam_statements if verbs([s])[0] in ("passed", "failed"))
    score = final["result"]["score"]
    assert score["raw"] == pytest.approx(want.earned) and score["max"] == pytest.approx(want.possible)
    assert score["scaled"] == pytest.approx(want.fraction, abs=1e-4) and score["min"] == 0
    assert final["result"]["success"] is want.passed and final["result"]["duration"].startswith("PT")
    registrations = {s["context"]["registration"] for s in exam_statements}
    assert len(registrations) == 1
    case = [s for s in exam_statements if s["object"]["id"].startswith(BASE + "exam/" + opened.exam.id + "/x09.")]
    assert sorted(s["result"]["success"] for s in case) == [False, True]  # each part scored on its own
