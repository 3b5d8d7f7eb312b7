"""The collusion and anomaly rules on cases driven through the real command path: each pattern
is found once it is complete, and the case before it — the near-miss — is not."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from renovation.fraud.queries import list_findings
from renovation.projections import Projector, ViewsDatabase
from renovation.simulation.people import bank_card
from tests.support.app import START, VILLAGE, Scenario

AS_OF = date(2022, 12, 31)
TOWNSHIPS = [f"4503211{t:02d}201" for t in range(4)]
"""A village in each of four townships of 阳朔县 (the first is the tests' usual village)."""


def found(projected: Projector, views: ViewsDatabase, on: date = AS_OF
          ) -> dict[str, list[list[str]]]:
    projected.catch_up()
    out: dict[str, list[list[str]]] = {}
    for item in list_findings(views, on)["findings"]:
        out.setdefault(item["rule"], []).append(item["case_refs"])
    return out


def drive(scenario: Scenario, n: int, until: str | None = None, edit: Any = None,
          **plan: Any) -> str:
    """Case `n`, applied on its own day (one a day: never a burst of entries by one clerk)."""
    ref = f"450321-2022-{n:04d}"
    commands = scenario.commands(scenario.plan(ref, applied_on=START + timedelta(days=n), **plan))
    if edit is not None:
        edit(commands)
    if until is not None:
        commands = commands[:1 + next(i for i, c in enumerate(commands) if c["type"] == until)]
    for command in commands:
        scenario.run(command)
    return ref


def graded(grade: str) -> Any:
    def edit(commands: list[dict[str, Any]]) -> None:
        next(c for c in commands if c["type"] == "grade_house")["payload"]["grade"] = grade
    return edit


def test_the_countys_own_assessor_grading_every_house_d_is_an_outlier_from_twenty_gradings(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    for n in range(20):  # the township's assessor: 6 of 20 D
        drive(scenario, n, until="grade_house", edit=graded("D" if n < 6 else "C"))
    outlier = [drive(scenario, n, until="grade_house", quirks=frozenset({"assessor_outlier"}))
               for n in range(20, 39)]
    assert found(projected, views) == {}  # 19 gradings: too few to tell from chance
    outlier.append(drive(scenario, 39, until="grade_house",
                         quirks=frozenset({"assessor_outlier"})))
    assert found(projected, views) == {"assessor_outlier": [outlier]}


def test_one_inspector_accepting_in_four_townships_on_one_day_is_overloaded(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    overload = frozenset({"acceptance_overload"})  # the county's inspector, on 10 November
    refs = [drive(scenario, n, village=village, quirks=overload, stop_after="accepted")
            for n, village in enumerate(TOWNSHIPS[:3])]
    before_payment_is_due = date(2022, 11, 30)
    assert found(projected, views, before_payment_is_due) == {}  # three townships: possible
    refs.append(drive(scenario, 3, village=TOWNSHIPS[3], quirks=overload, stop_after="accepted"))
    projected.catch_up()
    [item] = list_findings(views, before_payment_is_due)["findings"]
    assert item["case_refs"] == refs
    assert [e["event"] for e in item["evidence"]] == ["CountyAcceptanceRecorded"] * 4
    assert "ci-450321 于 2022-11-10 一天验收 4 户，分布在 4 个乡镇" in item["explanation_zh"]


def test_one_builders_quick_builds_in_three_townships_are_concentrated_from_the_sixth(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    quick = frozenset({"builder_concentration"})  # one outside team, 40 days a house
    refs = [drive(scenario, n, village=TOWNSHIPS[n % 3], quirks=quick,
                  stop_after="construction_completed") for n in range(5)]
    assert found(projected, views) == {}
    refs.append(drive(scenario, 5, village=TOWNSHIPS[2], quirks=quick,
                      stop_after="construction_completed"))
    assert found(projected, views) == {"builder_concentration": [refs]}


def paid_to_one_builder(days: int) -> Any:
    """A 统建 agreement paying one company's account, and a build of `days` days."""
    def edit(commands: list[dict[str, Any]]) -> None:
        by_type = {c["type"]: c for c in commands}
        by_type["sign_agreement"]["payload"].update(construction_mode="unified_build", payee={
            "name": "某建筑劳务有限公司", "bank": "农村信用社", "kind": "card",
            "account": bank_card(999, 7)})
        started = date.fromisoformat(by_type["start_construction"]["occurred_on"])
        by_type["report_progress"]["occurred_on"] = str(started + timedelta(days=days // 2))
        by_type["complete_construction"]["occurred_on"] = str(started + timedelta(days=days))
    return edit


def test_one_payee_account_behind_mostly_quick_builds_in_three_townships_is_concentrated(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    minimum = scenario.policy.fraud.builder_short_days[scenario.plan("x").mode]
    refs = [drive(scenario, n, village=TOWNSHIPS[n % 3], stop_after="construction_completed",
                  edit=paid_to_one_builder(minimum if n < 3 else minimum - 1)) for n in range(5)]
    assert found(projected, views) == {}  # five builds, two of them short
    refs.append(drive(scenario, 5, village=TOWNSHIPS[3], stop_after="construction_completed",
                      edit=paid_to_one_builder(minimum - 1)))
    projected.catch_up()
    [item] = list_findings(views, AS_OF)["findings"]
    assert (item["rule"], item["case_refs"]) == ("builder_concentration", refs)
    assert {e["event"] for e in item["evidence"]} == {
        "AgreementSigned", "ConstructionStarted", "ConstructionCompleted"}
    assert item["explanation_zh"].startswith("统建/代建收款账户 ****")
    assert bank_card(999, 7) not in str(item)


def ledger(scenario: Scenario, village: str, houses: int) -> None:
    """`houses` houses of the village found unsafe in January's sweep (农房安全台账)."""
    scenario.staff(village)
    clerk = scenario.principal(f"vc-{village}")
    scenario.clock.business_day(date(2022, 1, 31))
    for n in range(houses):
        head = scenario.people.household(village[:6], 2022, 1, index=5000 + n)["head"]
        house = scenario.rt.houses.act(clerk, {
            "type": "record_house", "village": village, "occurred_on": "2022-01-05",
            "head": {"name": head["name"], "id_number": head["id_number"]}, "ledger": "key"})
        scenario.rt.houses.act(clerk, {
            "type": "patrol_house", "house": {"house_id": house["house_id"]},
            "occurred_on": "2022-01-20", "method": "visual", "suspected_grade": "D"})


def test_applications_beyond_twice_the_houses_the_villages_ledger_found_are_a_finding(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    ledger(scenario, VILLAGE, 5)
    refs = [drive(scenario, n, stop_after="applied") for n in range(10)]
    assert found(projected, views) == {}  # ten applications: twice the five houses found
    refs.append(drive(scenario, 10, stop_after="applied"))
    assert found(projected, views) == {"applications_exceed_survey": [refs]}


def test_a_county_without_ledgers_is_not_judged_but_a_village_without_one_is(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    refs = [drive(scenario, n, stop_after="applied") for n in range(10)]
    assert found(projected, views) == {}  # monitoring is not in use in the county
    ledger(scenario, TOWNSHIPS[1], 1)
    assert found(projected, views) == {"applications_exceed_survey": [refs]}
