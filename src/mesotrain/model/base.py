"""Shared pieces of the authoring schema."""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"

Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=64,
                          description="Lower-case id: letters, digits, '-', '_' or '.'.")]
Md = Annotated[str, Field(min_length=1, description=(
    "Markdown. [[term-id]] or [[term-id|shown text]] links a glossary term."))]
SourceIds = Annotated[list[Id], Field(min_length=1, description="Ids from content/sources.yaml.")]


class Model(BaseModel):
    """Immutable, strict about unknown keys, so a typo is an error and not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)
