"""scoring.js runs the shared vectors under Node, and carries the same rules version as scoring.py."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mesotrain import scoring

ROOT = Path(__file__).resolve().parent.parent
SCORING_JS = ROOT / "src" / "mesotrain" / "assets" / "lazy" / "scoring.js"


def test_rules_version_matches():
    found = re.search(r'RULES_VERSION = "([^"]+)"', SCORING_JS.read_text())
    assert found and found.group(1) == scoring.RULES_VERSION


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed; the e2e suite runs the vectors in Chromium")
def test_vectors_under_node():
    run = subprocess.run(["node", "--test", "tests/js/"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    summary = [line for line in run.stdout.splitlines() if line.startswith("# ")]
    print("\n".join(summary))
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
