"""The shipped course, loaded once for the exchange tests, and each bank sent out and read back."""
from __future__ import annotations

import pytest

from mesotrain import exchange
from mesotrain.checks import load_checked

from ..conftest import ROOT


@pytest.fixture(scope="package")
def course():
    tree, _ = load_checked(ROOT)
    return tree


def round_trips(course, tmp_path, fmt: str, slot: str):
    """For every shipped bank: (bank, its Text, its export in ``fmt``, the questions read back)."""
    for b in course.banks:
        bank = b.model
        exported = exchange.export(course, bank, fmt)
        path = tmp_path / f"{bank.id}{exported.suffix}"
        path.write_bytes(exported.data)
        items, read_as = exchange.read_file(path, path.name)
        assert read_as == slot and len(items) == exported.count
        yield bank, exchange.Text.of(course, bank), exported, items
