"""make mutate's list cannot rot: every mutation's snippet occurs exactly once in its file,
and applying it changes the file (the mutation run itself is `make mutate`, not part of the suite)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("mutate", ROOT / "scripts" / "mutate.py")
mutate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mutate)


@pytest.mark.parametrize("name, path, old, new", mutate.MUTATIONS, ids=[m[0] for m in mutate.MUTATIONS])
def test_mutation_still_applies(name, path, old, new):
    text = (ROOT / path).read_text(encoding="utf-8")
    assert text.count(old) == 1, f"'{name}': snippet found {text.count(old)} times in {path}"
    assert old != new


def test_every_rule_file_is_mutated_in_both_languages():
    names = [m[0] for m in mutate.MUTATIONS]
    py = {n[3:] for n in names if n.startswith("py ")}
    js = {n[3:] for n in names if n.startswith("js ")}
    assert py == js, f"mutated in one language only: {sorted(py ^ js)}"
    touched = {Path(m[1]).name for m in mutate.MUTATIONS}
    for module in (ROOT / "src/mesotrain/types").glob("*.py"):
        if module.stem in {"single", "multiple", "true_false", "numeric", "ordering", "matching", "hotspot", "case"}:
            assert module.name in touched, f"no mutation breaks {module.name}'s rule"
