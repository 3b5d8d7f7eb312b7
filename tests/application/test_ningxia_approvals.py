"""Through the approval path, seed 003's figures: a household with no house is approved at the
new-build rate (30,000 yuan), and a D-grade house is not approved for reinforcement."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest

from renovation.aggregates.case import RenovationCase, case_id
from renovation.application.directory import NewMember, Principal
from renovation.bootstrap import Runtime
from renovation.kernel.errors import RuleViolation
from renovation.kernel.vocabulary import Category, RenovationMode, Role
from renovation.policy import load_policy
from renovation.simulation.demo import SimulatedClock
from renovation.simulation.lifecycle import CasePlan, Lifecycle
from tests.support.app import Scenario

VILLAGE = "640181100201"


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    scenario = Scenario(runtime, clock)
    runtime.staff.register(Principal.local(), NewMember(
        "pm-64", "张伟", Role.PROGRAMME_MANAGER, "640000000000", valid_from=date(2022, 1, 1)))
    runtime.programmes.open(scenario.principal("pm-64"), "ningxia-2021", "ningxia-2021",
                            date(2022, 2, 1))
    scenario.staff(VILLAGE)
    return scenario


def commands(scenario: Scenario, ref: str, mode: RenovationMode) -> list[dict[str, Any]]:
    plan = CasePlan(case_ref=ref, programme_id="ningxia-2021", village=VILLAGE,
                    household=scenario.people.household(VILLAGE[:6], 2022, 3),
                    category=Category.DIBAO, mode=mode, applied_on=date(2022, 3, 1),
                    stop_after="county_approved", rng=random.Random(ref))
    return list(Lifecycle(plan, load_policy("ningxia-2021")).commands())


def approve(scenario: Scenario, steps: list[dict[str, Any]]) -> RenovationCase:
    manager = scenario.principal("pm-64")
    for command in steps[:-1]:
        scenario.run(command, manager)
    scenario.run(steps[-1], manager)
    case = scenario.rt.app.find(case_id(steps[0]["case_ref"]), RenovationCase)
    assert case is not None
    return case


def test_a_household_with_no_house_is_approved_at_the_new_build_rate(scenario: Scenario) -> None:
    steps = commands(scenario, "640181-2022-0001", RenovationMode.REBUILD_IN_PLACE)
    grading = next(i for i, c in enumerate(steps) if c["type"] == "grade_house")
    steps[grading] = {**steps[grading], "type": "record_no_house",
                      "actor": {**steps[grading]["actor"], "id": f"tw-{VILLAGE[:9]}",
                                "role": "township_officer",
                                "jurisdiction": VILLAGE[:9] + "000"},
                      "payload": {"basis": "成家分户，无自有住房"}}
    case = approve(scenario, steps)
    assert case.subsidy is not None and case.subsidy.amount_yuan == 30_000
    assert case.subsidy.rate_id == "no-house-new-build"


def test_a_d_grade_house_is_not_approved_for_reinforcement(scenario: Scenario) -> None:
    steps = commands(scenario, "640181-2022-0002", RenovationMode.REINFORCE)
    grading = next(i for i, c in enumerate(steps) if c["type"] == "grade_house")
    steps[grading]["payload"]["grade"] = "D"
    with pytest.raises(RuleViolation) as refused:
        approve(scenario, steps)
    assert refused.value.rule == "subsidy.mode_fits_house"
    case = scenario.rt.app.find(case_id("640181-2022-0002"), RenovationCase)
    assert case is not None and case.stage.value == "township_approved"
