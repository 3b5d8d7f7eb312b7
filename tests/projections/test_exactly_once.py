"""Each event is applied once: positions only advance, in the same transaction as the rows."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from eventsourcing.persistence import IntegrityError, Tracking
from sqlalchemy import select, update

from renovation.application.app import RenovationApp
from renovation.bootstrap import Runtime
from renovation.projections import (
    CatchUpReport,
    ProjectionGapError,
    Projector,
    ViewsDatabase,
    runner,
    tracking,
)
from renovation.projections.queries.common import tables
from tests.projections.support import dump, projector, views_beside
from tests.support.app import Scenario

REFS = ("450321-2022-0201", "450321-2022-0202", "450321-2022-0203")


@pytest.fixture
def driven(scenario: Scenario) -> Scenario:
    for n, ref in enumerate(REFS):
        scenario.drive(scenario.plan(ref, stop_after=("closed", "accepted", "county_approved")[n]))
    return scenario


def test_catching_up_again_applies_nothing(
    driven: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    first = projected.catch_up()
    before = dump(views)
    again = projected.catch_up()
    assert sum(first.applied.values()) > 0 and sum(again.applied.values()) == 0
    assert dump(views) == before


def test_a_position_recorded_again_is_refused_with_the_rows_of_its_transaction(
    driven: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    projected.catch_up()
    before = dump(views)
    position = projected.positions()["cases"]
    cases = tables(views)["rv_cases"]
    with pytest.raises(IntegrityError), views.writer.begin() as conn:
        conn.execute(update(cases).values(stage="tampered"))
        tracking.record(conn, projected.tracking, "cases", Tracking(driven.rt.app.name, position))
    assert dump(views) == before


def test_a_position_moved_back_is_caught_by_the_case_versions(
    driven: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    projected.catch_up()
    before = dump(views)
    with views.writer.begin() as conn:  # what a bug in tracking would do: replay old events
        conn.execute(update(projected.tracking).where(projected.tracking.c.projection == "cases")
                     .values(notification_id=0))
    with pytest.raises(ProjectionGapError, match="expected version"):
        projected.catch_up()
    assert dump(views) == before


def test_two_runners_at_once_apply_each_event_exactly_once(
    driven: Scenario, runtime: Runtime, views: ViewsDatabase, tmp_path: Path
) -> None:
    apps = [RenovationApp(runtime.settings.db) for _ in range(2)]
    runners = [Projector(app, views, page_size=7) for app in apps]
    reports: list[CatchUpReport] = []
    failures: list[BaseException] = []

    def catch_up(runner: Projector) -> None:
        try:
            reports.append(runner.catch_up())
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=catch_up, args=(runner,)) for runner in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for app in apps:
        app.close()
    assert failures == [] and len(reports) == 2
    store = runtime.app.recorder
    case_events = [n for n in store.select_notifications(0, 100_000, inclusive_of_start=False)
                   if n.topic.startswith("renovation.case:")]
    assert sum(r.applied["cases"] for r in reports) == len(case_events)
    with views_beside(runtime, tmp_path, "fresh") as fresh:
        projector(runtime, fresh).catch_up()
        assert dump(views) == dump(fresh)
    with views.engine.connect() as conn:
        versions = dict(conn.execute(select(tables(views)["rv_cases"].c.case_ref,
                                            tables(views)["rv_cases"].c.version)).all())
    assert versions == {ref: runtime.service.load_case(ref).version for ref in REFS}


def test_a_pass_that_finds_a_position_moved_back_starts_again(
    driven: Scenario, projected: Projector, views: ViewsDatabase, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A rebuild elsewhere may set a position below what a running pass has seen: the pass
    must not skip what lies between, so it starts again from the stored positions."""
    projected.catch_up()
    driven.drive(driven.plan("450321-2022-0204", stop_after="county_approved"))
    stored = projected.positions
    passes: list[int] = []

    def seen_ahead() -> dict[str, int]:
        passes.append(1)
        found = stored()
        return {name: at + 3 for name, at in found.items()} if len(passes) == 1 else found

    monkeypatch.setattr(projected, "positions", seen_ahead)
    projected.catch_up()
    assert len(passes) == 2
    with views_beside(driven.rt, tmp_path, "fresh") as fresh:
        projector(driven.rt, fresh).catch_up()
        assert dump(views) == dump(fresh)


def test_only_a_backlog_changes_the_collector_settings_a_servers_threads_share(
    driven: Scenario, projected: Projector, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered: list[int] = []

    @contextmanager
    def recorded() -> Iterator[None]:
        entered.append(1)
        yield

    monkeypatch.setattr(runner, "fewer_collections", recorded)
    projected.catch_up()  # a handful of events: below the bulk backlog
    assert entered == []
    driven.drive(driven.plan("450321-2022-0204", stop_after="accepted"))
    monkeypatch.setattr(runner, "BULK_BACKLOG", 1)
    projected.catch_up()
    assert entered == [1]
