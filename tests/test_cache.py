"""The build engine: an edit re-renders exactly the pages and widgets that depend on it.

Every test runs twice: with the memo in memory (one engine kept across builds, as
``mkdocs serve`` does) and on disk (a new engine each build, as successive ``mkdocs
build`` runs do). Both must give the same pages as a build from nothing.
"""
from __future__ import annotations

import shutil

import pytest

import mesotrain.render.questions as questions
from mesotrain.engine import MEMO_FILE, Engine, Memo, NoMemo
from mesotrain.errors import ContentError

from .conftest import ROOT

TEMPLATES = ROOT / "src" / "mesotrain" / "templates"
EVERY_PAGE = {"index", "lesson:basics", "lesson:safety", "progress", "exam", "glossary", "sources"}


@pytest.fixture(params=["memory", "disk"])
def build(request, fixture_copy):
    """build() → the Site of one more build of a copy of the mini course."""
    root = fixture_copy("mini")
    kept = Engine(root, memo=Memo())

    def run():
        engine = kept if request.param == "memory" else Engine.on_disk(root)
        site = engine.build()
        engine.finish()
        return site
    run.root = root
    run.kind = request.param
    return run


@pytest.fixture
def widgets(monkeypatch):
    """The ids of the question widgets built (not taken from the memo), in order."""
    built = []
    real = questions._build_question
    monkeypatch.setattr(questions, "_build_question",
                        lambda q, bank, c, mode: (built.append(q.id), real(q, bank, c, mode))[1])
    return built


def content(site) -> dict:
    return {p.path: (p.title, p.content) for p in site.pages}


def from_nothing(root) -> dict:
    return content(Engine(root, memo=NoMemo()).build())


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_first_build_renders_everything_and_an_unchanged_course_nothing(build, widgets):
    first = build()
    assert set(first.rendered) == EVERY_PAGE and widgets
    widgets.clear()
    again = build()
    assert again.rendered == [] and widgets == []
    assert content(again) == content(first) == from_nothing(build.root)
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings]
    assert (build.root / MEMO_FILE).is_file() is (build.kind == "disk")


EDITS = {
    # file, old text, new text, pages re-rendered, widgets re-built (question ids; "all" = every one)
    # (the basics page links to safety, the next lesson, by its title)
    "a lesson": ("content/02-safety.yaml", "Pregnancy excludes treatment.", "Pregnancy rules it out.",
                 {"index", "lesson:basics", "lesson:safety", "progress", "exam", "sources"}, set()),
    "a bank": ("quizzes/02-safety.yaml", "Pregnancy excludes treatment.", "Pregnancy rules treatment out.",
               {"index", "lesson:safety", "progress", "exam"}, "bank"),
    "the glossary": ("content/glossary.yaml", "definition: ", "definition: Edited. ", EVERY_PAGE, "all"),
    # (a feedback text may name a source, with its one citation number)
    "the sources": ("content/sources.yaml", "title: ", "title: Edited ", EVERY_PAGE, "all"),
    "course.yaml": ("content/course.yaml", "title: ", "title: Edited ", EVERY_PAGE, set()),
    "an image": ("content/images/scalp-map.svg", "front (face)", "front (edited)",
                 {"index", "lesson:basics", "lesson:safety", "progress", "exam"}, "hotspot"),
}


@pytest.mark.parametrize("what", list(EDITS))
def test_an_edit_re_renders_exactly_what_depends_on_it(build, widgets, what):
    file, old, new, pages, rebuilt = EDITS[what]
    first = build()
    everything = set(widgets)
    widgets.clear()
    edit(build.root / file, old, new)
    after = build()
    assert set(after.rendered) == pages
    if rebuilt == "all":
        assert set(widgets) == everything
    elif rebuilt == "bank":
        assert set(widgets) == {q for q in everything if q.startswith("s-")} != set()
    elif rebuilt == "hotspot":
        assert set(widgets) == {"b-q08", "x08"}
    else:
        assert widgets == []
    assert content(after) == from_nothing(build.root) != content(first)


@pytest.mark.parametrize("template, pages, all_widgets", [
    ("lesson.md.j2", {"lesson:basics", "lesson:safety"}, False),
    ("glossary.md.j2", {"glossary"}, False),
    ("questions/question.html.j2", {"lesson:basics", "lesson:safety", "progress", "exam"}, True),
])
def test_an_edited_template_of_mesotrain_re_renders_the_pages_that_use_it(build, widgets, monkeypatch, tmp_path,
                                                                          template, pages, all_widgets):
    import mesotrain.engine as engine
    import mesotrain.render.context as context

    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES, copy)
    monkeypatch.setattr(engine, "PACKAGE", copy.parent)  # the engine reads mesotrain's templates here
    monkeypatch.setattr(context, "TEMPLATE_DIR", copy)    # and the renderers load them from here
    context.forget_templates()
    first = build()
    everything = set(widgets)
    widgets.clear()
    path = copy / template
    path.write_text(path.read_text(encoding="utf-8") + "{# edited #}\n<!-- edited -->\n", encoding="utf-8")
    after = build()
    assert set(after.rendered) == pages
    assert set(widgets) == (everything if all_widgets else set())
    assert any("<!-- edited -->" in p.content for p in after.pages)
    context.forget_templates()


def test_a_content_error_keeps_the_memo_and_fixing_it_brings_the_kept_pages_back(build, widgets):
    build()
    lesson = build.root / "content" / "02-safety.yaml"
    good = lesson.read_text(encoding="utf-8")
    edit(lesson, "sources: [s1, s2]", "sources: [s7]")
    for _ in range(2):  # never remembered as a success
        with pytest.raises(ContentError):
            build()
    lesson.write_text(good, encoding="utf-8")
    widgets.clear()
    again = build()
    assert again.rendered == [] and widgets == []


def test_a_damaged_memo_file_is_an_empty_memo(fixture_copy):
    root = fixture_copy("mini")
    engine = Engine.on_disk(root)
    first = content(engine.build())
    engine.finish()
    (root / MEMO_FILE).write_bytes(b"\x80\x05garbage")
    site = Engine.on_disk(root).build()
    assert set(site.rendered) == EVERY_PAGE and content(site) == first


def test_pages_are_never_repeated_by_a_rebuild(build):
    """A kept page list extended in place gave serve a second copy of every page (and nav entry)."""
    first = [p.path for p in build().pages]
    for _ in range(3):
        assert [p.path for p in build().pages] == first
    (build.root / "content" / "certificates.json").write_text('{"format": "mesotrain-certificates", '
                                                            '"format_version": 1, "certificates": {}}\n')
    assert [p.path for p in build().pages] == first
    assert len(first) == len(set(first))


def test_the_memo_keeps_only_what_the_last_build_used(fixture_copy):
    root = fixture_copy("mini")
    engine = Engine(root, memo=Memo())
    engine.build()
    engine.finish()
    size = len(engine.memo)
    for n in range(3):
        edit(root / "quizzes" / "02-safety.yaml", "Pregnancy excludes treatment." if n == 0 else f"Edit {n - 1}.",
             f"Edit {n}.")
        engine.build()
        engine.finish()
    assert len(engine.memo) == size


def test_problems_found_in_a_file_kept_in_the_memo_keep_their_line_and_column(build):
    build()
    sources = build.root / "content" / "sources.yaml"
    sources.write_text("\n".join(l for l in sources.read_text().splitlines() if "id: s2" not in l) + "\n")
    with pytest.raises(ContentError) as kept:  # 02-safety.yaml, unchanged, cites s2
        build()
    with pytest.raises(ContentError) as fresh:
        Engine(build.root, memo=NoMemo()).build()
    shown = [str(p) for p in kept.value.problems]
    assert shown == [str(p) for p in fresh.value.problems]
    assert any(s.startswith("content/02-safety.yaml:") and "'s2'" in s and ":1:1:" not in s for s in shown), shown


def test_a_build_that_changed_nothing_leaves_the_memo_file_alone(fixture_copy):
    root = fixture_copy("mini")
    first = Engine.on_disk(root)
    first.build()
    first.finish()
    written = (root / MEMO_FILE).stat().st_mtime_ns
    again = Engine.on_disk(root)
    assert again.build().rendered == []
    again.finish()
    assert (root / MEMO_FILE).stat().st_mtime_ns == written


def test_a_build_that_changed_nothing_keeps_the_parsed_files_for_the_next_edit(build, monkeypatch):
    import mesotrain.load

    build()
    build()  # nothing changed
    parsed = []
    real = mesotrain.load.decode
    monkeypatch.setattr(mesotrain.load, "decode", lambda data, shown: (parsed.append(shown), real(data, shown))[1])
    edit(build.root / "content" / "02-safety.yaml", "Pregnancy excludes treatment.", "Pregnancy rules it out.")
    build()
    assert parsed == ["content/02-safety.yaml"]


def test_an_edit_walks_the_texts_of_the_edited_file_only_and_finds_the_same_problems(build, monkeypatch):
    import mesotrain.checks as checks

    build()
    walked = []
    real = checks._document_texts
    monkeypatch.setattr(checks, "_document_texts", lambda kind, doc, rules: (walked.append(doc.file),
                                                                               real(kind, doc, rules))[1])
    lesson = build.root / "content" / "02-safety.yaml"
    edit(lesson, "Pregnancy excludes treatment.", "Pregnancy excludes treatment, see [[napage]] and <b onclick=x>.")
    with pytest.raises(ContentError) as kept:
        build()
    assert walked == ["content/02-safety.yaml"]
    with pytest.raises(ContentError) as fresh:
        Engine(build.root, memo=NoMemo()).build()
    assert [str(p) for p in kept.value.problems] == [str(p) for p in fresh.value.problems]
    assert any("unknown glossary term 'napage' (did you mean 'nappage'?" in str(p) for p in kept.value.problems)
    assert any("event-handler attributes are not allowed" in str(p) for p in kept.value.problems)
    # a new term in the glossary can settle any file's [[link]]: every file's texts are read again
    walked.clear()
    glossary = build.root / "content" / "glossary.yaml"
    edit(glossary, "terms:\n", "terms:\n  - {id: napage, term: Napage, definition: A misspelling.}\n")
    edit(lesson, " and <b onclick=x>.", ".")
    build()
    assert len(walked) == len(list(build.root.rglob("*.yaml"))) and "content/01-basics.yaml" in walked


def test_the_cycle_collector_is_paused_during_a_build_and_back_on_after_it_even_a_failed_one(build, monkeypatch):
    import gc

    import mesotrain.render as render

    seen = []
    real = render.render_site
    monkeypatch.setattr(render, "render_site", lambda *a, **k: (seen.append(gc.isenabled()), real(*a, **k))[1])
    build()
    assert seen == [False] and gc.isenabled()
    edit(build.root / "content" / "02-safety.yaml", "sources: [s1, s2]", "sources: [s7]")
    with pytest.raises(ContentError):
        build()
    assert gc.isenabled()


def test_what_a_build_made_is_out_of_the_collectors_sight_until_it_finishes(fixture_copy):
    import gc

    root = fixture_copy("mini")
    engine = Engine(root, memo=Memo())
    engine.build()
    assert gc.get_freeze_count() > 10_000  # the models and pages, not walked by every collection
    engine.finish()
    assert gc.get_freeze_count() == 0
