"""Serve rebuilds: unchanged files are not re-read and unchanged pages not re-rendered."""
from __future__ import annotations

import os

from mesotrain.checks import load_checked
from mesotrain.render import render_site
from mesotrain.render.site import PageCache


def pages_by_path(tree, cache):
    return {p.path: p for p in render_site(tree, cache)}


def test_an_edit_rereads_one_file_and_rerenders_only_the_pages_that_use_it(fixture_copy):
    root = fixture_copy("mini")
    files, pages = {}, PageCache()
    first, _ = load_checked(root, cache=files)
    before = pages_by_path(first, pages)

    lesson = root / "content" / "02-safety.yaml"
    lesson.write_text(lesson.read_text().replace("Pregnancy excludes treatment.", "Pregnancy rules it out."))
    os.utime(lesson, ns=(lesson.stat().st_atime_ns, lesson.stat().st_mtime_ns + 1_000_000))
    second, _ = load_checked(root, cache=files)
    after = pages_by_path(second, pages)

    assert second.lessons[0].model is first.lessons[0].model      # basics: not re-read
    assert second.lessons[1].model is not first.lessons[1].model  # safety: re-read
    assert after["lessons/basics.md"] is before["lessons/basics.md"]
    assert after["glossary.md"] is before["glossary.md"]
    assert after["lessons/safety.md"] is not before["lessons/safety.md"]
    assert "Pregnancy rules it out." in after["lessons/safety.md"].content
    assert after["sources.md"] is not before["sources.md"]  # lists the lessons that cite each source


def test_without_caches_every_build_starts_afresh(fixture_copy):
    root = fixture_copy("mini")
    a, _ = load_checked(root)
    b, _ = load_checked(root)
    assert a.lessons[0].model is not b.lessons[0].model
    assert render_site(a)[1] is not render_site(b)[1]


def test_a_rebuild_builds_again_only_the_widgets_of_re_read_files(fixture_copy, monkeypatch):
    import mesotrain.render.questions as questions

    built = []
    real = questions._build_question
    monkeypatch.setattr(questions, "_build_question",
                        lambda q, bank, c, mode: (built.append((q.id, mode)), real(q, bank, c, mode))[1])
    root = fixture_copy("mini")
    files, pages = {}, PageCache()
    first, _ = load_checked(root, cache=files)
    pages_by_path(first, pages)
    everything = set(built)
    assert everything

    bank = root / "quizzes" / "02-safety.yaml"
    bank.write_text(bank.read_text() + "\n# edited\n")
    os.utime(bank, ns=(bank.stat().st_atime_ns, bank.stat().st_mtime_ns + 1_000_000))
    edited_ids = {q.id for q in next(b for b in first.banks if b.model.lesson == "safety").model.questions}
    built.clear()
    second, _ = load_checked(root, cache=files)
    after = pages_by_path(second, pages)
    assert built and {qid for qid, _ in built} == edited_ids
    fresh = pages_by_path(load_checked(root)[0], None)  # the same site built from nothing
    assert {p: x.content for p, x in after.items()} == {p: x.content for p, x in fresh.items()}
    assert {p: x.fragments for p, x in after.items()} == {p: x.fragments for p, x in fresh.items()}

    glossary = root / "content" / "glossary.yaml"
    glossary.write_text(glossary.read_text() + "\n# edited\n")
    os.utime(glossary, ns=(glossary.stat().st_atime_ns, glossary.stat().st_mtime_ns + 1_000_000))
    built.clear()
    pages_by_path(load_checked(root, cache=files)[0], pages)
    assert set(built) == everything  # term links live inside widgets: all are built again


def test_widgets_outlive_a_build_that_did_not_ask_for_them(fixture_copy, monkeypatch):
    import mesotrain.render.questions as questions

    built = []
    real = questions._build_question
    monkeypatch.setattr(questions, "_build_question",
                        lambda q, bank, c, mode: (built.append(q.id), real(q, bank, c, mode))[1])
    root = fixture_copy("mini")
    files, pages = {}, PageCache()
    pages_by_path(load_checked(root, cache=files)[0], pages)
    pages_by_path(load_checked(root, cache=files)[0], pages)  # nothing changed: no page asks for widgets
    lesson = root / "content" / "02-safety.yaml"
    lesson.write_text(lesson.read_text().replace("Pregnancy excludes treatment.", "Pregnancy rules it out."))
    built.clear()
    pages_by_path(load_checked(root, cache=files)[0], pages)
    assert built == []  # the review page is rebuilt from widgets kept since the first build


def test_an_edited_image_in_a_subfolder_rebuilds_its_hotspot(fixture_copy):
    root = fixture_copy("mini")
    images = root / "content" / "images"
    nested = images / "maps" / "scalp-map.svg"
    nested.parent.mkdir()
    nested.write_text((images / "scalp-map.svg").read_text())
    bank = root / "quizzes" / "01-basics.yaml"
    bank.write_text(bank.read_text().replace("image: scalp-map.svg", "image: maps/scalp-map.svg"))
    files, pages = {}, PageCache()
    pages_by_path(load_checked(root, cache=files)[0], pages)
    nested.write_text(nested.read_text().replace("front (face)", "front (edited)"))
    after = pages_by_path(load_checked(root, cache=files)[0], pages)
    assert "front (edited)" in str(after["lessons/basics.md"].fragments)
    assert "front (edited)" in str(after["review.md"].fragments)
