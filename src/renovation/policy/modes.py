"""改造方式与房屋 — whether the approved renovation mode suits the household's house.

Reinforcement (加固) repairs a house worth keeping: a household with no house has nothing to
reinforce, and where the policy says so (Ningxia, seed 003 §三(一)3) only a C-grade house or one
below the seismic standard may be reinforced — a D-grade house is rebuilt or replaced.
"""

from __future__ import annotations

from renovation.kernel.errors import RuleViolation
from renovation.kernel.vocabulary import Grade, GradingMethod, RenovationMode
from renovation.policy.models import Policy


class ModeDoesNotFitHouseError(RuleViolation):
    """The renovation mode does not suit the house as graded."""


def check_mode(policy: Policy, mode: RenovationMode, grade: Grade | None,
               method: GradingMethod | None) -> None:
    """Refuse reinforcement of no house, or of a grade the policy does not reinforce."""
    if mode is not RenovationMode.REINFORCE:
        return
    if grade is None or method is None:
        raise ModeDoesNotFitHouseError(
            "subsidy.mode_fits_house", "mode", mode.value,
            "a household with no house has nothing to reinforce; approve a new-build mode")
    allowed = policy.modes.reinforce_grades.get(method)
    if allowed and grade not in allowed:
        grades = ", ".join(sorted(g.value for g in allowed))
        raise ModeDoesNotFitHouseError(
            "subsidy.mode_fits_house", "mode", mode.value,
            f"policy {policy.ref} reinforces only grade {grades} houses graded by"
            f" {method.value}; a grade {grade.value} house is rebuilt, relocated or replaced"
            f" ({policy.modes.source})")
