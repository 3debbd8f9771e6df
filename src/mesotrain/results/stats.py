"""Item and test statistics from sufficient statistics (counts and sums), so they stream.

Conventions, stated once (the report repeats them):

- An item is *correct* when it earned full credit; *facility* is the proportion of
  candidates who got it correct.
- *Point-biserial* is the Pearson correlation between an item's correct/incorrect and
  the candidate's score on the **rest** of the exam (their fraction of the other
  items' points): the corrected item–rest form, which does not let an item correlate
  with itself (on a short exam the uncorrected form flatters every item).
- *Upper–lower index* D = p(upper) − p(lower), the groups being the top and bottom
  27% of candidates by exam score (Kelley), ties broken by attempt id.
- *KR-20* is computed per form over the correct/incorrect scores, with population
  variances (divide by N) throughout; *SEM* = SD × √(1 − KR-20), in items.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

GROUP_SHARE = 0.27
HARD, EASY = 0.30, 0.90
WEAK = 0.20
DEAD_DISTRACTOR = 0.05
MIN_FOR_DISTRACTORS = 20


def group_size(n: int) -> int:
    """Candidates in each of the upper and lower groups (none below 2 candidates)."""
    return 0 if n < 2 else max(1, round(GROUP_SHARE * n))


def mean_sd(n: int, s: float, ss: float) -> tuple[float | None, float | None]:
    """Mean and population SD from n, Σx and Σx²."""
    if n == 0:
        return None, None
    mean = s / n
    return mean, math.sqrt(max(0.0, ss / n - mean * mean))


def correlation(n: int, sx: float, sy: float, sxx: float, syy: float, sxy: float) -> float | None:
    """Pearson r from sums; None when either variable does not vary."""
    vx = n * sxx - sx * sx
    vy = n * syy - sy * sy
    if n < 2 or vx <= 1e-12 or vy <= 1e-12:
        return None
    return (n * sxy - sx * sy) / math.sqrt(vx * vy)


def kr20(k: int, n: int, sum_pq: float, s: float, ss: float) -> float | None:
    """KR-20 for k dichotomous items, Σp·q over them, and Σt, Σt² of the number-correct totals."""
    _, sd = mean_sd(n, s, ss)
    if k < 2 or sd is None or sd == 0:
        return None
    return k / (k - 1) * (1 - sum_pq / (sd * sd))


def sem(sd: float | None, reliability: float | None) -> float | None:
    if sd is None or reliability is None:
        return None
    return sd * math.sqrt(max(0.0, 1 - reliability))


@dataclass
class ItemSums:
    """What one pass over the item scores accumulates for one item."""

    n: int = 0
    correct: float = 0.0
    credit: float = 0.0        # Σ earned/possible
    n_rest: int = 0
    rest: float = 0.0          # Σ rest score
    rest2: float = 0.0         # Σ rest²
    correct_rest: float = 0.0  # Σ correct × rest
    upper: int = 0
    upper_correct: int = 0
    lower: int = 0
    lower_correct: int = 0

    def add(self, other: "ItemSums") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class ItemStats:
    item_id: str
    n: int
    facility: float | None
    mean_credit: float | None
    point_biserial: float | None
    upper_lower: float | None
    flags: list[str] = field(default_factory=list)


def item_stats(item_id: str, s: ItemSums) -> ItemStats:
    facility = s.correct / s.n if s.n else None
    r = correlation(s.n_rest, s.correct, s.rest, s.correct, s.rest2, s.correct_rest)
    d = (s.upper_correct / s.upper - s.lower_correct / s.lower) if s.upper and s.lower else None
    stats = ItemStats(item_id, s.n, facility, s.credit / s.n if s.n else None, r, d)
    stats.flags = flags(stats)
    return stats


def flags(s: ItemStats) -> list[str]:
    """Why an item deserves a second look (thresholds in the module constants)."""
    out = []
    if s.facility is not None and s.facility < HARD:
        out.append("hard")
    if s.facility is not None and s.facility > EASY:
        out.append("easy")
    if (s.point_biserial is not None and s.point_biserial < 0) or (s.upper_lower is not None and s.upper_lower < 0):
        out.append("negative discrimination: check the key")
    elif s.point_biserial is not None and s.point_biserial < WEAK:
        out.append("weak discrimination")
    return out


def distractor_flags(n: int, counts: dict[str, int], upper: dict[str, int], keys: set[str]) -> list[str]:
    """Flags from a choice item's option counts (overall and in the upper group)."""
    out = []
    key_upper = max((upper.get(k, 0) for k in keys), default=0)
    if any(upper.get(o, 0) > key_upper for o in counts if o not in keys):
        out.append("a distractor outdraws the key among top scorers")
    if n >= MIN_FOR_DISTRACTORS:
        dead = sorted(o for o, c in counts.items() if o not in keys and c / n < DEAD_DISTRACTOR)
        if dead:
            out.append(f"distractor(s) chosen by under 5%: {', '.join(dead)}")
    return out
