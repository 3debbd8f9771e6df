"""Statements checked by @learninglocker/xapi-validation (node tests/lrs/validate.mjs)."""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "lrs" / "validate.mjs"


def problems(statements: list[dict]) -> list[dict]:
    """Every problem the validator finds ([] when all are valid xAPI statements)."""
    if not (ROOT / "node_modules" / "@learninglocker" / "xapi-validation").is_dir():
        pytest.fail("@learninglocker/xapi-validation is not installed: run `npm ci` (make test does)")
    node = shutil.which("node")
    assert node, "node is needed to validate xAPI statements"
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(statements, fh)
    try:
        run = subprocess.run([node, str(SCRIPT), fh.name], capture_output=True, text=True, timeout=60, cwd=ROOT)
    finally:
        Path(fh.name).unlink()
    assert run.returncode in (0, 1) and run.stdout.strip(), run.stderr
    return json.loads(run.stdout)
