"""Through the command path, seed 004 §三(三) and §六: the township records a household's own
means after its home visit (自筹能力评估), and the county approves a household without means at
the full cost of its minimum area — 40 m² × 1,200 = 48,000 yuan for a 3-person 低保户 in Guilin,
not 18,500. Refused commands write nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from renovation.aggregates.case import RenovationCase, case_id
from renovation.application.directory import NewMember, Principal
from renovation.application.sealing import FREE_TEXT
from renovation.bootstrap import Runtime
from renovation.kernel.errors import RuleViolation
from renovation.kernel.protected import ProtectedValue
from renovation.kernel.vocabulary import Category, RenovationMode, Role
from renovation.simulation.demo import SimulatedClock
from renovation.simulation.lifecycle import CasePlan, Staff
from tests.support.app import VILLAGE, Scenario, store_fingerprint

BASIS = "户主李秀英（13912345678）年老多病，无劳动能力，无存款"
NINGXIA_VILLAGE = "640181100201"


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    return Scenario(runtime, clock)


def until_approval(scenario: Scenario, plan: CasePlan) -> list[dict[str, Any]]:
    """The plan's commands up to and including county approval, on a D-grade house."""
    steps = scenario.commands(plan)
    for step in steps:
        if step["type"] == "grade_house":
            step["payload"]["grade"] = "D"
    approval = next(i for i, c in enumerate(steps) if c["type"] == "grant_county_approval")
    return steps[: approval + 1]


def assessment(step: dict[str, Any], means: str, n: int = 1,
               village: str = VILLAGE) -> dict[str, Any]:
    """自筹能力评估 by the village's township officer, on the day of `step`."""
    return {"command_id": f"{step['case_ref']}/means/{n}", "type": "assess_means",
            "case_ref": step["case_ref"], "actor": Staff(village).actor("township"),
            "occurred_on": step["occurred_on"],
            "payload": {"self_funding": means, "basis": BASIS, "evidence": ["e" * 64]}}


def approved(scenario: Scenario, ref: str, *means: str) -> RenovationCase:
    steps = until_approval(scenario, scenario.plan(ref, stop_after="county_approved"))
    extra = [assessment(steps[-1], m, n) for n, m in enumerate(means)]
    for command in [*steps[:-1], *extra, steps[-1]]:
        scenario.run(command)
    case = scenario.rt.app.find(case_id(ref), RenovationCase)
    assert case is not None
    return case


def events(scenario: Scenario, case: RenovationCase, name: str) -> list[Any]:
    return [e for e in scenario.rt.app.events.get(case.id) if type(e).__name__ == name]


def test_a_three_person_dibao_household_without_means_is_approved_at_48000(
        scenario: Scenario) -> None:
    case = approved(scenario, "450321-2022-0001", "none")
    assert case.household.size == 3 and case.category is Category.DIBAO
    assert case.subsidy is not None
    assert (case.subsidy.rate_id, case.subsidy.amount_yuan) == ("full-cost", 48_000)
    assert case.subsidy.split_yuan == {"central_regional": 15_000, "city": 1_500,
                                       "county": 31_500}
    assert case.subsidy.inputs.self_funding == "none"
    assert case.subsidy.inputs.county == "450321000000"


def test_a_household_assessed_weak_is_approved_at_the_standard_18500(scenario: Scenario) -> None:
    case = approved(scenario, "450321-2022-0002", "weak")
    assert case.subsidy is not None
    assert (case.subsidy.rate_id, case.subsidy.amount_yuan) == ("civil-affairs", 18_500)


def test_a_second_assessment_replaces_the_first_as_a_new_event(scenario: Scenario) -> None:
    case = approved(scenario, "450321-2022-0003", "none", "weak")
    assert case.subsidy is not None and case.subsidy.amount_yuan == 18_500
    first, second = events(scenario, case, "MeansAssessed")
    assert (first.self_funding, second.self_funding) == ("none", "weak")
    assert second.originator_version == first.originator_version + 1


def test_the_assessment_records_actor_both_clocks_and_a_sealed_basis(
        scenario: Scenario) -> None:
    case = approved(scenario, "450321-2022-0004", "none")
    [event] = events(scenario, case, "MeansAssessed")
    assert event.actor.id == f"tw-{VILLAGE[:9]}" and event.actor.role is Role.TOWNSHIP_OFFICER
    assert event.occurred_on <= event.timestamp.date()
    assert isinstance(event.basis, ProtectedValue)
    assert BASIS not in event.model_dump_json() and "13912345678" not in event.model_dump_json()
    assert event.basis.masked == f"〔{len(BASIS)}字，已加密〕"
    assert scenario.rt.reader.reveal(event.basis, FREE_TEXT) == BASIS


def test_no_assessment_is_recorded_after_county_approval(scenario: Scenario) -> None:
    case = approved(scenario, "450321-2022-0005")
    assert case.county_decision is not None
    late = assessment({"case_ref": case.case_ref,
                       "occurred_on": case.county_decision.on.isoformat()}, "none")
    before = store_fingerprint(scenario.rt)
    with pytest.raises(RuleViolation) as refused:
        scenario.run(late)
    assert refused.value.rule == "procedure.means_assessment"
    assert store_fingerprint(scenario.rt) == before


def test_only_the_township_records_an_assessment(scenario: Scenario) -> None:
    plan = scenario.plan("450321-2022-0006", stop_after="applied")
    [application] = scenario.commands(plan)
    scenario.run(application)
    clerk = {**assessment(application, "none"), "actor": Staff(VILLAGE).actor("clerk")}
    before = store_fingerprint(scenario.rt)
    with pytest.raises(RuleViolation) as refused:
        scenario.run(clerk)
    assert refused.value.rule == "authorization.role_action"
    assert store_fingerprint(scenario.rt) == before
    scenario.run(assessment(application, "none"))  # the township officer may, once applied


def test_turnover_housing_is_refused_until_the_county_sets_its_rate(scenario: Scenario) -> None:
    plan = scenario.plan("450321-2022-0007", stop_after="county_approved")
    steps = until_approval(scenario, plan)
    for command in steps[:-1]:
        scenario.run(command)
    approval = {**steps[-1], "payload": {"approved_mode": "turnover_housing"}}
    before = store_fingerprint(scenario.rt)
    with pytest.raises(RuleViolation) as refused:
        scenario.run(approval)
    assert (refused.value.rule, refused.value.field, refused.value.value) == (
        "subsidy.county_rate_set", "mode", "turnover_housing")
    assert "§三(一)5" in refused.value.message
    assert store_fingerprint(scenario.rt) == before


def test_ningxia_refuses_full_cost_without_a_set_cost_and_writes_nothing(
        scenario: Scenario) -> None:
    scenario.rt.staff.register(Principal.local(), NewMember(
        "pm-64", "张伟", Role.PROGRAMME_MANAGER, "640000000000", valid_from=date(2022, 1, 1)))
    manager = scenario.principal("pm-64")
    scenario.rt.programmes.open(manager, "ningxia-2021", "ningxia-2021", date(2022, 2, 1))
    plan = scenario.plan("640181-2022-0001", stop_after="county_approved",
                         programme_id="ningxia-2021", village=NINGXIA_VILLAGE,
                         mode=RenovationMode.REBUILD_IN_PLACE)
    steps = until_approval(scenario, plan)
    for command in [*steps[:-1], assessment(steps[-1], "none", village=NINGXIA_VILLAGE)]:
        scenario.run(command, manager)
    before = store_fingerprint(scenario.rt)
    with pytest.raises(RuleViolation) as refused:
        scenario.run(steps[-1], manager)
    assert (refused.value.rule, refused.value.field, refused.value.value) == (
        "subsidy.full_cost_rate_set", "self_funding", "none")
    assert store_fingerprint(scenario.rt) == before
    case = scenario.rt.app.find(case_id("640181-2022-0001"), RenovationCase)
    assert case is not None and case.stage.value == "township_approved"
