"""JSON Schema for each kind of course file, generated from the models (never kept by hand)."""
from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .model import Bank, Course, Exam, Glossary, Lesson, Sources

KINDS: dict[str, type[BaseModel]] = {
    "course": Course,
    "sources": Sources,
    "glossary": Glossary,
    "lesson": Lesson,
    "bank": Bank,
    "exam": Exam,
}


def schema_text(kind: str) -> str:
    model = KINDS[kind]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"mesotrain {kind} file"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = out / f"{kind}.schema.json"
        path.write_text(schema_text(kind), encoding="utf-8")
        written.append(path)
    return written


def modeline(kind: str, depth: int = 1) -> str:
    """The first line of a YAML file that points editors at its schema."""
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{kind}.schema.json"
