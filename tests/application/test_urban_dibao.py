"""Seed 004 §三(一): 农村户籍人口享受城市低保的视为农村低保户. Through the command path, Guilin
approves such a household exactly as a rural dibao household; Ningxia, whose plan (seed 003)
does not say so, refuses the category at application and records nothing."""

from __future__ import annotations

import random
from datetime import date

import pytest

from renovation.aggregates.case import RenovationCase, case_id
from renovation.application.directory import NewMember, Principal
from renovation.bootstrap import Runtime
from renovation.kernel.errors import RuleViolation
from renovation.kernel.vocabulary import Category, Department, RenovationMode, Role
from renovation.policy import load_policy
from renovation.simulation.demo import SimulatedClock
from renovation.simulation.lifecycle import CasePlan, Lifecycle
from tests.support.app import Scenario

URBAN = Category.URBAN_DIBAO_RURAL_HUKOU
NINGXIA_VILLAGE = "640181100201"


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    scenario = Scenario(runtime, clock)
    runtime.staff.register(Principal.local(), NewMember(
        "pm-64", "张伟", Role.PROGRAMME_MANAGER, "640000000000", valid_from=date(2022, 1, 1)))
    runtime.programmes.open(scenario.principal("pm-64"), "ningxia-2021", "ningxia-2021",
                            date(2022, 2, 1))
    scenario.staff(NINGXIA_VILLAGE)
    return scenario


def approved_in_guilin(scenario: Scenario, ref: str, category: Category) -> RenovationCase:
    scenario.drive(scenario.plan(ref, stop_after="county_approved", category=category))
    case = scenario.rt.app.find(case_id(ref), RenovationCase)
    assert case is not None and case.stage.value == "county_approved"
    return case


def ningxia_application(scenario: Scenario, ref: str, category: Category) -> dict[str, object]:
    plan = CasePlan(case_ref=ref, programme_id="ningxia-2021", village=NINGXIA_VILLAGE,
                    household=scenario.people.household(NINGXIA_VILLAGE[:6], 2022, 3),
                    category=category, mode=RenovationMode.REBUILD_IN_PLACE,
                    applied_on=date(2022, 3, 1), rng=random.Random(ref))
    first = next(iter(Lifecycle(plan, load_policy("ningxia-2021")).commands()))
    assert first["type"] == "submit_application"
    return first


def test_guilin_approves_urban_dibao_with_rural_hukou_exactly_as_rural_dibao(
    scenario: Scenario,
) -> None:
    urban = approved_in_guilin(scenario, "450321-2022-0901", URBAN)
    dibao = approved_in_guilin(scenario, "450321-2022-0902", Category.DIBAO)
    assert urban.category is URBAN
    assert urban.subsidy is not None and dibao.subsidy is not None
    assert urban.subsidy.amount_yuan == dibao.subsidy.amount_yuan == 18_500
    assert (urban.subsidy.rate_id, urban.subsidy.split_yuan) == (
        dibao.subsidy.rate_id, dibao.subsidy.split_yuan)


def test_guilin_has_urban_dibao_certified_by_civil_affairs_like_dibao() -> None:
    guilin = load_policy("guilin-2022")
    assert guilin.categories[URBAN] is guilin.categories[Category.DIBAO]
    assert guilin.categories[URBAN] is Department.CIVIL_AFFAIRS


def test_ningxia_refuses_urban_dibao_at_application_and_records_nothing(
    scenario: Scenario,
) -> None:
    manager = scenario.principal("pm-64")
    with pytest.raises(RuleViolation) as refused:
        scenario.run(ningxia_application(scenario, "640181-2022-0901", URBAN), manager)
    assert (refused.value.rule, refused.value.field, refused.value.value) == (
        "eligibility.category_supported", "category", "urban_dibao_rural_hukou")
    assert scenario.rt.app.find(case_id("640181-2022-0901"), RenovationCase) is None


def test_ningxia_accepts_the_same_application_as_rural_dibao(scenario: Scenario) -> None:
    manager = scenario.principal("pm-64")
    scenario.run(ningxia_application(scenario, "640181-2022-0902", Category.DIBAO), manager)
    case = scenario.rt.app.find(case_id("640181-2022-0902"), RenovationCase)
    assert case is not None and case.category is Category.DIBAO
