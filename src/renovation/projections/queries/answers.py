"""Answers kept until the read models move: many people opening the same overview at once cost
one query, not one each.

An answer is kept under the query, its arguments and the read models' stamp — every
projection's tracked position and table generation, read in one small query. The stamp only
grows, and it is read before the query runs, so a kept answer is never older than a fresh query
at that stamp would be; the moment a projection applies a page, every later request misses and
asks again. Each caller gets its own copy, free to change.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import func, select

from renovation.projections.database import ViewsDatabase
from renovation.projections.tracking import machinery_tables

T = TypeVar("T")


def stamp(db: ViewsDatabase) -> tuple[int, int, int]:
    """Where the read models stand: positions summed, generations summed, projections."""
    tracking, states = machinery_tables(db.metadata)
    query = select(
        select(func.coalesce(func.sum(tracking.c.notification_id), 0)).scalar_subquery(),
        select(func.coalesce(func.sum(states.c.generation), 0)).scalar_subquery(),
        select(func.count()).select_from(states).scalar_subquery())
    with db.engine.connect() as conn:
        row = conn.execute(query).one()
    return int(row[0]), int(row[1]), int(row[2])


class Answers:
    """A small least-recently-used store of query answers, shared by a server's threads."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, db: ViewsDatabase, key: Hashable, compute: Callable[[], T]) -> T:
        """The answer to `compute` (named by `key`) at the read models' current stamp."""
        full = (key, stamp(db))
        with self._lock:
            if full in self._kept:
                self._kept.move_to_end(full)
                self.hits += 1
                return copy.deepcopy(self._kept[full])  # type: ignore[no-any-return]
            self.misses += 1
        answer = compute()
        with self._lock:
            self._kept[full] = answer
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return copy.deepcopy(answer)
