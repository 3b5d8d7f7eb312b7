"""补助对象条件 — the three conditions (seed 004 §三(一), seed 003 §二), checked by policy."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from renovation.kernel.vocabulary import (
    Category,
    Department,
    Grade,
    GradingMethod,
    PriorSupportKind,
    ReentryReason,
)
from renovation.policy.models import Policy


class EligibilityInputs(BaseModel):
    """What the case knows when the county decides."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    category: Category
    certified_by: Department | None
    grade: Grade | None
    grading_method: GradingMethod | None
    no_house: bool
    prior_support: tuple[PriorSupportKind, ...] = ()
    reentry_reason: ReentryReason | None = None


class ConditionResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    field: str
    value: str | None
    passed: bool
    explanation: str


class EligibilityAssessment(BaseModel):
    """The result of each condition, so an inspector can see why a household qualified."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    policy_id: str
    policy_version: int
    inputs: EligibilityInputs
    conditions: tuple[ConditionResult, ...]

    @property
    def eligible(self) -> bool:
        return all(c.passed for c in self.conditions)

    def first_failure(self) -> ConditionResult | None:
        return next((c for c in self.conditions if not c.passed), None)


def _category(policy: Policy, i: EligibilityInputs) -> ConditionResult:
    competent = policy.categories.get(i.category)
    passed = competent is not None and i.certified_by == competent
    if competent is None:
        why = f"category {i.category.value} is not supported by policy {policy.ref}"
    elif i.certified_by is None:
        why = f"category {i.category.value} has not been certified by {competent.value}"
    elif not passed:
        why = f"category {i.category.value} must be certified by {competent.value}"
    else:
        why = f"{i.category.label} certified by {competent.label}"
    value = i.certified_by.value if i.certified_by else None
    return ConditionResult(
        rule="eligibility.category_certified",
        field="certified_by",
        value=value,
        passed=passed,
        explanation=why,
    )


def _house(policy: Policy, i: EligibilityInputs) -> ConditionResult:
    rules = policy.eligibility
    if i.no_house:
        passed, why = rules.no_house_eligible, "no house (无房户)"
    elif i.grade is None or i.grading_method is None:
        passed, why = False, "the house has not been graded"
    else:
        passed = i.grade in rules.grades and i.grading_method in rules.grading_methods
        allowed = ", ".join(sorted(g.value for g in rules.grades))
        why = f"graded {i.grade.value} by {i.grading_method.value}; eligible grades: {allowed}"
    value = "no_house" if i.no_house else (i.grade.value if i.grade else None)
    return ConditionResult(
        rule="eligibility.unsafe_only_house", field="grade", value=value, passed=passed,
        explanation=why,
    )


def _prior_support(policy: Policy, i: EligibilityInputs) -> ConditionResult:
    rules = policy.eligibility
    if not i.prior_support:
        passed, why = True, "no earlier rural-housing support"
    elif i.reentry_reason is None:
        passed, why = False, "supported before and no re-entry reason given"
    elif i.reentry_reason not in rules.reentry_reasons:
        passed, why = False, f"re-entry reason {i.reentry_reason.value} is not accepted"
    elif excluded := set(i.prior_support) & rules.reentry_excluded_if_prior:
        names = ", ".join(sorted(k.value for k in excluded))
        passed, why = False, f"earlier support by {names} excludes re-entry"
    else:
        passed, why = True, f"re-entry after {i.reentry_reason.label}"
    kinds = ",".join(k.value for k in i.prior_support) or None
    return ConditionResult(
        rule="eligibility.not_previously_supported", field="prior_support", value=kinds,
        passed=passed, explanation=why,
    )


def assess_eligibility(policy: Policy, inputs: EligibilityInputs) -> EligibilityAssessment:
    """Check all three conditions; the assessment lists each so a reader can recompute it."""
    return EligibilityAssessment(
        policy_id=policy.id,
        policy_version=policy.version,
        inputs=inputs,
        conditions=(
            _category(policy, inputs), _house(policy, inputs), _prior_support(policy, inputs)
        ),
    )
