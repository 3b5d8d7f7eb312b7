"""Several commands in one write; programmes opened and planned by their managers."""

from __future__ import annotations

from datetime import date

import pytest

from renovation.aggregates.programme import Allocation, AllocationError
from renovation.application.directory import NewMember, Principal
from renovation.application.outcome import CommandOutcome
from renovation.application.programmes import ProgrammeExistsError
from renovation.bootstrap import Runtime
from renovation.kernel.errors import NotAuthorizedError, RuleViolation
from renovation.kernel.vocabulary import Role
from renovation.simulation.clock import SimulatedClock
from tests.support.app import Scenario


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    return Scenario(runtime, clock)


def member(scenario: Scenario, staff_id: str, role: Role, jurisdiction: str) -> Principal:
    """Register one more member of staff and act as them."""
    scenario.rt.staff.register(Principal.local(), NewMember(
        staff_id, "张伟", role, jurisdiction, valid_from=date(2022, 1, 1)))
    return scenario.principal(staff_id)


def test_a_batch_applies_its_good_commands_and_reports_the_refused_one(scenario: Scenario) -> None:
    good = scenario.commands(scenario.plan("450321-2022-0001", stop_after="township_approved"))
    bad = {**good[3], "command_id": "bad-1", "payload": {**good[3]["payload"], "votes": {}}}
    scenario.clock.business_day(date(2022, 12, 31))
    results = scenario.run_many([*good[:3], bad, *good[3:]])
    assert isinstance(results[3], RuleViolation) and results[3].field.startswith("payload.votes")
    outcomes = [r for r in results if isinstance(r, CommandOutcome)]
    assert [o.version for o in outcomes] == list(range(1, len(good) + 1))
    assert len({o.position for o in outcomes}) == 1  # one atomic write
    case = scenario.rt.service.load_case("450321-2022-0001")
    assert case.version == len(good)


def test_a_command_repeated_within_a_batch_applies_once(scenario: Scenario) -> None:
    first = scenario.commands(scenario.plan("450321-2022-0001", stop_after="applied"))[0]
    scenario.clock.business_day(date(2022, 12, 31))
    one, two = scenario.run_many([first, first])
    assert isinstance(one, CommandOutcome) and isinstance(two, CommandOutcome)
    assert (one.duplicate, two.duplicate, two.version) == (False, True, 1)


def test_a_batch_that_collides_falls_back_to_one_by_one(scenario: Scenario) -> None:
    commands = scenario.commands(scenario.plan("450321-2022-0001", stop_after="closed"))
    progress = next(i for i, c in enumerate(commands) if c["type"] == "report_progress")
    for command in commands[: progress + 1]:
        scenario.run(command)
    # Reporting progress again breaks no rule, so only the store's key on its record stops it.
    repeat_and_next = [commands[progress], commands[progress + 1]]
    scenario.clock.business_day(date(2022, 12, 31))
    again, following = scenario.run_many(repeat_and_next)
    assert isinstance(again, CommandOutcome) and again.duplicate
    assert isinstance(following, CommandOutcome) and not following.duplicate
    assert scenario.rt.service.load_case("450321-2022-0001").version == progress + 2


def test_a_programme_opens_once_per_policy(scenario: Scenario) -> None:
    programmes = scenario.rt.programmes
    again = programmes.open(scenario.manager, "guilin-2022", "guilin-2022", date(2022, 2, 2))
    assert again.version == 1
    ningxia = member(scenario, "pm-64", Role.PROGRAMME_MANAGER, "640000000000")
    with pytest.raises(ProgrammeExistsError):
        programmes.open(ningxia, "guilin-2022", "ningxia-2021", date(2022, 2, 2))


def test_only_a_programme_manager_covering_the_jurisdiction_opens_a_programme(
    scenario: Scenario,
) -> None:
    county = scenario.principal("ap-450321")  # a county officer of 450321000000
    with pytest.raises(NotAuthorizedError):
        scenario.rt.programmes.open(county, "guilin-2024", "guilin-2022", date(2022, 2, 2))
    other_city = member(scenario, "pm-4501", Role.PROGRAMME_MANAGER, "450100000000")
    with pytest.raises(RuleViolation) as caught:
        scenario.rt.programmes.open(other_city, "guilin-2024", "guilin-2022", date(2022, 2, 2))
    assert caught.value.rule == "authorization.jurisdiction"


def row(code: str, households: int) -> Allocation:
    return Allocation(
        jurisdiction=code,
        name="县",
        rural_revitalization_households=households,
        civil_affairs_households=0,
        central_funds_yuan=0,
        work_funds_yuan=0,
    )


def test_plan_rows_are_recorded_when_they_change_and_only_inside_the_programme(
    scenario: Scenario,
) -> None:
    service, manager, on = scenario.rt.programmes, scenario.manager, date(2022, 2, 3)
    assert service.allocate(manager, "guilin-2022", [row("450321000000", 44)], on) == 1
    assert service.allocate(manager, "guilin-2022", [row("450321000000", 44)], on) == 0
    assert service.allocate(manager, "guilin-2022", [row("450321000000", 45)], on) == 1
    with pytest.raises(AllocationError) as caught:
        service.allocate(manager, "guilin-2022", [row("640104000000", 1)], on)
    assert caught.value.rule == "programme.allocation_within_jurisdiction"


def test_a_case_cannot_be_filed_under_a_programme_never_opened(scenario: Scenario) -> None:
    plan = scenario.plan("450321-2023-0001", stop_after="applied", programme_id="guilin-2023")
    with pytest.raises(RuleViolation) as caught:
        scenario.drive(plan)
    assert (caught.value.rule, caught.value.value) == ("programme.known", "guilin-2023")
