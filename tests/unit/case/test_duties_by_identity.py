"""Separation of duties compares people, not strings: letter case, spaces and a second account
of the same person (same ID-number blind index) do not get round it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from renovation.aggregates.base import Actor
from renovation.aggregates.case import RenovationCase
from renovation.aggregates.case.errors import SeparationOfDutiesError
from renovation.aggregates.case.values import AcceptanceResult, Amounts, StaffRef
from renovation.kernel.vocabulary import (
    NoticeLevel,
    PaymentChannel,
    ReviewDecision,
    Role,
    Stage,
    Tranche,
)
from tests.support.domain import (
    COUNTY,
    COUNTY_CLERK,
    GUILIN,
    INSPECTOR,
    TEAM,
    TOWNSHIP,
    Driver,
    actor,
    new_case,
    ref,
)

SAME_PERSON = ref("official-person-1")


def reviewed_by(reviewer: Actor) -> tuple[RenovationCase, Driver]:
    driver = Driver(new_case())
    driver.until_village_notice_closed()
    driver.case.review_at_township(ReviewDecision.APPROVED, "符合条件", True, (), reviewer,
                                   driver.next_day())
    driver.notice(NoticeLevel.TOWNSHIP, reviewer)
    return driver.case, driver


@pytest.mark.parametrize("approver_id", ["TW-450321100", " tw-450321100", "Tw-450321100 "])
def test_an_approval_by_the_reviewer_in_another_letter_case_is_refused(approver_id: str) -> None:
    reviewer = actor(Role.TOWNSHIP_OFFICER, TOWNSHIP, "tw-450321100")
    case, driver = reviewed_by(reviewer)
    same = Actor(id=approver_id.strip(), role=Role.COUNTY_OFFICER, jurisdiction=COUNTY)
    with pytest.raises(SeparationOfDutiesError) as caught:
        case.grant_county_approval(None, GUILIN, same, driver.next_day())
    assert caught.value.rule == "duties.reviewer_is_not_approver"


def test_an_approval_by_a_second_account_of_the_reviewer_is_refused() -> None:
    reviewer = actor(Role.TOWNSHIP_OFFICER, TOWNSHIP, "tw-a", person_ref=SAME_PERSON)
    case, driver = reviewed_by(reviewer)
    second = actor(Role.COUNTY_OFFICER, COUNTY, "ap-b", person_ref=SAME_PERSON)
    with pytest.raises(SeparationOfDutiesError) as caught:
        case.grant_county_approval(None, GUILIN, second, driver.next_day())
    assert (caught.value.rule, caught.value.value) == ("duties.reviewer_is_not_approver", "ap-b")


def test_two_people_with_different_id_numbers_may_review_and_approve() -> None:
    reviewer = actor(Role.TOWNSHIP_OFFICER, TOWNSHIP, "tw-a", person_ref=ref("one"))
    case, driver = reviewed_by(reviewer)
    case.grant_county_approval(None, GUILIN, actor(Role.COUNTY_OFFICER, COUNTY, "ap-b",
                                                   person_ref=ref("two")), driver.next_day())
    assert case.stage is Stage.COUNTY_APPROVED


def completed(approver: Actor) -> Driver:
    driver = Driver(new_case())
    driver.to(Stage.TOWNSHIP_APPROVED)
    driver.notice(NoticeLevel.TOWNSHIP, actor(Role.TOWNSHIP_OFFICER, TOWNSHIP))
    driver.case.grant_county_approval(None, GUILIN, approver, driver.next_day())
    driver.to(Stage.CONSTRUCTION_COMPLETED)
    return driver


def acceptance_with(team: tuple[StaffRef, ...]) -> AcceptanceResult:
    return AcceptanceResult(passed=True, measured_area_m2=60, safety_rating="A",
                            household_agrees=True, team=team)


ACCEPTING: dict[str, Callable[[Driver], None]] = {
    "as recorder": lambda d: d.case.record_county_acceptance(
        acceptance_with(TEAM), GUILIN,
        actor(Role.COUNTY_INSPECTOR, COUNTY, "insp-x", person_ref=SAME_PERSON), d.next_day()),
    "in the team": lambda d: d.case.record_county_acceptance(
        acceptance_with((TEAM[0], StaffRef(id="INSP-Y", role=Role.COUNTY_INSPECTOR,
                                           person_ref=SAME_PERSON))),
        GUILIN, INSPECTOR, d.next_day()),
}


@pytest.mark.parametrize("how", sorted(ACCEPTING))
def test_the_approver_under_another_account_cannot_accept(how: str) -> None:
    driver = completed(actor(Role.COUNTY_OFFICER, COUNTY, "approver-2", person_ref=SAME_PERSON))
    with pytest.raises(SeparationOfDutiesError) as caught:
        ACCEPTING[how](driver)
    assert caught.value.rule == "duties.approver_is_not_acceptor"


def test_whoever_approved_or_accepted_a_case_cannot_pay_it() -> None:
    approver = actor(Role.COUNTY_OFFICER, COUNTY, "approver", person_ref=SAME_PERSON)
    for payer in (actor(Role.FINANCE_OFFICER, COUNTY, approver.id.upper()),
                  actor(Role.FINANCE_OFFICER, COUNTY, "fi-x", person_ref=SAME_PERSON),
                  actor(Role.FINANCE_OFFICER, COUNTY, INSPECTOR.id.title())):
        driver = completed(approver)
        driver.to(Stage.ACCEPTED)
        case = driver.case
        assert case.subsidy is not None
        case.request_payment("BF-1", Tranche.FINAL, Amounts(by_source=case.subsidy.split_yuan),
                             PaymentChannel.ONE_CARD, GUILIN, COUNTY_CLERK, driver.next_day())
        with pytest.raises(SeparationOfDutiesError) as caught:
            case.disburse_payment("BF-1", "PZ-1", payer, driver.day + timedelta(days=1))
        assert caught.value.rule == "duties.payer_is_not_approver_or_acceptor", payer.id
