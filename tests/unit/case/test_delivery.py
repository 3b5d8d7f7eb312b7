"""Rules from the agreement to the three-level acceptance and the demolition of the old house."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from renovation.aggregates.case.errors import (
    AcceptanceInconsistentError,
    AgreementTermsError,
    AreaBelowMinimumError,
    BusinessDateOrderError,
    NoticeNotClosedError,
    ProcedureOrderError,
    SeparationOfDutiesError,
)
from renovation.aggregates.case.values import AcceptanceResult, Builder, Payee, StaffRef
from renovation.kernel.vocabulary import (
    ConstructionMode,
    Department,
    HouseStructure,
    NoticeLevel,
    RenovationMode,
    ReviewDecision,
    Role,
    Stage,
)
from tests.support.domain import (
    APPROVER,
    CERTIFIER,
    CITY,
    CLERK,
    GUILIN,
    INSPECTOR,
    PHOTO,
    TEAM,
    TOWNSHIP_OFFICER,
    Driver,
    acceptance,
    actor,
    household,
    new_case,
    protected,
    votes,
)

DEADLINE = date(2022, 10, 31)


def approved(mode: RenovationMode = RenovationMode.REBUILD_IN_PLACE) -> Driver:
    driver = Driver(new_case(mode=mode))
    driver.to(Stage.COUNTY_APPROVED)
    return driver


def sign(driver: Driver, **changes: object) -> None:
    terms: dict[str, object] = {
        "agreement_no": "XY-1",
        "renovation_mode": driver.case.planned_mode,
        "construction_mode": ConstructionMode.SELF_BUILD,
        "payee": None,
        "deadline": DEADLINE,
        "seismic_requirements": "7度设防",
        "demolition_due": date(2022, 11, 30),
        "policy": GUILIN,
        "actor": TOWNSHIP_OFFICER,
        "occurred_on": driver.next_day(),
    }
    terms.update(changes)
    driver.case.sign_agreement(**terms)  # type: ignore[arg-type]


def test_the_agreement_waits_for_the_county_notice_to_close() -> None:
    driver = approved()
    with pytest.raises(NoticeNotClosedError) as caught:
        sign(driver)
    assert caught.value.rule == "notice.county_closed_before_agreement"


def test_the_agreement_keeps_the_approved_renovation_mode() -> None:
    driver = approved()
    driver.notice(NoticeLevel.COUNTY, APPROVER)
    with pytest.raises(AgreementTermsError) as caught:
        sign(driver, renovation_mode=RenovationMode.RELOCATE)
    assert (caught.value.rule, caught.value.value) == ("agreement.mode_as_approved", "relocate")


def test_a_unified_build_names_its_payee_and_a_self_build_does_not() -> None:
    driver = approved()
    driver.notice(NoticeLevel.COUNTY, APPROVER)
    with pytest.raises(AgreementTermsError) as caught:
        sign(driver, construction_mode=ConstructionMode.UNIFIED_BUILD)
    assert caught.value.rule == "agreement.payee_for_construction_mode"
    payee = Payee(name="某建筑公司", bank="桂林银行", account=protected("****9999", index="b"))
    with pytest.raises(AgreementTermsError):
        sign(driver, payee=payee)
    sign(driver, construction_mode=ConstructionMode.UNIFIED_BUILD, payee=payee)
    assert driver.case.agreement is not None and driver.case.agreement.payee == payee


def test_the_deadline_lies_after_signing() -> None:
    driver = approved()
    driver.notice(NoticeLevel.COUNTY, APPROVER)
    with pytest.raises(AgreementTermsError) as caught:
        sign(driver, deadline=date(2022, 1, 1))
    assert caught.value.rule == "agreement.deadline_after_signing"


def test_a_rebuild_sets_a_demolition_date_and_a_reinforcement_does_not() -> None:
    driver = approved()
    driver.notice(NoticeLevel.COUNTY, APPROVER)
    with pytest.raises(AgreementTermsError) as caught:
        sign(driver, demolition_due=None)
    assert caught.value.rule == "agreement.demolition_date"
    reinforce = approved(RenovationMode.REINFORCE)
    reinforce.notice(NoticeLevel.COUNTY, APPROVER)
    with pytest.raises(AgreementTermsError):
        sign(reinforce)
    sign(reinforce, demolition_due=None)


def test_a_new_build_agreement_records_the_policy_minimum_area() -> None:
    driver = approved()
    driver.notice(NoticeLevel.COUNTY, APPROVER)
    sign(driver)
    assert driver.case.agreement is not None
    assert driver.case.agreement.required_area_m2 == Decimal(40)  # household of 3 in Guilin


def test_construction_cannot_start_before_the_agreement_date() -> None:
    driver = Driver(new_case())
    driver.to(Stage.AGREEMENT_SIGNED)
    with pytest.raises(BusinessDateOrderError):
        driver.case.start_construction(
            Builder(name="工匠"), (), TOWNSHIP_OFFICER, driver.day - timedelta(days=1)
        )


def test_completion_needs_a_photograph() -> None:
    driver = Driver(new_case())
    driver.to(Stage.UNDER_CONSTRUCTION)
    with pytest.raises(ProcedureOrderError) as caught:
        driver.case.complete_construction(
            Decimal(60), HouseStructure.MASONRY, (), TOWNSHIP_OFFICER, driver.next_day()
        )
    assert caught.value.rule == "construction.completion_evidence"


def completed(size: int = 3, members: int = 1) -> Driver:
    driver = Driver(new_case(members=household(size=size, members=members)))
    driver.to(Stage.CONSTRUCTION_COMPLETED)
    return driver


def test_the_county_approver_cannot_accept_the_same_case() -> None:
    driver = completed()
    as_inspector = actor(Role.COUNTY_INSPECTOR, "450321000000", APPROVER.id)
    with pytest.raises(SeparationOfDutiesError) as caught:
        driver.case.record_county_acceptance(acceptance(), GUILIN, as_inspector, driver.next_day())
    assert (caught.value.rule, caught.value.value) == (
        "duties.approver_is_not_acceptor",
        "approver",
    )


def test_the_township_reviewer_cannot_sit_on_the_acceptance_team() -> None:
    driver = completed()
    team = (TEAM[0], StaffRef(id=TOWNSHIP_OFFICER.id, role=Role.COUNTY_INSPECTOR))
    result = AcceptanceResult(
        passed=True,
        measured_area_m2=Decimal(60),
        safety_rating="A",
        household_agrees=True,
        team=team,
    )
    with pytest.raises(SeparationOfDutiesError):
        driver.case.record_county_acceptance(result, GUILIN, INSPECTOR, driver.next_day())


def test_acceptance_refuses_an_area_below_the_policy_minimum() -> None:
    driver = completed(size=5, members=2)  # 5 people × 13 m² = 65 m² in Guilin
    with pytest.raises(AreaBelowMinimumError) as caught:
        driver.case.record_county_acceptance(
            acceptance("64.99"), GUILIN, INSPECTOR, driver.next_day()
        )
    assert (caught.value.rule, caught.value.field, caught.value.value) == (
        "acceptance.area_minimum",
        "result.measured_area_m2",
        "64.99",
    )
    driver.case.record_county_acceptance(acceptance("65"), GUILIN, INSPECTOR, driver.day)
    assert driver.case.stage is Stage.ACCEPTED


def test_a_reinforced_house_keeps_its_area_and_is_not_held_to_the_minimum() -> None:
    driver = Driver(new_case(mode=RenovationMode.REINFORCE))
    driver.to(Stage.CONSTRUCTION_COMPLETED)
    driver.case.record_county_acceptance(acceptance("25"), GUILIN, INSPECTOR, driver.next_day())
    assert driver.case.stage is Stage.ACCEPTED


def test_a_pass_with_a_c_rating_is_inconsistent() -> None:
    driver = completed()
    with pytest.raises(AcceptanceInconsistentError) as caught:
        driver.case.record_county_acceptance(
            acceptance(rating="C"), GUILIN, INSPECTOR, driver.next_day()
        )
    assert caught.value.value == "C"


def test_a_failed_acceptance_is_recorded_and_can_be_followed_by_a_pass() -> None:
    driver = completed()
    failed = acceptance(rating="C", passed=False)
    driver.case.record_county_acceptance(failed, GUILIN, INSPECTOR, driver.next_day())
    assert driver.case.stage is Stage.CONSTRUCTION_COMPLETED
    driver.case.record_county_acceptance(acceptance(), GUILIN, INSPECTOR, driver.next_day(10))
    assert driver.case.stage is Stage.ACCEPTED


def test_the_city_spot_checks_only_accepted_houses() -> None:
    driver = completed()
    with pytest.raises(ProcedureOrderError):
        driver.case.record_city_spot_check(True, "DRAW-1", (), (), CITY, driver.next_day())
    driver.to(Stage.ACCEPTED)
    driver.case.record_city_spot_check(
        False, "DRAW-1", ("墙体开裂",), PHOTO, CITY, driver.next_day()
    )
    assert driver.case.spot_check_passed is False


def test_the_city_may_spot_check_a_house_whose_archive_is_closed() -> None:
    driver = completed()
    driver.to(Stage.CLOSED)
    driver.case.record_city_spot_check(True, "DRAW-1", (), PHOTO, CITY, driver.next_day())
    assert (driver.case.stage, driver.case.spot_check_passed) == (Stage.CLOSED, True)


def test_a_reinforced_house_is_not_demolished() -> None:
    driver = Driver(new_case(mode=RenovationMode.REINFORCE))
    driver.to(Stage.UNDER_CONSTRUCTION)
    with pytest.raises(ProcedureOrderError) as caught:
        driver.case.record_demolition(PHOTO, TOWNSHIP_OFFICER, driver.next_day())
    assert caught.value.rule == "demolition.mode"


def test_demolition_is_recorded_once() -> None:
    driver = Driver(new_case(mode=RenovationMode.RELOCATE))
    driver.to(Stage.UNDER_CONSTRUCTION)
    driver.case.record_demolition(PHOTO, TOWNSHIP_OFFICER, driver.next_day())
    with pytest.raises(ProcedureOrderError) as caught:
        driver.case.record_demolition(PHOTO, TOWNSHIP_OFFICER, driver.next_day())
    assert caught.value.rule == "demolition.once_with_evidence"


def _no_house_until_township_approved() -> Driver:
    driver = Driver(new_case())
    case = driver.case
    case.certify_category(Department.CIVIL_AFFAIRS, "C", None, False, CERTIFIER, driver.next_day())
    case.record_no_house("原房屋已倒塌", PHOTO, TOWNSHIP_OFFICER, driver.next_day())
    case.hold_democratic_review(votes(), PHOTO, CLERK, driver.next_day())
    driver.notice(NoticeLevel.VILLAGE, CLERK)
    case.review_at_township(
        ReviewDecision.APPROVED, "符合条件", True, (), TOWNSHIP_OFFICER, driver.next_day())
    return driver


def test_a_household_with_no_house_builds_new_and_closes_with_nothing_to_demolish() -> None:
    driver = _no_house_until_township_approved()
    case = driver.to(Stage.CLOSED)
    assert case.agreement is not None and case.agreement.demolition_due is None
    assert case.demolished_on is None


def test_a_household_with_no_house_that_sets_a_demolition_date_must_clear_the_site() -> None:
    driver = _no_house_until_township_approved()
    case = driver.to(Stage.COUNTY_APPROVED)
    driver.notice(NoticeLevel.COUNTY, APPROVER)
    case.sign_agreement("XY-1", case.planned_mode, ConstructionMode.SELF_BUILD, None,
                        date(2022, 10, 31), "7度设防", date(2022, 11, 30), GUILIN,
                        TOWNSHIP_OFFICER, driver.next_day())
    assert case.demolition_required
