"""A household supported in an earlier programme needs a valid re-entry reason to be approved."""

from __future__ import annotations

from datetime import date

import pytest

from renovation.aggregates.case.errors import IneligibleHouseholdError
from renovation.bootstrap import Runtime
from renovation.simulation.demo import SimulatedClock
from tests.support.app import Scenario


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    scenario = Scenario(runtime, clock)
    scenario.open_programme("guilin-2023", policy="guilin-2022")  # next year, same standards
    return scenario


def second_year(scenario: Scenario, household: dict[str, object], **changes: object) -> list[dict]:
    plan = scenario.plan(
        "450321-2023-0001",
        stop_after="county_approved",
        household=household,
        programme_id="guilin-2023",
        applied_on=date(2023, 3, 1),
    )
    commands = scenario.commands(plan)
    commands[0]["payload"].update(changes)
    return commands


def test_support_in_an_earlier_programme_blocks_approval_without_re_entry(
    scenario: Scenario,
) -> None:
    household = scenario.household()
    scenario.drive(scenario.plan("450321-2022-0001", household=household))
    commands = second_year(scenario, household)
    first = scenario.run(commands[0])
    assert scenario.rt.service.load_case(first.case_ref).supported_in_programmes == ("guilin-2022",)
    approval = next(i for i, c in enumerate(commands) if c["type"] == "grant_county_approval")
    for command in commands[1:approval]:
        scenario.run(command)
    with pytest.raises(IneligibleHouseholdError) as caught:
        scenario.run(commands[approval])
    assert caught.value.rule == "eligibility.not_previously_supported"


def test_a_house_damaged_again_by_a_small_disaster_may_re_enter(scenario: Scenario) -> None:
    household = scenario.household()
    scenario.drive(scenario.plan("450321-2022-0001", household=household))
    outcomes = [
        scenario.run(c)
        for c in second_year(scenario, household, reentry_reason="small_natural_disaster")
    ]
    assert outcomes[-1].stage == "county_approved"
