"""``mesotrain results`` commands that produce files: export, report, certificates, verify, revoke."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import MesotrainError
from .context import Context, pass_context, run
from .printable import for_terminal


@click.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "xlsx-friendly", "xapi"]), default="csv",
              show_default=True, help="csv; json (an array); xlsx-friendly (CSV with BOM, CRLF, Excel dates); "
                                      "xapi (a JSON array of xAPI statements of the graded attempts).")
@click.option("--items", is_flag=True, help="One row per item response instead of one per attempt.")
@click.option("--out", "-o", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), default=Path("-"),
              show_default=True, help="File to write; '-' writes to standard output.")
@click.option("--bom", is_flag=True, help="Start a CSV with a UTF-8 byte order mark (always on for xlsx-friendly).")
@click.option("--activities", metavar="IRI", default=None,
              help="With --format xapi: the base of the activity ids, as lrs.activities (or site_url) in mkdocs.yml.")
@pass_context
def export(ctx: Context, fmt: str, items: bool, out: Path, bom: bool, activities: str | None) -> None:
    """Export attempts (or, with --items, every item response) for a spreadsheet, LMS or script;
    or, with --format xapi, the graded attempts as xAPI statements for a Learning Record Store.

    Text cells that a spreadsheet would run as a formula (starting with = + - @,
    a tab or a line break) are prefixed with an apostrophe.
    """
    from .export import export as table_export

    if fmt == "xapi":
        from .. import xapi

        if items or bom:
            raise click.UsageError("--items and --bom are for the table formats; xapi statements already hold "
                                   "one per item response")
        if activities is None:
            raise click.UsageError("--format xapi needs --activities IRI: the base of the activity ids, the same as "
                                   "lrs.activities (or site_url) in mkdocs.yml, like https://training.example.org/course/")
        if (problem := xapi.iri_problem(activities)) is not None:
            raise click.UsageError(f"--activities: {problem}")
    elif activities is not None:
        raise click.UsageError("--activities goes with --format xapi")

    def run_export(st, fh) -> int:
        if fmt == "xapi":
            from . import xapi_export

            return xapi_export.write(fh, st, ctx.sealed, activities)
        return table_export(st, fh, fmt=fmt, items=items, bom=bom)

    def body():
        st = ctx.store()
        if str(out) == "-":
            n = run_export(st, sys.stdout)
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = out.with_name(out.name + ".part")
            with tmp.open("w", encoding="utf-8", newline="") as fh:
                n = run_export(st, fh)
            tmp.replace(out)
        what = "statements" if fmt == "xapi" else "item responses" if items else "attempts"
        click.echo(f"exported {n} {what}"
                   + ("" if str(out) == "-" else f" to {out}"), err=True)
    run(body)


@click.command()
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("report"),
              show_default=True, help="Folder for report.html, items.csv, forms.csv and options.csv.")
@pass_context
def report(ctx: Context, out: Path) -> None:
    """Write the item-analysis report: facility, point-biserial, upper–lower index, options chosen
    and review flags per item; score distribution, KR-20 and SEM per form. HTML with charts, and CSV.
    """
    from .report import write_report

    def body():
        st = ctx.store()
        for path in write_report(st, ctx.sealed, out):
            click.echo(f"wrote {path}")
    run(body)


def _key_option(f):
    return click.option("--key-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help="The certifier's secret for verification codes. Default: MESOTRAIN_CERT_KEY "
                             "(a path, or the key itself as hexadecimal), else "
                             "~/.config/mesotrain/certificate.key. Keep it private and backed up.")(f)


@click.command()
@click.argument("attempts", nargs=-1)
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("certificates"),
              show_default=True, help="Folder for the certificates (one .html and one .pdf per candidate).")
@_key_option
@click.option("--pdf/--no-pdf", default=True, show_default=True, help="Also write a PDF of each certificate.")
@click.option("--issuer", default=None, help="Who issues the certificates, printed on them.")
@click.option("--verify-url", default=None, help="The site's Verify page, printed on the certificates.")
@click.option("--include-late", is_flag=True, help="Also certify passes submitted after the time limit.")
@click.option("--include-over-limit", is_flag=True, help="Also certify passes beyond the attempts allowed.")
@click.option("--publish", is_flag=True,
              help="Write the list of hashed codes that the site's Verify page checks (see --list-file).")
@click.option("--list-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where --publish writes the list. Default: ROOT/content/certificates.json.")
@pass_context
def certificates(ctx: Context, attempts: tuple[str, ...], out: Path, key_file: Path, pdf: bool, issuer: str | None,
                 verify_url: str | None, include_late: bool, include_over_limit: bool, publish: bool,
                 list_file: Path | None) -> None:
    """Issue a certificate for every passed attempt (or the ATTEMPTS given by id prefix).

    Each carries the candidate, course and version, date, score band and a
    verification code. Issuing again gives the same code. With --publish, the site's
    list of hashed codes is rewritten (rebuild the site to publish it).
    """
    from . import certificates as certs
    from .certificate_doc import pdf_missing

    def body():
        missing = pdf and pdf_missing()
        if missing:
            raise MesotrainError(missing)
        st = ctx.store()
        sealed = ctx.sealed
        only = [st.find_attempt(a) for a in attempts] or None
        source = certs.key_source(key_file)
        if source.inline is not None:
            key = source.inline
        else:
            wanted, _ = certs.eligible(st, sealed.course_id, only, include_late=include_late,
                                       include_over_limit=include_over_limit)
            # a command that issues nothing makes no key: a first key is made only to be used
            if not wanted and not source.path.exists():
                key, created = b"", False  # nothing to sign
            else:
                key, created = certs.load_key(source.path, create=True)
            if not key:
                pass
            elif created:
                click.echo(f"created the certificate key {source.label}; keep it private and back it up", err=True)
            elif not certs.key_is_private(source.path):
                click.echo(f"warning: {source.label} is readable by other users (chmod 600 it)", err=True)
        issued, skipped = certs.issue(st, sealed, key, out, only=only, pdf=pdf, issuer=issuer,
                                      verify_url=verify_url, include_late=include_late,
                                      include_over_limit=include_over_limit)
        for i in issued:
            click.echo(for_terminal(f"{i.code}  {i.name} ({i.candidate_id}), {i.band}, {i.date}")
                       + ("" if i.new else " (already issued)") + f" → {i.files[0]}")
        for line in skipped:
            click.echo(f"skipped {line}", err=True)
        click.echo(f"{len(issued)} certificate(s) in {out}")
        if publish:
            path = list_file or ctx.root / "content" / "certificates.json"
            n = certs.publish(st, sealed, path)
            click.echo(f"published {n} hashed code(s) to {path}; rebuild the site to put them online")
    run(body)


@click.command()
@click.argument("code")
@_key_option
@click.option("--published", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Check against a published list (certificates.json) instead of the store, as the site does.")
@pass_context
def verify(ctx: Context, code: str, key_file: Path, published: Path | None) -> None:
    """Check a certificate's verification CODE. Exits 0 when valid, 1 when unknown or revoked."""
    from . import certificates as certs

    def body():
        if published is not None:
            verdict = certs.verify_published(published, code)
        else:
            source = certs.key_source(key_file)
            key = source.inline or (certs.load_key(source.path)[0] if source.path.exists() else None)
            verdict = certs.verify(ctx.store(), key, code)
            if key is None:
                click.echo(f"note: no key at {source.label}; checked the store only", err=True)
        click.echo(verdict.message)
        if not verdict.ok:
            sys.exit(1)
    run(body)


@click.command()
@click.argument("attempt")
@click.option("--reason", required=True, help="Why the certificate is withdrawn; kept in the audit trail.")
@pass_context
def revoke(ctx: Context, attempt: str, reason: str) -> None:
    """Revoke the certificate of ATTEMPT (id or unique prefix); publish again to update the site."""
    from .certificates import revoke as run_revoke

    def body():
        st = ctx.store()
        aid = st.find_attempt(attempt)
        if run_revoke(st, aid, reason):
            click.echo(f"revoked the certificate of {aid}; run `certificates --publish` and rebuild the site")
        else:
            click.echo(f"{aid} has no valid certificate to revoke", err=True)
            sys.exit(1)
    run(body)
