"""Seed 003: a household with no house is supported (§二) at the new-build rates (§三(二)1), and
reinforcement (加固) is for C-grade houses and houses below the seismic standard (§三(一)3)."""

from __future__ import annotations

import pytest

from renovation.kernel.errors import RuleViolation
from renovation.kernel.vocabulary import Category, Grade, GradingMethod, HouseStructure
from renovation.kernel.vocabulary import RenovationMode as Mode
from renovation.policy import SubsidyInputs, decide_subsidy, load_policy
from renovation.policy.modes import check_mode

NINGXIA, GUILIN = load_policy("ningxia-2021"), load_policy("guilin-2022")


def no_house_subsidy(mode: Mode = Mode.REBUILD_IN_PLACE, **extra: bool) -> int:
    return decide_subsidy(NINGXIA, SubsidyInputs(
        category=Category.DIBAO, department=NINGXIA.categories[Category.DIBAO], mode=mode,
        grading_method=None, structure=HouseStructure.OTHER, **extra)).amount_yuan


def test_a_ningxia_household_with_no_house_builds_new_at_30000_or_39000() -> None:
    assert no_house_subsidy() == 30_000
    assert no_house_subsidy(Mode.RELOCATE, extremely_low_income=True) == 39_000


def test_graded_ningxia_houses_keep_their_own_rates() -> None:
    def graded(method: GradingMethod, mode: Mode = Mode.REBUILD_IN_PLACE) -> int:
        return decide_subsidy(NINGXIA, SubsidyInputs(
            category=Category.DIBAO, department=NINGXIA.categories[Category.DIBAO], mode=mode,
            grading_method=method, structure=HouseStructure.EARTH)).amount_yuan
    assert graded(GradingMethod.SEISMIC) == 20_000
    assert graded(GradingMethod.OVERALL_DANGER) == 30_000
    assert graded(GradingMethod.SEISMIC, Mode.REINFORCE) == 12_000


def test_a_d_grade_house_is_not_reinforced_in_ningxia_but_a_c_grade_one_is() -> None:
    with pytest.raises(RuleViolation) as refused:
        check_mode(NINGXIA, Mode.REINFORCE, Grade.D, GradingMethod.OVERALL_DANGER)
    assert (refused.value.rule, refused.value.field, refused.value.value) == (
        "subsidy.mode_fits_house", "mode", "reinforce")
    assert "§三(一)3" in refused.value.message
    check_mode(NINGXIA, Mode.REINFORCE, Grade.C, GradingMethod.OVERALL_DANGER)
    check_mode(NINGXIA, Mode.REINFORCE, Grade.D, GradingMethod.SEISMIC)  # below the standard
    check_mode(NINGXIA, Mode.REBUILD_IN_PLACE, Grade.D, GradingMethod.OVERALL_DANGER)


def test_no_house_has_nothing_to_reinforce_under_any_policy() -> None:
    for policy in (NINGXIA, GUILIN):
        with pytest.raises(RuleViolation) as refused:
            check_mode(policy, Mode.REINFORCE, None, None)
        assert refused.value.rule == "subsidy.mode_fits_house"
