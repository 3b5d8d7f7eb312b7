"""A whole case through the application service, on SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlite3
from urllib.parse import urlsplit

import psycopg
import pytest

from renovation.application.views import case_summary
from renovation.bootstrap import Runtime
from renovation.kernel.vocabulary import Stage
from renovation.simulation.demo import SimulatedClock
from tests.support.app import Scenario


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    return Scenario(runtime, clock)


def stored_states(rt: Runtime) -> list[tuple[str, bytes]]:
    parts = urlsplit(rt.settings.db)
    if parts.scheme == "sqlite":
        with sqlite3.connect(parts.path[1:]) as conn:
            return list(conn.execute("SELECT topic, state FROM stored_events ORDER BY rowid"))
    schema = rt.settings.keystore_schema()
    with psycopg.connect(rt.settings.keystore_url()) as conn:
        return [
            (t, bytes(s))
            for t, s in conn.execute(
                f"SELECT topic, state FROM {schema}.renovation_events ORDER BY notification_id"
            )
        ]


def test_a_case_goes_from_application_to_closed_archive(scenario: Scenario) -> None:
    outcomes = scenario.drive(scenario.plan("450321-2022-0001"))
    assert [o.version for o in outcomes] == list(range(1, len(outcomes) + 1))
    assert outcomes[-1].stage == Stage.CLOSED.value
    case = scenario.rt.service.load_case("450321-2022-0001")
    summary = case_summary(case)
    assert summary["paid_yuan"] == summary["subsidy_yuan"] == 18500
    assert summary["policy"] == "guilin-2022@3"


def test_no_personal_data_is_stored_in_plaintext(scenario: Scenario) -> None:
    plan = scenario.plan("450321-2022-0001", stop_after="accepted")
    scenario.drive(plan)
    household = plan.household
    secrets = [
        household["head"]["name"],
        household["head"]["id_number"],
        household["phone"],
        household["account"]["number"],
    ]
    secrets += [m["id_number"] for m in household["members"]] + [
        m["name"] for m in household["members"]
    ]
    stored = b"".join(state for _, state in stored_states(scenario.rt)).decode()
    for secret in secrets:
        assert secret not in stored


def test_the_reader_reveals_sealed_values_to_whoever_holds_the_key(scenario: Scenario) -> None:
    plan = scenario.plan("450321-2022-0001", stop_after="applied")
    scenario.drive(plan)
    head = scenario.rt.service.load_case("450321-2022-0001").household.head
    assert (
        scenario.rt.reader.reveal(head.id_number, "person.id_number")
        == plan.household["head"]["id_number"]
    )
    assert scenario.rt.reader.reveal(head.name, "person.name") == plan.household["head"]["name"]


def test_every_stored_event_of_a_case_carries_actor_and_both_clocks(scenario: Scenario) -> None:
    scenario.drive(scenario.plan("450321-2022-0001"))
    events = list(scenario.rt.app.events.get(scenario.rt.service.load_case("450321-2022-0001").id))
    for event in events:
        assert event.actor.role and event.actor.jurisdiction
        assert event.actor.recorded_by == scenario.manager.staff_id  # who entered it
        assert event.timestamp.date() >= event.occurred_on  # recorded no earlier than it happened
    assert len(events) == 21


def test_destroying_a_households_key_erases_its_data_but_not_its_history(
    scenario: Scenario,
) -> None:
    scenario.drive(scenario.plan("450321-2022-0001", stop_after="county_approved"))
    case = scenario.rt.service.load_case("450321-2022-0001")
    scenario.rt.keystore.destroy(case.household.ref, "retention period ended")
    assert scenario.rt.reader.reveal(case.household.head.name, "person.name") is None
    again = scenario.rt.service.load_case("450321-2022-0001")
    assert again.version == case.version and again.stage is Stage.COUNTY_APPROVED
    assert case_summary(again)["head"]["id_number"].startswith("450321")
