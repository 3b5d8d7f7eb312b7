"""Irregularities the workflow lets through between approval and payment, each with the near miss
beside it that must not fire: money paid long after acceptance (拖欠), the "after" photo that is
the "before" photo, a young concrete house graded D, the account changed after approval, and a
new house paid in full after its demolition date with the old house standing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from renovation.fraud.queries import list_findings
from renovation.projections import Projector, ViewsDatabase
from renovation.simulation.lifecycle import CasePlan
from tests.support.app import Scenario

RULES = ("payment_delayed", "photo_before_after", "grade_implausible",
         "account_changed_after_approval", "not_demolished", "no_home_visit")


def found(projected: Projector, views: ViewsDatabase) -> dict[str, list[str]]:
    projected.catch_up()
    out: dict[str, list[str]] = {}
    for item in list_findings(views, date(2022, 12, 31))["findings"]:
        if item["rule"] in RULES:
            out.setdefault(item["rule"], []).extend(item["case_refs"])
    return out


def steps(scenario: Scenario, plan: CasePlan) -> list[dict[str, Any]]:
    return scenario.commands(plan)


def of(commands: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    return next(c for c in commands if c["type"] == kind)


def run(scenario: Scenario, commands: list[dict[str, Any]]) -> None:
    for command in commands:
        scenario.run(command)


def pay_days_after_acceptance(commands: list[dict[str, Any]], days: int) -> None:
    accepted = date.fromisoformat(of(commands, "record_county_acceptance")["occurred_on"])
    of(commands, "request_payment")["occurred_on"] = str(accepted + timedelta(days=days - 3))
    of(commands, "disburse_payment")["occurred_on"] = str(accepted + timedelta(days=days))
    of(commands, "close_case")["occurred_on"] = str(accepted + timedelta(days=days + 1))


def test_money_first_paid_beyond_the_limit_after_acceptance_is_a_finding(
        scenario: Scenario, projected: Projector, views: ViewsDatabase) -> None:
    late = steps(scenario, scenario.plan("450321-2022-0001", stop_after="closed"))
    prompt = steps(scenario, scenario.plan("450321-2022-0002", stop_after="closed"))
    pay_days_after_acceptance(late, 60)
    pay_days_after_acceptance(prompt, 30)
    run(scenario, late + prompt)
    assert found(projected, views) == {"payment_delayed": ["450321-2022-0001"]}


def test_a_completion_photo_that_is_the_before_photo_is_a_finding(
        scenario: Scenario, projected: Projector, views: ViewsDatabase) -> None:
    reused = steps(scenario, scenario.plan("450321-2022-0001"))
    own = steps(scenario, scenario.plan("450321-2022-0002"))
    before = of(reused, "submit_application")["payload"]["house"]["evidence"]
    of(reused, "complete_construction")["payload"]["evidence"] = list(before)
    run(scenario, reused + own)
    assert found(projected, views) == {"photo_before_after": ["450321-2022-0001"]}


def test_a_young_concrete_house_graded_d_is_a_finding_but_an_old_one_is_not(
        scenario: Scenario, projected: Projector, views: ViewsDatabase) -> None:
    young = steps(scenario, scenario.plan("450321-2022-0001"))
    old = steps(scenario, scenario.plan("450321-2022-0002"))
    for commands, year in ((young, 2016), (old, 2008)):
        of(commands, "submit_application")["payload"]["house"].update(
            structure="reinforced_concrete", year_built=year)
        of(commands, "grade_house")["payload"]["grade"] = "D"
    run(scenario, young + old)
    assert found(projected, views) == {"grade_implausible": ["450321-2022-0001"]}


def test_an_account_changed_after_approval_then_paid_to_is_a_finding(
        scenario: Scenario, projected: Projector, views: ViewsDatabase) -> None:
    changed = steps(scenario, scenario.plan("450321-2022-0001"))
    early = steps(scenario, scenario.plan("450321-2022-0002"))
    for commands, before in ((changed, "sign_agreement"), (early, "grant_county_approval")):
        anchor = of(commands, before)
        new = dict(of(commands, "submit_application")["payload"]["household"]["account"])
        new["number"] = "6217953150089167641"
        correction = {
            "command_id": f"{anchor['case_ref']}/correct-account", "type": "correct_data",
            "case_ref": anchor["case_ref"], "occurred_on": anchor["occurred_on"],
            "actor": {"id": "tw-450321100", "role": "township_officer"},
            "payload": {"field": "household.account", "new": new, "reason": "户主更换银行卡",
                        "approved_by": {"id": "ap-450321", "role": "county_officer"}}}
        at = commands.index(anchor) + (1 if before == "sign_agreement" else 0)
        commands.insert(at, correction)
    run(scenario, changed + early)
    assert found(projected, views) == {"account_changed_after_approval": ["450321-2022-0001"]}


def test_paid_in_full_after_the_demolition_date_with_the_old_house_standing_is_a_finding(
        scenario: Scenario, projected: Projector, views: ViewsDatabase) -> None:
    standing = steps(scenario, scenario.plan("450321-2022-0001", stop_after="paid"))
    demolished = steps(scenario, scenario.plan("450321-2022-0002", stop_after="paid"))
    for commands in (standing, demolished):
        of(commands, "sign_agreement")["payload"]["demolition_due"] = "2022-08-31"
    standing.remove(of(standing, "record_demolition"))
    run(scenario, standing + demolished)
    assert found(projected, views) == {"not_demolished": ["450321-2022-0001"]}


def test_a_township_approval_without_a_home_visit_is_a_finding(
        scenario: Scenario, projected: Projector, views: ViewsDatabase) -> None:
    unvisited = steps(scenario, scenario.plan("450321-2022-0001"))
    visited = steps(scenario, scenario.plan("450321-2022-0002"))
    of(unvisited, "review_at_township")["payload"]["home_visited"] = False
    run(scenario, unvisited + visited)
    assert found(projected, views) == {"no_home_visit": ["450321-2022-0001"]}
