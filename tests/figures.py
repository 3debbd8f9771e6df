"""Figures the hostile-input tests gather, printed at the end of the run (see conftest.py).

Each test records how every case it tried ended, by class: the run's output then says,
for instance, that 120 course mutations were tried and how each kind of mutation ended,
and that none ended in a traceback or a hang.
"""
from __future__ import annotations

from collections import Counter, defaultdict

# section → class of input → outcome → count
FIGURES: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
FAILURES = ("traceback", "hang", "unlocated", "store-changed", "leak", "lost", "duplicated")


def record(section: str, kind: str, outcome: str) -> None:
    FIGURES[section][kind][outcome] += 1


def summary() -> list[str]:
    lines = []
    for section, kinds in sorted(FIGURES.items()):
        total = sum(sum(c.values()) for c in kinds.values())
        failed = sum(c[f] for c in kinds.values() for f in FAILURES)
        lines.append(f"{section}: {total} tried, {failed} failed")
        for kind, outcomes in sorted(kinds.items()):
            shown = ", ".join(f"{o} {n}" for o, n in sorted(outcomes.items()))
            lines.append(f"  {kind:<22} {shown}")
    return lines
