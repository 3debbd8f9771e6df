"""The item analysis as data: per form, per item, per option. Written by report, shown by report_html."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import stats


@dataclass
class FormStats:
    form: str
    n: int
    k: int
    mean: float | None      # fraction
    sd: float | None        # fraction
    kr20: float | None
    sem_items: float | None
    pass_rate: float | None
    histogram: list[int] = field(default_factory=lambda: [0] * 10)


@dataclass
class Option:
    id: str
    text: str
    key: bool
    count: int = 0
    upper: int = 0
    lower: int = 0


@dataclass
class Analysis:
    generated: str
    n: int
    forms: list[FormStats]
    items: list[stats.ItemStats]
    info: dict[str, dict[str, Any]]          # item id → type, domain, objective, stem
    options: dict[str, list[Option]]
    histogram: list[int]
