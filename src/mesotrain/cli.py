"""The ``mesotrain`` command line: check, lint, schema, new, bank, build-pages, build, package (and results)."""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import click

from .checks import load_checked
from .errors import ContentError, MesotrainError, UsageError
from .exchange import FORMATS
from .load import CourseTree

ROOT_HELP = "The course directory (holding content/ and quizzes/). Default: the current directory."


def _root_option(f):
    return click.option("--root", "-C", "root", type=click.Path(file_okay=False, path_type=Path),
                        default=".", show_default=True, help=ROOT_HELP)(f)


def _require_course(root: Path) -> None:
    if not (root / "content").is_dir():
        raise click.UsageError(f"'{root}' has no content/ folder; run this in a course directory or pass --root DIR")


def _load(root: Path, strict: bool) -> tuple[CourseTree, list]:
    """Load or exit 1 with every problem on stderr."""
    _require_course(root)
    try:
        tree, warnings = load_checked(root, strict=strict)
    except ContentError as exc:
        _fail(exc)
    for w in warnings:
        click.echo(str(w), err=True)
    return tree, warnings


def _fail(exc: ContentError) -> None:
    """Every problem on stderr, and exit 1."""
    for p in exc.problems:
        click.echo(str(p), err=True)
    errors = sum(p.severity == "error" for p in exc.problems)
    click.echo(f"{errors} error(s), {len(exc.problems) - errors} warning(s): the course was not built.", err=True)
    sys.exit(1)


def summary(tree: CourseTree) -> str:
    """One line that says what the course holds."""
    types: Counter[str] = Counter(q.type for b in tree.banks for q in b.model.questions)
    objectives = sum(len(l.model.objectives) for l in tree.lessons)
    practice = sum(len(b.model.questions) for b in tree.banks if b.model.kind == "practice")
    exam = sum(len(b.model.questions) for b in tree.banks if b.model.kind == "exam")
    by_type = ", ".join(f"{t} {n}" for t, n in sorted(types.items()))
    return (f"{len(tree.lessons)} lessons, {objectives} objectives, {practice} practice + {exam} exam questions"
            f" ({by_type}), {len(tree.source_list)} sources, {len(tree.terms)} glossary terms")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mesotrain")
def main() -> None:
    """Build interactive training courses and certification exams from YAML."""


@main.command()
@_root_option
@click.option("--strict", is_flag=True, help="Treat warnings (e.g. an objective no question assesses) as errors.")
def check(root: Path, strict: bool) -> None:
    """Validate every course file and report every problem as file:line:col.

    Exits 0 when the course is clean, 1 on content errors, 2 on usage errors.
    """
    tree, warnings = _load(root, strict)
    click.echo(f"ok: {summary(tree)}" + (f"; {len(warnings)} warning(s)" if warnings else ""))


@main.command()
@_root_option
def lint(root: Path) -> None:
    """Check item-writing rules: banned phrasings, cues, feedback, key balance, coverage.

    Runs after a clean `check`. Exits 1 when any rule is broken.
    """
    from .lint import lint_course

    tree, _ = _load(root, strict=False)
    problems = lint_course(tree)
    for p in problems:
        click.echo(str(p), err=True)
    if problems:
        click.echo(f"{len(problems)} item-writing problem(s).", err=True)
        sys.exit(1)
    click.echo(f"ok: {sum(len(b.model.questions) for b in tree.banks)} questions follow the item-writing rules")


@main.command()
@_root_option
@click.option("--form", "only", metavar="LABEL", help="Print only this form (A, B, …).")
@click.option("--ids", is_flag=True, help="Item ids only, one form per line.")
def forms(root: Path, only: str | None, ids: bool) -> None:
    """Print the exam's forms as the draw makes them: each item, its domain and what the
    candidate sees (stem, vignette, options, parts), to read a form for give-aways.

    Exits 1 when the course has errors, 2 when it has no exam or no such form.
    """
    from .exam.forms import exam_pool, forms_for
    from .types.base import public_view

    tree, _ = _load(root, strict=False)
    if tree.exam is None:
        raise click.UsageError("the course has no exam (quizzes/exam.yaml)")
    drawn = forms_for(tree)
    if only is not None and only not in {f.id for f in drawn}:
        raise click.UsageError(f"no form '{only}'; the exam has forms {', '.join(f.id for f in drawn)}")
    pool = {p.id: p for p in exam_pool(tree)}
    for f in drawn:
        if only is not None and f.id != only:
            continue
        if ids:
            click.echo(f"{f.id} {' '.join(f.items)}")
            continue
        click.echo(f"== form {f.id}: {len(f.items)} items")
        for n, item in enumerate(f.items, 1):
            p = pool[item]
            click.echo(f"{n:>3}. {item} [{p.domain}, {p.question.type}]")
            for line in _seen(public_view(p.question)):
                click.echo("       " + line)


def _seen(view, depth: int = 0) -> list[str]:
    """A sealed page's view of a question as indented lines of text."""
    out: list[str] = []
    pad = "  " * depth
    for key, value in view.items():
        if key in ("id", "type", "weight") or value in (None, [], ""):
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for n, part in enumerate(value, 1):
                out.append(f"{pad}{key} {n}:")
                out += _seen(part, depth + 1)
        elif isinstance(value, list):
            out += [f"{pad}{key}: " + " | ".join(" ".join(str(v).split()) if not isinstance(v, list)
                                                 else " / ".join(map(str, v)) for v in value)]
        else:
            out.append(f"{pad}{key}: " + " ".join(str(value).split()))
    return out


@main.command()
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas"),
              show_default=True, help="Folder to write the JSON Schema files into.")
def schema(out: Path) -> None:
    """Write JSON Schema files for every course file kind, for editor completion."""
    from .schemas import write_schemas

    for path in write_schemas(out):
        click.echo(f"wrote {path}")


@main.group()
def new() -> None:
    """Scaffold a valid new lesson or question bank."""


@new.command("lesson")
@_root_option
@click.argument("lesson_id")
@click.option("--domain", default=None, help="The lesson's domain id. Default: the course's first domain.")
def new_lesson(root: Path, lesson_id: str, domain: str | None) -> None:
    """Create content/NN-LESSON_ID.yaml and add it to the course's lesson order."""
    from .scaffold import new_lesson as make

    _require_course(root)
    _run(lambda: click.echo(f"created {make(root, lesson_id, domain)}"))


@new.command("bank")
@_root_option
@click.argument("lesson_id")
def new_bank(root: Path, lesson_id: str) -> None:
    """Create a practice bank in quizzes/ for the lesson LESSON_ID."""
    from .scaffold import new_bank as make

    _require_course(root)
    _run(lambda: click.echo(f"created {make(root, lesson_id)}"))


@main.group()
def bank() -> None:
    """Exchange question banks with Moodle and other systems (GIFT, Moodle XML)."""


@bank.command("export")
@_root_option
@click.argument("bank_name", metavar="BANK")
@click.option("--format", "-f", "fmt", type=click.Choice(list(FORMATS)), required=True,
              help="The format to write: GIFT (Moodle's text format), Moodle XML, or QTI 2.1 "
                   "(a content package: needs --out FILE.zip).")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The file to write. Default: standard output.")
def bank_export(root: Path, bank_name: str, fmt: str, out: Path | None) -> None:
    """Write the bank BANK (its id, its lesson's id or its file) for another system.

    Each question the format cannot carry, and each detail it loses, is reported by
    question on stderr; the others are written. Exits 1 when the course has errors.
    """
    from .exchange import TITLES, export, find_bank

    tree, _ = _load(root, strict=False)
    found = find_bank(tree, bank_name)
    if found is None:
        names = ", ".join(sorted(b.model.id for b in tree.banks))
        raise click.BadParameter(f"no bank '{bank_name}' in {root}; give a bank id, a lesson id or a bank file "
                                 f"(banks: {names})", param_hint="BANK")
    result = export(tree, found, fmt)
    if out is None and result.suffix == ".zip":
        raise click.UsageError(f"{TITLES[fmt]} is a zip file; give --out FILE{result.suffix}")
    loaded = next(b for b in tree.banks if b.model is found)
    index = {q.id: i for i, q in enumerate(found.questions)}
    for note in result.notes:  # at the question's line; a case part's note at its case's
        at = index.get(note.qid, index.get(note.qid.split(".")[0]))
        where = ("questions", at) if at is not None else ()
        click.echo(str(loaded.doc.problem(where, str(note), severity="warning")), err=True)
    skipped = len(found.questions) - result.count
    said = (f"{result.count} of {len(found.questions)} question(s) of {found.id} in {TITLES[fmt]}"
            + (f"; {skipped} not carried (see above)" if skipped else ""))
    if out is None:
        click.echo(result.data, nl=False)
        click.echo(f"wrote {said}", err=True)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(result.data)
        click.echo(f"wrote {out}: {said}")


@bank.command("import")
@_root_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lesson", "lesson_id", metavar="ID", required=True, help="The lesson whose practice questions these become.")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The bank file to write. Default: the lesson's practice bank file in quizzes/, "
                   "or NN-LESSON-imported.yaml beside it when the lesson has one.")
def bank_import(root: Path, file: Path, lesson_id: str, out: Path | None) -> None:
    """Turn a GIFT (.gift) or Moodle XML (.xml) file into a practice bank of LESSON.

    Prints what needs an instructor's attention, question by question: the objective and
    sources to set, a missing rationale, anything the file holds that has no place here.
    Exits 1 when the file is malformed or holds nothing importable, 2 on usage errors.
    """
    from .errors import display_path
    from .exchange import read_file
    from .exchange.importer import build, default_path

    tree, _ = _load(root, strict=False)

    def action():
        items, slot = read_file(file, display_path(file))
        target, bank_id = default_path(tree, lesson_id)
        if out is not None:
            bank_id = re.sub(r"[^a-z0-9_.-]+", "-", out.stem.lower()).strip("-.") or f"{lesson_id}-imported"
        path = out or target
        if out is None and path.exists():
            raise UsageError(f"'{path}' already exists; give --out FILE")
        result = build(tree, lesson_id, items, slot, path, bank_id)
        for line in result.attention:
            click.echo(line)
        if not result.questions:
            click.echo(f"error: nothing in {file} could be imported ({result.skipped} question(s), see above)", err=True)
            sys.exit(1)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(result.text, encoding="utf-8")
        shown = next((b for b in tree.banks if b.model.kind == "practice" and b.model.lesson == lesson_id), None)
        if shown is not None:
            click.echo(f"note: the lesson's page shows its practice bank {shown.doc.file} only: move the "
                       f"questions you keep into it")
        click.echo(f"wrote {path}: {result.questions} question(s) imported"
                   + (f", {result.skipped} not imported" if result.skipped else "")
                   + "; review the points above (marked # CHECK in the file), then run mesotrain check")

    _run(action)


@main.command("build-pages")
@_root_option
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def build_pages(root: Path, out: Path, strict: bool) -> None:
    """Write the course's pages as Markdown into OUT, for any static site generator."""
    from .engine import Engine

    _require_course(root)
    engine = Engine.on_disk(root, strict=strict)
    try:
        site = engine.build()
    except ContentError as exc:
        _fail(exc)
    for w in site.warnings:
        click.echo(str(w), err=True)
    pages = site.pages
    out.mkdir(parents=True, exist_ok=True)
    for page in pages:
        target = out / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")
    engine.finish()
    click.echo(f"wrote {len(pages)} pages to {out}")


@main.command()
@click.option("--config-file", "-f", type=click.Path(dir_okay=False, path_type=Path), default=Path("mkdocs.yml"),
              show_default=True, help="The MkDocs configuration of the course site.")
@click.option("--site-dir", "-d", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the site. Default: site_dir from the config (site/).")
@click.option("--strict/--no-strict", default=None, help="Override the config's strict setting.")
def build(config_file: Path, site_dir: Path | None, strict: bool | None) -> None:
    """Build the static site atomically: a failed build leaves the previous site untouched."""
    from .plugin.build import build_site

    def action():
        warnings: list[str] = []
        target = build_site(config_file, site_dir, strict=strict, warnings=warnings)
        for w in warnings:
            click.echo(f"warning: {w}", err=True)
        click.echo(f"built {target}")

    _run(action)


@main.group()
def package() -> None:
    """Package the course for another platform (an LMS)."""


@package.command("scorm")
@click.option("--config-file", "-f", type=click.Path(dir_okay=False, path_type=Path), default=Path("mkdocs.yml"),
              show_default=True, help="The MkDocs configuration of the course site.")
@click.option("--version", "scorm_version", type=click.Choice(["2004", "1.2"]), default="2004", show_default=True,
              help="SCORM 2004 (4th Edition) or SCORM 1.2, for an LMS that takes only 1.2.")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The zip to write. Default: COURSE-scorm-VERSION.zip in the current directory.")
def package_scorm(config_file: Path, scorm_version: str, out: Path | None) -> None:
    """Build the course as a SCORM package (a zip with imsmanifest.xml) for any LMS.

    The exam is built in open mode: it is scored in the browser and the LMS records the
    score, status and every answer. A previous package at --out is kept if anything fails.
    """
    from .scorm.package import package_scorm as make

    def action():
        bar = _PageBar("writing pages")
        try:
            made = make(config_file, scorm_version, out, step=lambda text: click.echo(text, err=True),
                        progress=bar.tell)
        except ContentError as exc:
            _fail(exc)
        finally:
            bar.close()
        for w in made.warnings:
            click.echo(f"warning: {w}", err=True)
        click.echo(f"wrote {made.path}: {made.version.label}, {made.files} files, {made.size // 1024} KB")
        for line in made.limits:
            click.echo(f"note: {line}")
        if made.exam:
            click.echo("note: the exam runs in open mode, so its answer key is inside the package; only the "
                       "LMS's access rules protect it (anyone who can download the package can read the key). "
                       "Certify with the sealed exam and `mesotrain results` instead.")

    _run(action)


class _PageBar:
    """A progress bar on stderr for the pages of a build, opened when their number is known."""

    def __init__(self, label: str):
        self.label, self.bar = label, None

    def tell(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label=self.label, file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _run(action) -> None:
    try:
        action()
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    except MesotrainError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


from .results.commands import results  # noqa: E402  (the certifier's toolkit, in its own package)

main.add_command(results)
