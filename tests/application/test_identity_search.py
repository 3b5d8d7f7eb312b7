"""An inspector with a tip-off finds a household by exact ID number or full name: matched by
blind index inside their area, and the search is recorded on each case it finds — never the
number or the name searched for."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from renovation.aggregates.access import access_log_id
from renovation.bootstrap import Runtime
from renovation.kernel.errors import RuleViolation
from renovation.projections import open_database
from renovation.projections.queries.identities import ReadModelIdentities
from renovation.simulation.demo import SimulatedClock
from tests.support.api import api_client, body, catch_up, token
from tests.support.app import Scenario
from tests.support.raw_store import RawStore

CASE = "450321-2022-0001"


@pytest.fixture
def applied(runtime: Runtime, clock: SimulatedClock) -> tuple[Scenario, dict[str, str]]:
    """A scenario with one application filed, and its head of household as entered."""
    scenario = Scenario(runtime, clock)
    plan = scenario.plan(CASE, stop_after="applied")
    scenario.drive(plan)
    return scenario, plan.household["head"]


@pytest.fixture
def scenario(applied: tuple[Scenario, dict[str, str]]) -> Scenario:
    return applied[0]


@pytest.fixture
def person(applied: tuple[Scenario, dict[str, str]]) -> dict[str, str]:
    return applied[1]


@pytest.fixture
def client(scenario: Scenario) -> Iterator[TestClient]:
    with api_client(scenario.rt) as client:
        yield client


def test_an_inspector_finds_the_household_by_id_number_or_by_full_name(
    scenario: Scenario, client: TestClient, person: dict[str, str],
) -> None:
    inspector = token(scenario.rt, "dj-4503")
    for search in ({"id_number": person["id_number"]}, {"full_name": person["name"]}):
        found = body(client.post("/api/cases/search", headers=inspector,
                                 json={**search, "reason": "群众举报线索核查"}))
        assert found == [{"case_ref": CASE, "village": "450321100201"}], search
    log = body(client.get(f"/api/cases/{CASE}/access-log", headers=inspector))
    assert [(e["action"], e["fields"], e["reason"]) for e in log] == [
        ("found_by_identity", ["id_number"], "群众举报线索核查"),
        ("found_by_identity", ["name"], "群众举报线索核查")]
    stored = b"".join(bytes(r[0]) for r in RawStore(scenario.rt.settings.db).run(
        "SELECT state FROM {events} WHERE originator_id = ?",
        RawStore(scenario.rt.settings.db).uuid(access_log_id(CASE))))
    assert person["id_number"].encode() not in stored
    assert person["name"].encode() not in stored


def test_nobody_outside_the_area_or_the_role_finds_it(
    scenario: Scenario, client: TestClient, person: dict[str, str],
) -> None:
    elsewhere = body(client.post("/api/cases/search", headers=token(scenario.rt, "dj-450323"),
                                 json={"id_number": person["id_number"], "reason": "核查"}))
    assert elsewhere == []
    clerk = client.post("/api/cases/search", headers=token(scenario.rt, "vc-450321100201"),
                        json={"id_number": person["id_number"], "reason": "核查"})
    assert (clerk.status_code, body(clerk)["rule"]) == (403, "authorization.role_action")


def test_a_search_needs_one_valid_identity_and_a_reason_and_echoes_neither(
    scenario: Scenario, person: dict[str, str],
) -> None:
    views = open_database(scenario.rt.settings.views_url())
    index = ReadModelIdentities(views)
    me = scenario.principal("dj-4503")
    try:
        for reason, number, name, rule in (
            (None, person["id_number"], None, "access.reason_required"),
            ("核查", None, None, "search.one_identity"),
            ("核查", person["id_number"], person["name"], "search.one_identity"),
            ("核查", person["id_number"][:-1] + "X", None, "identity.id_number.check_digit"),
        ):
            with pytest.raises(RuleViolation) as caught:
                scenario.rt.inspection.find(me, index, reason, number, name)
            assert caught.value.rule == rule
            assert person["id_number"] not in str(caught.value)
    finally:
        views.dispose()


def test_the_page_search_shows_what_was_found(
    scenario: Scenario, client: TestClient, person: dict[str, str],
) -> None:
    from renovation.application.directory import Principal

    scenario.rt.staff.set_password(Principal.local("ops"), "dj-4503", "a good password 1")
    client.post("/login", data={"staff_id": "dj-4503", "password": "a good password 1"})
    page = client.get("/cases").text
    assert "按" in page and "查找理由" in page
    csrf = page.split('name="csrf_token" value="')[1][:64]
    catch_up(client)
    found = client.post("/cases/search", data={
        "csrf_token": csrf, "by": "full_name", "value": person["name"],
        "reason": "举报核查"})
    assert found.status_code == 200 and f'href="/cases/{CASE}"' in found.text
