"""SVG figures: parsed and rebuilt from an allow-list, inlined with a caption and citations."""
from __future__ import annotations

import pytest

from mesotrain.svgsafe import sanitise

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50">{}</svg>'


def clean(body: str, **kw):
    return sanitise(SVG.format(body), prefix="f", **kw)


def test_a_clean_figure_keeps_its_text_shapes_and_colour_classes():
    fig = clean('<rect class="fill-1 fg" x="1" y="1" width="10" height="10"/>'
                '<text x="5" y="20" class="muted" text-anchor="middle">Anagen &amp; telogen</text>',
                label="The hair cycle")
    assert fig.problems == []
    assert fig.markup == (
        '<svg viewBox="0 0 100 50" class="mt-svg" role="img" aria-label="The hair cycle" focusable="false">'
        '<rect class="fill-1 fg" x="1" y="1" width="10" height="10"></rect>'
        '<text x="5" y="20" class="muted" text-anchor="middle">Anagen &amp; telogen</text></svg>')


@pytest.mark.parametrize("body, left_out, problem", [
    ("<script>alert(1)</script>", "alert", "<script> left out"),
    ('<rect onclick="alert(1)" width="1" height="1"/>', "alert", "event handler 'onclick' left out"),
    ("<style>rect{fill:red}</style>", "fill:red", "<style> left out"),
    ('<rect style="fill:red" width="1" height="1"/>', "fill:red", "'style' attribute left out"),
    ('<rect fill="#ff0000" width="1" height="1"/>', "#ff0000", 'fixed colour fill="#ff0000" left out'),
    ('<rect class="red" width="1" height="1"/>', "red", "class(es) red left out"),
    ('<image href="https://example.org/x.png"/>', "example.org", "<image> left out"),
    ('<use href="https://example.org/s.svg#a"/>', "example.org", "reference 'https://example.org/s.svg#a' left out"),
    ('<a href="https://example.org/"><text>go</text></a>', "example.org", "<a> left out"),
    ('<rect mask="url(https://example.org/m.svg#m)" width="1"/>', "example.org", "only url(#id) of this file"),
    ('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>', "<p", "<foreignObject> left out"),
])
def test_anything_off_the_allow_list_is_left_out_and_reported(body, left_out, problem):
    fig = clean(body)
    assert left_out not in fig.markup
    assert any(problem in p for p in fig.problems), fig.problems


def test_ids_and_references_to_them_are_prefixed_per_figure():
    fig = clean('<defs><marker id="arrow"><path d="M0 0L2 1L0 2z"/></marker></defs>'
                '<line x1="0" x2="9" class="fg" marker-end="url(#arrow)"/><use href="#arrow"/>')
    assert 'id="f-arrow"' in fig.markup and 'marker-end="url(#f-arrow)"' in fig.markup
    assert '<use href="#f-arrow">' in fig.markup and fig.problems == []


def test_entities_malformed_files_and_non_svg_roots_are_refused():
    doctype = '<!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]>' + SVG.format("<text>&a;</text>")
    assert sanitise(doctype, prefix="f").markup is None
    assert "DOCTYPE" in sanitise(doctype, prefix="f").problems[0]
    assert sanitise("<svg><rect></svg>", prefix="f").markup is None
    assert "the root element is <html>" in sanitise("<html/>", prefix="f").problems[0]


def test_a_figure_without_a_viewbox_is_reported():
    fig = sanitise('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', prefix="f")
    assert fig.markup is not None and "needs a viewBox" in fig.problems[0]


@pytest.mark.parametrize("attack, problem", [
    ('<a href="javascript:alert(1)"><text>go</text></a>', "<a> left out"),
    ('<rect width="1" height="1"><set attributeName="href" to="javascript:alert(1)"/></rect>', "<set> left out"),
    ('<animate attributeName="href" values="javascript:alert(1)"/>', "<animate> left out"),
])
def test_the_attacks_of_issue_15_do_not_pass(attack, problem):
    fig = clean(attack)
    assert "javascript" not in fig.markup and "<set" not in fig.markup and "<animate" not in fig.markup
    assert any(problem in p for p in fig.unsafe), fig.unsafe


def test_an_unclosed_script_is_not_a_figure():
    fig = sanitise('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><script>alert(1)', prefix="f")
    assert fig.markup is None and "not well-formed XML" in fig.unsafe[0]


def test_hotspot_images_keep_plain_colours_and_mark_their_regions():
    fig = clean('<rect id="vertex" fill="#eed3c0" width="1" height="1"/><rect fill="url(#x)" width="1"/>',
                colours=True, regions={"vertex": "vertex"})
    assert '<rect id="f-vertex" data-mt-region="vertex" fill="#eed3c0"' in fig.markup
    assert 'url(#x)' not in fig.markup and fig.style == []


def _figure_course(fixture_copy, svg: str, **block):
    root = fixture_copy("mini")
    (root / "content" / "images" / "figures").mkdir()
    (root / "content" / "images" / "figures" / "cycle.svg").write_text(svg)
    lesson = root / "content" / "02-safety.yaml"
    extra = "".join(f"\n        {k}: {v}" for k, v in block.items())
    text, rest = lesson.read_text().split("in_short:")
    lesson.write_text(text + f"""
      - kind: figure
        src: figures/cycle.svg
        alt: Three phases of the hair cycle.
        caption: The hair cycle.{extra}
        sources: [s2]
in_short:""" + rest)
    return root


def test_a_clean_figure_is_inlined_with_caption_editorial_label_and_marks(fixture_copy):
    from mesotrain.checks import load_checked
    from mesotrain.render import render_site

    root = _figure_course(fixture_copy, SVG.format('<text x="1" y="9" class="fg">Anagen</text>'), editorial="true")
    tree, _ = load_checked(root)
    page = next(p for p in render_site(tree) if p.path == "lessons/safety.md").content
    assert ('<figure class="mt-figure mt-fig"><svg viewBox="0 0 100 50" class="mt-svg" role="img" '
            'aria-label="Three phases of the hair cycle." focusable="false"><text x="1" y="9" class="fg">Anagen</text>'
            '</svg><figcaption><strong class="mt-editorial-label">Editorial</strong> The hair cycle. '
            '<sup class="mt-cite">[<a href="#src-s2" title="[2] Second source">2</a>]</sup></figcaption></figure>') in page
    # a figure that would not follow the palette is shown as an image, as before
    assert "![Scalp regions seen from above](../images/scalp-map.svg)" in page


def test_check_reports_unsafe_figures_as_errors_and_lets_fixed_colours_through_as_an_image(fixture_copy):
    from mesotrain.errors import ContentError
    from mesotrain.checks import load_checked
    from mesotrain.render import render_site

    root = _figure_course(fixture_copy, SVG.format('<rect fill="#ff0000" onclick="x()" width="1"/>'))
    with pytest.raises(ContentError) as info:
        load_checked(root)
    assert [str(p) for p in info.value.problems] == [
        "content/02-safety.yaml:19:14: sections[0].blocks[2].src: content/images/figures/cycle.svg: "
        "event handler 'onclick' left out: figures run no script"]
    (root / "content" / "images" / "figures" / "cycle.svg").write_text(SVG.format('<rect fill="#ff0000" width="1"/>'))
    tree, warnings = load_checked(root, strict=True)  # fixed colours are no error: the figure stays an image
    assert warnings == []
    page = next(p for p in render_site(tree) if p.path == "lessons/safety.md").content
    assert "(../images/figures/cycle.svg)" in page


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    f = lambda c: c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4  # noqa: E731
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("scheme, page", [(":root", "#ffffff"), ('[data-md-color-scheme="slate"]', "#1e2029")])
def test_figure_text_colours_meet_aa_contrast_on_the_page_and_every_fill(scheme, page):
    import re

    from .conftest import ROOT

    css = (ROOT / "src" / "mesotrain" / "assets" / "quiz.css").read_text()
    block = css[css.index(scheme + " {"):]
    block = block[:block.index("}")]
    colours = dict(re.findall(r"--mt-fig-([\w-]+):\s*(#[0-9a-f]{6})", block))
    assert set(colours) == {"fg", "muted", "accent", "fill-1", "fill-2", "fill-3", "fill-4"}
    for text in ("fg", "muted", "accent"):
        for ground in [page] + [colours[f"fill-{n}"] for n in range(1, 5)]:
            assert _contrast(colours[text], ground) >= 4.5, (scheme, text, ground)


def test_harmless_unknown_markup_is_dropped_as_style_not_as_danger():
    fig = sanitise('<svg xmlns="http://www.w3.org/2000/svg" xmlns:i="http://example.org/editor" viewBox="0 0 1 1">'
                   '<i:layer i:name="x"/><linearGradient id="g"/><text font-family="serif">t</text></svg>', prefix="f")
    assert fig.unsafe == [] and fig.style and 'font-family="serif"' in fig.markup
    assert "layer" not in fig.markup and "linearGradient" not in fig.markup
