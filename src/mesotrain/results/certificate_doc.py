"""A certificate as a printable one-page HTML file and as a PDF (fpdf2, pure Python).

Both say the same things in the same order. The PDF uses DejaVu Sans when the system
has it (Debian's fonts-dejavu-core) so any candidate's name prints; otherwise a core
font, with characters outside Latin-1 replaced and a warning.
"""
from __future__ import annotations

import os
import warnings
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


def _font() -> tuple[str | None, str | None]:
    """Paths of a Unicode TTF font, regular and bold, if this system has one."""
    env = os.environ.get(FONT_ENV)
    if env:
        return env, env
    for d in FONT_DIRS:
        regular = Path(d) / "DejaVuSans.ttf"
        if regular.is_file():
            bold = Path(d) / "DejaVuSans-Bold.ttf"
            return str(regular), str(bold if bold.is_file() else regular)
    return None, None


def write_pdf(t: CertificateText, path: Path) -> Path:
    from datetime import datetime, timezone

    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(f"Certificate — {t.name}")
    pdf.set_creator("mesotrain")
    pdf.set_creation_date(datetime.fromisoformat(t.date).replace(tzinfo=timezone.utc))
    regular, bold = _font()
    if regular:
        pdf.add_font("Body", "", regular)
        pdf.add_font("Body", "B", bold)
        family, clean = "Body", (lambda s: s)
    else:
        family = "Helvetica"

        def clean(s: str) -> str:
            safe = s.encode("latin-1", "replace").decode("latin-1")
            if safe != s:
                warnings.warn(f"no Unicode font found (set {FONT_ENV}); some characters were replaced")
            return safe.replace("—", "-")
    pdf.add_page()
    pdf.set_draw_color(0, 105, 92)
    pdf.set_line_width(1.2)
    pdf.rect(12, 12, 273, 186)
    pdf.set_line_width(0.4)
    pdf.rect(15, 15, 267, 180)

    def line(text: str, size: float, *, style: str = "", gap: float = 2, colour=(27, 27, 27)) -> None:
        pdf.set_font(family, style, size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(0, size * 0.5, clean(text), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.set_left_margin(30)
    pdf.set_right_margin(30)
    pdf.set_y(30)
    line("CERTIFICATE", 30, colour=(0, 77, 64), gap=6)
    line("This certifies that", 13)
    line(t.name, 26, style="B", gap=1)
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
