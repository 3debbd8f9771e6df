"""Paths shared by the test suite."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture
def fixture_copy(tmp_path):
    """A writable copy of a fixture course, for tests that edit files."""
    import shutil

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target, ignore=shutil.ignore_patterns(".cache"))
        mkdocs = target / "mkdocs.yml"
        if mkdocs.is_file():  # the fixture's theme path is relative to tests/fixtures/NAME
            mkdocs.write_text(mkdocs.read_text().replace("../../../overrides", str(ROOT / "overrides")))
        return target
    return copy


@pytest.fixture(scope="session")
def mini_packages(tmp_path_factory) -> dict:
    """version ("1.2", "2004") → the mini course's SCORM package, a zip (tests/scorm, tests/e2e)."""
    from tests.scorm.packages import build_packages

    return build_packages(tmp_path_factory.mktemp("scorm"))


def pytest_terminal_summary(terminalreporter):
    """Print what the hostile-input tests tried and how each class ended (tests/figures.py)."""
    from tests.figures import summary

    lines = summary()
    if lines:
        terminalreporter.section("hostile input: what was tried, and how it ended")
        for line in lines:
            terminalreporter.line(line)


@pytest.fixture(scope="session")
def ralph(tmp_path_factory):
    """Ralph, a real xAPI LRS, on 127.0.0.1 for the session (tests/lrs/ralph.py), stopped after."""
    from tests.lrs.ralph import start

    lrs = start(tmp_path_factory.mktemp("ralph"))
    yield lrs
    lrs.stop()


@pytest.fixture
def lrs(ralph):
    """The session's Ralph, emptied for this test."""
    ralph.clear()
    return ralph
