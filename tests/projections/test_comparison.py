"""数据比对: a case is compared with the departments' registry snapshots (seed 003 §四(一)).

Each pattern the audits found fires on a registry row naming a person of the case, and leaves
alone its innocent neighbour (a tractor, a company closed before the application, a death after
the money was paid, a split years ago). The registries are loaded through `registry import`'s
service, the cases through the command path.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from renovation.fraud.queries import list_findings
from renovation.kernel.vocabulary import Category
from renovation.projections import Projector, ViewsDatabase
from renovation.registry.samples import example_row, write_csv
from renovation.simulation.lifecycle import CasePlan
from renovation.simulation.people import id_number
from renovation.simulation.staff import ID_NUMBERS
from tests.support.app import Scenario

AS_OF = date(2022, 12, 15)
ASKED = date(2022, 12, 31)
COMPARISON = ("category_not_on_list", "registry_vehicle", "registry_company",
              "registry_other_house", "registry_public_employee", "registry_deceased",
              "household_split", "favoured_relative", "household_registered_twice",
              "members_registered_elsewhere")


@pytest.fixture
def load(scenario: Scenario, tmp_path: Path) -> Any:
    def load(kind: str, rows: list[dict[str, Any]], as_of: date = AS_OF) -> None:
        scenario.clock.business_day(max(as_of, date(2022, 12, 20)))
        path = write_csv(tmp_path / f"{kind}-{as_of}.csv", kind, rows)
        scenario.rt.registries.import_file(scenario.manager, path, kind=kind, as_of=as_of,
                                           department="测试部门")
    return load


def drive(scenario: Scenario, ref: str, **changes: Any) -> CasePlan:
    plan = scenario.plan(ref, **changes)
    scenario.drive(plan)
    return plan


def found(projected: Projector, views: ViewsDatabase, as_of: date = ASKED
          ) -> dict[str, list[str]]:
    projected.catch_up()
    items = list_findings(views, as_of)["findings"]
    out: dict[str, list[str]] = {}
    for item in items:
        if item["rule"] in COMPARISON:
            out.setdefault(item["rule"], []).extend(item["case_refs"])
    return out


def member(plan: CasePlan) -> str:
    return str(plan.household["members"][0]["id_number"])


def head(plan: CasePlan) -> str:
    return str(plan.household["head"]["id_number"])


def test_a_member_with_a_car_is_a_finding_but_one_with_a_tractor_is_not(
        scenario: Scenario, projected: Projector, views: ViewsDatabase, load: Any) -> None:
    car, tractor = drive(scenario, "450321-2022-0001"), drive(scenario, "450321-2022-0002")
    load("vehicles", [example_row("vehicles", member(car), vehicle_type="小型汽车"),
                      example_row("vehicles", member(tractor), vehicle_type="拖拉机")])
    assert found(projected, views) == {"registry_vehicle": ["450321-2022-0001"]}


def test_a_company_open_when_applying_is_a_finding_but_one_closed_before_is_not(
        scenario: Scenario, projected: Projector, views: ViewsDatabase, load: Any) -> None:
    open_, closed = drive(scenario, "450321-2022-0001"), drive(scenario, "450321-2022-0002")
    load("companies", [
        example_row("companies", head(open_), registered_on=date(2020, 1, 1)),
        example_row("companies", head(closed), registered_on=date(2018, 1, 1),
                    deregistered_on=date(2021, 6, 30))])
    assert found(projected, views) == {"registry_company": ["450321-2022-0001"]}


def test_a_home_elsewhere_is_a_finding_but_the_house_in_the_village_is_not(
        scenario: Scenario, projected: Projector, views: ViewsDatabase, load: Any) -> None:
    flat, own = drive(scenario, "450321-2022-0001"), drive(scenario, "450321-2022-0002")
    shop = drive(scenario, "450321-2022-0003")
    load("real_estate", [
        example_row("real_estate", member(flat), division_code="450302001000"),
        example_row("real_estate", head(own), division_code=own.village),
        example_row("real_estate", head(shop), use="商铺", division_code="450302001000")])
    assert found(projected, views) == {"registry_other_house": ["450321-2022-0001"]}


def test_a_public_employee_member_is_a_finding_but_one_who_left_before_is_not(
        scenario: Scenario, projected: Projector, views: ViewsDatabase, load: Any) -> None:
    serving, left = drive(scenario, "450321-2022-0001"), drive(scenario, "450321-2022-0002")
    load("public_employees", [
        example_row("public_employees", member(serving)),
        example_row("public_employees", member(left), until=date(2021, 12, 31))])
    assert found(projected, views) == {"registry_public_employee": ["450321-2022-0001"]}


def test_a_death_before_payment_is_a_finding_but_a_death_after_it_is_not(
        scenario: Scenario, projected: Projector, views: ViewsDatabase, load: Any) -> None:
    before, after = drive(scenario, "450321-2022-0001"), drive(scenario, "450321-2022-0002")
    load("household_registration", [
        example_row("household_registration", head(before), household_no="H1",
                    deceased_on=date(2022, 4, 1)),
        example_row("household_registration", head(after), household_no="H2",
                    deceased_on=date(2022, 12, 14))])
    assert found(projected, views) == {"registry_deceased": ["450321-2022-0001"]}


def test_a_split_shortly_before_applying_is_a_finding_but_one_years_before_is_not(
        scenario: Scenario, projected: Projector, views: ViewsDatabase, load: Any) -> None:
    recent, old = drive(scenario, "450321-2022-0001"), drive(scenario, "450321-2022-0002")
    load("household_registration", [
        example_row("household_registration", head(recent), household_no="H1",
                    joined_on=recent.applied_on - timedelta(days=60),
                    previous_household_no="H0"),
        example_row("household_registration", head(old), household_no="H2",
                    joined_on=date(2019, 1, 1), previous_household_no="H9")])
    assert found(projected, views) == {"household_split": ["450321-2022-0001"]}


def test_an_approver_registered_in_the_household_is_a_finding_but_a_neighbour_is_not(
        scenario: Scenario, projected: Projector, views: ViewsDatabase, load: Any) -> None:
    village = "450323100201"  # 灵川县, whose approver the directory knows by ID number
    kin = drive(scenario, "450323-2022-0001", village=village)
    other = drive(scenario, "450323-2022-0002", village=village)
    load("household_registration", [
        example_row("household_registration", head(kin), household_no="H1"),
        example_row("household_registration", ID_NUMBERS["ap-450323"], household_no="H1",
                    relationship="子女"),
        example_row("household_registration", head(other), household_no="H2")])
    assert found(projected, views) == {"favoured_relative": ["450323-2022-0001"]}


def test_a_household_missing_from_its_list_or_listed_after_certification_is_a_finding(
        scenario: Scenario, projected: Projector, views: ViewsDatabase, load: Any) -> None:
    listed = drive(scenario, "450321-2022-0001")
    late = drive(scenario, "450321-2022-0002")
    drive(scenario, "450321-2022-0003")  # on no list at all
    drive(scenario, "450321-2022-0004", category=Category.OTHER_LIFTED)  # no list certifies it
    load("dibao", [example_row("dibao", member(listed), valid_from=date(2021, 1, 1)),
                   example_row("dibao", head(late), valid_from=date(2022, 11, 1))])
    assert found(projected, views) == {
        "category_not_on_list": ["450321-2022-0002", "450321-2022-0003"]}


def test_a_snapshot_counts_only_from_its_date(
        scenario: Scenario, projected: Projector, views: ViewsDatabase, load: Any) -> None:
    car = drive(scenario, "450321-2022-0001")
    load("vehicles", [example_row("vehicles", member(car))])
    assert found(projected, views, AS_OF - timedelta(days=1)) == {}
    assert found(projected, views, AS_OF) == {"registry_vehicle": ["450321-2022-0001"]}


def test_the_findings_do_not_depend_on_whether_the_registry_or_the_case_came_first(
        scenario: Scenario, projected: Projector, views: ViewsDatabase, load: Any) -> None:
    first = drive(scenario, "450321-2022-0001")
    plan = scenario.plan("450321-2022-0002")
    load("vehicles", [example_row("vehicles", member(first)),
                      example_row("vehicles", member(plan))])
    projected.catch_up()
    scenario.drive(plan)
    expected = {"registry_vehicle": ["450321-2022-0001", "450321-2022-0002"]}
    assert found(projected, views) == expected
    projected.rebuild(["comparison"])
    assert found(projected, views) == expected


def test_a_finding_names_its_registry_row_and_shows_no_plaintext_id(
        scenario: Scenario, projected: Projector, views: ViewsDatabase, load: Any) -> None:
    car = drive(scenario, "450321-2022-0001")
    load("vehicles", [example_row("vehicles", member(car))])
    projected.catch_up()
    [item] = list_findings(views, ASKED, rule="registry_vehicle")["findings"]
    [row] = item["registry_evidence"]
    assert (row["registry"], row["row"], row["as_of"], row["department"]) == (
        "vehicles", 2, AS_OF.isoformat(), "测试部门")
    assert item["evidence"][0]["event"] == "ApplicationSubmitted"
    assert member(car) not in str(item) and row["person"].endswith(member(car)[-4:])


def test_a_tekun_person_housed_in_an_institution_is_a_finding_but_one_at_home_is_not(
        scenario: Scenario, projected: Projector, views: ViewsDatabase, load: Any) -> None:
    housed = drive(scenario, "450321-2022-0001", category=Category.TEKUN)
    home = drive(scenario, "450321-2022-0002", category=Category.TEKUN)
    load("tekun", [example_row("tekun", head(housed), support_mode="集中供养"),
                   example_row("tekun", head(home), support_mode="分散供养")])
    assert found(projected, views) == {"category_not_on_list": ["450321-2022-0001"]}
    [item] = list_findings(views, ASKED, rule="category_not_on_list")["findings"]
    assert "集中供养" in item["explanation_zh"] and item["registry_evidence"][0]["row"] == 2


def test_two_cases_from_one_unsplit_registered_household_are_one_finding(
        scenario: Scenario, projected: Projector, views: ViewsDatabase, load: Any) -> None:
    father, son = drive(scenario, "450321-2022-0001"), drive(scenario, "450321-2022-0002")
    moved = drive(scenario, "450321-2022-0003")
    load("household_registration", [
        example_row("household_registration", head(father), household_no="H1"),
        example_row("household_registration", head(son), household_no="H1",
                    relationship="子"),
        example_row("household_registration", head(moved), household_no="H1",
                    relationship="子", left_on=date(2021, 5, 1)),
        example_row("household_registration", head(moved), household_no="H2")])
    assert found(projected, views) == {
        "household_registered_twice": ["450321-2022-0001", "450321-2022-0002"]}


def test_members_registered_in_other_households_are_a_finding_but_one_daughter_in_law_is_not(
        scenario: Scenario, projected: Projector, views: ViewsDatabase, load: Any) -> None:
    inflated = drive(scenario, "450321-2022-0001")
    married_in = drive(scenario, "450321-2022-0002")
    rows = []
    for plan, away, number in ((inflated, 2, "H1"), (married_in, 1, "H2")):
        rows.append(example_row("household_registration", head(plan), household_no=number))
        for n, person in enumerate(plan.household["members"]):
            home = f"X{number}{n}" if n < away else number
            rows.append(example_row("household_registration", person["id_number"],
                                    household_no=home, relationship="子女"))
    load("household_registration", rows)
    assert found(projected, views) == {"members_registered_elsewhere": ["450321-2022-0001"]}


def test_parents_and_a_son_split_off_just_before_applying_are_one_household_claiming_twice(
        scenario: Scenario, projected: Projector, views: ViewsDatabase, load: Any) -> None:
    parents, son = drive(scenario, "450321-2022-0001"), drive(scenario, "450321-2022-0002")
    load("household_registration", [
        example_row("household_registration", head(parents), household_no="H0"),
        example_row("household_registration", head(son), household_no="H1",
                    joined_on=son.applied_on - timedelta(days=30),
                    previous_household_no="H0")])
    assert found(projected, views) == {
        "household_registered_twice": ["450321-2022-0001", "450321-2022-0002"],
        "household_split": ["450321-2022-0002"]}


def test_an_approver_split_from_the_same_household_as_the_applicant_is_a_finding(
        scenario: Scenario, projected: Projector, views: ViewsDatabase, load: Any) -> None:
    village = "450323100201"
    brother = drive(scenario, "450323-2022-0001", village=village)
    stranger = drive(scenario, "450323-2022-0002", village=village)
    load("household_registration", [
        example_row("household_registration", head(brother), household_no="H1",
                    joined_on=date(2010, 1, 1), previous_household_no="H0"),
        example_row("household_registration", ID_NUMBERS["ap-450323"], household_no="H2",
                    joined_on=date(2012, 1, 1), previous_household_no="H0"),
        example_row("household_registration", head(stranger), household_no="H3",
                    joined_on=date(2011, 1, 1), previous_household_no="H9")])
    assert found(projected, views) == {"favoured_relative": ["450323-2022-0001"]}


def test_a_public_employee_registered_in_the_household_but_left_off_is_a_finding(
        scenario: Scenario, projected: Projector, views: ViewsDatabase, load: Any) -> None:
    """隐瞒家庭成员: the son on the public payroll is registered with his parents but not on
    their application; a son who moved his registration out before they applied is not."""
    hidden, moved = drive(scenario, "450321-2022-0001"), drive(scenario, "450321-2022-0002")
    sons = [id_number("450321", 900_001), id_number("450321", 900_002)]
    load("public_employees", [example_row("public_employees", son) for son in sons])
    load("household_registration", [
        example_row("household_registration", head(hidden), household_no="H1"),
        example_row("household_registration", sons[0], household_no="H1", relationship="子"),
        example_row("household_registration", head(moved), household_no="H2"),
        example_row("household_registration", sons[1], household_no="H2", relationship="子",
                    left_on=moved.applied_on - timedelta(days=400)),
        example_row("household_registration", sons[1], household_no="H3")])
    projected.catch_up()
    [item] = list_findings(views, ASKED, rule="hidden_member")["findings"]
    assert item["case_refs"] == ["450321-2022-0001"]
    assert {row["registry"] for row in item["registry_evidence"]} == {
        "household_registration", "public_employees"}
    assert sons[0] not in str(item)
    assert found(projected, views) == {}  # the declared members' own checks stay silent
    projected.rebuild(["comparison"])
    assert [i["case_refs"] for i in list_findings(views, ASKED, rule="hidden_member")[
        "findings"]] == [["450321-2022-0001"]]


def test_an_undeclared_member_is_compared_whichever_registry_came_first(
        scenario: Scenario, projected: Projector, views: ViewsDatabase, load: Any) -> None:
    plan = scenario.plan("450321-2022-0001")
    son = id_number("450321", 900_003)
    load("household_registration", [
        example_row("household_registration", head(plan), household_no="H1"),
        example_row("household_registration", son, household_no="H1", relationship="子")])
    projected.catch_up()
    scenario.drive(plan)
    projected.catch_up()
    load("vehicles", [example_row("vehicles", son, vehicle_type="小型汽车")])
    projected.catch_up()
    [item] = list_findings(views, ASKED, rule="hidden_member")["findings"]
    assert item["case_refs"] == ["450321-2022-0001"]


def test_a_member_dead_before_approval_is_a_finding_but_one_dead_after_it_is_not(
        scenario: Scenario, projected: Projector, views: ViewsDatabase, load: Any) -> None:
    counted, widowed = drive(scenario, "450321-2022-0001"), drive(scenario, "450321-2022-0002")
    load("household_registration", [
        example_row("household_registration", head(counted), household_no="H1"),
        example_row("household_registration", member(counted), household_no="H1",
                    relationship="配偶", deceased_on=counted.applied_on + timedelta(days=1)),
        example_row("household_registration", head(widowed), household_no="H2"),
        example_row("household_registration", member(widowed), household_no="H2",
                    relationship="配偶", deceased_on=date(2022, 12, 1))])
    assert found(projected, views) == {"registry_deceased": ["450321-2022-0001"]}
