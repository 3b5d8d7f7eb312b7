"""A batch of parsed new applications reads the store ahead (keys, which cases and claims exist)
and still decides each application exactly as it would alone."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from renovation.aggregates.case import case_id
from renovation.application.commands import parse_command
from renovation.application.outcome import CommandOutcome
from renovation.bootstrap import Runtime
from renovation.kernel.errors import RuleViolation
from renovation.simulation.demo import SimulatedClock
from tests.support.app import Scenario


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    return Scenario(runtime, clock)


def test_the_store_tells_which_aggregates_exist(scenario: Scenario) -> None:
    scenario.drive(scenario.plan("450321-2022-0001", stop_after="applied"))
    saved, unknown = case_id("450321-2022-0001"), uuid4()
    assert scenario.rt.app.stored_ids([saved, unknown]) == {saved}
    assert scenario.rt.app.stored_ids([]) == set()


def test_a_batch_of_applications_is_decided_as_each_alone_would_be(scenario: Scenario) -> None:
    returning, erased, twice = (scenario.household() for _ in range(3))
    scenario.drive(scenario.plan("450321-2022-0001", stop_after="applied", household=returning))
    scenario.run(scenario.command(
        "withdraw_case", "450321-2022-0001", "township", scenario.plan("x").applied_on,
        {"reason": "外出务工"},
    ))
    scenario.drive(scenario.plan("450321-2022-0002", stop_after="applied", household=erased))
    first_case = scenario.rt.service.load_case("450321-2022-0001")
    scenario.rt.keystore.destroy(
        scenario.rt.service.load_case("450321-2022-0002").household.ref, "retention period ended"
    )

    def application(case_ref: str, household: dict[str, object]) -> object:
        plan = scenario.plan(case_ref, stop_after="applied", household=household)
        return parse_command({**scenario.commands(plan)[0], "command_id": f"{case_ref}/batch"})

    batch = [
        application("450321-2022-0003", returning),  # its key is stored, its claim released
        application("450321-2022-0004", erased),
        application("450321-2022-0001", scenario.household()),  # a reference already used
        application("450321-2022-0005", twice),
        application("450321-2022-0006", twice),
        application("450321-2022-0007", scenario.household()),
    ]
    scenario.clock.business_day(date(2022, 12, 31))
    results = scenario.run_many(batch)  # type: ignore[arg-type]

    refused = {i: r.rule for i, r in enumerate(results) if isinstance(r, RuleViolation)}
    assert refused == {1: "identity.household_erased", 2: "case.ref_unique",
                       4: "household.one_case_per_programme"}
    assert all(isinstance(results[i], CommandOutcome) for i in (0, 3, 5))
    again = scenario.rt.service.load_case("450321-2022-0003")
    assert again.household.ref == first_case.household.ref
    head = again.household.head
    name = scenario.rt.reader.reveal(head.name, "person.name")
    assert name == returning["head"]["name"]  # type: ignore[index]
