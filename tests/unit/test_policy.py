"""Policies as data: the shipped files validate, and their numbers are the seeds' numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from renovation.kernel.errors import InvalidInputError
from renovation.kernel.vocabulary import (
    Category,
    Department,
    Grade,
    GradingMethod,
    HouseStructure,
    PriorSupportKind,
    ReentryReason,
    RenovationMode,
)
from renovation.policy import (
    EligibilityInputs,
    NoSubsidyRateError,
    SubsidyInputs,
    all_policies,
    assess_eligibility,
    decide_subsidy,
    load_policy,
)
from renovation.policy.models import SubsidyRate

GUILIN = load_policy("guilin-2022")
NINGXIA = load_policy("ningxia-2021")


def subsidy(
    policy,
    mode=RenovationMode.REBUILD_IN_PLACE,
    category=Category.DIBAO,  # type: ignore[no-untyped-def]
    method=GradingMethod.OVERALL_DANGER,
    structure=HouseStructure.EARTH,
    **extra,
):
    department = policy.categories[category]
    return decide_subsidy(
        policy,
        SubsidyInputs(
            category=category,
            department=department,
            mode=mode,
            grading_method=method,
            structure=structure,
            **extra,
        ),
    )


def test_every_shipped_policy_loads_and_every_rate_adds_up() -> None:
    policies = all_policies()
    assert {p.id for p in policies} == {"guilin-2022", "ningxia-2021"}
    for policy in policies:
        for rate in policy.subsidy_rates:
            assert sum(rate.split.values()) == rate.amount


@pytest.mark.parametrize(
    ("category", "amount"),
    [
        (Category.MONITORING, 30000),
        (Category.SEVERE_HARDSHIP, 30000),
        (Category.OTHER_LIFTED, 30000),
        (Category.DIBAO, 18500),
        (Category.TEKUN, 18500),
        (Category.DIBAO_MARGINAL, 18500),
    ],
)
def test_guilin_pays_by_certifying_department(category: Category, amount: int) -> None:
    decision = subsidy(GUILIN, category=category)
    assert decision.amount_yuan == amount
    assert (decision.split_yuan["city"], decision.split_yuan["county"]) == (1500, 2000)
    assert decision.split_yuan["central_regional"] == amount - 3500


def test_guilin_categories_are_certified_as_the_plan_says() -> None:
    assert GUILIN.categories[Category.DIBAO] is Department.CIVIL_AFFAIRS
    assert GUILIN.categories[Category.MONITORING] is Department.RURAL_REVITALIZATION


@pytest.mark.parametrize(("size", "minimum"), [(1, 20), (2, 30), (3, 40), (4, 52), (6, 78)])
def test_guilin_area_minimums_follow_household_size(size: int, minimum: int) -> None:
    assert GUILIN.area.minimum(size) == Decimal(minimum)


def test_ningxia_rates_by_mode_tier_caves_and_seismic_track() -> None:
    assert subsidy(NINGXIA).amount_yuan == 30000
    assert subsidy(NINGXIA, extremely_low_income=True).split_yuan == {
        "central_regional": 36000,
        "city_county": 3000,
    }
    assert subsidy(NINGXIA, RenovationMode.REINFORCE).split_yuan == {"central_regional": 15000}
    caves = subsidy(NINGXIA, RenovationMode.REINFORCE, structure=HouseStructure.CAVE, units=3)
    assert (caves.units, caves.amount_yuan) == (2, 30000)
    seismic = subsidy(NINGXIA, method=GradingMethod.SEISMIC)
    assert seismic.split_yuan == {"central_regional": 14000, "city_county": 6000}
    assert subsidy(NINGXIA, RenovationMode.REINFORCE, method=GradingMethod.SEISMIC).split_yuan == {
        "central_regional": 8400,
        "city_county": 3600,
    }


def test_a_mode_without_a_rate_is_refused_by_name() -> None:
    with pytest.raises(NoSubsidyRateError) as caught:
        subsidy(NINGXIA, RenovationMode.PUBLIC_RENTAL)
    assert (caught.value.rule, caught.value.value) == ("subsidy.rate_defined", "public_rental")


def test_a_rate_whose_split_does_not_add_up_is_an_invalid_policy() -> None:
    with pytest.raises(ValidationError, match="adds up to"):
        SubsidyRate(id="bad", label="bad", amount=30000, split={"central_regional": 29999})


def eligibility(policy, **changes):  # type: ignore[no-untyped-def]
    inputs = {
        "category": Category.DIBAO,
        "certified_by": Department.CIVIL_AFFAIRS,
        "grade": Grade.D,
        "grading_method": GradingMethod.OVERALL_DANGER,
        "no_house": False,
    }
    inputs.update(changes)
    return assess_eligibility(policy, EligibilityInputs(**inputs))


def test_the_three_conditions_each_decide_eligibility() -> None:
    assert eligibility(GUILIN).eligible
    assert eligibility(GUILIN, no_house=True, grade=None, grading_method=None).eligible
    assert not eligibility(GUILIN, certified_by=None).eligible
    assert not eligibility(GUILIN, grade=Grade.A).eligible
    assert not eligibility(GUILIN, grading_method=GradingMethod.SEISMIC).eligible
    assert eligibility(NINGXIA, grading_method=GradingMethod.SEISMIC).eligible
    prior = (PriorSupportKind.DILAPIDATED_RENOVATION,)
    assert not eligibility(GUILIN, prior_support=prior).eligible
    assert eligibility(
        GUILIN, prior_support=prior, reentry_reason=ReentryReason.SMALL_NATURAL_DISASTER
    ).eligible


def test_disaster_reconstruction_excludes_re_entry_in_ningxia() -> None:
    assessment = eligibility(
        NINGXIA,
        prior_support=(PriorSupportKind.DISASTER_RECONSTRUCTION,),
        reentry_reason=ReentryReason.SMALL_NATURAL_DISASTER,
    )
    failure = assessment.first_failure()
    assert failure is not None and failure.rule == "eligibility.not_previously_supported"


def test_guilin_re_admits_only_households_housed_by_renovation_itself() -> None:
    """Seed 004 §三(一): the exception is for 已实施过农村危房改造 after a small disaster."""
    reason = ReentryReason.SMALL_NATURAL_DISASTER
    for kind in (PriorSupportKind.DISASTER_RECONSTRUCTION, PriorSupportKind.POVERTY_RELOCATION):
        failure = eligibility(GUILIN, prior_support=(kind,), reentry_reason=reason).first_failure()
        assert failure is not None and failure.rule == "eligibility.not_previously_supported"
    for kind in (PriorSupportKind.DILAPIDATED_RENOVATION, PriorSupportKind.SEISMIC_RETROFIT):
        assert eligibility(GUILIN, prior_support=(kind,), reentry_reason=reason).eligible


def test_an_unknown_policy_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(InvalidInputError) as caught:
        load_policy("guilin-2099")
    assert "guilin-2022" in caught.value.message


def test_a_request_by_the_submit_day_is_paid_that_month_and_a_later_one_next_month() -> None:
    rules = load_policy("guilin-2022").payment
    assert rules.days_for(date(2022, 9, 25)) == (date(2022, 9, 25), date(2022, 9, 30))
    assert rules.days_for(date(2022, 9, 26)) == (date(2022, 9, 25), date(2022, 10, 30))
    assert rules.days_for(date(2022, 2, 3)) == (date(2022, 2, 25), date(2022, 2, 28))
    assert rules.days_for(date(2022, 12, 28)) == (date(2022, 12, 25), date(2023, 1, 30))
