"""A category counted as another (城市低保 with rural 户籍 as 农村低保, seed 004 §三(一)) is only
valid in a policy that certifies and pays it exactly as that other category."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

import pytest

from renovation.kernel.vocabulary import Category, Department, HouseStructure, RenovationMode
from renovation.policy import SubsidyInputs, decide_subsidy, load_policy
from renovation.policy.registry import PolicyFileError, parse_policy

URBAN = Category.URBAN_DIBAO_RURAL_HUKOU


def guilin_file() -> dict[str, Any]:
    data = resources.files("renovation.policy") / "data" / "guilin-2022.toml"
    return tomllib.loads(data.read_text(encoding="utf-8"))


def test_the_category_has_its_chinese_term() -> None:
    assert URBAN.value == "urban_dibao_rural_hukou"
    assert URBAN.label == "享受城市低保的农村户籍人口"


def test_guilin_decides_the_same_subsidy_for_urban_as_for_rural_dibao() -> None:
    guilin = load_policy("guilin-2022")

    def decided(category: Category) -> tuple[str, int, dict[str, int]]:
        decision = decide_subsidy(guilin, SubsidyInputs(
            category=category, department=guilin.categories[category],
            mode=RenovationMode.REBUILD_IN_PLACE, grading_method=None,
            structure=HouseStructure.EARTH))
        return decision.rate_id, decision.amount_yuan, decision.split_yuan

    assert decided(URBAN) == decided(Category.DIBAO) == (
        "civil-affairs", 18_500, {"central_regional": 15_000, "city": 1_500, "county": 2_000})


def test_ningxia_whose_plan_does_not_say_so_has_no_such_category() -> None:
    assert URBAN not in load_policy("ningxia-2021").categories


def test_a_policy_certifying_it_by_another_department_than_dibao_is_refused() -> None:
    data = guilin_file()
    parse_policy(dict(data), "near-miss.toml")
    data["categories"] = {**data["categories"], URBAN.value: Department.RURAL_REVITALIZATION.value}
    with pytest.raises(PolicyFileError, match="urban_dibao_rural_hukou is certified by"
                                              " rural_revitalization, but it counts as dibao"):
        parse_policy(data, "test.toml")


def test_a_rate_naming_dibao_but_not_urban_dibao_is_refused() -> None:
    data = guilin_file()
    rates = [dict(rate) for rate in data["subsidy_rates"]]
    rates[1]["categories"] = ["dibao", "tekun", "dibao_marginal"]
    with pytest.raises(PolicyFileError, match="rates civil-affairs name only one of the two"):
        parse_policy({**data, "subsidy_rates": rates}, "test.toml")
    rates[1]["categories"] = ["dibao", "tekun", "dibao_marginal", URBAN.value]
    assert parse_policy({**data, "subsidy_rates": rates}, "test.toml").rate(
        "civil-affairs").categories >= {Category.DIBAO, URBAN}
