"""Money after acceptance, to the right account, never more than approved; closing; corrections."""

from __future__ import annotations

import pytest

from renovation.aggregates.case import RenovationCase
from renovation.aggregates.case.errors import (
    CloseoutIncompleteError,
    CorrectionError,
    DuplicateReferenceError,
    MakerCheckerError,
    PayeeNotAgreedError,
    PaymentBeforeAcceptanceError,
    PaymentExceedsApprovedError,
    PaymentNotPendingError,
    ProcedureOrderError,
)
from renovation.aggregates.case.values import Amounts, StaffRef
from renovation.kernel.vocabulary import (
    PaymentChannel,
    RenovationMode,
    Role,
    Stage,
    Tranche,
)
from tests.support.domain import (
    CITY,
    COUNTY_CLERK,
    FINANCE,
    GUILIN,
    PHOTO,
    TOWNSHIP_OFFICER,
    Driver,
    new_case,
)

FULL = {"central_regional": 15000, "city": 1500, "county": 2000}


def at(stage: Stage, mode: RenovationMode = RenovationMode.REINFORCE) -> Driver:
    driver = Driver(new_case(mode=mode))
    driver.to(stage)
    return driver


def request(
    driver: Driver,
    amounts: dict[str, int] | None = None,
    no: str = "BF-1",
    channel: PaymentChannel = PaymentChannel.ONE_CARD,
    tranche: Tranche = Tranche.FINAL,
) -> None:
    driver.case.request_payment(
        no,
        tranche,
        Amounts(by_source=amounts or FULL),
        channel,
        GUILIN,
        COUNTY_CLERK,
        driver.next_day(),
    )


@pytest.mark.parametrize("stage", [Stage.AGREEMENT_SIGNED, Stage.CONSTRUCTION_COMPLETED])
def test_no_payment_before_the_county_acceptance_passed(stage: Stage) -> None:
    driver = at(stage)
    with pytest.raises(PaymentBeforeAcceptanceError) as caught:
        request(driver)
    assert caught.value.rule == "payment.requires_county_acceptance"
    assert caught.value.value == stage.value


def test_an_advance_is_refused_where_the_policy_pays_only_after_acceptance() -> None:
    driver = at(Stage.UNDER_CONSTRUCTION)
    with pytest.raises(PaymentBeforeAcceptanceError) as caught:
        request(driver, {"central_regional": 5000}, tranche=Tranche.ADVANCE)
    assert (caught.value.field, caught.value.value) == ("tranche", "advance")


def test_a_request_may_not_exceed_what_remains_approved_for_its_source() -> None:
    driver = at(Stage.ACCEPTED)
    request(driver, {"central_regional": 10000})
    with pytest.raises(PaymentExceedsApprovedError) as caught:
        request(driver, {"central_regional": 5001}, no="BF-2")
    assert (caught.value.rule, caught.value.field, caught.value.value) == (
        "payment.within_approved",
        "amounts.central_regional",
        5001,
    )


def test_a_source_without_an_approved_amount_cannot_be_paid() -> None:
    driver = at(Stage.ACCEPTED)
    with pytest.raises(PaymentExceedsApprovedError) as caught:
        request(driver, {"province": 100})
    assert caught.value.rule == "payment.source_approved"


def test_a_builder_account_is_paid_only_under_an_agreement_that_names_it() -> None:
    driver = at(Stage.ACCEPTED)
    with pytest.raises(PayeeNotAgreedError) as caught:
        request(driver, channel=PaymentChannel.BUILDER_ACCOUNT)
    assert caught.value.rule == "payment.builder_named_in_agreement"


def test_a_one_card_payment_goes_to_the_households_own_account() -> None:
    driver = at(Stage.ACCEPTED)
    request(driver)
    assert driver.case.household.account is not None
    assert driver.case.requests["BF-1"].payee_ref == driver.case.household.account.number.ref


def test_a_request_number_is_used_once_and_paid_once() -> None:
    driver = at(Stage.ACCEPTED)
    request(driver, {"central_regional": 1000})
    with pytest.raises(DuplicateReferenceError):
        request(driver, {"central_regional": 1000})
    with pytest.raises(PaymentNotPendingError):
        driver.case.disburse_payment("BF-9", "PZ-1", FINANCE, driver.next_day())
    driver.case.disburse_payment("BF-1", "PZ-1", FINANCE, driver.next_day())
    with pytest.raises(PaymentNotPendingError) as caught:
        driver.case.disburse_payment("BF-1", "PZ-2", FINANCE, driver.next_day())
    assert caught.value.rule == "payment.disburse_pending_request"


def test_a_failed_city_spot_check_holds_the_payment() -> None:
    driver = at(Stage.ACCEPTED)
    driver.case.record_city_spot_check(False, "D-1", ("墙体开裂",), PHOTO, CITY, driver.next_day())
    with pytest.raises(PaymentBeforeAcceptanceError) as caught:
        request(driver)
    assert caught.value.rule == "payment.spot_check_not_failed"


def test_the_archive_closes_only_when_fully_paid() -> None:
    driver = at(Stage.ACCEPTED)
    request(driver, {"central_regional": 15000})
    driver.case.disburse_payment("BF-1", "PZ-1", FINANCE, driver.next_day())
    with pytest.raises(CloseoutIncompleteError) as caught:
        driver.case.close(COUNTY_CLERK, driver.next_day())
    assert (caught.value.rule, caught.value.value) == ("payment.fully_paid", 15000)


def test_a_rebuild_closes_only_after_the_old_house_is_demolished() -> None:
    driver = at(Stage.ACCEPTED, RenovationMode.REBUILD_IN_PLACE)
    request(driver)
    driver.case.disburse_payment("BF-1", "PZ-1", FINANCE, driver.next_day())
    with pytest.raises(CloseoutIncompleteError) as caught:
        driver.case.close(COUNTY_CLERK, driver.next_day())
    assert caught.value.rule == "demolition.before_closing"
    driver.case.record_demolition(PHOTO, TOWNSHIP_OFFICER, driver.next_day())
    driver.case.close(COUNTY_CLERK, driver.next_day())
    assert driver.case.stage is Stage.CLOSED and driver.case.total_paid == 18500


def test_a_case_is_withdrawn_only_before_money_was_paid() -> None:
    driver = at(Stage.ACCEPTED)
    request(driver)
    driver.case.disburse_payment("BF-1", "PZ-1", FINANCE, driver.next_day())
    with pytest.raises(ProcedureOrderError) as caught:
        driver.case.withdraw("不想改了", (), TOWNSHIP_OFFICER, driver.next_day())
    assert caught.value.rule == "withdrawal.before_payment"
    early = new_case("X-2")
    early.withdraw("外出务工，暂不改造", (), TOWNSHIP_OFFICER, early.submitted_on)
    assert early.stage is Stage.WITHDRAWN


APPROVING_OFFICER = StaffRef(id="county-chief", role=Role.COUNTY_OFFICER)


def test_a_correction_is_approved_by_a_second_officer() -> None:
    case = new_case()
    own = StaffRef(id=COUNTY_CLERK.id, role=Role.COUNTY_OFFICER)
    with pytest.raises(MakerCheckerError) as caught:
        case.correct("household.size", 4, "户口簿核实", own, COUNTY_CLERK, case.submitted_on)
    assert caught.value.rule == "correction.second_person"
    clerk = StaffRef(id="village-x", role=Role.VILLAGE_CLERK)
    with pytest.raises(MakerCheckerError):
        case.correct("household.size", 4, "户口簿核实", clerk, COUNTY_CLERK, case.submitted_on)


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("household.income", 1, "correction.field_known"),
        ("household.size", "four", "correction.value_type"),
        ("household.size", 3, "correction.changes_something"),
    ],
)
def test_a_correction_names_a_known_field_and_a_new_valid_value(
    field: str, value: object, rule: str
) -> None:
    case = new_case()
    with pytest.raises(CorrectionError) as caught:
        case.correct(field, value, "核实", APPROVING_OFFICER, COUNTY_CLERK, case.submitted_on)
    assert caught.value.rule == rule


def test_a_correction_records_old_and_new_and_survives_replay() -> None:
    case = new_case()
    case.correct(
        "household.size", 4, "户口簿核实为4人", APPROVING_OFFICER, COUNTY_CLERK, case.submitted_on
    )
    event = case.pending_events[-1]
    assert (event.field, event.old, event.new) == ("household.size", 3, 4)
    replayed = replay(case)
    assert replayed.household.size == 4 == case.household.size


def replay(case: RenovationCase) -> RenovationCase:
    aggregate = None
    for event in case.pending_events:
        aggregate = event.mutate(aggregate)
    assert isinstance(aggregate, RenovationCase)
    return aggregate
