"""What every ``mesotrain results`` command shares: the store and course it works on, and
how a command's errors reach the certifier (exit 2 for usage, 1 for the rest, no traceback)."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import click

from ..errors import ContentError, MesotrainError, UsageError
from . import store as store_mod


@dataclass
class Context:
    store_path: Path
    root: Path

    @cached_property
    def sealed(self):
        """The course's exam, loaded and checked (exit 1 with every problem if the files have errors)."""
        from ..exam import sealed_exam
        from ..checks import load_checked

        if not (self.root / "content").is_dir():
            raise UsageError(f"'{self.root}' has no content/ folder; run this in the course directory "
                             "or pass --root DIR")
        try:
            tree, _ = load_checked(self.root)
        except ContentError as exc:
            for p in exc.problems:
                click.echo(str(p), err=True)
            raise MesotrainError("the course files have errors; fix them before grading") from None
        sealed = sealed_exam(tree)
        if sealed is None:
            raise UsageError(f"the course at '{self.root}' has no quizzes/exam.yaml")
        return sealed

    def store(self, create: bool = False) -> store_mod.Store:
        return store_mod.open_store(self.store_path, create=create)


pass_context = click.make_pass_decorator(Context)
PARALLEL_FROM = 500  # below this many attempts, starting worker processes costs more than it saves


def default_jobs(n: int) -> int:
    import os

    return min(os.cpu_count() or 1, 8) if n >= PARALLEL_FROM else 1


def run(action):
    """Run a command body: usage errors exit 2, other reported errors exit 1, never a traceback."""
    try:
        return action()
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    except MesotrainError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
