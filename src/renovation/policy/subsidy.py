"""补助标准 — the subsidy a case gets under a policy, and how it splits across fund sources.

The standard comes from, in order: a county-set rate for the modes the plans leave to a county
(周转安置, 公共租赁); the county's differentiated table (差异化补助) when one is in force; the
policy's rate table (户均 or per mode). 兜底 then raises it to the full construction cost of the
minimum area for a household assessed without means (`full_cost`).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from renovation.kernel.errors import RuleViolation
from renovation.kernel.jurisdiction import DivisionCode
from renovation.kernel.types import HouseholdSize, Yuan
from renovation.kernel.vocabulary import (
    Category,
    Department,
    Grade,
    GradingMethod,
    HouseStructure,
    RenovationMode,
    SelfFunding,
)
from renovation.policy.county import COUNTY_SET_MODES, CountyDecision, in_force
from renovation.policy.models import Policy, SubsidyRate

FULL_COST_RATE = "full-cost"


class NoSubsidyRateError(RuleViolation):
    """The policy's rate table has no row for this combination of category, mode and house."""


class CountyRateNotSetError(NoSubsidyRateError):
    """The mode's subsidy is the county's to set (seed 003 §三(一)5/6), and it has not set it."""


class FullCostNotSetError(NoSubsidyRateError):
    """兜底 applies, but neither the policy nor the county sets a construction cost per m²."""


class SubsidyInputs(BaseModel):
    """Everything the rate table looks at; recorded with the decision so it can be recomputed.

    `county` and `decided_on` pick the county decisions in force; `grade` and `self_funding`
    (自筹能力) pick a county table's row; `household_size` gives the 兜底 area."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    category: Category
    department: Department
    mode: RenovationMode
    grading_method: GradingMethod | None
    structure: HouseStructure
    extremely_low_income: bool = False
    units: int = Field(default=1, ge=1, le=20)
    grade: Grade | None = None
    household_size: HouseholdSize | None = None
    self_funding: SelfFunding | None = None
    county: DivisionCode | None = None
    decided_on: date | None = None

    @model_validator(mode="after")
    def _size_for_means(self) -> Self:
        if self.self_funding is not None and self.household_size is None:
            raise ValueError("an assessment of means (self_funding) needs the household_size")
        return self


class FullCostBasis(BaseModel):
    """兜底: the minimum area and the cost per m² that gave the amount, and the standard rate it
    replaced; `cost_decision` is the county decision that set the cost (none: the policy's)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    area_m2: Decimal
    cost_per_m2: Yuan
    cost_decision: CountyDecision | None = None
    standard_rate_id: str
    standard_amount_yuan: Yuan


class SubsidyDecision(BaseModel):
    """核定补助: the approved amount and its split, with the policy and rate that gave them.

    `county_decision` names the county decision (table, county rate) the standard came from;
    `full_cost` how a 兜底 amount was reached (`rate_id` is then `full-cost`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    policy_id: str
    policy_version: int
    rate_id: str
    inputs: SubsidyInputs
    units: int
    amount_yuan: Yuan
    split_yuan: dict[str, Yuan]
    county_decision: CountyDecision | None = None
    full_cost: FullCostBasis | None = None


def _matches(rate: SubsidyRate, inputs: SubsidyInputs) -> bool:
    checks = (
        (rate.departments, inputs.department),
        (rate.categories, inputs.category),
        (rate.modes, inputs.mode),
        (rate.grading_methods, inputs.grading_method),
        (rate.structures, inputs.structure),
    )
    if any(allowed and value not in allowed for allowed, value in checks):
        return False
    return rate.extremely_low_income in (None, inputs.extremely_low_income)


def decide_subsidy(policy: Policy, inputs: SubsidyInputs) -> SubsidyDecision:
    """The standard for the household, raised to the 兜底 amount where that applies."""
    standard = _standard(policy, inputs)
    return _full_cost(policy, inputs, standard) or standard


def _decision(policy: Policy, inputs: SubsidyInputs, rate_id: str, amount: int,
              split: dict[str, int], units: int = 1,
              county: CountyDecision | None = None) -> SubsidyDecision:
    return SubsidyDecision(
        policy_id=policy.id, policy_version=policy.version, rate_id=rate_id, inputs=inputs,
        units=units, amount_yuan=amount, split_yuan=split, county_decision=county,
    )


def _standard(policy: Policy, inputs: SubsidyInputs) -> SubsidyDecision:
    if inputs.mode in COUNTY_SET_MODES:
        return _county_set_mode(policy, inputs)
    table = in_force(policy.county_standards, inputs.county, inputs.decided_on)
    if table is not None:
        row = table.row_for(inputs.department, inputs.grade, inputs.mode, inputs.self_funding)
        if row is None:
            means = inputs.self_funding.value if inputs.self_funding else "not assessed"
            raise NoSubsidyRateError(
                "subsidy.county_standard_row", "county", table.county,
                f"the differentiated standards of county {table.county} (set by {table.set_by}"
                f" on {table.set_on}) have no row for a household certified by"
                f" {inputs.department.value}, grade {inputs.grade or 'none (no house)'},"
                f" renovating by {inputs.mode.value}, means {means}",
            )
        return _decision(policy, inputs, row.id, row.amount, dict(row.split),
                         county=table.ref())
    for rate in policy.subsidy_rates:
        if _matches(rate, inputs):
            units = min(inputs.units, rate.max_units) if rate.per_unit else 1
            return _decision(policy, inputs, rate.id, rate.amount * units,
                             {source: part * units for source, part in rate.split.items()}, units)
    raise NoSubsidyRateError(
        "subsidy.rate_defined",
        "mode",
        inputs.mode,
        f"policy {policy.ref} defines no subsidy for a {inputs.category.value} household"
        f" certified by {inputs.department.value} renovating by {inputs.mode.value}",
    )


def _county_set_mode(policy: Policy, inputs: SubsidyInputs) -> SubsidyDecision:
    """周转安置 / 公共租赁: a policy rate naming the mode, else the county's own rate."""
    for rate in policy.subsidy_rates:
        if inputs.mode in rate.modes and _matches(rate, inputs):
            return _decision(policy, inputs, rate.id, rate.amount, dict(rate.split))
    rates = [r for r in policy.county_rates if r.mode is inputs.mode
             and (not r.departments or inputs.department in r.departments)]
    rate = in_force(rates, inputs.county, inputs.decided_on)
    if rate is not None:
        return _decision(policy, inputs, rate.id, rate.amount, dict(rate.split),
                         county=rate.ref())
    where = f"county {inputs.county}" if inputs.county else "a county"
    error = CountyRateNotSetError if inputs.county else NoSubsidyRateError
    raise error(
        "subsidy.county_rate_set" if inputs.county else "subsidy.rate_defined",
        "mode", inputs.mode,
        f"{where} has not set the subsidy of {inputs.mode.value} ({inputs.mode.label}) for a"
        f" household certified by {inputs.department.value}; the plans leave it to the county"
        f" (seed 003 §三(一)5 周转安置 安置补贴, §三(一)6 公共租赁) and policy {policy.ref}"
        " holds no county rate for it in force",
    )


def _full_cost(policy: Policy, inputs: SubsidyInputs,
               standard: SubsidyDecision) -> SubsidyDecision | None:
    """兜底 (seed 004 §三(三)): the minimum area for the household's size × the cost per m², if
    more than the standard. The standard's other parts stay; the policy's `payer` pays the rest."""
    rules = policy.full_cost
    if inputs.self_funding not in rules.qualifying or not inputs.mode.builds_new_house:
        return None
    assert inputs.household_size is not None  # SubsidyInputs requires it with self_funding
    cost = rules.cost(inputs.county, inputs.decided_on)
    if cost is None:
        raise FullCostNotSetError(
            "subsidy.full_cost_rate_set", "self_funding", inputs.self_funding,
            f"the household is assessed {inputs.self_funding} (无自筹能力) and builds new, so 兜底"
            f" applies (全额补助 of the minimum area's construction cost), but policy"
            f" {policy.ref} sets no construction cost per m²"
            f"{' for county ' + inputs.county if inputs.county else ''}: a county decision"
            " ([[full_cost.counties]]) must set it first" + (
                f" ({rules.source})" if rules.source else ""),
        )
    per_m2, decision = cost
    area = policy.area.minimum(inputs.household_size)
    amount = int((area * per_m2).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if amount <= standard.amount_yuan:
        return None
    assert rules.payer is not None  # the policy validates a payer wherever a cost is set
    split = dict(standard.split_yuan)
    split[rules.payer] = amount - sum(v for k, v in split.items() if k != rules.payer)
    basis = FullCostBasis(
        area_m2=area, cost_per_m2=per_m2, cost_decision=decision.ref() if decision else None,
        standard_rate_id=standard.rate_id, standard_amount_yuan=standard.amount_yuan,
    )
    return standard.model_copy(update={
        "rate_id": FULL_COST_RATE, "units": 1, "amount_yuan": amount, "split_yuan": split,
        "full_cost": basis,
    })
