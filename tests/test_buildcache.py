"""The build cache: an unchanged course is not re-rendered; any change, or a bad cache, is a miss."""
from __future__ import annotations

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

import mesotrain.plugin as plugin
from mesotrain import buildcache


def build_site(root, site, **overrides):
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site), **overrides)
    build(config)
    return (site / "lessons" / "safety" / "index.html").read_text(encoding="utf-8")


def test_unchanged_course_is_served_from_the_cache(fixture_copy, tmp_path, monkeypatch):
    root = fixture_copy("mini")
    first = build_site(root, tmp_path / "a")
    assert (root / ".cache" / "mesotrain" / "pages.pickle").is_file()
    monkeypatch.setattr(plugin, "render_site", lambda *a, **k: pytest.fail("rendered although nothing changed"))
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
    (root / ".cache" / "mesotrain" / "pages.pickle").write_bytes(b"\x80\x05garbage")
    assert "Pregnancy excludes treatment." in build_site(root, tmp_path / "b")


def test_content_errors_are_never_cached(fixture_copy, tmp_path):
    from mkdocs.exceptions import Abort

    root = fixture_copy("mini")
    lesson = root / "content" / "02-safety.yaml"
    lesson.write_text(lesson.read_text().replace("sources: [s1, s2]", "sources: [s7]"))
    for _ in range(2):  # the second build must fail the same way, not come from a cache
        with pytest.raises(Abort):
            build_site(root, tmp_path / "a")
    assert buildcache.load(root, buildcache.digest(root, strict=False)) is None


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
    compiled = sorted((root / ".cache" / "mesotrain" / "templates").iterdir())
    assert len(compiled) > 20  # Material's templates and mesotrain's own
    (root / ".cache" / "mesotrain" / "pages.pickle").unlink()  # a changed course: pages are rendered again
    build_site(root, tmp_path / "b")
    assert _whole_site(tmp_path / "b") == _whole_site(tmp_path / "a")
    for f in compiled:  # damaged compiled templates are compiled again, never an error
        f.write_bytes(b"not a compiled template")
    (root / ".cache" / "mesotrain" / "pages.pickle").unlink()
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
    main.write_text(main.read_text().replace("Educational course — not medical advice.", "Edited after a build."))
    assert "Edited after a build." in build_site(root, tmp_path / "b")


@pytest.mark.parametrize("cache", [True, False])
def test_serve_rebuilds_reread_only_changed_files_unless_the_cache_is_off(fixture_copy, monkeypatch, cache):
    import jinja2

    import mesotrain.load

    root = fixture_copy("mini")
    reads = []
    real_read = mesotrain.load.read
    monkeypatch.setattr(mesotrain.load, "read", lambda path, shown: (reads.append(shown), real_read(path, shown))[1])
    config = load_config(str(root / "mkdocs.yml"))
    mt = plugin.MesotrainPlugin()  # not the config's: MkDocs shares that one with later tests
    assert mt.load_config({"cache": cache}) == ([], [])
    mt.on_startup(command="serve", dirty=False)
    mt.on_config(config)
    first = len(reads)
    lesson = root / "content" / "02-safety.yaml"
    lesson.write_text(lesson.read_text().replace("Pregnancy excludes treatment.", "Pregnancy rules it out."))
    mt.on_config(config)
    assert any("Pregnancy rules it out." in p.source for p in mt.pages)
    if cache:
        assert reads[first:] == ["content/02-safety.yaml"]
    else:
        assert len(reads) == 2 * first > 2
    env = mt.on_env(jinja2.Environment(), config, None)
    assert (env.bytecode_cache is not None) is cache
    from mesotrain.render.context import _jinja
    assert _jinja().auto_reload is not cache  # cache: false also re-reads mesotrain's own templates
    assert not (root / ".cache").exists()  # serve keeps its caches in memory


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
