"""Problems found in content, and the exceptions that carry them.

Exception tree::

    MesotrainError
    ├── ContentError      one or more problems in the course files (exit 1)
    └── UsageError        a bad command line or path (exit 2)
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or doubtful) in one place of one file."""

    file: str
    line: int
    col: int
    path: str
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}" if self.line else self.file
        key = f" {self.path}:" if self.path else ""
        tag = "warning: " if self.severity == "warning" else ""
        return f"{where}:{key} {tag}{self.message}"


class MesotrainError(Exception):
    """Base of every error mesotrain reports to a user."""


class ContentError(MesotrainError):
    """The course files have problems; ``problems`` lists every one found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(MesotrainError):
    """A command was called with something it cannot use."""


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as the user should read it: relative to the course root when inside it."""
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            pass
    return str(path)
