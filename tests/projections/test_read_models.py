"""The read models say what the case histories say, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date

from renovation.aggregates.programme import Allocation
from renovation.application.funding import funding_plan
from renovation.application.programmes import ProgrammeCatalog
from renovation.bootstrap import Runtime
from renovation.kernel.vocabulary import Category, RenovationMode
from renovation.projections import Projector, ViewsDatabase, queries
from renovation.simulation.guilin import COUNTIES, PROGRAMME
from tests.projections.support import answers
from tests.support.app import Scenario

PLANS = {
    "450321-2022-0001": {"stop_after": "closed"},
    "450321-2022-0002": {"stop_after": "accepted", "category": Category.MONITORING},
    "450321-2022-0003": {"stop_after": "under_construction", "mode": RenovationMode.REINFORCE},
    "450321-2022-0004": {"variant": "returned", "stop_after": "county_approved"},
    "450321-2022-0005": {"variant": "rejected"},
    "450321-2022-0006": {"variant": "withdrawn"},
    "450321-2022-0007": {"stop_after": "applied"},
}


def drive_all(scenario: Scenario) -> None:
    for ref, changes in PLANS.items():
        scenario.drive(scenario.plan(ref, **changes))


def test_each_case_row_agrees_with_its_aggregate(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    drive_all(scenario)
    projected.catch_up()
    listed = {row["case_ref"]: row for row in queries.list_cases(views)["cases"]}
    assert sorted(listed) == sorted(PLANS)
    for ref, row in listed.items():
        case = scenario.rt.service.load_case(ref)
        assert (row["stage"], row["version"]) == (case.stage.value, case.version)
        assert row["paid_yuan"] == case.total_paid
        assert row["subsidy_yuan"] == (case.subsidy.amount_yuan if case.subsidy else None)
        assert row["head_name"] == case.household.head.name.masked
        assert row["head_id"] == case.household.head.id_number.masked
        assert row["county"] == "450321000000" and row["village"] == case.village_code
        assert row["township"] == case.village_code[:9] + "000"
        assert row["applied_on"] == case.submitted_on.isoformat()
        assert row["closed_on"] == (case.closed_on.isoformat() if case.closed_on else None)


def test_progress_shows_every_county_of_the_plan_with_its_targets(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    drive_all(scenario)
    projected.catch_up()
    answer = queries.progress(views, "county", PROGRAMME)
    by_code = {row["code"]: row for row in answer["rows"]}
    assert sorted(by_code) == sorted(c.division_code for c in COUNTIES)
    for county in COUNTIES:
        assert by_code[county.division_code]["target_households"] == county.households_2022
    yangshuo = by_code["450321000000"]
    assert yangshuo["cases"] == len(PLANS)
    assert yangshuo["stages"]["closed"] == 1 and yangshuo["stages"]["withdrawn"] == 1
    assert yangshuo["stages"]["rejected"] == 1 and yangshuo["stages"]["applied"] == 1
    funnel = yangshuo["funnel"]
    assert funnel["applied"] == 7 and funnel["county_approved"] == 4 and funnel["closed"] == 1
    assert list(funnel.values()) == sorted(funnel.values(), reverse=True)
    assert answer["total"]["target_households"] == 1173


def test_progress_by_village_adds_up_to_the_county(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    drive_all(scenario)
    projected.catch_up()
    county = queries.progress(views, "county", inside="450321000000")["total"]
    village = queries.progress(views, "village", inside="450321000000")["total"]
    assert county["funnel"] == village["funnel"] and county["stages"] == village["stages"]


def test_funds_plan_what_the_task_and_fund_plan_says_and_count_what_was_paid(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    drive_all(scenario)
    projected.catch_up()
    [programme] = queries.funds(views, PROGRAMME)["programmes"]
    sources = {line["source"]: line for line in programme["sources"]}
    plan_total = funding_plan(scenario.policy, _plan_rows(scenario.rt))[-1]
    assert sources["central_regional"]["planned_yuan"] == plan_total.project_funds_yuan
    assert sources["city"]["planned_yuan"] == plan_total.city_funds_yuan
    assert sources["county"]["planned_yuan"] == plan_total.county_funds_yuan
    paid = sum(scenario.rt.service.load_case(ref).total_paid for ref in PLANS)
    assert sum(line["paid_yuan"] for line in sources.values()) == paid
    approved = sum(c.subsidy.amount_yuan for c in map(scenario.rt.service.load_case, PLANS)
                   if c.subsidy and c.stage.value not in ("withdrawn", "rejected"))
    assert sum(line["approved_yuan"] for line in sources.values()) == approved
    for line in sources.values():
        assert line["outstanding_yuan"] == line["approved_yuan"] - line["paid_yuan"]


def test_each_townships_money_adds_up_to_its_countys(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    drive_all(scenario)
    scenario.drive(scenario.plan("450321-2022-0008", village="450321101203"))
    projected.catch_up()
    [programme] = queries.funds(views, PROGRAMME, "450321000000", by="township")["programmes"]
    assert [t["code"] for t in programme["townships"]] == ["450321100000", "450321101000"]
    [county] = programme["counties"]
    for index, line in enumerate(county["sources"]):
        for key in ("approved_yuan", "requested_yuan", "paid_yuan", "outstanding_yuan"):
            assert line[key] == sum(t["sources"][index][key] for t in programme["townships"])
        assert all(t["sources"][index]["planned_yuan"] is None for t in programme["townships"])
    [one] = queries.funds(views, PROGRAMME, "450321101203", by="township")["programmes"]
    assert [t["code"] for t in one["townships"]] == ["450321101000"]
    assert sum(line["paid_yuan"] for line in one["townships"][0]["sources"]) == \
        scenario.rt.service.load_case("450321-2022-0008").total_paid > 0
    assert "townships" not in queries.funds(views, PROGRAMME)["programmes"][0]


def _plan_rows(rt: Runtime) -> list[Allocation]:
    programme = ProgrammeCatalog(rt.app).programme(PROGRAMME)
    return list(programme.allocations.values())


def test_construction_counts_months_and_milestones(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    drive_all(scenario)
    projected.catch_up()
    [programme] = queries.construction(views, PROGRAMME)["programmes"]
    started = sum(1 for ref in PLANS if scenario.rt.service.load_case(ref).started_on)
    assert programme["months"][-1]["start_total"] == started
    start = programme["milestones"][0]
    assert start["due"] == "2022-07-31" and start["on_time"] + start["late"] == started


def test_personal_data_appears_only_masked(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    households = []
    for ref, changes in PLANS.items():
        plan = scenario.plan(ref, **changes)
        households.append(plan.household)
        scenario.drive(plan)
    projected.catch_up()
    everything = answers(views, date(2022, 12, 31)).decode()
    for household in households:
        secrets = [household["head"]["name"], household["head"]["id_number"],
                   household["phone"], household["account"]["number"]]
        secrets += [m["id_number"] for m in household["members"]]
        for secret in secrets:
            assert secret not in everything


def test_answers_hold_plain_json_types_only(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    """No Decimal or date objects slip through (PostgreSQL sums are NUMERIC, for instance)."""
    drive_all(scenario)
    projected.catch_up()
    everything = json.loads(answers(views))

    def plain(value: object) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, str | int | bool)

    assert plain(everything)
    [programme] = everything["construction"]["programmes"]
    assert programme["target_households"] == 1173
