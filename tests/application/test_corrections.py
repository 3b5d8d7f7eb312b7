"""Corrections through the service: personal values are sealed like the originals."""

from __future__ import annotations

from datetime import date

import pytest

from renovation.bootstrap import Runtime
from renovation.kernel.errors import InvalidInputError
from renovation.simulation.demo import SimulatedClock
from tests.support.app import Scenario

CASE = "450321-2022-0001"
APPROVED_BY = {"id": "ap-450321", "role": "county_officer"}


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    scenario = Scenario(runtime, clock)
    scenario.drive(scenario.plan(CASE, stop_after="applied"))
    return scenario


def correction(scenario: Scenario, field: str, new: object, n: str = "1") -> dict[str, object]:
    return scenario.command(
        "correct_data",
        CASE,
        "township",
        date(2022, 3, 5),
        {"field": field, "new": new, "reason": "户口簿核实", "approved_by": APPROVED_BY},
        n=n,
    )


def test_a_corrected_phone_is_sealed_masked_and_readable_by_the_key_holder(
    scenario: Scenario,
) -> None:
    scenario.run(correction(scenario, "household.phone", "13912345678"))
    case = scenario.rt.service.load_case(CASE)
    assert case.household.phone is not None
    assert case.household.phone.masked == "139****5678"
    assert scenario.rt.reader.reveal(case.household.phone, "household.phone") == "13912345678"
    [event] = [
        e for e in scenario.rt.app.events.get(case.id) if type(e).__name__ == "DataCorrected"
    ]
    assert "13912345678" not in repr(event.new) and "13912345678" not in repr(event.old)


def test_a_corrected_account_is_validated_before_it_is_sealed(scenario: Scenario) -> None:
    with pytest.raises(InvalidInputError) as caught:
        scenario.run(
            correction(
                scenario,
                "household.account",
                {"bank": "桂林银行", "kind": "card", "number": "6217000000000000001"},
            )
        )
    assert caught.value.rule == "identity.bank_account.luhn"


def test_a_corrected_household_size_is_applied(scenario: Scenario) -> None:
    before = scenario.rt.service.load_case(CASE).household.size
    scenario.run(correction(scenario, "household.size", before + 1))
    assert scenario.rt.service.load_case(CASE).household.size == before + 1
