"""Irregularities the workflow lets through between approval and payment, each with the near miss
beside it that must not fire: money paid long after acceptance (拖欠), the "after" photo that is
the "before" photo, a young concrete house graded D, the account changed after approval, and a
new house paid in full after its demolition date with the old house standing (or, on the day
asked about, accepted with its demolition date passed)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from renovation.application.directory import NewMember, Principal
from renovation.fraud.queries import list_findings
from renovation.kernel.vocabulary import Role
from renovation.projections import Projector, ViewsDatabase
from renovation.simulation.lifecycle import CasePlan, evidence
from renovation.simulation.people import id_number
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


def test_an_accepted_house_whose_old_one_stands_past_its_date_is_a_finding_when_asked(
        scenario: Scenario, projected: Projector, views: ViewsDatabase) -> None:
    """No event marks the day the agreement's demolition date passes: the rule judges the
    accepted, unpaid case on the day asked about."""
    plans = [scenario.plan(f"450321-2022-000{n}", stop_after="accepted") for n in (1, 2, 3)]
    standing, demolished, not_due = (steps(scenario, plan) for plan in plans)
    for commands, due in ((standing, "2022-10-31"), (demolished, "2022-10-31"),
                          (not_due, "2023-01-31")):
        of(commands, "sign_agreement")["payload"]["demolition_due"] = due
    standing.remove(of(standing, "record_demolition"))
    not_due.remove(of(not_due, "record_demolition"))
    run(scenario, standing + demolished + not_due)
    assert found(projected, views) == {"not_demolished": ["450321-2022-0001"]}
    assert list_findings(views, date(2022, 10, 31), rule="not_demolished")["findings"] == []


def test_a_township_approval_without_a_home_visit_is_a_finding(
        scenario: Scenario, projected: Projector, views: ViewsDatabase) -> None:
    unvisited = steps(scenario, scenario.plan("450321-2022-0001"))
    visited = steps(scenario, scenario.plan("450321-2022-0002"))
    of(unvisited, "review_at_township")["payload"]["home_visited"] = False
    run(scenario, unvisited + visited)
    assert found(projected, views) == {"no_home_visit": ["450321-2022-0001"]}


def test_one_person_under_two_accounts_on_the_team_or_requesting_and_paying_is_a_finding(
        scenario: Scenario, projected: Projector, views: ViewsDatabase) -> None:
    """Two accounts, one ID number (the staff directory's blind index): one inspector made up
    the two-member team; one officer requested the money and disbursed it."""
    inspector, officer = id_number("450321", 987_001), id_number("450321", 987_003)
    for account, role, person in (("ci-one", Role.COUNTY_INSPECTOR, inspector),
                                  ("ci-two", Role.COUNTY_INSPECTOR, inspector),
                                  ("cc-two", Role.COUNTY_OFFICER, officer),
                                  ("fi-two", Role.FINANCE_OFFICER, officer)):
        scenario.rt.staff.register(Principal.local("ops"), NewMember(
            account, "王小明", role, "450321000000", date(2022, 1, 1), None, person))
    team, paid, fine = (steps(scenario, scenario.plan(f"450321-2022-000{n}", stop_after="paid"))
                        for n in (1, 2, 3))
    acceptance = of(team, "record_county_acceptance")
    acceptance["actor"] = {"id": "ci-one", "role": "county_inspector"}
    acceptance["payload"]["result"]["team"] = [
        {"id": "ci-one", "role": "county_inspector"}, {"id": "ci-two", "role": "county_inspector"}]
    of(paid, "request_payment")["actor"] = {"id": "cc-two", "role": "county_officer"}
    of(paid, "disburse_payment")["actor"] = {"id": "fi-two", "role": "finance_officer"}
    run(scenario, team + paid + fine)
    projected.catch_up()
    items = list_findings(views, date(2022, 12, 31), rule="duties_not_separated")["findings"]
    assert sorted(ref for item in items for ref in item["case_refs"]) == [
        "450321-2022-0001", "450321-2022-0002"]


def test_one_meetings_minutes_in_its_cases_are_not_reuse_but_in_another_village_they_are(
        scenario: Scenario, projected: Projector, views: ViewsDatabase) -> None:
    minutes = evidence("450321-2022-0001", "review-1")
    plans = [scenario.plan(f"450321-2022-000{n}", stop_after="county_approved",
                           rng=random.Random(7)) for n in (1, 2)]  # one calendar: one meeting
    plans.append(scenario.plan("450321-2022-0003", stop_after="county_approved",
                               village="450321100202", rng=random.Random(7)))
    commands = [steps(scenario, plan) for plan in plans]
    for own in commands:
        of(own, "hold_democratic_review")["payload"]["minutes"] = minutes
    run(scenario, commands[0] + commands[1])
    projected.catch_up()
    assert list_findings(views, date(2022, 12, 31), rule="reused_evidence")["findings"] == []
    run(scenario, commands[2])
    projected.catch_up()
    [item] = list_findings(views, date(2022, 12, 31), rule="reused_evidence")["findings"]
    assert item["case_refs"] == ["450321-2022-0001", "450321-2022-0002", "450321-2022-0003"]


def test_paid_on_a_house_the_provincial_verification_failed_is_a_finding(
        scenario: Scenario, projected: Projector, views: ViewsDatabase) -> None:
    failed, passed = (steps(scenario, scenario.plan(f"450321-2022-000{n}", stop_after="paid"))
                      for n in (1, 2))
    for commands, ok in ((failed, False), (passed, True)):
        accepted = of(commands, "record_county_acceptance")
        commands.insert(commands.index(accepted) + 1, scenario.command(
            "record_provincial_acceptance", accepted["case_ref"], "province",
            date.fromisoformat(accepted["occurred_on"]) + timedelta(days=1),
            {"passed": ok, "findings": [] if ok else ["未设置圈梁构造柱"],
             "evidence": evidence(accepted["case_ref"], "province")}, n="pv"))
    run(scenario, failed + passed)
    projected.catch_up()
    [item] = list_findings(views, date(2022, 12, 31), rule="paid_but_check_failed")["findings"]
    assert item["case_refs"] == ["450321-2022-0001"] and "省级核验" in item["explanation_zh"]


def test_a_demolition_photo_that_is_the_before_photo_is_a_finding(
        scenario: Scenario, projected: Projector, views: ViewsDatabase) -> None:
    commands = steps(scenario, scenario.plan("450321-2022-0001", stop_after="accepted"))
    before = of(commands, "submit_application")["payload"]["house"]["evidence"]
    of(commands, "record_demolition")["payload"]["evidence"] = before
    run(scenario, commands + steps(scenario, scenario.plan("450321-2022-0002",
                                                           stop_after="accepted")))
    assert found(projected, views) == {"photo_before_after": ["450321-2022-0001"]}
