"""The HTTP API: the CLI's commands and answers, authenticated, authorised by role × area."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from renovation.application.directory import NewMember, Principal
from renovation.bootstrap import Runtime
from renovation.kernel.vocabulary import Role
from renovation.simulation.demo import SimulatedClock
from tests.support.api import api_client, body, token
from tests.support.app import Scenario

CASE = "450321-2022-0001"


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    scenario = Scenario(runtime, clock)
    scenario.drive(scenario.plan(CASE, stop_after="township_approved"))
    return scenario


@pytest.fixture
def client(scenario: Scenario) -> Iterator[TestClient]:
    with api_client(scenario.rt) as client:
        yield client


def test_nothing_is_answered_without_credentials(client: TestClient) -> None:
    for path in ("/api/reports/progress", "/api/cases", "/api/findings", "/api/me"):
        response = client.get(path)
        assert response.status_code == 401, path
        assert body(response)["rule"] == "auth.required"
    response = client.get("/api/cases", headers={"Authorization": "Bearer rnv_nonsense"})
    assert (response.status_code, body(response)["rule"]) == (401, "auth.token_malformed")


def test_a_manager_reads_the_reports_of_their_area_only(
    client: TestClient, scenario: Scenario,
) -> None:
    auth = token(scenario.rt, "pm-4503")
    answer = body(client.get("/api/reports/progress", headers=auth))
    assert answer["within"] == "450300000000"
    assert answer["total"]["funnel"]["applied"] == 1
    outside = client.get("/api/reports/progress?within=640000000000", headers=auth)
    assert (outside.status_code, body(outside)["rule"]) == (403, "authorization.jurisdiction")
    bad = client.get("/api/reports/progress?within=4503", headers=auth)
    assert bad.status_code == 422 and body(bad)["field"] == "within"


def test_a_command_is_applied_once_and_the_case_list_shows_it_at_once(
    client: TestClient, scenario: Scenario,
) -> None:
    auth = token(scenario.rt, "pm-4503")
    [apply] = scenario.commands(scenario.plan("450321-2022-0002", stop_after="applied"))
    first = body(client.post("/api/commands", json=apply, headers=auth))
    assert (first["events"], first["duplicate"]) == (["ApplicationSubmitted"], False)
    again = body(client.post("/api/commands", json=apply, headers=auth))
    assert again["duplicate"] is True and again["version"] == first["version"]
    listed = body(client.get("/api/cases?limit=1", headers=auth))
    assert (listed["total"], [c["case_ref"] for c in listed["cases"]]) == (2, [CASE])
    following = body(client.get(f"/api/cases?limit=1&after={listed['next']}", headers=auth))
    assert [c["case_ref"] for c in following["cases"]] == ["450321-2022-0002"]
    assert following["next"] is None


def test_refusals_carry_rule_field_and_a_masked_value_with_their_status(
    client: TestClient, scenario: Scenario,
) -> None:
    auth = token(scenario.rt, "pm-4503")
    [apply] = scenario.commands(scenario.plan("450321-2022-0003", stop_after="applied"))
    number = apply["payload"]["household"]["head"]["id_number"]
    apply["payload"]["household"]["head"]["id_number"] = number[:-1] + (
        "0" if number[-1] != "0" else "1")
    wrong = client.post("/api/commands", json=apply, headers=auth)
    error = body(wrong)
    assert wrong.status_code == 422 and error["rule"] == "identity.id_number.check_digit"
    assert number[6:14] not in wrong.text
    apply["payload"]["household"]["head"]["id_number"] = number
    apply["actor"] = {"id": "nobody-1", "role": "village_clerk"}
    unknown = client.post("/api/commands", json=apply, headers=auth)
    assert (unknown.status_code, body(unknown)["rule"]) == (422, "actor.unknown")
    apply["actor"] = {"id": "vc-450321100201", "role": "village_clerk", "extra": 1}
    extra = client.post("/api/commands", json=apply, headers=auth)
    assert (extra.status_code, body(extra)["field"]) == (422, "actor.extra")
    closing = scenario.command("close_case", CASE, "county_clerk", date(2022, 3, 2), {})
    early = client.post("/api/commands", json=closing, headers=auth)
    assert (early.status_code, body(early)["rule"]) == (409, "procedure.closing")
    missing = client.post("/api/commands", headers=auth, json={
        **closing, "case_ref": "450321-2022-9999", "command_id": "x-1"})
    assert (missing.status_code, body(missing)["rule"]) == (404, "case.exists")


def test_a_body_over_a_megabyte_is_refused_before_it_is_read(
    client: TestClient, scenario: Scenario,
) -> None:
    response = client.post("/api/commands", content=b"{" + b" " * (1 << 20) + b"}",
                           headers={**token(scenario.rt, "pm-4503"),
                                    "content-type": "application/json"})
    assert (response.status_code, body(response)["rule"]) == (413, "input.body_too_large")


def test_a_session_cookie_needs_the_csrf_token_to_change_anything(
    client: TestClient, scenario: Scenario,
) -> None:
    scenario.rt.staff.set_password(Principal.local("ops"), "pm-4503", "a good password 1")
    signed = client.post("/api/session", json={"staff_id": "PM-4503",
                                               "password": "a good password 1"})
    assert signed.status_code == 200 and "httponly" in signed.headers["set-cookie"].lower()
    csrf = body(signed)["csrf_token"]
    assert body(client.get("/api/me"))["staff_id"] == "pm-4503"
    [apply] = scenario.commands(scenario.plan("450321-2022-0004", stop_after="applied"))
    forged = client.post("/api/commands", json=apply)
    assert (forged.status_code, body(forged)["rule"]) == (403, "auth.csrf")
    done = client.post("/api/commands", json=apply, headers={"X-CSRF-Token": csrf})
    assert done.status_code == 200
    assert client.delete("/api/session", headers={"X-CSRF-Token": csrf}).status_code == 200
    assert client.get("/api/me").status_code == 401
    wrong = client.post("/api/session", json={"staff_id": "pm-4503", "password": "nope nope!"})
    assert (wrong.status_code, body(wrong)["rule"]) == (401, "auth.invalid_credentials")
    assert "nope nope!" not in wrong.text


@pytest.mark.parametrize(("staff_id", "path", "status"), [
    ("feed-45", "/api/reports/progress", 403),     # an integrator reads the feed only
    ("admin-4503", "/api/cases", 403),             # administrators read no case data
    ("admin-4503", "/api/staff", 200),
    ("pm-4503", "/api/staff", 403),
    ("dj-4503", "/api/findings", 200),
    ("vc-450321100201", "/api/findings", 403),
    ("vc-450321100201", "/api/cases", 200),
    ("vc-450321100201", "/api/cases?within=450321100202", 403),
    ("dj-450323", "/api/cases?within=450321000000", 403),
])
def test_each_role_reads_what_it_may_where_it_may(
    client: TestClient, scenario: Scenario, staff_id: str, path: str, status: int,
) -> None:
    if staff_id == "feed-45":
        scenario.rt.staff.register(Principal.local("ops"), NewMember(
            "feed-45", "自治区平台", Role.INTEGRATOR, "450000000000", date(2022, 1, 1)))
    response = client.get(path, headers=token(scenario.rt, staff_id))
    assert response.status_code == status, response.text


def test_a_clerks_case_list_is_their_village_and_a_history_read_is_recorded(
    client: TestClient, scenario: Scenario,
) -> None:
    clerk = token(scenario.rt, "vc-450321100201")
    assert body(client.get("/api/cases", headers=clerk))["total"] == 1
    inspector = token(scenario.rt, "dj-4503")
    history = body(client.get(f"/api/cases/{CASE}/history?reason=线索核查", headers=inspector))
    assert history["case_ref"] == CASE and history["events"]
    log = body(client.get(f"/api/cases/{CASE}/access-log", headers=inspector))
    assert [(e["action"], e["actor"]["id"], e["reason"]) for e in log] == [
        ("history_viewed", "dj-4503", "线索核查")]
