"""Item tallies: the item analysis's sufficient statistics, kept up to date by grading.

Summing a cohort's item rows at report time means sorting them (SQLite groups by
sorting), and at 100,000 attempts of 60 items that alone took longer than the whole
report may. So grading keeps, for each distinct (form, item, answer, earned, possible,
attempt's possible), how many attempts gave it and the sum and sum of squares of those
attempts' earned totals. Every sum over all attempts that the report needs derives from
these, because e, p and P are constant within a row: an item's rest score (E − e)/(P − p)
sums to (ΣE − n·e)/(P − p), and its square to (ΣE² − 2e·ΣE + n·e²)/(P − p)². (The upper
and lower groups depend on the whole cohort's ranking, so the report reads those
attempts' rows itself.)

``answer`` is kept for choice items only (the report counts their options), so free
text does not multiply the rows. Grading adds to the tallies in its own transaction;
a regrade, and a store whose tallies do not account for every item row (one written
before they existed), rebuild them from item_scores with one statement.
"""
from __future__ import annotations

from collections import Counter
from itertools import repeat
from operator import add
from typing import Any

from ..types import TYPES

CHOICE_TYPES = tuple(t.NAME for t in TYPES if t.options)  # types whose answers the report counts
TABLE = "item_tallies"

UPSERT = (f"INSERT INTO {TABLE} VALUES (?,?,?,?,?,?,?,?,?,?) "
          "ON CONFLICT (form, item_id, answer, earned, possible, correct, total_possible) "
          "DO UPDATE SET n = n + excluded.n, total = total + excluded.total, total2 = total2 + excluded.total2")


def answer_key(question_type: str, answer: str | None) -> str:
    """What the tallies keep of an item's answer (JSON in real ids, or None)."""
    return (answer or "") if question_type in CHOICE_TYPES else ""


class Tally:
    """Tallies of some attempts, gathered in memory (by a grading worker, per batch)."""

    def __init__(self) -> None:
        # (form, attempt's possible) → (count, Σ earned, Σ earned²), each keyed by item part
        self.groups: dict[tuple, tuple[Counter, dict, dict]] = {}

    def add(self, form: str, earned: float, possible: float, parts: list[tuple]) -> None:
        """One attempt; ``parts`` are its items' (item id, answer key, earned, possible, correct), all distinct."""
        group = self.groups.get((form, possible))
        if group is None:
            group = self.groups[(form, possible)] = (Counter(), {}, {})
        n, total, total2 = group
        n.update(parts)  # dict.update over C iterators: no Python loop over the items
        total.update(zip(parts, map(add, map(total.get, parts, repeat(0.0)), repeat(earned))))
        total2.update(zip(parts, map(add, map(total2.get, parts, repeat(0.0)), repeat(earned * earned))))

    def merge(self, other: "Tally") -> None:
        for key, (n, total, total2) in other.groups.items():
            group = self.groups.get(key)
            if group is None:
                self.groups[key] = (n, total, total2)
                continue
            group[0].update(n)
            for mine, theirs in ((group[1], total), (group[2], total2)):
                for part, value in theirs.items():
                    mine[part] = mine.get(part, 0.0) + value

    def rows(self) -> list[tuple]:
        return [(form, *part, possible, count, total[part], total2[part])
                for (form, possible), (n, total, total2) in self.groups.items() for part, count in n.items()]


def write(db, tally: Tally) -> None:
    """Add ``tally`` to the store's tallies (inside the caller's transaction)."""
    db.executemany(UPSERT, tally.rows())


def consistent(db, table: str = TABLE) -> bool:
    """Whether the tallies account for every item row (a full count of item_scores: a fraction of a second)."""
    return db.execute(f"SELECT (SELECT COALESCE(SUM(n), 0) FROM {table}) = (SELECT COUNT(*) FROM item_scores)"
                      ).fetchone()[0] == 1


def rebuild(db, pool: dict[str, Any], table: str = TABLE) -> None:
    """Tallies recomputed from item_scores (the definition the incremental ones must equal)."""
    db.execute("DROP TABLE IF EXISTS temp.choice_items")
    db.execute("CREATE TEMP TABLE choice_items (id TEXT PRIMARY KEY)")
    db.executemany("INSERT INTO temp.choice_items VALUES (?)",
                   [(i,) for i, p in pool.items() if p.question.type in CHOICE_TYPES])
    db.execute(f"DELETE FROM {table}")
    db.execute(
        f"INSERT INTO {table} SELECT a.form, s.item_id, "
        "CASE WHEN s.item_id IN temp.choice_items THEN IFNULL(s.answer, '') ELSE '' END, "
        "s.earned, s.possible, s.correct, g.possible, COUNT(*), SUM(g.earned), SUM(g.earned * g.earned) "
        "FROM item_scores s JOIN attempts a ON a.id = s.attempt JOIN grades g USING (attempt_id) "
        "GROUP BY 1, 2, 3, 4, 5, 6, 7")
    db.execute("DROP TABLE temp.choice_items")


def readable(db, pool: dict[str, Any]) -> str:
    """The table to read tallies from: the store's, or (where they are out of step) a rebuilt temporary copy."""
    if consistent(db):
        return TABLE
    db.execute("DROP TABLE IF EXISTS temp.tallies")
    db.execute(f"CREATE TEMP TABLE tallies AS SELECT * FROM main.{TABLE} WHERE 0")
    rebuild(db, pool, "temp.tallies")
    return "temp.tallies"
