"""进度汇总 — running counts of cases per village, department and stage, kept with the case list.

Counting a million case rows for every dashboard request is too slow, so the case-list
projection keeps this table in step with `rv_cases`, in the same transaction: for each page it
subtracts what the cases it touched counted before and adds what they count now. The progress
query then sums a few thousand rows instead of scanning every case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Column, Integer, String, Table, and_, bindparam, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from renovation.projections.base import Row, TableSpec

LEVELS = ("province", "city", "county", "township", "village")
KEY = ("programme", *LEVELS, "department", "stage")
STEPS = (
    ("township_approved", "township_approved_on"), ("county_approved", "approved_on"),
    ("agreement_signed", "agreement_on"), ("construction_started", "started_on"),
    ("construction_completed", "completed_on"), ("accepted", "accepted_on"),
    ("paid", "paid_on"), ("closed", "closed_on"),
)
"""After the application itself: each step a case reached, and the case-row date that says so."""
COUNTS = ("cases", *(step for step, _ in STEPS))

Key = tuple[Any, ...]
Counts = tuple[int, ...]


def _columns() -> list[Column[Any]]:
    return [
        Column("programme", String(40), primary_key=True),
        *(Column(level, String(12), primary_key=True) for level in LEVELS),
        Column("department", String(24), primary_key=True),
        Column("stage", String(24), primary_key=True),
        *(Column(name, Integer, nullable=False) for name in COUNTS),
    ]


PROGRESS = TableSpec("rv_progress", _columns, indexes=(("county", "township"),))


def contribution(row: Row) -> tuple[Key, Counts]:
    """What one case row adds to the counts: itself, and each step it has reached."""
    return tuple(row[k] for k in KEY), (1, *(int(row[d] is not None) for _, d in STEPS))


class Tally:
    """The net change of the counts over one page of case rows."""

    def __init__(self, before: Iterable[Row]) -> None:
        self.before = {str(row["case_id"]): contribution(row) for row in before}
        self.delta: defaultdict[Key, list[int]] = defaultdict(lambda: [0] * len(COUNTS))

    def settle(self, rows: Mapping[str, Row]) -> None:
        """Subtract what each touched case counted before the page, add what it counts now."""
        for case, row in rows.items():
            old = self.before.get(case)
            if old is not None:
                self._add(old, -1)
            self._add(contribution(row), 1)

    def _add(self, part: tuple[Key, Counts], sign: int) -> None:
        key, counts = part
        total = self.delta[key]
        for i, n in enumerate(counts):
            total[i] += sign * n

    def write(self, conn: Connection, table: Table) -> None:
        changes = [dict(zip(KEY, key, strict=True)) | dict(zip(COUNTS, d, strict=True))
                   for key, d in sorted(self.delta.items()) if any(d)]
        if not changes:
            return
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        insert = dialect.insert(table)
        add = {n: table.c[n] + insert.excluded[n] for n in COUNTS}
        conn.execute(insert.on_conflict_do_update(index_elements=list(KEY), set_=add), changes)
        emptied = [c for c in changes if c["cases"] < 0]
        if emptied:  # a village, department or stage no case is in any more
            match = and_(*(table.c[k] == bindparam(f"k_{k}") for k in KEY), table.c.cases == 0)
            conn.execute(delete(table).where(match), [{f"k_{k}": c[k] for k in KEY}
                                                       for c in emptied])

