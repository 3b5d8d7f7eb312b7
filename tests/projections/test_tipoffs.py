"""举报投诉 read model: the same rows whatever the page size, equal to a replay of the log
(verify), rebuilt byte for byte, masked words only."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import select

from renovation.projections import Projector, ViewsDatabase, open_database
from renovation.projections.queries.common import tables
from renovation.projections.queries.tipoffs import list_tipoffs
from tests.support.app import Scenario
from tests.support.tipoffs import (
    CALLER,
    CITY_DJ,
    CLERK,
    COUNTY,
    DJ,
    STATEMENT,
    VILLAGE,
    hotline_call,
    with_county_inspectors,
)

ON = date(2022, 6, 1)


def lodge_and_work(scenario: Scenario) -> list[str]:
    """Three tip-offs: one left lodged, one handed over and reassigned, one concluded."""
    with_county_inspectors(scenario.rt)
    scenario.clock.business_day(ON)
    tipoffs, clerk = scenario.rt.tipoffs, scenario.principal(CLERK)
    ids = [tipoffs.lodge_hotline(clerk, hotline_call())["tipoff_id"] for _ in range(3)]
    tipoffs.lodge_public({"jurisdiction": VILLAGE, "subject": "poor_quality",
                          "statement": STATEMENT})
    dj, city = scenario.principal(DJ), scenario.principal(CITY_DJ)
    for tipoff_id in ids[1:]:
        tipoffs.assign(dj, UUID(tipoff_id), {"to": DJ})
    tipoffs.assign(city, UUID(ids[1]), {"to": "dj2-450321"})
    tipoffs.start_investigation(dj, UUID(ids[2]))
    tipoffs.conclude(dj, UUID(ids[2]), {"outcome": "unsubstantiated",
                                        "conclusion": "经入户核查，反映问题不属实"})
    return ids


def rows(db: ViewsDatabase) -> list[tuple[Any, ...]]:
    """The table's rows, times in UTC without a zone (as SQLite keeps them)."""
    with db.engine.connect() as conn:
        return sorted(tuple(_utc(v) for v in r)
                      for r in conn.execute(select(tables(db)["rv_tipoffs"])))


def _utc(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def test_the_read_model_is_the_same_page_by_page_and_equals_a_replay(
        scenario: Scenario, projected: Projector, views: ViewsDatabase, tmp_path: Path) -> None:
    lodge_and_work(scenario)
    projected.catch_up()
    other = open_database(f"sqlite:///{tmp_path}/paged.db")
    try:
        Projector(scenario.rt.app, other, page_size=3).catch_up()
        assert rows(other) == rows(views)
    finally:
        other.dispose()
    [verified] = projected.verify(["tipoffs"])
    assert verified.ok and verified.rows == 4


def test_statuses_assignees_and_masked_words_are_listed(
        scenario: Scenario, projected: Projector, views: ViewsDatabase) -> None:
    ids = lodge_and_work(scenario)
    projected.catch_up()
    answer = list_tipoffs(views, ON, COUNTY)
    assert answer["counts"] == {"lodged": 2, "handed_over": 1, "investigating": 0,
                                "concluded": 1, "overdue": 0}
    by_id = {t["tipoff_id"]: t for t in answer["tipoffs"]}
    assert by_id[ids[1]]["assignee"] == "dj2-450321"
    assert by_id[ids[2]]["outcome"] == "unsubstantiated"
    assert by_id[ids[2]]["conclusion"].endswith("字，已加密〕")
    dumped = str(rows(views))
    assert CALLER not in dumped and "亲戚" not in dumped and "不属实" not in dumped


def test_a_rebuild_gives_the_same_rows(
        scenario: Scenario, projected: Projector, views: ViewsDatabase) -> None:
    lodge_and_work(scenario)
    projected.catch_up()
    before = rows(views)
    projected.rebuild(["tipoffs"])
    assert rows(views) == before
