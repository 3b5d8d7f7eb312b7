"""The spot-check read model: the population a draw reads, the report per county, rebuilds."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from renovation.projections import ViewsDatabase
from renovation.projections.queries.spotcheck import population, spot_check_tables, spot_checks
from tests.support.app import Scenario
from tests.support.spotcheck import (
    COUNTY,
    DRAWN_ON,
    INSPECTOR,
    PROGRAMME,
    SEED,
    accept,
    city_check,
    read_model,
    ref,
    service,
    spot_check_projector,
)


def rows(db: ViewsDatabase) -> dict[str, list[tuple[Any, ...]]]:
    with db.engine.connect() as conn:
        return {name: sorted(tuple(r) for r in conn.execute(select(table)))
                for name, table in spot_check_tables(db).items()}


def county_row(db: ViewsDatabase) -> dict[str, Any]:
    [row] = spot_checks(db, PROGRAMME)["counties"]
    return row


def test_the_population_is_every_accepted_case_by_reference_with_its_township(
    scenario: Scenario, views: ViewsDatabase
) -> None:
    accept(scenario, [3, 1, 2])
    spot_check_projector(scenario, views).catch_up()
    accepted = list(population(views, PROGRAMME, COUNTY))
    assert accepted == [(ref(1), "450321101000"), (ref(2), "450321100000"),
                        (ref(3), "450321101000")]
    assert list(population(views, PROGRAMME, "450322000000")) == []
    table = spot_check_tables(views)["rv_spotcheck_cases"]
    with views.engine.connect() as conn:
        first = conn.execute(select(table.c.accepted_position)
                             .where(table.c.case_ref == ref(3))).scalar_one()
    assert list(population(views, PROGRAMME, COUNTY, up_to=first)) == [accepted[2]]


def test_the_report_counts_drawn_checked_and_failed_against_the_policy_minimum(
    scenario: Scenario, views: ViewsDatabase
) -> None:
    accept(scenario, range(1, 21))
    projector = spot_check_projector(scenario, views)
    projector.catch_up()
    drawn = service(scenario, read_model(views)).draw(scenario.principal(INSPECTOR), PROGRAMME,
                                                       COUNTY, SEED, DRAWN_ON)
    projector.catch_up()
    before = county_row(views)
    assert before["name"] is not None
    assert {k: before[k] for k in ("accepted", "rounds", "drawn", "checked", "achieved_ratio",
                                   "required_ratio", "meets_minimum")} == {
        "accepted": 20, "rounds": 1, "drawn": 2, "checked": 0, "achieved_ratio": "0.0000",
        "required_ratio": "0.10", "meets_minimum": False}

    first, second = drawn.selected
    scenario.rt.service.execute(city_check(scenario, first, True, drawn.draw_ref),
                                scenario.manager)
    scenario.rt.service.execute(city_check(scenario, second, False, drawn.draw_ref),
                                scenario.manager)
    projector.catch_up()
    after = county_row(views)
    assert {k: after[k] for k in ("checked", "passed", "failed", "achieved_ratio",
                                  "meets_minimum")} == {
        "checked": 2, "passed": 1, "failed": 1, "achieved_ratio": "0.1000",
        "meets_minimum": True}
    assert spot_checks(views, PROGRAMME)["meeting_minimum"] == 1

    built = rows(views)
    projector.rebuild()
    assert rows(views) == built
    [draw_row] = built["rv_spotcheck_draws"]
    assert draw_row[1:6] == (drawn.draw_ref, PROGRAMME, COUNTY, 1, "0.10")
