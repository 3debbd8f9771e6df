"""Fixtures for the certifier's toolkit: the mini course's exam, result files, a store, the CLI."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mesotrain.exam import sealed_exam
from mesotrain.checks import load_checked
from mesotrain.exam.resultfile import seal_document
from mesotrain.results.sample import key_response, make_result
from tests.conftest import FIXTURES

MINI = FIXTURES / "mini"


@pytest.fixture(scope="session")
def exam():
    tree, _ = load_checked(MINI)
    return sealed_exam(tree)


def all_right(exam, form: str) -> dict:
    return {i: key_response(exam.pool[i].question) for i in exam.form(form).items}


def write(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def resealed(doc: dict, **changes) -> dict:
    """A document changed and given a fresh checksum (what a forger who read exam.js would do)."""
    return seal_document({**doc, **changes})


@pytest.fixture
def results_dir(tmp_path, exam):
    """A folder with three valid result files: two passes on form A and B, one fail."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    write(folder / "ada.json", make_result(exam, "A", all_right(exam, "A"), attempt_id="aaaaaaaa-0001"))
    write(folder / "bob.json", make_result(exam, "B", all_right(exam, "B"), name="Bob Brown", candidate_id="C-002",
                                           email="bob@example.org", attempt_id="bbbbbbbb-0002"))
    write(folder / "cy.json", make_result(exam, "A", {}, name="Cy Young", candidate_id="C-003",
                                          email="cy@example.org", attempt_id="cccccccc-0003"))
    return folder


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """Run `mesotrain results …` against the mini course with a store and key in tmp_path."""
    from mesotrain.cli import main

    monkeypatch.setenv("MESOTRAIN_RESULTS", str(tmp_path / "store.sqlite"))
    monkeypatch.setenv("MESOTRAIN_CERT_KEY", str(tmp_path / "cert.key"))

    def run(*args, root: Path = MINI):
        return CliRunner().invoke(main, ["results", "--root", str(root), *[str(a) for a in args]])
    return run
