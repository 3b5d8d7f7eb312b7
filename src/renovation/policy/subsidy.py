"""补助标准 — the subsidy a case gets under a policy, and how it splits across fund sources."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from renovation.kernel.errors import RuleViolation
from renovation.kernel.types import Yuan
from renovation.kernel.vocabulary import (
    Category,
    Department,
    GradingMethod,
    HouseStructure,
    RenovationMode,
)
from renovation.policy.models import Policy, SubsidyRate


class NoSubsidyRateError(RuleViolation):
    """The policy's rate table has no row for this combination of category, mode and house."""


class SubsidyInputs(BaseModel):
    """Everything the rate table looks at; recorded with the decision so it can be recomputed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    category: Category
    department: Department
    mode: RenovationMode
    grading_method: GradingMethod | None
    structure: HouseStructure
    extremely_low_income: bool = False
    units: int = Field(default=1, ge=1, le=20)


class SubsidyDecision(BaseModel):
    """核定补助: the approved amount and its split, with the policy and rate that gave them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    policy_id: str
    policy_version: int
    rate_id: str
    inputs: SubsidyInputs
    units: int
    amount_yuan: Yuan
    split_yuan: dict[str, Yuan]


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
    """The first matching rate decides; per-unit rates multiply by the units, up to their cap."""
    for rate in policy.subsidy_rates:
        if _matches(rate, inputs):
            units = min(inputs.units, rate.max_units) if rate.per_unit else 1
            return SubsidyDecision(
                policy_id=policy.id,
                policy_version=policy.version,
                rate_id=rate.id,
                inputs=inputs,
                units=units,
                amount_yuan=rate.amount * units,
                split_yuan={source: part * units for source, part in rate.split.items()},
            )
    raise NoSubsidyRateError(
        "subsidy.rate_defined",
        "mode",
        inputs.mode,
        f"policy {policy.ref} defines no subsidy for a {inputs.category.value} household"
        f" certified by {inputs.department.value} renovating by {inputs.mode.value}",
    )
