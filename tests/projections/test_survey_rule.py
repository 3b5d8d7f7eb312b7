"""无摸排记录获批: where the monitoring rules require a survey before approval (Ningxia, seed 003
§四(一)), a case approved without a ledger entry found before it is a finding; one taken into
the programme from the ledger is not; Guilin's profile requires none."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from renovation.application.directory import NewMember, Principal
from renovation.fraud.queries import list_findings
from renovation.kernel.vocabulary import Category, RenovationMode, Role
from renovation.policy import load_policy
from renovation.projections import Projector, ViewsDatabase
from renovation.simulation.lifecycle import CasePlan, Lifecycle
from tests.support.app import Scenario

VILLAGE = "640181100201"


def ningxia_case(scenario: Scenario, ref: str, manager: Principal) -> dict[str, Any]:
    household = scenario.people.household(VILLAGE[:6], 2022, 3)
    plan = CasePlan(case_ref=ref, programme_id="ningxia-2021", village=VILLAGE,
                    household=household, category=Category.DIBAO,
                    mode=RenovationMode.REBUILD_IN_PLACE, applied_on=date(2022, 3, 1),
                    stop_after="county_approved", rng=random.Random(ref))
    scenario.staff(VILLAGE)
    commands = list(Lifecycle(plan, load_policy("ningxia-2021")).commands())
    scenario.run(commands[0], manager)
    return {"household": household, "rest": commands[1:]}


def test_a_ningxia_approval_without_a_prior_survey_is_a_finding(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    scenario.rt.staff.register(Principal.local(), NewMember(
        "pm-64", "张伟", Role.PROGRAMME_MANAGER, "640000000000", valid_from=date(2022, 1, 1)))
    manager = scenario.principal("pm-64")
    scenario.rt.programmes.open(manager, "ningxia-2021", "ningxia-2021", date(2022, 2, 1))
    surveyed = ningxia_case(scenario, "640181-2022-0001", manager)
    unsurveyed = ningxia_case(scenario, "640181-2022-0002", manager)
    clerk = scenario.principal(f"vc-{VILLAGE}")
    scenario.clock.business_day(date(2022, 3, 1))
    head = surveyed["household"]["head"]
    house = scenario.rt.houses.act(clerk, {
        "type": "record_house", "village": VILLAGE, "occurred_on": "2022-01-05",
        "head": {"name": head["name"], "id_number": head["id_number"]}, "ledger": "key"})
    scenario.rt.houses.act(clerk, {"type": "patrol_house", "house": {"house_id": house["house_id"]},
                                   "occurred_on": "2022-01-20", "method": "visual",
                                   "suspected_grade": "D"})
    scenario.rt.houses.act(scenario.principal(f"tw-{VILLAGE[:9]}"), {
        "type": "link_case", "house": {"house_id": house["house_id"]},
        "occurred_on": "2022-03-01", "case_ref": "640181-2022-0001"})
    for command in (*surveyed["rest"], *unsurveyed["rest"]):
        scenario.run(command, manager)
    projected.catch_up()
    found = list_findings(views, date(2022, 12, 31), rule="approved_without_survey")
    assert [f["case_refs"] for f in found["findings"]] == [["640181-2022-0002"]]
    [finding] = found["findings"]
    assert finding["evidence"] and finding["evidence"][0]["case_ref"] == "640181-2022-0002"


def test_guilin_requires_no_survey_before_approval(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    scenario.drive(scenario.plan("450321-2022-0001", stop_after="county_approved"))
    projected.catch_up()
    assert list_findings(views, date(2022, 12, 31), rule="approved_without_survey")[
        "findings"] == []
