"""Reading rows ahead in a thread: order kept, errors handed over, the thread always ends."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from renovation.audit import source
from renovation.audit.source import _prefetched


class Cursor:
    """Pages of (n,) rows, then optionally an error instead of the next page."""

    def __init__(self, pages: int, fail: bool = False) -> None:
        self.pages, self.fail, self.served = pages, fail, 0

    def fetchmany(self, size: int) -> list[Any]:
        if self.served == self.pages:
            if self.fail:
                raise RuntimeError("connection lost")
            return []
        self.served += 1
        return [(self.served * 1000 + i,) for i in range(size)]


def readers() -> int:
    return sum(t.name == "audit-prefetch" for t in threading.enumerate())


def test_rows_come_in_order_and_the_thread_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "PAGE", 3)
    assert [r[0] for r in _prefetched(Cursor(2))] == [1000, 1001, 1002, 2000, 2001, 2002]
    assert readers() == 0


def test_a_reading_error_is_raised_in_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "PAGE", 2)
    rows = _prefetched(Cursor(1, fail=True))
    assert next(rows) == (1000,)
    with pytest.raises(RuntimeError, match="connection lost"):
        list(rows)
    assert readers() == 0


def test_closing_early_stops_the_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "PAGE", 1)
    rows = _prefetched(Cursor(100))
    assert next(rows) == (1000,)
    rows.close()
    assert readers() == 0
