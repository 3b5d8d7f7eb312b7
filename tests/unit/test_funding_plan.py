"""The task and fund plan (seed 004 §六) follows from the standards of §三(三), to the yuan."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from renovation.aggregates.programme import Allocation
from renovation.application.funding import TARGET_COLUMNS, funding_plan, read_targets
from renovation.kernel.errors import InvalidInputError
from renovation.policy import load_policy
from renovation.simulation.guilin import plan_rows

GUILIN = load_policy("guilin-2022")


def write_targets(path: Path, rows: list[dict[str, object]], header=TARGET_COLUMNS) -> Path:  # type: ignore[no-untyped-def]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(header))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_guilin_plan_totals_are_the_seeds_numbers(tmp_path: Path) -> None:
    lines = funding_plan(GUILIN, read_targets(write_targets(tmp_path / "t.csv", plan_rows())))
    total = lines[-1]
    assert total.county_code == "total"
    # §三: 1,173 households; §六(一): 2007.94万 central; §六(二)1: 381.76万 regional project funds.
    assert total.households_total == 1173
    assert total.central_funds_yuan == 20_079_400
    assert total.regional_project_funds_yuan == 3_817_600
    assert total.project_funds_yuan == 20_079_400 + 3_817_600
    # §六(二)2: 510万 work funds; §六(二): 891.76万 regional in all.
    assert total.regional_work_funds_yuan == 5_100_000
    assert total.regional_total_yuan == 8_917_600
    # §六(二)3: city 175.95万 at 0.15万 per household, county 234.6万 at 0.2万.
    assert total.city_funds_yuan == 1_759_500
    assert total.county_funds_yuan == 2_346_000


def test_each_category_standard_adds_up_from_its_parts() -> None:
    # 3万 = 2.65万 central+regional + 0.15万 city + 0.2万 county; 1.85万 = 1.5 + 0.15 + 0.2.
    one_each = [
        Allocation(
            jurisdiction="450321000000",
            name="阳朔县",
            rural_revitalization_households=1,
            civil_affairs_households=0,
            central_funds_yuan=0,
            work_funds_yuan=0,
        ),
        Allocation(
            jurisdiction="450323000000",
            name="灵川县",
            rural_revitalization_households=0,
            civil_affairs_households=1,
            central_funds_yuan=0,
            work_funds_yuan=0,
        ),
    ]
    rr, ca, _ = funding_plan(GUILIN, one_each)
    assert rr.project_funds_yuan + rr.city_funds_yuan + rr.county_funds_yuan == 30_000
    assert ca.project_funds_yuan + ca.city_funds_yuan + ca.county_funds_yuan == 18_500


def test_the_city_level_row_carries_work_funds_only(tmp_path: Path) -> None:
    lines = funding_plan(GUILIN, read_targets(write_targets(tmp_path / "t.csv", plan_rows())))
    city = next(line for line in lines if line.county_code == "450300000000")
    assert (city.households_total, city.regional_work_funds_yuan, city.city_funds_yuan) == (
        0,
        350_000,
        0,
    )
    lingchuan = next(line for line in lines if line.county_code == "450323000000")
    assert (lingchuan.households_total, lingchuan.regional_work_funds_yuan) == (175, 340_000)


def test_targets_need_exactly_the_documented_columns(tmp_path: Path) -> None:
    path = write_targets(tmp_path / "t.csv", [], header=TARGET_COLUMNS[:-1])
    with pytest.raises(InvalidInputError) as caught:
        list(read_targets(path))
    assert caught.value.rule == "plan.targets_columns"


@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [
        ("central_funds_yuan", "12.5", "plan.targets_integer"),
        ("work_funds_yuan", "-1", "plan.targets_greater_than_equal"),
        ("county_code", "4503", "input.division_code"),
        ("county_code", "450321100000", "plan.targets_county_code"),
    ],
)
def test_a_bad_targets_cell_is_named_by_line_and_column(
    tmp_path: Path, column: str, value: str, rule: str
) -> None:
    rows = plan_rows()
    rows[2] = {**rows[2], column: value}
    with pytest.raises(InvalidInputError) as caught:
        list(read_targets(write_targets(tmp_path / "t.csv", rows)))
    assert (caught.value.rule, caught.value.field) == (rule, f"t.csv:4:{column}")


def test_a_policy_whose_subsidy_depends_on_the_mode_has_no_household_plan() -> None:
    with pytest.raises(InvalidInputError) as caught:
        funding_plan(load_policy("ningxia-2021"), [])
    assert caught.value.rule == "plan.policy_has_funding_plan"
