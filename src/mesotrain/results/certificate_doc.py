"""A certificate as a printable one-page HTML file and as a PDF (fpdf2, pure Python).

Both say the same things in the same order, from the same printable name (see
printable.py). The PDF embeds DejaVu Sans and, for characters it lacks, whichever
installed fonts fontconfig finds for them; when no font can draw a character, the PDF
is refused (CannotPrint) rather than printed with a wrong or empty name.
"""
from __future__ import annotations

import os
import subprocess
import unicodedata
from dataclasses import dataclass
from html import escape
from pathlib import Path

FONT_ENV = "MESOTRAIN_CERT_FONT"
FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts",
             "/Library/Fonts", "C:/Windows/Fonts"]
NOTICE = ("This certificate records that the holder passed the assessment of an educational course. "
          "It is not a licence to practise, and it does not attest clinical competence.")


@dataclass(frozen=True)
class CertificateText:
    name: str
    candidate_id: str
    course: str
    version: str
    exam: str
    date: str
    band: str
    code: str
    issuer: str | None = None
    verify_url: str | None = None

    @property
    def verify_line(self) -> str:
        where = f"at {self.verify_url}" if self.verify_url else "on the course site's Verify page"
        return f"Check this certificate {where} with the code {self.code}."


HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Certificate — {name}</title>
<style>
@page {{ size: A4 landscape; margin: 0 }}
* {{ box-sizing: border-box }}
html, body {{ margin: 0; font-family: Georgia, "DejaVu Serif", serif; color: #1b1b1b }}
.sheet {{ width: 297mm; height: 210mm; padding: 14mm; margin: 0 auto; }}
.frame {{ height: 100%; border: 2.5mm double #00695c; padding: 14mm 20mm; text-align: center;
         display: flex; flex-direction: column; justify-content: space-between }}
h1 {{ font-size: 30pt; letter-spacing: .08em; margin: 0; color: #004d40; font-weight: normal }}
.name {{ font-size: 28pt; margin: 4mm 0 1mm }} .who {{ font-size: 11pt; color: #444 }}
.course {{ font-size: 17pt; margin: 2mm 0 }} p {{ margin: 1.5mm 0; font-size: 12.5pt }}
.band {{ font-size: 15pt; font-weight: bold; color: #004d40 }}
.code {{ font-family: "DejaVu Sans Mono", monospace; font-size: 15pt; letter-spacing: .12em }}
.small {{ font-size: 9.5pt; color: #444 }}
@media screen {{ body {{ background: #eee }} .sheet {{ background: #fff; margin: 1rem auto;
  box-shadow: 0 0 6px #999 }} }}
@media print {{ * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact }} }}
</style></head><body><main class="sheet"><div class="frame">
<div><h1>Certificate</h1><p>This certifies that</p>
<p class="name">{name}</p><p class="who">candidate {candidate_id}</p></div>
<div><p>passed</p><p class="course">{exam}</p><p>of the course <em>{course}</em>, version {version}, on {date}</p>
<p class="band">{band}</p></div>
<div><p>Verification code</p><p class="code">{code}</p><p class="small">{verify_line}</p>
{issuer}<p class="small">{notice}</p></div>
</div></main></body></html>
"""


def write_html(t: CertificateText, path: Path) -> Path:
    fields = {k: escape(str(v)) for k, v in t.__dict__.items() if v is not None}
    fields["issuer"] = f'<p class="small">Issued by {escape(t.issuer)}</p>' if t.issuer else ""
    fields["verify_line"] = escape(t.verify_line)
    fields["notice"] = escape(NOTICE)
    path.write_text(HTML.format(**{**{"issuer": ""}, **fields}), encoding="utf-8")
    return path


class CannotPrint(Exception):
    """A PDF certificate that would not show the name exactly as the HTML one does."""


_SKIP = {0x200C, 0x200D, 0xFE0E, 0xFE0F}  # joiners and emoji presentation selectors: no glyph of their own
_PREFER = ("DejaVuSans.ttf", "NotoSans-Regular.ttf")


def _usable(path: str) -> dict[int, str] | None:
    """The character map of an outline font fpdf2 can embed (TrueType or CFF, not a bitmap
    colour-emoji font or a collection), or None."""
    if not path.lower().endswith((".ttf", ".otf")):
        return None
    try:
        from fontTools.ttLib import TTFont

        with TTFont(path, lazy=True, fontNumber=0) as font:
            if "glyf" not in font and "CFF " not in font:
                return None
            if any(t in font for t in ("CBDT", "sbix", "COLR")):
                return None
            return dict(font.getBestCmap() or {})
    except Exception:  # a broken or unreadable font file is simply not a candidate
        return None


def _candidates(ch: str) -> list[str]:
    """Font files that fontconfig says cover ``ch`` (regular sans faces first), or the known folders."""
    found: list[str] = []
    try:
        out = subprocess.run(["fc-list", f":charset={ord(ch):x}", "file"], capture_output=True, text=True,
                             timeout=20, check=False).stdout
        found = [line.split(":")[0].strip() for line in out.splitlines() if line.strip()]
    except (OSError, subprocess.SubprocessError):
        for d in FONT_DIRS:
            found += [str(p) for p in Path(d).rglob("*") if p.suffix.lower() in (".ttf", ".otf")][:400]

    def rank(path: str) -> tuple:
        name = Path(path).name.lower()
        return (any(w in name for w in ("bold", "italic", "oblique", "condensed", "light", "thin", "black")),
                "serif" in name and "sans" not in name, "mono" in name, len(name), name)
    return sorted(dict.fromkeys(found), key=rank)


def fonts_for(texts: list[str]) -> tuple[str, str, list[str]]:
    """(regular, bold, fallbacks): font files that together draw every character of ``texts``.

    MESOTRAIN_CERT_FONT (one path, or several separated by the path separator) comes first,
    then DejaVu Sans, then whatever fontconfig finds for each character still missing.
    Raises CannotPrint naming the characters no installed font can draw.
    """
    wanted = sorted({ch for t in texts for ch in t if not ch.isspace() and ord(ch) not in _SKIP})
    chosen: list[tuple[str, dict[int, str]]] = []
    env = [p for p in os.environ.get(FONT_ENV, "").split(os.pathsep) if p]
    for path in env + [str(Path(d) / n) for d in FONT_DIRS for n in _PREFER]:
        cmap = _usable(path) if Path(path).is_file() else None
        if cmap is not None and path not in [c[0] for c in chosen]:
            chosen.append((path, cmap))
            break  # one main font; the rest only as fallbacks for what it lacks
    missing = [ch for ch in wanted if not any(ord(ch) in cmap for _, cmap in chosen)]
    for ch in missing:
        if any(ord(ch) in cmap for _, cmap in chosen):
            continue
        for path in _candidates(ch):
            cmap = _usable(path)
            if cmap and ord(ch) in cmap:
                chosen.append((path, cmap))
                break
    lacking = [ch for ch in wanted if not any(ord(ch) in cmap for _, cmap in chosen)]
    if lacking:
        shown = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '?').title()}" for c in lacking[:6])
        raise CannotPrint(f"no installed font can draw {shown}"
                          + (f" and {len(lacking) - 6} more" if len(lacking) > 6 else "")
                          + "; install fonts that cover them (Debian: fonts-dejavu-core, fonts-noto-core, "
                          f"fonts-noto-cjk or fonts-droid-fallback, fonts-symbola) or set {FONT_ENV}")
    regular = chosen[0][0]
    bold = regular.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
    return regular, bold if Path(bold).is_file() else regular, [c[0] for c in chosen[1:]]


def _needs_shaping(text: str) -> bool:
    """Right-to-left or joining scripts, which only a shaping engine draws correctly."""
    return any(unicodedata.bidirectional(ch) in ("R", "AL") or 0x0900 <= ord(ch) <= 0x0DFF for ch in text)


PDF_EXTRA = "pip install 'mesotrain[certify]'"


def pdf_missing() -> str | None:
    """What to install for PDFs, or None when the PDF writer is there.

    fpdf2 brings fontTools and Pillow (about 45 MB); only certifiers need them, so
    they come with the ``certify`` extra rather than with every instructor's install.
    """
    try:
        import fpdf  # noqa: F401
    except ImportError:
        return (f"PDF certificates need fpdf2, which comes with the certify extra: {PDF_EXTRA} "
                "(or pass --no-pdf for HTML certificates only)")
    return None


def write_pdf(t: CertificateText, path: Path) -> Path:
    from datetime import datetime, timezone

    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(f"Certificate — {t.name}")
    pdf.set_creator("mesotrain")
    pdf.set_creation_date(datetime.fromisoformat(t.date).replace(tzinfo=timezone.utc))
    texts = [t.name, t.candidate_id, t.course, t.exam, t.band, t.verify_line, t.issuer or "", NOTICE]
    regular, bold, fallbacks = fonts_for(texts)
    pdf.add_font("Body", "", regular)
    pdf.add_font("Body", "B", bold)
    for n, font in enumerate(fallbacks):
        pdf.add_font(f"Fallback{n}", "", font)
    if fallbacks:
        pdf.set_fallback_fonts([f"Fallback{n}" for n in range(len(fallbacks))], exact_match=False)
    if any(_needs_shaping(x) for x in texts):
        try:
            pdf.set_text_shaping(True)
        except Exception:  # uharfbuzz missing: the letters would print unjoined or in the wrong order
            raise CannotPrint("the name needs text shaping (right-to-left or joining script); "
                              "install mesotrain[certify], which brings uharfbuzz") from None
    family = "Body"
    pdf.add_page()
    pdf.set_draw_color(0, 105, 92)
    pdf.set_line_width(1.2)
    pdf.rect(12, 12, 273, 186)
    pdf.set_line_width(0.4)
    pdf.rect(15, 15, 267, 180)

    def line(text: str, size: float, *, style: str = "", gap: float = 2, colour=(27, 27, 27)) -> None:
        pdf.set_font(family, style, size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(0, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.set_left_margin(30)
    pdf.set_right_margin(30)
    pdf.set_y(30)
    line("CERTIFICATE", 30, colour=(0, 77, 64), gap=6)
    line("This certifies that", 13)
    pdf.set_font(family, "B", 26)
    room = 2 * (297 - 60) * 0.96  # two lines of the name at most, then a smaller size
    line(t.name, max(11.0, min(26.0, 26 * room / max(pdf.get_string_width(t.name), 1))), style="B", gap=1)
    line(f"candidate {t.candidate_id}", 11, colour=(68, 68, 68), gap=7)
    line("passed", 13)
    line(t.exam, 17, style="B")
    line(f"of the course {t.course}, version {t.version}, on {t.date}", 13, gap=4)
    line(t.band, 16, style="B", colour=(0, 77, 64), gap=8)
    line("Verification code", 12, gap=0)
    line(t.code, 16, style="B", gap=3)
    line(t.verify_line, 10, colour=(68, 68, 68), gap=1)
    if t.issuer:
        line(f"Issued by {t.issuer}", 10, colour=(68, 68, 68), gap=1)
    line(NOTICE, 9, colour=(68, 68, 68))
    pdf.output(str(path))
    return path
