"""差异化补助 (seed 004 §三(三)): 3万 / 1.85万元 are household averages (户均); a county's table of
differentiated standards must plan exactly those averages. The table here is the illustrative
灵川县 example (tests/application/fixtures): invented amounts, the plan's averages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from renovation.kernel.errors import RuleViolation
from renovation.kernel.vocabulary import (
    Category,
    Grade,
    GradingMethod,
    HouseStructure,
    SelfFunding,
)
from renovation.kernel.vocabulary import RenovationMode as Mode
from renovation.policy import SubsidyDecision, SubsidyInputs, decide_subsidy, load_policy
from renovation.policy.county import standards_averages
from renovation.policy.models import Policy
from tests.application.example_policy import example_data

LINGCHUAN, YANGSHUO = "450323000000", "450321000000"
EXAMPLE = Policy.model_validate(example_data())


def decide(policy: Policy = EXAMPLE, grade: Grade | None = Grade.D,
           mode: Mode = Mode.REBUILD_IN_PLACE, means: SelfFunding | None = None,
           category: Category = Category.DIBAO, county: str = LINGCHUAN,
           on: date = date(2022, 5, 1)) -> SubsidyDecision:
    return decide_subsidy(policy, SubsidyInputs(
        category=category, department=policy.categories[category], mode=mode,
        grading_method=GradingMethod.OVERALL_DANGER if grade else None,
        structure=HouseStructure.EARTH, grade=grade, household_size=3, self_funding=means,
        county=county, decided_on=on))


def rows(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in data["county_standards"][0]["rows"]}


def test_the_example_table_plans_exactly_30000_and_18500_and_their_parts() -> None:
    averages = {(a.department.value, a.source): (a.households, a.average, a.figure)
                for a in standards_averages(EXAMPLE)}
    assert averages[("rural_revitalization", None)] == (75, 30_000, 30_000)
    assert averages[("civil_affairs", None)] == (100, 18_500, 18_500)
    assert averages[("rural_revitalization", "central_regional")][1:] == (26_500, 26_500)
    assert averages[("civil_affairs", "city")][1:] == (1_500, 1_500)
    assert sum(row.households for row in EXAMPLE.county_standards[0].rows) == 175  # 灵川县175户


def test_a_table_one_yuan_off_the_household_average_is_refused_naming_both_averages() -> None:
    data = example_data()
    for row in rows(data).values():
        if row["department"] == "civil_affairs":
            row["amount"] += 1
            row["split"]["county"] += 1
    with pytest.raises(ValidationError) as refused:
        Policy.model_validate(data)
    message = str(refused.value)
    assert "county 450323000000 (灵川县), department civil_affairs: planned average 18501" in (
        message)
    assert "the programme's 户均 is 18500 yuan" in message


def test_a_table_within_a_yuan_of_the_household_average_passes() -> None:
    data = example_data()
    other = rows(data)["ll-ca-other"]  # 40 of 100 households: +1 yuan moves the average 0.4
    other["amount"] += 1
    other["split"]["county"] += 1
    policy = Policy.model_validate(data)
    assert {str(a.average) for a in standards_averages(policy) if a.source is None} == {
        "30000", "92502/5"}


def test_a_table_that_moves_money_between_fund_sources_is_refused_naming_the_source() -> None:
    data = example_data()
    for row in rows(data).values():
        if row["department"] == "rural_revitalization":
            row["split"]["central_regional"] -= 100
            row["split"]["county"] += 100
    with pytest.raises(ValidationError, match="rural_revitalization, fund source central_regional"
                                              ": planned average 26400"):
        Policy.model_validate(data)


def test_a_table_that_leaves_out_a_department_is_refused() -> None:
    data = example_data()
    table = data["county_standards"][0]
    table["rows"] = [r for r in table["rows"] if r["department"] == "civil_affairs"]
    with pytest.raises(ValidationError, match="rural_revitalization: the table plans no household"):
        Policy.model_validate(data)


def test_a_county_table_needs_the_programme_household_averages() -> None:
    data = load_policy("ningxia-2021").model_dump(mode="json")
    data["county_standards"] = [{**example_data()["county_standards"][0],
                                 "county": "640181000000"}]
    with pytest.raises(ValidationError, match="need the programme's 户均 figures"):
        Policy.model_validate(data)


def test_the_matching_row_of_the_county_in_force_decides() -> None:
    assert (decide().rate_id, decide().amount_yuan) == ("ll-ca-d-rebuild", 20_000)
    assert decide().county_decision is not None
    assert decide().county_decision.set_by.startswith("灵川县")  # type: ignore[union-attr]
    assert decide(grade=Grade.C, mode=Mode.REINFORCE).amount_yuan == 12_000
    assert decide(grade=Grade.C).rate_id == "ll-ca-other"  # C grade rebuilt: the catch-all row
    assert decide(grade=None).amount_yuan == 18_750  # no house
    assert decide(category=Category.MONITORING).amount_yuan == 32_000
    assert decide().split_yuan == {"central_regional": 16_500, "city": 1_500, "county": 2_000}


def test_a_county_without_a_table_or_before_its_table_keeps_the_flat_average() -> None:
    assert (decide(county=YANGSHUO).rate_id, decide(county=YANGSHUO).amount_yuan) == (
        "civil-affairs", 18_500)
    before = decide(on=date(2022, 2, 28))
    assert (before.rate_id, before.amount_yuan, before.county_decision) == (
        "civil-affairs", 18_500, None)


def test_full_cost_still_raises_the_row_of_a_household_without_means() -> None:
    decision = decide(means=SelfFunding.NONE)
    assert (decision.rate_id, decision.amount_yuan) == ("full-cost", 48_000)
    assert decision.full_cost is not None
    assert decision.full_cost.standard_rate_id == "ll-ca-d-rebuild-none"
    assert decision.split_yuan == {"central_regional": 22_500, "city": 1_500, "county": 24_000}
    assert decide(means=SelfFunding.WEAK).amount_yuan == 20_000


def test_a_household_no_row_fits_is_refused_naming_the_county() -> None:
    data = example_data()
    table = data["county_standards"][0]
    table["rows"] = [r for r in table["rows"] if r["id"] != "ll-ca-other"]
    for row in table["rows"]:  # the catch-all's 40 households go to D rebuilds, at 18,500.2
        if row["id"] == "ll-ca-d-rebuild":
            row["amount"], row["split"]["central_regional"] = 19_286, 15_786
            row["households"] = 70
    policy = Policy.model_validate(data)
    with pytest.raises(RuleViolation) as refused:
        decide(policy, grade=Grade.C)
    assert (refused.value.rule, refused.value.field, refused.value.value) == (
        "subsidy.county_standard_row", "county", LINGCHUAN)


def test_turnover_housing_and_public_rental_wait_for_a_county_rate() -> None:
    for mode in (Mode.TURNOVER_HOUSING, Mode.PUBLIC_RENTAL):
        with pytest.raises(RuleViolation) as refused:
            decide(load_policy("guilin-2022"), mode=mode, county=YANGSHUO)
        assert (refused.value.rule, refused.value.field, refused.value.value) == (
            "subsidy.county_rate_set", "mode", mode.value)
        assert "county 450321000000 has not set" in refused.value.message
        assert "seed 003 §三(一)5" in refused.value.message
    with pytest.raises(RuleViolation, match="has not set") as refused:
        decide(load_policy("ningxia-2021"), mode=Mode.TURNOVER_HOUSING, county="640181000000")
    assert refused.value.rule == "subsidy.county_rate_set"


def test_a_county_set_rate_decides_turnover_housing_in_its_county_only() -> None:
    decision = decide(mode=Mode.TURNOVER_HOUSING, grade=Grade.D)
    assert (decision.rate_id, decision.amount_yuan, decision.split_yuan) == (
        "ll-turnover-housing", 10_000, {"county": 10_000})
    assert decision.county_decision is not None
    with pytest.raises(RuleViolation, match="has not set"):
        decide(mode=Mode.PUBLIC_RENTAL)  # 灵川县 set 周转安置 only
    with pytest.raises(RuleViolation, match="has not set"):
        decide(mode=Mode.TURNOVER_HOUSING, on=date(2022, 2, 1))  # before it was set


def test_a_county_rate_for_a_mode_the_plan_sets_is_an_invalid_policy() -> None:
    data = example_data()
    data["county_rates"][0]["mode"] = "rebuild_in_place"
    with pytest.raises(ValidationError, match="not a mode a county sets"):
        Policy.model_validate(data)
