"""The item-analysis report as one self-contained HTML file with inline SVG charts.

No script and no request off the file: it opens from a USB stick, prints, and
archives. Each chart has a text title and the same figures are in the tables below.
"""
from __future__ import annotations

from html import escape

from ..exam import SealedExam
from . import stats
from .analysis import Analysis, FormStats

CSS = """
body{font:15px/1.5 system-ui,sans-serif;color:#1b1b1b;max-width:72rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.8rem 0;font-size:.9rem}
th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.flag{color:#8a1c00;font-weight:600}.key{font-weight:700}
.note{color:#444;font-size:.9rem}svg text{font:12px system-ui,sans-serif;fill:#1b1b1b}
figure{margin:1rem 0}figcaption{font-size:.9rem;color:#444}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}table,figure{break-inside:avoid}}
"""


def _f(x: float | None, digits: int = 2, pct: bool = False) -> str:
    if x is None:
        return "–"
    return f"{x * 100:.1f}%" if pct else f"{x:.{digits}f}"


def histogram_svg(counts: list[int], title: str) -> str:
    """Bars for the ten score bands 0–10% … 90–100%."""
    w, h, left, bottom = 520, 220, 40, 30
    top = max(counts) or 1
    bw = (w - left - 10) / 10
    bars = []
    for i, c in enumerate(counts):
        bh = (h - bottom - 20) * c / top
        x = left + i * bw
        y = h - bottom - bh
        bars.append(f'<rect x="{x + 2:.1f}" y="{y:.1f}" width="{bw - 4:.1f}" height="{bh:.1f}" fill="#00796b">'
                    f'<title>{i * 10}–{i * 10 + 10}%: {c}</title></rect>'
                    f'<text x="{x + bw / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{c or ""}</text>'
                    f'<text x="{x + bw / 2:.1f}" y="{h - bottom + 16}" text-anchor="middle">{i * 10}</text>')
    return (f'<svg role="img" viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-labelledby="t-{id(counts)}">'
            f'<title id="t-{id(counts)}">{escape(title)}</title>'
            f'<line x1="{left}" y1="{h - bottom}" x2="{w - 10}" y2="{h - bottom}" stroke="#555"/>'
            + "".join(bars) + f'<text x="{w - 10}" y="{h - 2}" text-anchor="end">score %</text></svg>')


CHAR_W, LINE_H = 6.8, 12  # an upper bound of a 12 px sans-serif label's glyph width, and its height


def place_labels(points: list[tuple[float, float, str]], box: tuple[float, float, float, float],
                 r: float = 5) -> list[tuple[float, float, str, str] | None]:
    """Where each point's label goes — (x, y, text-anchor, text) — or None where every spot
    beside it (right, left, above, below) would overlap another label or dot or leave ``box``.
    Greedy, points taken left to right; a label left out stays in the dot's tooltip."""
    dots = [(x - r, y - r, x + r, y + r) for x, y, _ in points]
    taken: list[tuple[float, float, float, float]] = []
    out: list[tuple[float, float, str, str] | None] = [None] * len(points)
    for i in sorted(range(len(points)), key=lambda i: (points[i][0], points[i][1])):
        x, y, text = points[i]
        w = CHAR_W * len(text)
        spots = [(x + r + 2, y + 4, "start", x + r + 2, y - 8, x + r + 2 + w, y + 4),
                 (x - r - 2, y + 4, "end", x - r - 2 - w, y - 8, x - r - 2, y + 4),
                 (x, y - r - 3, "middle", x - w / 2, y - r - 3 - LINE_H, x + w / 2, y - r - 3),
                 (x, y + r + LINE_H, "middle", x - w / 2, y + r, x + w / 2, y + r + LINE_H)]
        for tx, ty, anchor, *rect in spots:
            inside = box[0] <= rect[0] and rect[2] <= box[2] and box[1] <= rect[1] and rect[3] <= box[3]
            clear = not any(_overlap(rect, o) for o in taken) and \
                not any(_overlap(rect, d) for j, d in enumerate(dots) if j != i)
            if inside and clear:
                taken.append(tuple(rect))
                out[i] = (tx, ty, anchor, text)
                break
    return out


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def scatter_svg(items: list[stats.ItemStats]) -> str:
    """Each item at (facility, point-biserial), with the review thresholds drawn in."""
    w, h, pad = 520, 320, 40
    def px(f): return pad + f * (w - 2 * pad)
    def py(r): return h - pad - (r + 1) / 2 * (h - 2 * pad)
    guides = (f'<rect x="{px(stats.HARD):.1f}" y="{py(1):.1f}" width="{px(stats.EASY) - px(stats.HARD):.1f}" '
              f'height="{py(stats.WEAK) - py(1):.1f}" fill="#e0f2f1"/>'
              f'<line x1="{pad}" y1="{py(0):.1f}" x2="{w - pad}" y2="{py(0):.1f}" stroke="#999"/>'
              f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="#555"/>'
              f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{h - pad}" stroke="#555"/>'
              f'<text x="{w / 2}" y="{h - 8}" text-anchor="middle">facility (proportion correct)</text>'
              f'<text x="12" y="{h / 2}" transform="rotate(-90 12 {h / 2})" text-anchor="middle">point-biserial</text>'
              f'<text x="{pad}" y="{h - pad + 14}" text-anchor="middle">0</text>'
              f'<text x="{w - pad}" y="{h - pad + 14}" text-anchor="middle">1</text>'
              f'<text x="{pad - 4}" y="{py(1) + 4:.1f}" text-anchor="end">1</text>'
              f'<text x="{pad - 4}" y="{py(0) + 4:.1f}" text-anchor="end">0</text>'
              f'<text x="{pad - 4}" y="{py(-1) + 4:.1f}" text-anchor="end">−1</text>')
    dots = []
    shown = [s for s in items if s.facility is not None and s.point_biserial is not None]
    labels = place_labels([(px(s.facility), py(s.point_biserial), s.item_id) for s in shown], (pad, 0, w, h - pad))
    for s, label in zip(shown, labels):
        colour = "#b3261e" if s.flags else "#00796b"
        dots.append(f'<circle cx="{px(s.facility):.1f}" cy="{py(s.point_biserial):.1f}" r="5" fill="{colour}">'
                    f'<title>{escape(s.item_id)}: facility {s.facility:.2f}, r {s.point_biserial:.2f}</title></circle>')
        if label is not None:
            x, y, anchor, text = label
            dots.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(text)}</text>')
    return (f'<svg role="img" viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-labelledby="t-scatter">'
            f'<title id="t-scatter">Items by facility and discrimination; the shaded box is the '
            f'comfortable zone</title>{guides}{"".join(dots)}</svg>')


def _form_rows(forms: list[FormStats]) -> str:
    return "".join(
        f"<tr><td>{escape(f.form)}</td><td class=n>{f.n}</td><td class=n>{f.k}</td><td class=n>{_f(f.mean, pct=True)}"
        f"</td><td class=n>{_f(f.sd, pct=True)}</td><td class=n>{_f(f.kr20)}</td><td class=n>{_f(f.sem_items)}</td>"
        f"<td class=n>{_f(f.pass_rate, pct=True)}</td></tr>" for f in forms)


def _item_rows(a: Analysis) -> str:
    rows = []
    for s in a.items:
        i = a.info[s.item_id]
        flags = "<br>".join(f'<span class="flag">{escape(x)}</span>' for x in s.flags)
        rows.append(f'<tr><td><a href="#item-{escape(s.item_id)}">{escape(s.item_id)}</a></td>'
                    f"<td>{escape(i['type'])}</td><td>{escape(str(i['domain']))}</td><td class=n>{s.n}</td>"
                    f"<td class=n>{_f(s.facility)}</td><td class=n>{_f(s.point_biserial)}</td>"
                    f"<td class=n>{_f(s.upper_lower)}</td><td>{flags}</td></tr>")
    return "".join(rows)


def _option_tables(a: Analysis) -> str:
    out = []
    for s in a.items:
        opts = a.options.get(s.item_id)
        if not opts:
            continue
        rows = "".join(
            f'<tr><td{" class=key" if o.key else ""}>{escape(o.id)}{" (key)" if o.key else ""}</td>'
            f"<td>{escape(o.text)}</td><td class=n>{o.count}</td><td class=n>{o.upper}</td>"
            f"<td class=n>{o.lower}</td></tr>" for o in opts)
        out.append(f'<h3 id="item-{escape(s.item_id)}">{escape(s.item_id)}: {escape(a.info[s.item_id]["stem"])}</h3>'
                   "<table><tr><th>option</th><th>text</th><th>chosen</th><th>upper 27%</th><th>lower 27%</th></tr>"
                   f"{rows}</table>")
    return "".join(out)


def render_html(a: Analysis, sealed: SealedExam) -> str:
    forms = "".join(f"<figure>{histogram_svg(f.histogram, f'Score distribution, form {f.form}')}"
                    f"<figcaption>Form {escape(f.form)}: {f.n} attempts</figcaption></figure>" for f in a.forms)
    flagged = sum(1 for s in a.items if s.flags)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Item analysis — {escape(sealed.exam.title)}</title><style>{CSS}</style></head><body>
<h1>Item analysis — {escape(sealed.exam.title)}</h1>
<p>{escape(sealed.course_title)} {escape(sealed.course_version)} · {a.n} graded attempts · {len(a.items)} items,
{flagged} flagged for review · generated {escape(a.generated)} · key {escape(sealed.key_hash[7:19])}…</p>
<h2>Exam</h2>
<table><tr><th>form</th><th>attempts</th><th>items</th><th>mean</th><th>SD</th><th>KR-20</th>
<th>SEM (items)</th><th>pass rate</th></tr>{_form_rows(a.forms)}</table>
<figure>{histogram_svg(a.histogram, "Score distribution, all forms")}<figcaption>All forms</figcaption></figure>
{forms}
<h2>Items</h2>
<figure>{scatter_svg(a.items)}<figcaption>Red items carry a review flag. Where items crowd together, some labels are left out: point at a dot for its item, or see the table below.</figcaption></figure>
<table><tr><th>item</th><th>type</th><th>domain</th><th>n</th><th>facility</th><th>point-biserial</th>
<th>upper–lower D</th><th>review</th></tr>{_item_rows(a)}</table>
<h2>Options chosen</h2>
{_option_tables(a)}
<h2>How to read this</h2>
<ul class="note">
<li><b>Facility</b>: the proportion who earned full credit. Flagged below {stats.HARD:.2f} (hard) or above
{stats.EASY:.2f} (easy).</li>
<li><b>Point-biserial</b>: correlation of the item (correct or not) with the score on the rest of the exam.
Below {stats.WEAK:.2f} the item tells strong and weak candidates apart poorly; below 0, check the key.</li>
<li><b>Upper–lower D</b>: facility in the top 27% minus facility in the bottom 27% by exam score.</li>
<li><b>KR-20</b>: internal consistency of a form (0–1; 0.7 or more is usual for certification), with population
variances. <b>SEM</b> = SD × √(1 − KR-20), in items: a candidate's score is uncertain by about this much.</li>
<li>Distractors chosen by under {stats.DEAD_DISTRACTOR:.0%} of {stats.MIN_FOR_DISTRACTORS} or more candidates
do no work; one that draws more of the top group than the key may be a second right answer.</li>
<li>Statistics on fewer than about 30 attempts are unstable: read them as hints.</li>
</ul>
</body></html>
"""
