"""Helpers of the spot-check tests: accepted cases in two townships, the read model, the service."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from renovation.application.spotcheck import AcceptedCases, SpotCheckService
from renovation.projections import Projector, ViewsDatabase
from renovation.projections.programmes import Programmes
from renovation.projections.queries.spotcheck import ReadModelCases
from renovation.projections.spotchecks import SpotChecks
from renovation.simulation.lifecycle import Staff
from tests.support.app import Scenario

PROGRAMME = "guilin-2022"
COUNTY = "450321000000"
VILLAGES = ("450321100201", "450321101203")
"""Two villages in two townships (450321100, 450321101) of one county."""
SEED = "3c" * 16
OTHER_SEED = "d4" * 20
INSPECTOR = "ci-4503"
"""The city inspector who draws (a demo sign-in account: city_inspector of 450300000000)."""
DRAWN_ON = date(2022, 12, 5)


def ref(n: int) -> str:
    return f"450321-2022-{n:04d}"


def accept(scenario: Scenario, numbers: Iterable[int]) -> list[str]:
    """Drive each case to a passed county acceptance, alternating between the two townships."""
    commands: list[dict[str, Any]] = []
    refs = []
    for n in numbers:
        plan = scenario.plan(ref(n), stop_after="accepted", village=VILLAGES[n % 2])
        commands += scenario.commands(plan)
        refs.append(plan.case_ref)
    scenario.clock.business_day(DRAWN_ON)
    for result in scenario.run_many(commands):
        assert not isinstance(result, Exception), result
    return refs


def spot_check_projector(scenario: Scenario, db: ViewsDatabase) -> Projector:
    return Projector(scenario.rt.app, db, projections=[Programmes(), SpotChecks()])


def service(scenario: Scenario, cases: AcceptedCases) -> SpotCheckService:
    return scenario.rt.spot_checks(cases)


def read_model(db: ViewsDatabase) -> ReadModelCases:
    return ReadModelCases(db)


def city_check(
    scenario: Scenario, case_ref: str, passed: bool, draw_ref: str, n: str = "1"
) -> dict[str, Any]:
    command = scenario.command("record_city_spot_check", case_ref, "city", DRAWN_ON, {
        "passed": passed, "draw_ref": draw_ref,
        "findings": [] if passed else ["圈梁构造柱缺失"]}, n=n)
    return {**command, "actor": Staff(VILLAGES[0]).actor("city")}


@dataclass
class Leaving:
    """A population source that leaves some accepted cases out (a manipulated population)."""

    cases: AcceptedCases
    left_out: set[str] = field(default_factory=set)

    def accepted(
        self, programme: str, county: str, up_to: int | None = None
    ) -> list[tuple[str, str]]:
        return [(r, t) for r, t in self.cases.accepted(programme, county, up_to)
                if r not in self.left_out]

    def position(self) -> int:
        return self.cases.position()
