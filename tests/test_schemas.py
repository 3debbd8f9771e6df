"""Editor support: every shipped YAML file names its schema, and the schema accepts the file."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from mesotrain.yamlsource import parse

from .conftest import ROOT

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def shipped() -> list[Path]:
    return sorted(list((ROOT / "content").glob("*.yaml")) + list((ROOT / "quizzes").rglob("*.yaml")))


def expected_kind(path: Path) -> str:
    rel = path.relative_to(ROOT).as_posix()
    special = {"content/course.yaml": "course", "content/sources.yaml": "sources",
               "content/glossary.yaml": "glossary", "quizzes/exam.yaml": "exam"}
    return special.get(rel, "lesson" if rel.startswith("content/") else "bank")


@pytest.mark.parametrize("path", shipped(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_shipped_file_has_a_modeline_to_the_right_schema_which_accepts_it(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    m = MODELINE.match(first)
    assert m, f"{path.name}: first line must be a yaml-language-server modeline"
    schema_path = (path.parent / m.group(1)).resolve()
    assert schema_path == ROOT / "schemas" / f"{expected_kind(path)}.schema.json"
    doc, problems = parse(path.read_text(encoding="utf-8"), path.name)
    assert not problems
    jsonschema.validate(doc.data, json.loads(schema_path.read_text()))


def test_schema_rejects_what_the_loader_rejects():
    schema = json.loads((ROOT / "schemas" / "lesson.schema.json").read_text())
    bad = {"id": "x", "title": "T", "domain": "d", "summary": "s",
           "objectives": [{"id": "o", "text": "t"}],
           "sections": [{"title": "S", "blocks": [{"kind": "text", "md": "m", "sorces": ["s1"]}]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
