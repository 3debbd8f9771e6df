"""The MkDocs plugin, through real `mkdocs build --strict` runs of fixture courses."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT

MKDOCS = [sys.executable, "-m", "mkdocs"]


def build(root: Path, site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(MKDOCS + ["build", "--strict", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(site)],
                          capture_output=True, text=True, cwd=root)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("mini-site")
    result = build(FIXTURES / "mini", out)
    assert result.returncode == 0, result.stderr
    return out


def text(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def test_every_generated_page_is_built(site):
    for page in ["", "lessons/basics", "lessons/safety", "glossary", "sources"]:
        assert (site / page / "index.html").is_file(), page
    assert (site / "images" / "scalp-map.svg").is_file()
    for page in site.rglob("*.html"):  # every marker left for the plugin has been filled
        assert "mt-fragment" not in page.read_text(encoding="utf-8"), page


def test_the_runtime_ships_without_its_comments_and_images_as_they_are(site):
    from mesotrain.render.runtime import ASSETS, served

    shipped = site / "assets" / "mesotrain"
    for name in ("quiz.js", "quiz.css", "exam.js", "lazy/scoring.js", "lazy/exam.css"):
        text = (shipped / name).read_text(encoding="utf-8")
        assert text == served(ASSETS / name) and len(text) < len((ASSETS / name).read_text(encoding="utf-8")), name
    assert not (shipped / "figures.css").exists()  # the figure colours are part of quiz.css
    image = FIXTURES / "mini" / "content" / "images" / "scalp-map.svg"
    assert (site / "images" / "scalp-map.svg").read_bytes() == image.read_bytes()


def test_nav_lists_lessons_in_course_order(site):
    html = text(site, "")
    nav = html[html.index('<nav class="md-nav md-nav--primary"'):]
    assert re.findall(r'href="lessons/(\w+)/"', nav)[:2] == ["basics", "safety"]


def test_lesson_uses_materials_idioms(site):
    html = text(site, "lessons/basics")
    assert '<div class="admonition abstract">' in html           # objectives and key points
    assert '<div class="admonition warning">' in html            # caution
    assert "Doubtful claim: Painless" in html
    assert '<div class="mt-disagreement">' in html and html.count('<div class="mt-position">') == 2
    assert "<strong>Editorial note:</strong> Neither source cites a study." in html
    assert '<div class="admonition tip mt-editorial">' in html   # editorial callout is marked
    assert "<table>" in html and "<td>2–3 mm</td>" in html


def test_citations_are_numbered_and_link_to_the_lesson_source_list_and_bibliography(site):
    html = text(site, "lessons/basics")
    assert '<sup class="mt-cite">[<a href="#src-s1" title="[1] First source">1</a>]</sup>' in html
    assert '<span id="src-s2" class="mt-cite-n">[2]</span> <a href="../../sources/#s2"><em>Second source</em></a>' in html
    bib = text(site, "sources")
    assert '<h2 id="s1">[1] First source</h2>' in bib and "Sells the treatment." in bib
    assert "<td>the first clinic page</td>" in bib  # the short name lessons use
    for page in (html, bib):  # our templates keep ids to link targets and anchors
        assert ">s1</a>" not in page and ">s2</a>" not in page and "s1:" not in page and "s2:" not in page
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "mt-cite" not in index and "src-s1" not in index  # marks are links, not words to search


def test_a_named_source_shows_its_short_name_and_mark_in_prose_and_feedback(site):
    html = text(site, "lessons/basics")
    assert ('Only the first clinic page <sup class="mt-cite">[<a href="#src-s1" title="[1] First source">1</a>]'
            '</sup> names a price') in html
    assert "[@s1]" not in html
    # feedback is in the widget's data, as HTML
    assert "That is deeper than the first clinic page &lt;sup class=\\&#34;mt-cite\\&#34;&gt;" in html


def test_a_lesson_opens_with_reading_time_and_objectives_and_ends_with_in_short_self_check_next(site):
    html = text(site, "lessons/basics")
    body = html[html.index('<h1 id="basics">'):]
    order = [body.index(k) for k in ['class="mt-reading-time">1 min read</span>', "By the end of this lesson you can",
                                     '<h2 id="in-short">In short</h2>', '<h2 id="check-yourself">Check yourself</h2>',
                                     "<strong>Next lesson:</strong>", '<h2 id="more-practice">',
                                     '<h2 id="sources-for-this-lesson">']]
    assert order == sorted(order)
    assert "<li>Sources disagree on the depth.</li>" in body
    check = body[body.index('id="check-yourself"'):body.index("<strong>Next lesson:</strong>")]
    assert re.findall(r'data-mt-q="([\w-]+)"', check) == ["b-q02", "b-q03"]
    more = body[body.index('id="more-practice"'):]
    assert 'data-mt-q="b-q02"' not in more and 'data-mt-q="b-q01"' not in more  # asked above already
    assert '<a class="mt-next-lesson" href="../safety/">Safety</a>' in body
    last = text(site, "lessons/safety")
    assert "<strong>This was the last lesson.</strong>" in last and "<li>Screen every patient before the first session.</li>" in last


def test_glossary_terms_are_links_with_tooltips(site):
    html = text(site, "lessons/basics")
    assert '<a href="../../glossary/#nappage" title="Many very shallow injections over an area.">Nappage</a>' in html
    assert 'id="nappage"' in text(site, "glossary")


def test_disclaimer_on_every_page_and_no_font_or_cdn_requests(site):
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if "<header" not in html:
            continue
        assert "not medical advice" in html, page
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, page
        assert not re.search(r'(src|href)="(https?:)?//', html.replace('href="https://squidfunk', "")), page


def test_failed_build_leaves_the_previous_site_untouched(fixture_copy, tmp_path):
    from mesotrain.errors import MesotrainError
    from mesotrain.plugin.build import build_site

    root = fixture_copy("mini")
    site = tmp_path / "site"
    build_site(root / "mkdocs.yml", site)
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    (site / "marker").write_text("previous build")
    lesson = root / "content" / "02-safety.yaml"
    lesson.write_text(lesson.read_text().replace("sources: [s1, s2]", "sources: [s7]"))
    with pytest.raises(MesotrainError) as info:
        build_site(root / "mkdocs.yml", site)
    assert "content/02-safety.yaml:12:19: sections[0].blocks[0].sources[0]: unknown source 's7'" in str(info.value)
    assert (site / "marker").read_text() == "previous build"
    assert sorted(p.relative_to(site) for p in site.rglob("*") if p.name != "marker") == before
    assert not list(tmp_path.glob(".site-*"))


def test_content_error_fails_mkdocs_build_with_located_message(fixture_copy, tmp_path):
    root = fixture_copy("mini")
    bank = root / "quizzes" / "02-safety.yaml"
    bank.write_text(bank.read_text().replace("answer: true", "answer: maybe"))
    result = build(root, tmp_path / "site")
    assert result.returncode == 1
    assert "quizzes/02-safety.yaml:8:13: questions[0].answer: Input should be a valid boolean" in result.stderr
    assert "Traceback" not in result.stderr


def test_editorial_callout_is_labelled_even_with_a_title_of_its_own(fixture_copy, tmp_path):
    from mesotrain.checks import load_checked
    from mesotrain.render import render_site

    root = fixture_copy("mini")
    lesson = root / "content" / "01-basics.yaml"
    lesson.write_text(lesson.read_text().replace("        md: Read every source note.",
                                                 "        title: Reading the sources\n        md: Read every source note."))
    tree, _ = load_checked(root)
    page = next(p for p in render_site(tree) if p.path == "lessons/basics.md")
    assert '!!! tip mt-editorial "Editorial note: Reading the sources"' in page.content


def test_question_widgets_are_in_the_page_but_not_in_the_search_index(site):
    html = text(site, "lessons/basics")
    assert "mt-fragment" not in html
    for kind in ("single", "multiple", "true_false", "numeric", "ordering", "matching", "cloze", "hotspot", "case"):
        assert f'class="mt-q mt-q-{kind}"' in html, kind
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "The technique delivers small doses" in index      # prose is searchable
    assert "source gives 1–4 mm" not in index                   # a rationale is not
    assert "Which depths are given by some source" not in index


def test_figure_image_resolves_under_directory_urls(site):
    html = text(site, "lessons/safety")
    m = re.search(r'<figure class="mt-figure">\s*<p><img alt="Scalp regions seen from above" src="([^"]+)"', html)
    assert m, html[html.find("<figure"):html.find("</figure>") + 9]
    assert (site / "lessons" / "safety" / m.group(1)).resolve() == (site / "images" / "scalp-map.svg").resolve()
