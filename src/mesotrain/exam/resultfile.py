"""The exam result file: what the trainee's browser hands to the certifier.

Version 1 of the format. The JSON Schema published with the site
(``result.schema.json`` beside this module) is generated from :class:`ResultFile`;
a test keeps the two equal. The checksum is SHA-256 over the RFC 8785 canonical
JSON of the whole document without its ``checksum`` member. It detects a damaged
file or a naive edit; it does not stop someone who reads exam.js and recomputes it,
so the certifier's trust rests on grading with the withheld key, the form check
and the audit trail, not on the checksum alone.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ..canonical import sha256_hex

FORMAT = "mesotrain-result"
FORMAT_VERSION = 1
SCHEMA_FILE = Path(__file__).with_name("result.schema.json")
SCHEMA_URL = "result.schema.json"

ItemId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=64)]
Hash = Annotated[str, Field(pattern=r"^sha256:[0-9a-f]{64}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class CourseRef(_Strict):
    """The course the exam belongs to, as the page was built."""

    id: ItemId
    version: str = Field(min_length=1, max_length=64)
    content_hash: Hash = Field(description="SHA-256 of the exam as published (no keys in it).")


class ExamRef(_Strict):
    """Which exam, which form and the seed the forms were drawn with."""

    id: ItemId
    mode: Literal["sealed", "open"]
    form: str = Field(pattern=r"^[A-Z][A-Z0-9]{0,4}$")
    seed: int
    items: list[ItemId] = Field(min_length=1, max_length=1000, description="Item ids in the order shown.")
    time_limit_minutes: int = Field(ge=1)


class Candidate(_Strict):
    """Who sat the exam, as they entered it."""

    name: str = Field(min_length=1, max_length=200)
    candidate_id: str = Field(min_length=1, max_length=100)
    email: str = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")


class Response(_Strict):
    """One item: the response in the page's (public) ids, time spent on it, whether flagged."""

    item: ItemId
    response: Any = Field(None, description="null when unanswered; otherwise the widget's response.")
    time_ms: int = Field(ge=0, le=7 * 24 * 3600 * 1000)
    flagged: bool = False


class ResultFile(_Strict):
    """A result file, format version 1."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True,
                              json_schema_extra={"$id": SCHEMA_URL})

    format: Literal["mesotrain-result"]
    format_version: Literal[1]
    attempt_id: str = Field(pattern=r"^[A-Za-z0-9-]{8,64}$")
    course: CourseRef
    exam: ExamRef
    rules_version: str = Field(min_length=1, max_length=64,
                               description="The scoring rules version the page was built with.")
    candidate: Candidate
    started_at: AwareDatetime
    submitted_at: AwareDatetime
    submitted_by: Literal["candidate", "timer"]
    user_agent: str = Field(max_length=1000)
    responses: list[Response] = Field(max_length=1000)
    checksum: Hash = Field(description="SHA-256 of the RFC 8785 canonical JSON of the file without this member.")


def checksum_of(document: dict[str, Any]) -> str:
    """The checksum a document should carry (computed over everything but ``checksum``)."""
    return "sha256:" + sha256_hex({k: v for k, v in document.items() if k != "checksum"})


def seal_document(document: dict[str, Any]) -> dict[str, Any]:
    """The document with its checksum set (what exam.js does before offering the download)."""
    return {**{k: v for k, v in document.items() if k != "checksum"}, "checksum": checksum_of(document)}


def schema_text() -> str:
    schema = ResultFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"mesotrain exam result file, format version {FORMAT_VERSION}"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


__all__ = ["FORMAT", "FORMAT_VERSION", "ResultFile", "checksum_of", "schema_text", "seal_document"]
