"""Bad input is refused with the rule, the field and the value named — and nothing is written."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from renovation.bootstrap import Runtime
from renovation.kernel.errors import InvalidInputError, RuleViolation
from renovation.simulation.demo import SimulatedClock
from tests.support.app import Scenario, store_fingerprint


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    scenario = Scenario(runtime, clock)
    # One case already recorded, so "unchanged" means more than "still empty".
    scenario.drive(scenario.plan("450321-2022-0001", stop_after="accepted"))
    return scenario


def refused(scenario: Scenario, command: dict[str, Any]) -> RuleViolation:
    before = store_fingerprint(scenario.rt)
    with pytest.raises(RuleViolation) as caught:
        scenario.run(command)
    assert store_fingerprint(scenario.rt) == before, "a refused command changed the store"
    return caught.value


def application(scenario: Scenario) -> dict[str, Any]:
    plan = scenario.plan("450321-2022-0099", stop_after="applied")
    return copy.deepcopy(scenario.commands(plan)[0])


def payment(scenario: Scenario, amounts: dict[str, Any]) -> dict[str, Any]:
    return scenario.command(
        "request_payment",
        "450321-2022-0001",
        "county_clerk",
        date(2022, 12, 20),
        {
            "request_no": "BF-X",
            "tranche": "final",
            "amounts": {"by_source": amounts},
            "channel": "one_card",
        },
    )


def test_an_invalid_id_number_is_refused_and_not_echoed(scenario: Scenario) -> None:
    command = application(scenario)
    number = command["payload"]["household"]["head"]["id_number"]
    command["payload"]["household"]["head"]["id_number"] = number[:-1] + (
        "0" if number[-1] != "0" else "1"
    )
    error = refused(scenario, command)
    assert (error.rule, error.field) == (
        "identity.id_number.check_digit",
        "payload.household.head.id_number",
    )
    assert number[:-1] not in str(error)


def test_an_unknown_category_is_refused(scenario: Scenario) -> None:
    command = application(scenario)
    command["payload"]["category"] = "wealthy"
    error = refused(scenario, command)
    assert isinstance(error, InvalidInputError)
    assert (error.rule, error.field, error.value) == ("input.enum", "payload.category", "wealthy")


@pytest.mark.parametrize(
    ("amount", "rule"),
    [(-100, "input.greater_than_equal"), (100.5, "input.int_type"), ("100", "input.int_type")],
)
def test_a_negative_or_fractional_amount_is_refused(
    scenario: Scenario, amount: object, rule: str
) -> None:
    error = refused(scenario, payment(scenario, {"central_regional": amount}))
    assert (error.rule, error.field, error.value) == (
        rule,
        "payload.amounts.by_source.central_regional",
        amount,
    )


def test_a_date_before_the_act_it_depends_on_is_refused(scenario: Scenario) -> None:
    command = payment(scenario, {"central_regional": 15000})
    command["occurred_on"] = "2022-03-02"  # long before the county acceptance
    error = refused(scenario, command)
    assert (error.rule, error.field, error.value) == (
        "dates.procedural_order",
        "occurred_on",
        "2022-03-02",
    )


def test_a_date_in_the_future_is_refused(scenario: Scenario) -> None:
    command = payment(scenario, {"central_regional": 15000})
    scenario.clock.business_day(date(2022, 12, 1))
    with pytest.raises(RuleViolation) as caught:  # dated 2022-12-20, recorded on 2022-12-01
        scenario.rt.service.execute(command, scenario.manager)
    assert caught.value.rule == "dates.not_in_future"


def test_an_impossible_date_is_refused(scenario: Scenario) -> None:
    command = payment(scenario, {"central_regional": 15000})
    command["occurred_on"] = "2022-02-30"
    before = store_fingerprint(scenario.rt)
    with pytest.raises(InvalidInputError) as caught:
        scenario.rt.service.execute(command, scenario.manager)
    assert (caught.value.field, caught.value.value) == ("occurred_on", "2022-02-30")
    assert store_fingerprint(scenario.rt) == before


def test_an_unknown_field_is_refused(scenario: Scenario) -> None:
    command = payment(scenario, {"central_regional": 15000})
    command["payload"]["bonus"] = 1
    error = refused(scenario, command)
    assert (error.rule, error.field) == ("input.extra_forbidden", "payload.bonus")


def test_an_unknown_command_type_is_refused(scenario: Scenario) -> None:
    command = {**payment(scenario, {"central_regional": 1}), "type": "pay_everyone"}
    error = refused(scenario, command)
    assert (error.rule, error.field, error.value) == (
        "input.union_tag_invalid",
        "type",
        "pay_everyone",
    )


def test_a_payment_above_the_approved_amount_is_refused(scenario: Scenario) -> None:
    error = refused(scenario, payment(scenario, {"central_regional": 15001}))
    assert (error.rule, error.field, error.value) == (
        "payment.within_approved",
        "amounts.central_regional",
        15001,
    )


def test_a_command_on_an_unknown_case_is_refused(scenario: Scenario) -> None:
    command = {**payment(scenario, {"central_regional": 1}), "case_ref": "450321-2022-9999"}
    error = refused(scenario, command)
    assert (error.rule, error.field, error.value) == ("case.exists", "case_ref", "450321-2022-9999")


def test_an_unknown_programme_is_refused(scenario: Scenario) -> None:
    command = application(scenario)
    command["payload"]["programme_id"] = "guilin-2030"
    error = refused(scenario, command)
    assert (error.rule, error.value) == ("programme.known", "guilin-2030")
