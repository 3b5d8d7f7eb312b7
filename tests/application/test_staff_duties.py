"""Identity through the application: the directory decides who acted, duties hold whatever
spelling or second account is used, and findings are reviewed by someone impartial and senior."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from renovation.application.directory import NewMember, Principal
from renovation.application.findings import FindingRef
from renovation.bootstrap import Runtime
from renovation.kernel.errors import RuleViolation
from renovation.kernel.vocabulary import Role
from renovation.simulation.demo import SimulatedClock
from renovation.simulation.people import id_number
from tests.support.app import Scenario, store_fingerprint

CASE = "450321-2022-0001"
OPERATOR = Principal.local("ops")
TOWNSHIP_OFFICER = "tw-450321100"
ID_NUMBER = id_number("450321", 987_654)


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    scenario = Scenario(runtime, clock)
    scenario.drive(scenario.plan(CASE, stop_after="township_approved"))
    return scenario


def refused(scenario: Scenario, call: object) -> RuleViolation:
    before = store_fingerprint(scenario.rt)
    with pytest.raises(RuleViolation) as caught:
        call()  # type: ignore[operator]
    assert store_fingerprint(scenario.rt) == before
    return caught.value


def approval(scenario: Scenario, approver: str) -> dict[str, object]:
    command = scenario.command("grant_county_approval", CASE, "approver", date(2022, 6, 1), {})
    return {**command, "actor": {"id": approver, "role": "county_officer"}}


def test_the_reviewer_under_another_letter_case_can_neither_claim_a_role_nor_dodge_the_duty(
    scenario: Scenario,
) -> None:
    command = approval(scenario, "TW-450321100")
    assert refused(scenario, lambda: scenario.run(command)).rule == (
        "actor.role_not_held_on_date")
    scenario.rt.staff.grant(OPERATOR, TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, "450321000000",
                            date(2022, 1, 1))
    assert refused(scenario, lambda: scenario.run(command)).rule == (
        "duties.reviewer_is_not_approver")


def test_a_second_account_of_the_reviewer_cannot_approve(
    runtime: Runtime, clock: SimulatedClock,
) -> None:
    scenario = Scenario(runtime, clock)
    runtime.staff.register(OPERATOR, NewMember("tw-one", "王小明", Role.TOWNSHIP_OFFICER,
                                               "450321100000", date(2022, 1, 1), None, ID_NUMBER))
    runtime.staff.register(OPERATOR, NewMember("ap-two", "王小明", Role.COUNTY_OFFICER,
                                               "450321000000", date(2022, 1, 1), None, ID_NUMBER))
    commands = scenario.commands(scenario.plan(CASE, stop_after="township_approved"))
    for command in commands:
        if command["type"] in ("review_at_township", "post_notice", "close_notice") and (
                command["actor"]["role"] == "township_officer"):
            command["actor"] = {"id": "tw-one", "role": "township_officer"}
        scenario.run(command)
    error = refused(scenario, lambda: scenario.run(approval(scenario, "ap-two")))
    assert (error.rule, error.value) == ("duties.reviewer_is_not_approver", "ap-two")
    scenario.run(approval(scenario, "ap-450321"))


def test_an_official_acting_on_their_own_household_is_refused(
    runtime: Runtime, clock: SimulatedClock,
) -> None:
    scenario = Scenario(runtime, clock)
    plan = scenario.plan(CASE, stop_after="applied")
    head = plan.household["head"]["id_number"]
    runtime.staff.register(OPERATOR, NewMember("vc-kin", "王小明", Role.VILLAGE_CLERK,
                                               plan.village, date(2022, 1, 1), None, head))
    [submit] = scenario.commands(plan)
    submit["actor"] = {"id": "vc-kin", "role": "village_clerk"}
    assert refused(scenario, lambda: scenario.run(submit)).rule == "duties.not_own_household"


def finding(scenario: Scenario) -> FindingRef:
    return FindingRef(str(uuid4()), "short_paid", (CASE,), "450321000000")


def test_the_same_inspector_cannot_dismiss_confirm_and_dismiss_again(scenario: Scenario) -> None:
    rt, item = scenario.rt, finding(scenario)
    rt.staff.grant(OPERATOR, "dj-450323", Role.DISCIPLINE_INSPECTOR, "450321000000",
                   date(2022, 1, 1))
    county = scenario.principal("dj-450323")
    rt.findings.decide(county, item, "dismissed", "与财政凭证核对无误")
    error = refused(scenario, lambda: rt.findings.decide(county, item, "confirmed", "改判查实"))
    assert error.rule == "finding.change_by_another_reviewer"
    peer = scenario.principal("dj-4503")  # the city: more senior than the county
    rt.findings.decide(peer, item, "confirmed", "市纪委复核查实")
    error = refused(scenario, lambda: rt.findings.decide(county, item, "dismissed", "县级再次排除"))
    assert error.rule == "finding.change_by_senior_reviewer"
    decided = rt.findings.decide(scenario.principal("dj-45"), item, "dismissed", "自治区复核排除")
    assert decided["review_version"] == 3


def test_an_officer_who_acted_on_a_case_cannot_review_its_finding(scenario: Scenario) -> None:
    rt = scenario.rt
    rt.staff.grant(OPERATOR, TOWNSHIP_OFFICER, Role.DISCIPLINE_INSPECTOR, "450321000000",
                   date(2022, 1, 1))
    rt.staff.grant(OPERATOR, "pm-4503", Role.DISCIPLINE_INSPECTOR, "450300000000",
                   date(2022, 1, 1))
    item = finding(scenario)
    for who in (TOWNSHIP_OFFICER, "pm-4503"):  # acted; entered the acts
        error = refused(scenario, lambda w=who: rt.findings.decide(
            scenario.principal(w), item, "confirmed", "经核查属实"))
        assert (error.rule, error.value) == ("finding.reviewer_not_involved", who)


def test_an_administrator_manages_users_of_their_area_only_and_reads_no_case(
    scenario: Scenario,
) -> None:
    rt, admin = scenario.rt, scenario.principal("admin-4503")
    rt.staff.register(admin, NewMember("vc-new", "李四", Role.VILLAGE_CLERK, "450321100202",
                                       date(2022, 1, 1)))
    error = refused(scenario, lambda: rt.staff.register(admin, NewMember(
        "vc-far", "李四", Role.VILLAGE_CLERK, "640104001001", date(2022, 1, 1))))
    assert error.rule == "authorization.jurisdiction"
    error = refused(scenario, lambda: rt.staff.grant(admin, "admin-4503", Role.COUNTY_OFFICER,
                                                     "450321000000"))
    assert error.rule == "directory.not_own_account"
    error = refused(scenario, lambda: rt.staff.disable(admin, "dj-45", "越权"))
    assert error.rule == "authorization.jurisdiction"
    error = refused(scenario, lambda: rt.inspection.history(admin, CASE))
    assert error.rule == "authorization.role_action"
    error = refused(scenario, lambda: rt.staff.register(OPERATOR, NewMember(
        "local:someone", "李四", Role.VILLAGE_CLERK, "450321100202")))
    assert error.rule == "staff.id_reserved"
    error = refused(scenario, lambda: rt.staff.register(OPERATOR, NewMember(
        "VC-New", "李四", Role.VILLAGE_CLERK, "450321100202")))
    assert (error.rule, error.value) == ("staff.registered_once", "vc-new")


def test_the_local_operator_manages_users_but_records_no_act(scenario: Scenario) -> None:
    command = approval(scenario, "ap-450321")
    assert refused(scenario, lambda: scenario.run(command, by=OPERATOR)).rule == (
        "recorder.not_authorized")
    del command["actor"]
    assert refused(scenario, lambda: scenario.run(command, by=OPERATOR)).rule == (
        "authorization.local_operator")


def test_registering_many_checks_every_row_before_writing_any(scenario: Scenario) -> None:
    rows = [NewMember("vc-a1", "张三", Role.VILLAGE_CLERK, "450321100203"),
            NewMember("vc-a2", "张三", Role.VILLAGE_CLERK, "450321100204", id_number="123")]
    error = refused(scenario, lambda: scenario.rt.staff.register_many(OPERATOR, rows))
    assert error.field == "rows.1.id_number" and "123" not in str(error.value)
    assert scenario.rt.staff.register_many(OPERATOR, rows[:1] * 2) == ["vc-a1"]
    assert scenario.rt.staff.register_many(OPERATOR, rows[:1]) == []
