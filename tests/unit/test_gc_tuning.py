"""Fewer collections during bulk passes, and nothing left uncollected after them."""

from __future__ import annotations

import gc
import weakref

from renovation.gc_tuning import BULK_THRESHOLD, fewer_collections


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it


def _garbage(count: int, alive: weakref.WeakSet[_Node]) -> None:
    for _ in range(count):
        alive.add(_Node())


def test_inside_the_block_the_young_generation_is_collected_less_often() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] >= BULK_THRESHOLD
        with fewer_collections():  # nested: only the outermost block restores
            pass
        assert gc.get_threshold()[0] >= BULK_THRESHOLD
    assert gc.get_threshold() == before


def test_cycles_freed_between_passes_are_still_collected() -> None:
    """A worker following the log enters the block again and again; the garbage of each pass
    must not be frozen past the collector's reach."""
    gc.collect()
    alive: weakref.WeakSet[_Node] = weakref.WeakSet()
    for _ in range(200):
        _garbage(50, alive)  # fewer allocations than a young collection waits for
        with fewer_collections():
            pass
    assert len(alive) <= 50  # at most the last pass's, not 10,000
