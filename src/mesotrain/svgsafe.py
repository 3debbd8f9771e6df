"""SVG images made safe to inline into a page: parsed, then rebuilt from an allow-list.

One sanitiser for lesson figures and hotspot questions.

A figure's SVG is copied into the page as markup (so its text is text, selectable and
searchable, and its colours follow the reader's palette). It is therefore parsed with the
standard library's XML parser and rebuilt element by element, keeping only what is listed
here: drawing elements, geometry and typography attributes, ids, and the colour classes the
theme defines. Anything else — scripts, event handlers, <style>, foreignObject, links and
references outside the file, fixed colours, a DOCTYPE (entities) — is left out and reported,
so ``mesotrain check`` can say what to fix and the page never carries it.

Problems come in two kinds: ``unsafe`` (what could run or load something: a script, an
event handler, animation, an outside reference, a DOCTYPE, a file that does not parse),
always an error; and ``style`` (a fixed colour, an unknown class, no viewBox), which keep a
figure from following the palette. Hotspot images may keep plain fixed colours.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XHTML_NS = "http://www.w3.org/1999/xhtml"

# The colour classes the theme defines in both palettes (see the figure rules in assets/quiz.css).
CLASSES = frozenset({"fg", "muted", "accent", "fill-1", "fill-2", "fill-3", "fill-4"})

ELEMENTS = frozenset({
    "svg", "g", "defs", "title", "desc", "symbol", "use", "marker", "clipPath", "mask",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan",
})
_GEOMETRY = {
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height", "d",
    "points", "transform", "dx", "dy", "rotate", "pathLength", "viewBox", "preserveAspectRatio",
    "refX", "refY", "markerWidth", "markerHeight", "markerUnits", "orient",
    "clipPathUnits", "maskUnits", "maskContentUnits",
}
_STYLE = {
    "stroke-width", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "fill-rule", "clip-rule", "opacity", "fill-opacity", "stroke-opacity",
    "vector-effect", "text-anchor", "dominant-baseline", "alignment-baseline", "baseline-shift",
    "font-size", "font-weight", "font-style", "letter-spacing", "textLength", "lengthAdjust",
    "visibility", "display", "pointer-events", "font-family", "font-variant", "text-decoration",
    "writing-mode",
}
_ACCESS = {"id", "class", "role", "aria-hidden", "aria-label", "aria-labelledby", "aria-describedby",
           "lang", "xml:space"}
ATTRIBUTES = frozenset(_GEOMETRY | _STYLE | _ACCESS)
_URL_ATTRS = {"clip-path", "mask", "marker-start", "marker-mid", "marker-end"}  # url(#id) only
_COLOUR_ATTRS = {"fill", "stroke", "color", "stop-color", "flood-color", "lighting-color"}
_LOCAL_URL = re.compile(r"^\s*url\(\s*#([A-Za-z_][\w.-]*)\s*\)\s*$")
_IDREF_ATTRS = {"aria-labelledby", "aria-describedby"}
_ANIMATION = {"set", "animate", "animateMotion", "animateTransform", "animateColor", "discard"}
# Elements that can run, load or embed something; any other unknown element is only dropped.
_DANGEROUS = _ANIMATION | {"script", "style", "foreignObject", "image", "a", "iframe", "object", "embed",
                           "feImage", "handler", "listener", "audio", "video", "link", "meta"}
_PLAIN_COLOUR = re.compile(r"^\s*(#[0-9a-fA-F]{3,8}|[a-zA-Z]+|rgba?\(\s*[\d.%\s,]+\))\s*$")
_ROOT_DROP = {"width", "height", "role", "aria-label", "aria-labelledby", "aria-describedby", "class"}


class Refused(Exception):
    pass


class _Builder(ET.TreeBuilder):
    """A tree builder that refuses a DOCTYPE: no entity can be declared, so none expands."""

    def doctype(self, name, pubid, system):  # called by XMLParser when the file has one
        raise Refused("a DOCTYPE is not allowed (it can declare entities)")


@dataclass
class Figure:
    """A sanitised SVG: its markup (None when the file is unusable) and what was left out."""

    markup: str | None
    unsafe: list[str] = field(default_factory=list)
    style: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return self.unsafe + self.style

    @property
    def clean(self) -> bool:
        return self.markup is not None and not self.unsafe and not self.style


def _local(tag: str) -> tuple[str | None, str]:
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return None, tag


def sanitise(text: str, *, prefix: str, label: str | None = None, colours: bool = False,
             regions: dict[str, str] | None = None) -> Figure:
    """``text`` (an SVG document) rebuilt from the allow-list, ids prefixed with ``prefix``.

    With ``label`` the root becomes ``role="img"`` with that accessible name (a figure's alt
    text) and class ``mt-svg``. ``colours`` keeps plain fixed colours (hotspot images);
    ``regions`` maps a shape id to the value of its radio button (``data-mt-region``).
    """
    unsafe: list[str] = []
    style: list[str] = []
    regions = regions or {}
    try:
        parser = ET.XMLParser(target=_Builder())
        parser.feed(text)
        root = parser.close()
    except Refused as exc:
        return Figure(None, [str(exc)])
    except ET.ParseError as exc:
        return Figure(None, [f"not well-formed XML: {exc}"])
    ns, name = _local(root.tag)
    if name != "svg" or ns not in (SVG_NS, None):
        return Figure(None, [f"the root element is <{name}>, not <svg>"])
    if not root.get("viewBox"):
        style.append("the <svg> element needs a viewBox, so the figure scales with the page")
    ids = {el.get("id") for el in root.iter() if el.get("id")}

    def note(message: str, kind: str = "unsafe") -> None:
        where = unsafe if kind == "unsafe" else style
        if message not in where:
            where.append(message)

    def attrs(el: ET.Element, is_root: bool) -> list[tuple[str, str]]:
        out = []
        for key, value in el.attrib.items():
            kns, kname = _local(key)
            shown = kname if kns is None else ("xlink:" + kname if kns == XLINK_NS else kname)
            if kns == "http://www.w3.org/XML/1998/namespace":
                shown = "xml:" + kname
            if kname.lower().startswith("on"):
                note(f"event handler '{shown}' left out: figures run no script")
            elif shown == "style":
                note("'style' attribute left out: use the classes " + ", ".join(sorted(CLASSES)))
            elif shown in _COLOUR_ATTRS:
                if value.strip() in ("none", "currentColor", "inherit"):
                    out.append((shown, value.strip()))
                elif colours and _PLAIN_COLOUR.match(value):
                    out.append((shown, value.strip()))
                elif _PLAIN_COLOUR.match(value):
                    note(f"fixed colour {shown}=\"{value}\" left out: use the classes "
                         + ", ".join(sorted(CLASSES)) + ", which follow the palette", "style")
                else:
                    note(f"{shown}=\"{value}\" left out: only a plain colour is allowed")
            elif shown in ("href", "xlink:href"):
                m = re.match(r"^#([A-Za-z_][\w.-]*)$", value.strip())
                if _local(el.tag)[1] == "use" and m and m.group(1) in ids:
                    out.append(("href", f"#{prefix}-{m.group(1)}"))
                else:
                    note(f"reference '{value}' left out: a figure refers only to shapes of its own file")
            elif shown in _URL_ATTRS:
                m = _LOCAL_URL.match(value)
                if m and m.group(1) in ids:
                    out.append((shown, f"url(#{prefix}-{m.group(1)})"))
                else:
                    note(f"{shown}=\"{value}\" left out: only url(#id) of this file is allowed")
            elif shown == "class":
                names = value.split()
                bad = [c for c in names if c not in CLASSES]
                if bad:
                    note(f"class(es) {', '.join(bad)} left out: the allowed classes are "
                         + ", ".join(sorted(CLASSES)), "style")
                kept = [c for c in names if c in CLASSES]
                if kept and not is_root:
                    out.append(("class", " ".join(kept)))
            elif is_root and shown in _ROOT_DROP:
                continue
            elif shown == "id":
                out.append(("id", f"{prefix}-{value}"))
                if value in regions:
                    out.append(("data-mt-region", regions[value]))
            elif shown in _IDREF_ATTRS:
                out.append((shown, " ".join(f"{prefix}-{i}" for i in value.split())))
            elif shown in ATTRIBUTES:
                if "url(" in value or "javascript:" in value.lower():
                    note(f"{shown}=\"{value}\" left out: no references in figure attributes")
                else:
                    out.append((shown, value))
            else:  # harmless but unknown (an editor's own attributes, say): dropped, not dangerous
                note(f"attribute '{shown}' left out: not on the figure allow-list", "style")
        return out

    def build(el: ET.Element, is_root: bool) -> str:
        ens, tag = _local(el.tag)
        if ens not in (SVG_NS, None) or tag not in ELEMENTS:
            reason = {"script": "figures run no script",
                      "style": "colours come from the classes " + ", ".join(sorted(CLASSES)),
                      "foreignObject": "only SVG drawing elements are allowed",
                      "image": "a figure embeds no other file",
                      "a": "a figure holds no links"}.get(tag, "not on the figure allow-list")
            if tag in _ANIMATION:
                reason = "a figure does not animate (an animation can rewrite links and attributes)"
            note(f"<{tag}> left out: {reason}", "unsafe" if tag in _DANGEROUS or ens == XHTML_NS else "style")
            return html.escape(el.tail or "", quote=False)
        parts = [f"<{tag}"]
        kept = attrs(el, is_root)
        if is_root:
            kept.append(("class", "mt-svg"))
            if label is not None:
                kept += [("role", "img"), ("aria-label", label)]
            kept.append(("focusable", "false"))
        parts += [f' {k}="{html.escape(v)}"' for k, v in kept]
        parts.append(">")
        parts.append(html.escape(el.text or "", quote=False))
        parts += [build(child, False) for child in el]
        parts.append(f"</{tag}>")
        if not is_root:
            parts.append(html.escape(el.tail or "", quote=False))
        return "".join(parts)

    markup = build(root, True)
    # No blank lines: Markdown must keep the whole figure as one raw HTML block.
    markup = "\n".join(line for line in markup.splitlines() if line.strip())
    return Figure(markup, unsafe, style)


def sanitise_file(path, **options) -> Figure:
    """:func:`sanitise` of the file at ``path``; a file that cannot be read is unusable."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Figure(None, [f"cannot be read as UTF-8 text ({exc.__class__.__name__})"])
    return sanitise(text, **options)
