"""The item-analysis scatter plot: labels never overlap each other or a dot, and stay in the chart."""
from __future__ import annotations

import random
import re

from mesotrain.results.report_html import CHAR_W, LINE_H, _overlap, place_labels


def _rects(placed):
    out = []
    for x, y, anchor, text in placed:
        w = CHAR_W * len(text)
        left = {"start": x, "end": x - w, "middle": x - w / 2}[anchor]
        out.append((left, y - LINE_H, left + w, y))
    return out


def test_crowded_items_get_no_overlapping_labels():
    rng = random.Random(3)
    points = [(200 + rng.uniform(-15, 15), 150 + rng.uniform(-15, 15), f"co-x{n:02}") for n in range(40)]
    points += [(60 + 10 * n, 60, f"ev-x{n:02}") for n in range(10)]
    box = (40, 0, 520, 280)
    placed = place_labels(points, box)
    rects = _rects([p for p in placed if p])
    for i, a in enumerate(rects):
        assert box[0] <= a[0] and a[2] <= box[2] and box[1] <= a[1] and a[3] <= box[3]
        for b in rects[i + 1:]:
            assert not _overlap(a, b), (a, b)
        for (x, y, _), p in zip(points, placed):
            assert not _overlap(a, (x - 5, y - 5, x + 5, y + 5)) or p is not None and _rects([p])[0] == a
    assert sum(p is None for p in placed) < len(points)  # crowding hides some labels, not all


def test_a_lone_item_is_labelled_on_its_right():
    (x, y, anchor, text), = place_labels([(100.0, 100.0, "hi-x01")], (0, 0, 500, 300))
    assert anchor == "start" and x > 100 and text == "hi-x01"
