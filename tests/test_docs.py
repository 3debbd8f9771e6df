"""Every command and option of the CLI is documented in guide/cli.md (after datasette's test_docs)."""
from __future__ import annotations

import click
import pytest

from mesotrain.cli import main

from .conftest import ROOT

DOCS = (ROOT / "guide" / "cli.md").read_text(encoding="utf-8") + "".join(
    p.read_text(encoding="utf-8") for p in sorted((ROOT / "guide").glob("*.md")) if p.name != "cli.md")


def commands(group: click.Group, prefix: str = "mesotrain"):
    for name, cmd in group.commands.items():
        path = f"{prefix} {name}"
        yield path, cmd
        if isinstance(cmd, click.Group):
            yield from commands(cmd, path)


ALL = list(commands(main))


@pytest.mark.parametrize("path,cmd", ALL, ids=[p for p, _ in ALL])
def test_command_and_its_options_are_documented(path, cmd):
    assert f"`{path}" in DOCS, f"{path} is not documented in guide/"
    assert cmd.help, f"{path} has no --help text"
    for param in cmd.params:
        if isinstance(param, click.Option):
            for opt in param.opts:
                assert f"`{opt}" in DOCS, f"{path}: option {opt} is not documented in guide/"
