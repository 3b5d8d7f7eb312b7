"""Rebuilding: shadow tables swapped in at once, the same answers, the old ones served meanwhile."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from sqlalchemy import Table, func, inspect, select
from sqlalchemy.engine import Connection

from renovation.bootstrap import Runtime
from renovation.projections import Projector, ViewsDatabase
from renovation.projections.base import Applied
from renovation.projections.cases import CaseList
from renovation.projections.notices import Notices
from renovation.projections.payments import Payments
from renovation.projections.programmes import Programmes
from renovation.projections.queries.common import tables
from tests.projections.support import answers, dump
from tests.support.app import Scenario

REFS = ("450321-2022-0301", "450321-2022-0302", "450321-2022-0303", "450321-2022-0304")


@pytest.fixture
def driven(scenario: Scenario, projected: Projector) -> Scenario:
    for n, ref in enumerate(REFS):
        variant = ("normal", "returned", "withdrawn", "normal")[n]
        stop_after = ("closed", "accepted")[n % 2]
        scenario.drive(scenario.plan(ref, variant=variant, stop_after=stop_after))
    projected.catch_up()
    return scenario


def live_count(db: ViewsDatabase) -> int:
    with db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(tables(db)["rv_cases"])).scalar_one()


def test_rebuild_gives_byte_identical_answers(
    driven: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    before, rows = answers(views), dump(views)
    rebuilt = projected.rebuild()
    assert rebuilt["cases"] > 0 and set(rebuilt) == {
        "programmes", "cases", "payments", "notices", "findings", "spotchecks", "staff",
        "identities", "objections", "ledger", "tipoffs", "comparison"}
    assert answers(views) == before and dump(views) == rows
    projected.rebuild(["cases"])  # a second generation: index names must not clash
    assert answers(views) == before
    states = {s["projection"]: s for s in projected.status()}
    assert states["cases"]["generation"] == 2 and states["notices"]["generation"] == 1
    assert all(s["state"] == "current" for s in states.values())


class CaseListV2(CaseList):
    """The next version of the case list; while it builds, readers must see the old table."""

    version = CaseList.version + 1
    seen: list[int]
    db: ViewsDatabase

    def apply(self, conn: Connection, tables: Mapping[str, Table], events: Applied) -> None:
        if tables["rv_cases"].name != "rv_cases":
            self.seen.append(live_count(self.db))
        super().apply(conn, tables, events)


def test_a_new_version_is_built_beside_the_old_tables_and_swapped_in(
    driven: Scenario, runtime: Runtime, views: ViewsDatabase
) -> None:
    before, cases = answers(views), live_count(views)
    v2 = CaseListV2()
    v2.seen, v2.db = [], views
    runner = Projector(runtime.app, views, [Programmes(), v2, Payments(), Notices()],
                       page_size=5)
    report = runner.catch_up()
    assert report.rebuilt == ["cases"]
    assert len(v2.seen) > 3 and set(v2.seen) == {cases}  # readers saw the whole old table
    assert answers(views) == before
    states = {s["projection"]: s for s in runner.status()}
    stored = (states["cases"]["stored_version"], states["cases"]["generation"])
    assert stored == (CaseListV2.version, 1)
    with views.engine.connect() as conn:
        assert not inspect(conn).has_table("rv_cases__g1", schema=views.schema)


def test_an_interrupted_rebuild_leaves_the_live_tables_and_can_run_again(
    driven: Scenario, runtime: Runtime, views: ViewsDatabase
) -> None:
    before = answers(views)

    class Failing(CaseListV2):
        def apply(self, conn: Connection, tables: Mapping[str, Table], events: Applied) -> None:
            super().apply(conn, tables, events)
            if len(self.seen) == 2:
                raise RuntimeError("the process died")

    failing = Failing()
    failing.seen, failing.db = [], views
    with pytest.raises(RuntimeError, match="died"):
        Projector(runtime.app, views, [failing], page_size=5).catch_up()
    assert answers(views) == before
    again = CaseListV2()
    again.seen, again.db = [], views
    runner = Projector(runtime.app, views, [Programmes(), again, Payments(), Notices()])
    assert runner.catch_up().rebuilt == ["cases"]
    assert answers(views) == before
