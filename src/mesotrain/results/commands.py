"""``mesotrain results …``: the certifier's commands. Thin: each hands its work to a module."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import UsageError
from . import store as store_mod
from .context import Context, default_jobs, pass_context, run
from .printable import for_terminal
from .tables import pct, table


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store_path", type=click.Path(dir_okay=False, path_type=Path),
              envvar=store_mod.ENV_VAR, default=store_mod.DEFAULT_PATH, show_default=True, show_envvar=True,
              help="The SQLite results store.")
@click.option("--root", "-C", "root", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="The course directory whose quizzes/ hold the withheld key.")
@click.pass_context
def results(ctx: click.Context, store_path: Path, root: Path) -> None:
    """Import, grade, export and analyse exam result files; issue and verify certificates.

    A typical cohort: import a folder of result files, grade them, export a CSV,
    write the item-analysis report, issue certificates and publish their codes.
    """
    ctx.obj = Context(store_path, root)


@results.command("import")
@click.argument("paths", nargs=-1)
@click.option("--lrs", "lrs_url", metavar="URL", default=None,
              help="Also import the sealed attempts submitted to this LRS (its xAPI endpoint).")
@click.option("--auth", metavar="USER:PASSWORD", default=None, envvar="MESOTRAIN_LRS_AUTH", show_envvar=True,
              help="The LRS key and secret for --lrs (a key that may read statements).")
@click.option("--max-size", type=click.IntRange(min=1), default=1_000_000, show_default=True,
              help="Refuse files larger than this many bytes.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes that check files. Default: one per CPU for large imports.")
@pass_context
def import_(ctx: Context, paths: tuple[str, ...], lrs_url: str | None, auth: str | None, max_size: int,
            jobs: int | None) -> None:
    """Import result files (PATHS: files, folders searched for *.json, or glob patterns), and with
    --lrs the sealed attempts submitted to a Learning Record Store.

    Every file and every submitted attempt is checked as untrusted input; a rejected one
    gets one line naming it and the reason, and the others go on. The import is one
    transaction, and the same attempt imported twice is stored once. Exits 1 when any
    was rejected.
    """
    from .importer import Expected, expand, import_files

    def body():
        if not paths and not lrs_url:
            raise UsageError("give result files (PATHS) to import, or --lrs URL, or both")
        if auth is not None and not lrs_url:
            raise UsageError("--auth goes with --lrs URL")
        files, missing = expand(paths)
        for m in missing:
            click.echo(str(m), err=True)
        expected = Expected.of(ctx.sealed)
        if lrs_url:
            from .lrs import fetch

            fetched = fetch(lrs_url, auth)
            for r in fetched.rejected:
                click.echo(for_terminal(str(r)), err=True)
            missing.extend(fetched.rejected)
            click.echo(f"{lrs_url}: {fetched.statements} submission statement(s), "
                       f"{len(fetched.documents)} carrying a result file", err=True)
            files = [*files, *fetched.documents]
        st = ctx.store(create=True)
        tty = sys.stderr.isatty()
        with click.progressbar(length=len(files), label="importing", file=sys.stderr) as bar:
            summary = import_files(st, files, expected, max_bytes=max_size, jobs=jobs or default_jobs(len(files)),
                                   progress=bar.update,
                                   on_rejected=lambda r: click.echo(("\n" if tty else "") + for_terminal(str(r)), err=True))
        summary.rejected[:0] = missing
        click.echo(f"{summary} → {st.path}")
        if summary.rejected:
            sys.exit(1)
    run(body)


@results.command()
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes that score attempts. Default: one per CPU for large cohorts.")
@pass_context
def grade(ctx: Context, jobs: int | None) -> None:
    """Grade every attempt that has no grade yet, with the key in the course's quizzes/.

    Records the total, per-domain scores, pass or fail and any must-pass item missed.
    Attempts graded earlier keep their grade; use `regrade` after correcting the key.
    """
    from .grade import grade as run_grade

    def body():
        st = ctx.store()
        sealed = ctx.sealed
        todo = st.db.execute("SELECT COUNT(*) FROM attempts LEFT JOIN grades USING (attempt_id) "
                             "WHERE grades.attempt_id IS NULL").fetchone()[0]
        with click.progressbar(length=todo, label="grading", file=sys.stderr) as bar:
            summary = run_grade(st, sealed, jobs=jobs or default_jobs(todo), progress=bar.update)
        for line in summary.skipped:
            click.echo(f"skipped {line}", err=True)
        click.echo(f"graded {summary.graded}: {summary.passed} passed, {summary.graded - summary.passed} failed")
        if summary.stale:
            click.echo(f"note: {summary.stale} attempt(s) were graded with another key; "
                       "`mesotrain results regrade --reason TEXT` re-scores them with an audit trail", err=True)
    run(body)


@results.command()
@click.argument("attempts", nargs=-1)
@click.option("--reason", required=True, help="Why the key changed; kept in the audit trail.")
@click.option("--dry-run", is_flag=True, help="Show what would change and change nothing.")
@pass_context
def regrade(ctx: Context, attempts: tuple[str, ...], reason: str, dry_run: bool) -> None:
    """Re-score graded attempts (all, or the ATTEMPTS given by id prefix) after a key correction.

    Every attempt whose score, pass/fail or item credit changes gets an audit entry
    with the old and new values, both key hashes and the reason; a certificate whose
    attempt no longer passes is revoked.
    """
    from .grade import grade as run_grade

    def body():
        st = ctx.store()
        only = [st.find_attempt(a) for a in attempts] or None
        summary = run_grade(st, ctx.sealed, regrade=True, only=only, reason=reason, dry_run=dry_run)
        for change in summary.changes:
            click.echo(str(change))
        verb = "would change" if dry_run else "changed"
        click.echo(f"regraded {summary.graded}: {verb} {len(summary.changes)}, unchanged {summary.unchanged}"
                   + (f", certificates revoked {summary.revoked}" if summary.revoked else "")
                   + (" (dry run: nothing was written)" if dry_run else ""))
    run(body)


@results.command("list")
@click.option("--passed", "status", flag_value="passed", help="Only attempts that passed.")
@click.option("--failed", "status", flag_value="failed", help="Only attempts that failed.")
@click.option("--ungraded", "status", flag_value="ungraded", help="Only attempts not graded yet.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most this many.")
@pass_context
def list_(ctx: Context, status: str | None, limit: int | None) -> None:
    """List attempts, most recent first: candidate, form, date, score, result."""
    def body():
        st = ctx.store()
        where = {"passed": "WHERE g.passed = 1", "failed": "WHERE g.passed = 0",
                 "ungraded": "WHERE g.attempt_id IS NULL"}.get(status or "", "")
        rows = st.db.execute(
            "SELECT a.attempt_id, a.candidate_id, a.candidate_name, a.form, a.submitted_at, g.fraction, g.passed, "
            "a.late, g.over_limit FROM attempts a LEFT JOIN grades g USING (attempt_id) "
            f"{where} ORDER BY a.submitted_at DESC, a.attempt_id" + (f" LIMIT {limit}" if limit else ""))
        out = []
        for aid, cid, name, form, at, fraction, passed, late, over in rows:
            result = "–" if passed is None else ("pass" if passed else "fail")
            notes = ", ".join(n for n, on in (("late", late), ("over limit", over)) if on)
            out.append((aid[:8], cid, name, form, at[:16].replace("T", " "), pct(fraction), result, notes))
        click.echo(table(("attempt", "candidate", "name", "form", "submitted (UTC)", "score", "result", "notes"),
                         out, right=(5,)))
        click.echo(f"{len(out)} attempt(s)")
    run(body)


@results.command()
@click.argument("attempt")
@pass_context
def show(ctx: Context, attempt: str) -> None:
    """Show one attempt (ATTEMPT: its id or a unique prefix): details, domains and every item."""
    from .views import show_attempt

    def body():
        st = ctx.store()
        click.echo(show_attempt(st, st.find_attempt(attempt)))
    run(body)


@results.command()
@click.argument("attempt", required=False)
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="Show at most this many entries, most recent first.")
@pass_context
def audit(ctx: Context, attempt: str | None, limit: int) -> None:
    """Show attempts whose timing does not add up, then the audit trail: imports, grading runs,
    regrades (what changed and why), revocations."""
    from .printable import for_terminal
    from .timing import implausible_attempts

    def body():
        st = ctx.store()
        args: tuple = ()
        where = ""
        if attempt:
            where, args = "WHERE attempt_id = ?", (st.find_attempt(attempt),)
        odd = implausible_attempts(st.db, args[0] if args else None)
        if odd:
            click.echo(f"implausible timing in {len(odd)} attempt(s) — the result file may have been edited:")
            for aid, cid, flags in odd:
                click.echo(for_terminal(f"  {aid[:8]} ({cid}): " + "; ".join(flags)))
            click.echo("")
        rows = st.db.execute(f"SELECT at, actor, action, attempt_id, reason, detail FROM audit {where} "
                             f"ORDER BY id DESC LIMIT {limit}", args).fetchall()
        for at, actor, action, aid, reason, detail in rows:
            click.echo(f"{at} {actor} {action}" + (f" {aid[:8]}" if aid else "")
                       + (f" — {reason}" if reason else ""))
            click.echo(f"    {json.dumps(json.loads(detail), sort_keys=True)}")
        if not rows:
            click.echo("the audit trail is empty")
    run(body)


def register_more(group: click.Group) -> None:
    """Commands that live in their own modules (export, report, certificates, verify)."""
    from .commands_out import certificates, export, report, revoke, verify

    for cmd in (export, report, certificates, verify, revoke):
        group.add_command(cmd)


register_more(results)
