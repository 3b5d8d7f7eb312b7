"""进度汇总 — running counts kept with the case list, so dashboards never count every case.

Counting a million case rows for each dashboard request is too slow, so the case-list
projection keeps two tables of counts in step with `rv_cases`, in the same transaction: for each
page it subtracts what the cases it touched counted before and adds what they count now.
- `rv_progress`: cases per village, department and stage, and how many reached each step;
- `rv_milestones`: per county and day, the cases approved, started, completed and accepted on it
  (withdrawn and rejected cases left out), for the construction calendar;
- `rv_funds`: per township and fund source, the yuan approved (withdrawn and rejected cases
  left out), requested and paid.
The first count of each table is a number of cases: a row is deleted when it reaches zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Date, Integer, String, Table, and_, bindparam, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from renovation.kernel.vocabulary import Stage
from renovation.projections.base import Row, TableSpec
from renovation.projections.batch import execute_rows

LEVELS = ("province", "city", "county", "township", "village")
STEPS = (
    ("township_approved", "township_approved_on"), ("county_approved", "approved_on"),
    ("agreement_signed", "agreement_on"), ("construction_started", "started_on"),
    ("construction_completed", "completed_on"), ("accepted", "accepted_on"),
    ("paid", "paid_on"), ("closed", "closed_on"),
)
"""After the application itself: each step a case reached, and the case-row date that says so."""
MILESTONE_DATES = (
    ("approved", "approved_on"), ("start", "started_on"), ("complete", "completed_on"),
    ("accept", "accepted_on"),
)
ENDED = (Stage.WITHDRAWN.value, Stage.REJECTED.value)

Key = tuple[Any, ...]
Part = tuple[Key, tuple[int, ...]]


@dataclass(frozen=True)
class Rollup:
    """A table of counts: its key columns, its count columns, and what one case row adds."""

    spec: TableSpec
    key: tuple[str, ...]
    counts: tuple[str, ...]
    parts: Callable[[Row], list[Part]]


def _progress_parts(row: Row) -> list[Part]:
    key = (row["programme"], *(row[level] for level in LEVELS), row["department"], row["stage"])
    return [(key, (1, *(int(row[d] is not None) for _, d in STEPS)))]


def _milestone_parts(row: Row) -> list[Part]:
    if row["stage"] in ENDED:
        return []
    where = (row["programme"], row["province"], row["city"], row["county"])
    return [((*where, name, row[column]), (1,))
            for name, column in MILESTONE_DATES if row[column] is not None]


def _key_columns(*names: str) -> list[Column[Any]]:
    return [Column(name, String(40), primary_key=True) for name in names]


PROGRESS = Rollup(
    TableSpec("rv_progress", lambda: [
        *_key_columns("programme", *LEVELS, "department", "stage"),
        *(Column(n, Integer, nullable=False) for n in ("cases", *(s for s, _ in STEPS))),
    ], indexes=(("county", "township"),)),
    key=("programme", *LEVELS, "department", "stage"),
    counts=("cases", *(step for step, _ in STEPS)),
    parts=_progress_parts,
)
MILESTONES = Rollup(
    TableSpec("rv_milestones", lambda: [
        *_key_columns("programme", "province", "city", "county", "milestone"),
        Column("day", Date, primary_key=True), Column("cases", Integer, nullable=False),
    ]),
    key=("programme", "province", "city", "county", "milestone", "day"),
    counts=("cases",),
    parts=_milestone_parts,
)


def _fund_parts(row: Row) -> list[Part]:
    where = (row["programme"], row["province"], row["city"], row["county"], row["township"])
    ended = row["stage"] in ENDED
    return [((*where, source), (1, 0 if ended else approved, requested, paid))
            for source, (approved, requested, paid) in row["funds"].items()]


FUNDS = Rollup(
    TableSpec("rv_funds", lambda: [
        *_key_columns("programme", "province", "city", "county", "township", "source"),
        *(Column(n, Integer, nullable=False)
          for n in ("cases", "approved_yuan", "requested_yuan", "paid_yuan")),
    ]),
    key=("programme", "province", "city", "county", "township", "source"),
    counts=("cases", "approved_yuan", "requested_yuan", "paid_yuan"),
    parts=_fund_parts,
)
ROLLUPS = (PROGRESS, MILESTONES, FUNDS)


class Tally:
    """The net change of one rollup's counts over one page of case rows."""

    def __init__(self, rollup: Rollup, before: Iterable[Row]) -> None:
        self.rollup = rollup
        self.before = {str(row["case_id"]): rollup.parts(row) for row in before}
        width = len(rollup.counts)
        self.delta: defaultdict[Key, list[int]] = defaultdict(lambda: [0] * width)

    def settle(self, rows: Mapping[str, Row]) -> None:
        """Subtract what each touched case counted before the page, add what it counts now."""
        for case, row in rows.items():
            for key, counts in self.before.get(case, ()):
                self._add(key, counts, -1)
            for key, counts in self.rollup.parts(row):
                self._add(key, counts, 1)

    def _add(self, key: Key, counts: tuple[int, ...], sign: int) -> None:
        total = self.delta[key]
        for i, n in enumerate(counts):
            total[i] += sign * n

    def write(self, conn: Connection, table: Table) -> None:
        key, counts = self.rollup.key, self.rollup.counts
        changes = [dict(zip(key, k, strict=True)) | dict(zip(counts, d, strict=True))
                   for k, d in sorted(self.delta.items(), key=_sortable) if any(d)]
        if not changes:
            return

        def build() -> Any:
            dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
            insert = dialect.insert(table)
            add = {n: table.c[n] + insert.excluded[n] for n in counts}
            return insert.on_conflict_do_update(index_elements=list(key), set_=add)

        execute_rows(conn, table, ("add",), build, changes)
        emptied = [c for c in changes if c[counts[0]] < 0]
        if emptied:  # a key no case counts under any more
            match = and_(*(table.c[k] == bindparam(f"k_{k}") for k in key),
                         table.c[counts[0]] == 0)
            conn.execute(delete(table).where(match),
                         [{f"k_{k}": c[k] for k in key} for c in emptied])


def _sortable(item: tuple[Key, list[int]]) -> tuple[str, ...]:
    return tuple(str(part) for part in item[0])
