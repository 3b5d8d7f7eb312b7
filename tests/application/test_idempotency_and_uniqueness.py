"""A command applies once; a household holds one open case per programme, even under races."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from renovation.aggregates.claim import DuplicateOpenCaseError
from renovation.application.handlers import CaseRefTakenError
from renovation.application.service import CommandIdReusedError
from renovation.bootstrap import Runtime
from renovation.kernel.errors import RuleViolation
from renovation.simulation.demo import SimulatedClock
from tests.support.app import Scenario, store_fingerprint


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    return Scenario(runtime, clock)


def test_the_same_command_twice_applies_once_and_answers_the_first_outcome(
    scenario: Scenario,
) -> None:
    first_commands = scenario.commands(
        scenario.plan("450321-2022-0001", stop_after="township_approved")
    )
    outcomes = [scenario.run(c) for c in first_commands]
    before = store_fingerprint(scenario.rt)
    again = scenario.run(first_commands[3])
    assert again.duplicate
    assert (again.case_id, again.version, again.events) == (
        outcomes[3].case_id,
        outcomes[3].version,
        outcomes[3].events,
    )
    assert store_fingerprint(scenario.rt) == before


def stored_keys(runtime: Runtime) -> int:
    keystore = runtime.keystore
    with keystore._engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(keystore._table))
                   .scalar_one())


@pytest.mark.parametrize("batched", [False, True], ids=["alone", "in a batch"])
def test_a_reused_command_id_for_a_new_household_stores_no_key(
        scenario: Scenario, batched: bool) -> None:
    scenario.run(scenario.commands(scenario.plan("450321-2022-0001", stop_after="applied"))[0])
    keys, before = stored_keys(scenario.rt), store_fingerprint(scenario.rt)
    other = scenario.commands(scenario.plan("450321-2022-0002", stop_after="applied"))[0]
    reused = {**other, "command_id": "450321-2022-0001/01"}
    if batched:
        [result] = scenario.rt.service.execute_many([reused], scenario.manager)
        results = scenario.rt.service.execute_many([reused, reused], scenario.manager)
        assert all(isinstance(r, CommandIdReusedError) for r in [result, *results])
    else:
        with pytest.raises(CommandIdReusedError):
            scenario.run(reused)
    assert stored_keys(scenario.rt) == keys, "a refused command stored a household key"
    assert store_fingerprint(scenario.rt) == before


def test_a_command_id_reused_for_different_content_is_refused(scenario: Scenario) -> None:
    commands = scenario.commands(scenario.plan("450321-2022-0001", stop_after="applied"))
    scenario.run(commands[0])
    altered = {**commands[0], "case_ref": "450321-2022-0002"}
    with pytest.raises(CommandIdReusedError) as caught:
        scenario.run(altered)
    assert (caught.value.rule, caught.value.field) == ("command.id_reused", "command_id")


def test_a_household_cannot_hold_two_open_cases_in_one_programme(scenario: Scenario) -> None:
    household = scenario.household()
    scenario.drive(scenario.plan("450321-2022-0001", stop_after="applied", household=household))
    before = store_fingerprint(scenario.rt)
    with pytest.raises(DuplicateOpenCaseError) as caught:
        scenario.drive(scenario.plan("450321-2022-0002", stop_after="applied", household=household))
    assert caught.value.rule == "household.one_case_per_programme"
    assert store_fingerprint(scenario.rt) == before


def test_after_a_withdrawal_the_household_may_apply_again(scenario: Scenario) -> None:
    household = scenario.household()
    scenario.drive(scenario.plan("450321-2022-0001", stop_after="applied", household=household))
    scenario.run(
        scenario.command(
            "withdraw_case",
            "450321-2022-0001",
            "township",
            scenario.plan("x").applied_on,
            {"reason": "外出务工"},
        )
    )
    outcomes = scenario.drive(
        scenario.plan("450321-2022-0002", stop_after="applied", household=household)
    )
    assert outcomes[-1].stage == "applied"


def test_a_case_reference_is_used_once(scenario: Scenario) -> None:
    scenario.drive(scenario.plan("450321-2022-0001", stop_after="applied"))
    other = scenario.commands(scenario.plan("450321-2022-0001", stop_after="applied"))[0]
    with pytest.raises(CaseRefTakenError):
        scenario.run({**other, "command_id": "another-id"})


def race(runtime: Runtime, jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run the jobs in threads that all reach their first save before any of them writes."""
    barrier = threading.Barrier(len(jobs), timeout=20)
    first_save = threading.local()
    save = runtime.app.save

    def held_save(*args: Any, **kwargs: Any) -> Any:
        if not getattr(first_save, "done", False):
            first_save.done = True
            barrier.wait()
        return save(*args, **kwargs)

    runtime.app.save = held_save  # type: ignore[method-assign]
    results: list[Any] = [None] * len(jobs)

    def work(i: int) -> None:
        try:
            results[i] = jobs[i]()
        except RuleViolation as error:
            results[i] = error

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_concurrent_applications_of_one_household_leave_exactly_one_case(
    scenario: Scenario,
) -> None:
    household = scenario.household()
    commands = [
        scenario.commands(
            scenario.plan(f"450321-2022-000{n}", stop_after="applied", household=household)
        )[0]
        for n in (1, 2)
    ]
    clock_day = scenario.plan("x").applied_on
    scenario.clock.business_day(clock_day)
    execute, manager = scenario.rt.service.execute, scenario.manager
    results = race(scenario.rt, [lambda c=c: execute(c, manager) for c in commands])
    refused = [r for r in results if isinstance(r, RuleViolation)]
    applied = [r for r in results if not isinstance(r, RuleViolation)]
    assert len(applied) == 1 and len(refused) == 1
    assert isinstance(refused[0], DuplicateOpenCaseError)


def test_the_same_command_sent_twice_at_once_is_applied_once(scenario: Scenario) -> None:
    command = scenario.commands(scenario.plan("450321-2022-0001", stop_after="applied"))[0]
    scenario.clock.business_day(scenario.plan("x").applied_on)
    execute, manager = scenario.rt.service.execute, scenario.manager
    results = race(scenario.rt, [lambda: execute(command, manager)] * 2)
    assert sorted(r.duplicate for r in results) == [False, True]
    assert len({r.case_id for r in results}) == 1
