"""Subsidy policies as data: one TOML file per jurisdiction × year, validated by pydantic models.

Decisions record `policy_id` and `policy_version`, so a reader can recompute them from the file.
"""

from renovation.policy.eligibility import (
    EligibilityAssessment,
    EligibilityInputs,
    assess_eligibility,
)
from renovation.policy.models import Policy
from renovation.policy.registry import all_policies, load_policy, policy_ids
from renovation.policy.subsidy import (
    CountyRateNotSetError,
    FullCostNotSetError,
    NoSubsidyRateError,
    SubsidyDecision,
    SubsidyInputs,
    decide_subsidy,
)

__all__ = [
    "CountyRateNotSetError",
    "EligibilityAssessment",
    "EligibilityInputs",
    "FullCostNotSetError",
    "NoSubsidyRateError",
    "Policy",
    "SubsidyDecision",
    "SubsidyInputs",
    "all_policies",
    "assess_eligibility",
    "decide_subsidy",
    "load_policy",
    "policy_ids",
]
