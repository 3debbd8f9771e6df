"""Question widgets: native controls in both modes, the runtime's data in practice, and
nothing a candidate could use in a sealed exam page."""
from __future__ import annotations

import html
import itertools
import json
import re
from html.parser import HTMLParser

import pytest

from mesotrain import scoring, sealing
from mesotrain.load import load_course
from mesotrain.render.context import Course, PageContext
from mesotrain.render.questions import render_question, render_questions, scoring_view
from mesotrain.render.svg import inline_svg

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def course():
    return Course(load_course(FIXTURES / "mini"))


@pytest.fixture
def c(course):
    return PageContext(course, "../")


def _questions(course, kind=None):
    return [(q, b.model) for b in course.tree.banks for q in b.model.questions
            if kind is None or b.model.kind == kind]


class _Tags(HTMLParser):
    """Start tags with their attributes, and whether every tag closed."""

    VOID = {"input", "br", "img", "hr", "meta", "link", "path", "rect", "ellipse", "circle", "line",
            "polygon", "polyline", "use", "stop"}

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.open: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()

    def find(self, tag, **attrs):
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def test_practice_widgets_use_native_controls_in_fieldsets(course, c):
    for q, bank in _questions(course, "practice"):
        out = render_question(q, bank, c)
        tags = _Tags(out)
        assert not tags.open, f"{q.id}: unclosed {tags.open}"
        assert "\n\n" not in out, "a blank line would end Markdown's raw HTML block"
        parts = q.parts if q.type == "case" else [q]
        assert len(tags.find("fieldset")) == len(parts)
        assert len(tags.find("legend")) == len(parts)
        for part in parts:
            if part.type in ("single", "true_false", "hotspot"):
                assert tags.find("input", type="radio")
            if part.type == "multiple":
                assert tags.find("input", type="checkbox")
        for control in tags.find("input") + tags.find("select"):
            labelled = control.get("aria-label") or any(a.get("for") == control.get("id") for a in tags.find("label"))
            assert labelled, f"{q.id}: control without a label: {control}"


def test_practice_widgets_carry_what_the_runtime_needs(course, c):
    for q, bank in _questions(course, "practice"):
        out = render_question(q, bank, c)
        root = _Tags(out).tags[0][1]
        assert root["data-mt-hash"] == sealing.fingerprint(q)
        assert root["data-mt-lesson"] == bank.lesson
        data = json.loads(root["data-mt-data"])
        assert data["q"] == scoring_view(q)
        assert data["ms"] == bank.multiple_scoring and data["neg"] == bank.negative_marking
        assert "Show the answer" in out and 'data-search-exclude' in out
        assert 'class="mt-rationale"' in out and "mt-cite" in out


def test_scoring_view_keeps_keys_and_drops_text(course):
    q = next(q for q, _ in _questions(course) if q.type == "cloze")
    view = scoring_view(q)
    assert "text" not in view and "stem" not in view and "rationale" not in view
    assert view["blanks"][0]["accept"] == q.blanks[0].accept


def test_options_are_shown_in_a_stable_order_that_does_not_follow_authoring(course, c):
    """Authors tend to write the key first; the displayed order comes from a hash."""
    firsts = []
    for q, bank in _questions(course):
        if q.type in ("single", "multiple"):
            values = [a["value"] for a in _Tags(render_question(q, bank, c)).find("input")]
            assert values == [a["value"] for a in _Tags(render_question(q, bank, c)).find("input")]
            firsts.append(values[0])
    assert len(set(firsts)) > 1


def test_practice_ordering_is_never_shown_solved(course, c):
    for q, bank in _questions(course):
        if q.type == "ordering":
            shown = [a["data-mt-item"] for a in _Tags(render_question(q, bank, c)).find("li") if "data-mt-item" in a]
            assert sorted(shown) == sorted(i.id for i in q.items)
            assert shown != [i.id for i in q.items]


# --- sealed ----------------------------------------------------------------------------------

SECRET = re.compile(r"SECRET|correct|rationale|feedback|mt-data|mt-explain|<details|mt-cite|Show the answer", re.I)


def _key_material(q) -> list[str]:
    """Texts only a key holder has: rationale, feedback, accepted answers that are not choices."""
    texts = [getattr(q, "rationale", None), getattr(q, "feedback_true", None), getattr(q, "feedback_false", None)]
    for group in ("options", "regions", "pairs"):
        texts += [o.feedback for o in getattr(q, group, None) or []]
    for b in getattr(q, "blanks", None) or []:
        texts += [a for a in b.accept if not b.choices or a not in b.choices]
    for p in getattr(q, "parts", None) or []:
        texts += _key_material(p)
    return [t for t in texts if t]


@pytest.mark.parametrize("kind", ["practice", "exam"])
def test_sealed_widgets_hold_no_key_material(course, c, kind):
    for q, bank in _questions(course, kind):
        out = render_question(q, bank, c, mode="sealed")
        assert not _Tags(out).open
        assert not SECRET.search(out), f"{q.id}: {SECRET.search(out).group(0)!r} in sealed widget"
        for text in _key_material(q):
            assert html.escape(text, quote=False) not in out and text not in out, f"{q.id}: key text {text!r}"
        root = _Tags(out).tags[0][1]
        assert root["data-mt-mode"] == "sealed" and root["data-mt-hash"] == sealing.fingerprint(q, sealed=True)
        assert "data-mt-lesson" not in root


def _with_other_key(q):
    """The same question with a different key (and no feedback), as a candidate cannot tell apart."""
    t = q.type
    if t in ("single", "multiple"):
        flip = [o.model_copy(update={"correct": not o.correct if t == "multiple" else n == len(q.options) - 1,
                                     "feedback": None}) for n, o in enumerate(q.options)]
        if t == "multiple" and not any(o.correct for o in flip):
            flip[0] = flip[0].model_copy(update={"correct": True})
        return q.model_copy(update={"options": flip, "rationale": "Other."})
    if t == "ordering":
        return q.model_copy(update={"items": list(reversed(q.items))})
    if t == "true_false":
        return q.model_copy(update={"answer": not q.answer})
    if t == "numeric":
        return q.model_copy(update={"answer": q.answer + 1})
    if t == "matching":
        matches = [p.match for p in q.pairs]
        return q.model_copy(update={"pairs": [p.model_copy(update={"match": matches[n - 1]})
                                              for n, p in enumerate(q.pairs)]})
    if t == "case":
        return q.model_copy(update={"parts": [_with_other_key(p) or p for p in q.parts], "rationale": "Other."})
    if t == "cloze":  # other accepted answers, much longer: the box must not tell
        from mesotrain.model import Blank
        return q.model_copy(update={"blanks": [Blank.model_construct(**{**b.model_dump(), "accept": [
            *(b.choices[-1:] if b.choices else []), "x" * 25]}) for b in q.blanks]})
    if t == "hotspot":
        return q.model_copy(update={"regions": [r.model_copy(update={"correct": not r.correct or n == 0, "feedback": None})
                                                for n, r in enumerate(q.regions)]})
    return None


def test_sealed_widget_does_not_change_with_the_key(course, c):
    """The strongest form of "no key material": another key renders byte for byte the same.

    Except the order of an ordering item's lines: none of the orders the exam may show is the
    key (types.ordering.sealed_order), so that order is drawn with the key, and with the private
    rationale, so that trying keys against the page cannot single one out.
    """
    checked = set()
    for q, bank in _questions(course):
        other = _with_other_key(q)
        if other is None:
            continue
        mine, theirs = render_question(q, bank, c, mode="sealed"), render_question(other, bank, c, mode="sealed")
        if "data-mt-field=\"ordering\"" in mine or 'mt-q-ordering' in mine:
            mine, theirs = sorted(mine.splitlines()), sorted(theirs.splitlines())
        assert mine == theirs, q.id
        checked.add(q.type)
    assert checked >= {"single", "multiple", "ordering", "true_false", "numeric", "matching", "hotspot", "cloze", "case"}


def test_a_sealed_ordering_is_never_shown_as_its_key():
    """Whatever the key, no rotation of the base order (the orders the exam shows) is the key."""
    from mesotrain.types.ordering import sealed_order

    items = list("abcde")
    for n in range(3, 6):
        for key in itertools.permutations(items[:n]):
            base = sealed_order("q", list(key), str, "why")
            assert sorted(base) == sorted(key)
            assert all(base[k:] + base[:k] != list(key) for k in range(n)), key
    assert sealed_order("q", list("abcd"), str, "one reason") != sealed_order("q", list("abcd"), str, "another")


def _token_key(q, scope=None):
    """The key response as a sealed page would record it (tokens instead of ids)."""
    scope = scope or q.id
    names = {kind: {v: k for k, v in table.items()} for kind, table in sealing.sealed_names(q, scope).items()}
    t = q.type
    if t == "single":
        return names["option"][next(o.id for o in q.options if o.correct)]
    if t == "multiple":
        return [names["option"][o.id] for o in q.options if o.correct]
    if t == "ordering":
        return [names["item"][i.id] for i in q.items]
    if t == "matching":
        return {names["premise"][p.id]: names["choice"][p.id] for p in q.pairs}
    if t == "cloze":
        return {names["blank"][b.id]: b.accept[0] for b in q.blanks}
    if t == "case":
        return {names["part"][p.id]: _token_key(p, sealing.part_scope(q.id, n)) for n, p in enumerate(q.parts)}
    if t == "hotspot":
        return next(r.id for r in q.regions if r.correct)
    return q.answer


def test_a_sealed_key_response_unseals_to_full_credit(course, c):
    for q, bank in _questions(course):
        out = render_question(q, bank, c, mode="sealed")
        key = _token_key(q)
        for token in re.findall(r"t[0-9a-f]{10}", json.dumps(key)):
            assert token in out, f"{q.id}: token {token} is not on the page"
        assert scoring.credit(q, sealing.unseal(q, key)) == pytest.approx(q.weight), q.id
        assert scoring.credit(q, key) == (q.weight if q.type in ("true_false", "numeric", "hotspot") else 0)


def test_unseal_leaves_unknown_and_malformed_responses_alone(course):
    q = next(q for q, _ in _questions(course) if q.type == "matching")
    assert sealing.unseal(q, None) is None
    assert sealing.unseal(q, ["x"]) == ["x"]
    assert sealing.unseal(q, {"tzzz": "tyyy"}) == {"tzzz": "tyyy"}


def test_unknown_mode_is_a_usage_error(course, c):
    q, bank = _questions(course)[0]
    with pytest.raises(ValueError, match="mode must be one of practice, sealed"):
        render_question(q, bank, c, mode="exam")


def test_render_questions_joins_blocks(course, c):
    qs = [q for q, b in _questions(course, "practice")][:3]
    bank = _questions(course, "practice")[0][1]
    assert render_questions(qs, bank, c).count('<div class="mt-q ') == 3


# --- hotspot images --------------------------------------------------------------------------

def test_hotspot_inlines_the_svg_with_named_regions(course, c):
    q, bank = next((q, b) for q, b in _questions(course, "practice") if q.type == "hotspot")
    out = render_question(q, bank, c)
    svg = out[out.index("<svg"):out.index("</svg>")]
    assert 'role="img"' in svg and f'aria-label="{html.escape(q.alt)}"' in svg
    assert 'aria-labelledby' not in svg.split(">")[0]
    for r in q.regions:
        assert f'id="q-{q.id}-{r.id}" data-mt-region="{r.id}"' in svg
    assert "url(#q-%s-" % q.id in svg  # references follow the prefixed ids
    labels = [html.unescape(m) for m in re.findall(r'<label for="[^"]+">([^<]+)</label>', out)]
    assert labels == [r.label for r in q.regions]


def test_svg_loses_scripts_and_event_handlers(tmp_path):
    f = tmp_path / "x.svg"
    f.write_text('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" onload="evil()">'
                 '<script>evil()</script><rect id="a" onclick="evil()"/><use href="#a"/></svg>')
    out = inline_svg(f, "q-1", "A map", {"a": "a"})
    assert "evil" not in out and "<?xml" not in out and 'width="10"' not in out
    assert 'id="q-1-a" data-mt-region="a"' in out and 'href="#q-1-a"' in out
    assert inline_svg(tmp_path / "missing.svg", "q", "alt", {}) is None


def test_a_missing_image_falls_back_to_its_description(course, c):
    q, bank = next((q, b) for q, b in _questions(course, "practice") if q.type == "hotspot")
    broken = q.model_copy(update={"image": "nowhere.svg"})
    out = render_question(broken, bank, c)
    assert "<svg" not in out and html.escape(q.alt) in out and 'type="radio"' in out


# --- progress pages --------------------------------------------------------------------------

def test_progress_pages(course):
    from mesotrain.render.progress import progress_pages
    pages = {p.path: p for p in progress_pages(course)}
    assert set(pages) == {"progress.md", "review.md"}
    dash = pages["progress.md"].content
    for lesson in course.tree.ordered_lessons():
        assert f'(lessons/{lesson.id}.md){{ data-mt-lesson="{lesson.id}" }}' in dash
    index = json.loads(html.unescape(re.search(r'data-mt-course="([^"]+)"', dash).group(1)))
    basics = next(l for l in index["lessons"] if l["id"] == "basics")
    bank = course.tree.practice_bank("basics")
    assert basics["q"] == [[q.id, sealing.fingerprint(q)] for q in bank.questions]
    review = pages["review.md"].content
    assert review.count('<div class="mt-q ') == sum(len(b.model.questions) for b in course.tree.banks
                                                     if b.model.kind == "practice")
    assert "search:\n  exclude: true" in review
