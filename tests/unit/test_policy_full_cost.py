"""兜底 (seed 004 §三(三)): a household without means that builds new is supported in full at the
construction cost of the minimum area — in Guilin 1,200 yuan per m² (§六). Ningxia's plan (seed
003) gives no cost, so there 兜底 waits for a county decision."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from renovation.kernel.errors import RuleViolation
from renovation.kernel.vocabulary import Category, GradingMethod, HouseStructure, SelfFunding
from renovation.kernel.vocabulary import RenovationMode as Mode
from renovation.policy import SubsidyDecision, SubsidyInputs, decide_subsidy, load_policy
from renovation.policy.models import Policy

GUILIN, NINGXIA = load_policy("guilin-2022"), load_policy("ningxia-2021")
YANGSHUO, LINGWU = "450321000000", "640181000000"


def decide(policy: Policy, means: SelfFunding | None, size: int = 3,
           category: Category = Category.DIBAO, mode: Mode = Mode.REBUILD_IN_PLACE,
           county: str = YANGSHUO, on: date = date(2022, 5, 1)) -> SubsidyDecision:
    return decide_subsidy(policy, SubsidyInputs(
        category=category, department=policy.categories[category], mode=mode,
        grading_method=GradingMethod.OVERALL_DANGER, structure=HouseStructure.EARTH,
        household_size=size, self_funding=means, county=county, decided_on=on))


def test_a_three_person_dibao_household_without_means_gets_40_m2_at_1200_yuan() -> None:
    decision = decide(GUILIN, SelfFunding.NONE)
    assert (decision.rate_id, decision.amount_yuan) == ("full-cost", 48_000)
    assert decision.full_cost is not None
    assert (decision.full_cost.area_m2, decision.full_cost.cost_per_m2) == (Decimal(40), 1200)
    assert (decision.full_cost.standard_rate_id,
            decision.full_cost.standard_amount_yuan) == ("civil-affairs", 18_500)


def test_the_central_regional_and_city_parts_stay_and_the_county_pays_the_rest() -> None:
    split = decide(GUILIN, SelfFunding.NONE).split_yuan
    assert split == {"central_regional": 15_000, "city": 1_500, "county": 31_500}
    assert sum(split.values()) == 48_000


def test_a_full_cost_decision_is_recomputed_from_its_recorded_inputs() -> None:
    decision = decide(GUILIN, SelfFunding.NONE, size=5)
    assert decision.amount_yuan == 5 * 13 * 1200  # 4人以上人均不低于13平方米
    stored = SubsidyDecision.model_validate_json(decision.model_dump_json())
    assert decide_subsidy(GUILIN, stored.inputs) == stored


@pytest.mark.parametrize("means", [SelfFunding.WEAK, SelfFunding.ORDINARY, None])
def test_a_household_with_some_means_or_not_assessed_gets_the_standard_rate(
        means: SelfFunding | None) -> None:
    decision = decide(GUILIN, means)
    assert (decision.rate_id, decision.amount_yuan) == ("civil-affairs", 18_500)
    assert decision.full_cost is None


def test_full_cost_is_for_building_new_not_for_reinforcing() -> None:
    assert decide(GUILIN, SelfFunding.NONE, mode=Mode.REINFORCE).amount_yuan == 18_500
    assert decide(GUILIN, SelfFunding.NONE, mode=Mode.RELOCATE).amount_yuan == 48_000


def test_full_cost_never_lowers_a_standard_that_is_already_higher() -> None:
    # 1人户: 20 m² × 1,200 = 24,000 is below the 30,000 of a rural-revitalization household.
    decision = decide(GUILIN, SelfFunding.NONE, size=1, category=Category.MONITORING)
    assert (decision.rate_id, decision.amount_yuan) == ("rural-revitalization", 30_000)
    assert decide(GUILIN, SelfFunding.NONE, size=2, category=Category.MONITORING
                  ).amount_yuan == 36_000


def test_ningxia_sets_no_cost_so_full_cost_is_refused_by_name() -> None:
    with pytest.raises(RuleViolation) as refused:
        decide(NINGXIA, SelfFunding.NONE, county=LINGWU)
    assert (refused.value.rule, refused.value.field, refused.value.value) == (
        "subsidy.full_cost_rate_set", "self_funding", "none")
    assert "cost per m²" in refused.value.message and LINGWU in refused.value.message


def test_a_ningxia_household_with_weak_means_keeps_the_new_build_rate() -> None:
    assert decide(NINGXIA, SelfFunding.WEAK, county=LINGWU).amount_yuan == 30_000


def with_county_cost(policy: Policy, **entry: Any) -> Policy:
    data = policy.model_dump(mode="json")
    data["full_cost"]["counties"] = [{"county": LINGWU, "set_by": "灵武市人民政府",
                                      "set_on": "2022-04-01", "cost_per_m2": 1000, **entry}]
    return Policy.model_validate(data)


def test_a_county_decision_sets_the_cost_from_its_date_on() -> None:
    ningxia = with_county_cost(NINGXIA)
    decision = decide(ningxia, SelfFunding.NONE, county=LINGWU)
    assert decision.amount_yuan == 40_000  # 40 m² × 1,000
    assert decision.split_yuan == {"central_regional": 18_000, "city_county": 22_000}
    assert decision.full_cost is not None and decision.full_cost.cost_decision is not None
    assert decision.full_cost.cost_decision.set_by == "灵武市人民政府"
    with pytest.raises(RuleViolation, match="sets no construction cost"):
        decide(ningxia, SelfFunding.NONE, county=LINGWU, on=date(2022, 3, 31))
    with pytest.raises(RuleViolation, match="sets no construction cost"):
        decide(ningxia, SelfFunding.NONE, county="640104000000")  # another county


def test_a_county_cost_outside_the_policy_or_without_a_payer_is_an_invalid_policy() -> None:
    with pytest.raises(ValidationError, match="not a county in 640000000000"):
        with_county_cost(NINGXIA, county="450321000000")
    data = NINGXIA.model_dump(mode="json")
    data["full_cost"]["payer"] = "county"  # Ningxia has no separate county fund source
    data["full_cost"]["cost_per_m2"] = 1000
    with pytest.raises(ValidationError, match="payer"):
        Policy.model_validate(data)


def test_an_assessment_of_means_needs_the_household_size() -> None:
    with pytest.raises(ValidationError, match="household_size"):
        SubsidyInputs(category=Category.DIBAO, department="civil_affairs",
                      mode=Mode.REBUILD_IN_PLACE, grading_method=None,
                      structure=HouseStructure.OTHER, self_funding=SelfFunding.NONE)
