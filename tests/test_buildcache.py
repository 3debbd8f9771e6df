"""The MkDocs adapter and the engine's memo on disk: an unchanged course is not re-rendered;
any change, or a bad memo, is a miss; theme templates are compiled once."""
from __future__ import annotations

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

import mesotrain.plugin as plugin
import mesotrain.render as render
from mesotrain.engine import MEMO_FILE, Memo


def build_site(root, site, **overrides):
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site), **overrides)
    build(config)
    return (site / "lessons" / "safety" / "index.html").read_text(encoding="utf-8")


def test_unchanged_course_is_served_from_the_cache(fixture_copy, tmp_path, monkeypatch):
    root = fixture_copy("mini")
    first = build_site(root, tmp_path / "a")
    assert (root / MEMO_FILE).is_file()
    monkeypatch.setattr(render, "render_site", lambda *a, **k: pytest.fail("rendered although nothing changed"))
    assert build_site(root, tmp_path / "b") == first


def test_an_edit_is_a_miss(fixture_copy, tmp_path):
    root = fixture_copy("mini")
    build_site(root, tmp_path / "a")
    lesson = root / "content" / "02-safety.yaml"
    lesson.write_text(lesson.read_text().replace("Pregnancy excludes treatment.", "Pregnancy rules it out."))
    assert "Pregnancy rules it out." in build_site(root, tmp_path / "b")


def test_a_corrupt_cache_is_a_miss_not_an_error(fixture_copy, tmp_path):
    root = fixture_copy("mini")
    build_site(root, tmp_path / "a")
    (root / MEMO_FILE).write_bytes(b"\x80\x05garbage")
    assert "Pregnancy excludes treatment." in build_site(root, tmp_path / "b")


def test_content_errors_are_never_cached(fixture_copy, tmp_path):
    from mkdocs.exceptions import Abort

    root = fixture_copy("mini")
    lesson = root / "content" / "02-safety.yaml"
    lesson.write_text(lesson.read_text().replace("sources: [s1, s2]", "sources: [s7]"))
    for _ in range(2):  # the second build must fail the same way, not come from a cache
        with pytest.raises(Abort):
            build_site(root, tmp_path / "a")
    assert not (root / MEMO_FILE).exists()


def test_the_cache_can_be_turned_off(fixture_copy, tmp_path):
    root = fixture_copy("mini")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("plugins: [search, mesotrain]",
                                                 "plugins: [search, mesotrain: {cache: false}]"))
    build_site(root, tmp_path / "a")
    assert not (root / ".cache").exists()


def _whole_site(site) -> dict:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}


def test_compiled_templates_are_kept_and_give_the_same_site(fixture_copy, tmp_path):
    root = fixture_copy("mini")
    build_site(root, tmp_path / "a")
    memo = Memo(root / MEMO_FILE)
    compiled = [k for k in memo._values if k[0] == "jinja"]
    assert len(compiled) > 20  # Material's templates
    memo._values = {k: v for k, v in memo._values.items() if k[0] == "jinja"}  # pages are rendered again
    memo._used = set(memo._values)
    memo.finish()
    build_site(root, tmp_path / "b")
    assert _whole_site(tmp_path / "b") == _whole_site(tmp_path / "a")
    memo = Memo(root / MEMO_FILE)
    memo._values = {k: b"not a compiled template" for k in memo._values if k[0] == "jinja"}
    memo._used = set(memo._values)  # damaged compiled templates are compiled again, never an error
    memo.finish()
    build_site(root, tmp_path / "c")
    assert _whole_site(tmp_path / "c") == _whole_site(tmp_path / "a")


def test_an_edited_theme_override_is_compiled_again(fixture_copy, tmp_path):
    import shutil

    from .conftest import ROOT

    root = fixture_copy("mini")
    shutil.copytree(ROOT / "overrides", root / "overrides")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace(str(ROOT / "overrides"), str(root / "overrides")))
    build_site(root, tmp_path / "a")
    main = root / "overrides" / "main.html"
    main.write_text(main.read_text().replace("{% block announce %}", "{% block announce %}Edited after a build."))
    assert "Edited after a build." in build_site(root, tmp_path / "b")


def serving(root, cache=True):
    """A plugin object as ``mkdocs serve`` keeps it, and a fresh config per rebuild."""
    mt = plugin.MesotrainPlugin()  # not the config's: MkDocs shares that one with later tests
    assert mt.load_config({"cache": cache}) == ([], [])
    mt.on_startup(command="serve", dirty=False)
    return mt, lambda: mt.on_config(load_config(str(root / "mkdocs.yml")))


@pytest.mark.parametrize("cache", [True, False])
def test_serve_rebuilds_reread_only_changed_files_unless_the_cache_is_off(fixture_copy, monkeypatch, cache):
    import jinja2

    import mesotrain.load

    root = fixture_copy("mini")
    reads = []
    real = mesotrain.load.decode
    monkeypatch.setattr(mesotrain.load, "decode", lambda data, shown: (reads.append(shown), real(data, shown))[1])
    mt, rebuild = serving(root, cache)
    config = rebuild()
    first = len(reads)
    lesson = root / "content" / "02-safety.yaml"
    lesson.write_text(lesson.read_text().replace("Pregnancy excludes treatment.", "Pregnancy rules it out."))
    rebuild()
    assert any("Pregnancy rules it out." in p.source for p in mt.pages)
    if cache:
        assert reads[first:] == ["content/02-safety.yaml"]
    else:
        assert len(reads) == 2 * first > 2
    env = mt.on_env(jinja2.Environment(), config, None)
    assert (env.bytecode_cache is not None) is cache
    mt.on_post_build(config)
    assert not (root / ".cache").exists()  # serve keeps its memo in memory


def test_a_serve_rebuild_that_changed_no_page_keeps_one_nav_entry_per_page(fixture_copy):
    """Rebuilds caused by mkdocs.yml or content/certificates.json added another copy of every nav entry."""
    root = fixture_copy("mini")
    mt, rebuild = serving(root)
    first = rebuild().nav
    (root / "content" / "certificates.json").write_text(
        '{"format": "mesotrain-certificates", "format_version": 1, "certificates": {}}\n')
    assert rebuild().nav == first
    assert rebuild().nav == first  # after mkdocs.yml is saved unchanged
    assert len(mt.pages) == len({p.path for p in mt.pages})


def test_serve_polls_course_files_faster_than_mkdocs_and_leaves_its_own_pace_alone(fixture_copy, tmp_path):
    from mkdocs.livereload import LiveReloadServer

    root = fixture_copy("mini")
    config = load_config(str(root / "mkdocs.yml"))
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(config.docs_dir)
    mt = plugin.MesotrainPlugin()
    mt.load_config({})
    mt.on_serve(server, config, None)
    server.watch(str(root / "mkdocs.yml"))
    paces = {emitter.watch.path: emitter.timeout for emitter in server.observer.emitters}
    assert paces[str(root / "content")] == paces[str(root / "quizzes")] == plugin.POLL_INTERVAL
    # MkDocs' own watches, before and after ours (a watched file is polled through its folder)
    assert paces[config.docs_dir] == paces[str(root)] == 0.5 > plugin.POLL_INTERVAL
    server.server_close()
