"""案件查询 — the case list, filtered by jurisdiction, stage, category, department, mode, dates
and the masked name; ordered by case reference, paged."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Table, func, select

from renovation.projections.cases import DATES
from renovation.projections.database import ViewsDatabase
from renovation.projections.queries.common import LEVELS, plain, tables, within

DATE_FIELDS = (*DATES, "agreement_deadline")
COLUMNS = (
    "case_ref", "programme", *LEVELS, "stage", "category", "department", "certified", "mode",
    "grade", "head_name", "head_id", "phone", "account", "household_size", "subsidy_yuan",
    "paid_yuan", *DATE_FIELDS, "version",
)
"""What a case row shows: personal data only in the masked forms the events carry."""


@dataclass(frozen=True)
class CaseFilter:
    """Which cases to list; every field is optional and they combine with AND."""

    programme: str | None = None
    within: str | None = None
    stages: tuple[str, ...] = ()
    category: str | None = None
    department: str | None = None
    mode: str | None = None
    date_field: str = "applied_on"
    date_from: date | None = None
    date_to: date | None = None
    name: str | None = None

    def clauses(self, t: Table) -> list[ColumnElement[bool]]:
        if self.date_field not in DATE_FIELDS:
            raise ValueError(f"no date {self.date_field!r}; known: {', '.join(DATE_FIELDS)}")
        clauses = within(t, self.within)
        equal = {"programme": self.programme, "category": self.category,
                 "department": self.department, "mode": self.mode}
        clauses += [t.c[column] == value for column, value in equal.items() if value]
        if self.stages:
            clauses.append(t.c.stage.in_(self.stages))
        if self.date_from:
            clauses.append(t.c[self.date_field] >= self.date_from)
        if self.date_to:
            clauses.append(t.c[self.date_field] <= self.date_to)
        if self.name:
            pattern = self.name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append(t.c.head_name.like(f"%{pattern}%", escape="\\"))
        return clauses


def list_cases(
    db: ViewsDatabase, where: CaseFilter | None = None, limit: int = 50, offset: int = 0,
    after: str | None = None,
) -> dict[str, Any]:
    """One page of matching cases, by case reference, with the number matching in all.

    Pages by `offset`, or by `after` (the last reference of the previous page: stable while
    cases are added); `next` is the `after` of the following page, None on the last."""
    t = tables(db)["rv_cases"]
    clauses = (where or CaseFilter()).clauses(t)
    paging = [t.c.case_ref > after] if after is not None else []
    query = (select(*(t.c[c] for c in COLUMNS)).where(*clauses, *paging)
             .order_by(t.c.case_ref).limit(limit + 1).offset(offset))
    with db.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(t).where(*clauses)).scalar_one()
        rows = [plain(row) for row in conn.execute(query)]
    more = len(rows) > limit
    rows = rows[:limit]
    return {"total": total, "limit": limit, "offset": offset, "cases": rows,
            "next": rows[-1]["case_ref"] if more and rows else None}


def iter_cases(
    db: ViewsDatabase, where: CaseFilter | None = None, chunk: int = 1000
) -> Iterator[dict[str, Any]]:
    """Every matching case, by case reference, streamed from the server in chunks.

    For exports of a whole county or city: memory stays at one chunk whatever the count.
    """
    t = tables(db)["rv_cases"]
    clauses = (where or CaseFilter()).clauses(t)
    query = select(*(t.c[c] for c in COLUMNS)).where(*clauses).order_by(t.c.case_ref)
    with db.engine.connect() as conn:
        result = conn.execution_options(yield_per=chunk).execute(query)
        for row in result:
            yield plain(row)
