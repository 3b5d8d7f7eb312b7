"""The event feed: published events in the log's order, from a saved position, for the
integrator's area only, without personal data; bad cursors, limits and types refused by rule."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from renovation.application.directory import NewMember, Principal
from renovation.kernel.vocabulary import Role
from renovation.stream.feed import Feed
from tests.support.api import api_client, token
from tests.support.app import Scenario

LINGCHUAN_VILLAGE = "450323101201"
HOUSEHOLDS: list[dict[str, Any]] = []


@pytest.fixture
def scenario(runtime: Any, clock: Any) -> Scenario:
    scenario = Scenario(runtime, clock)
    scenario.staff(LINGCHUAN_VILLAGE)
    plans = [scenario.plan("450321-2022-0001", stop_after="closed"),
             scenario.plan("450323-2022-0001", stop_after="county_approved",
                           village=LINGCHUAN_VILLAGE)]
    for plan in plans:
        scenario.drive(plan)
    HOUSEHOLDS[:] = [plan.household for plan in plans]
    for staff_id, area in (("int-4503", "450300000000"), ("int-450323", "450323000000")):
        scenario.rt.staff.register(Principal.local(), NewMember(
            staff_id, "省平台接口", Role.INTEGRATOR, area, valid_from=date(2022, 1, 1)))
    return scenario


@pytest.fixture
def client(scenario: Scenario) -> Iterator[TestClient]:
    with api_client(scenario.rt) as client:
        yield client


def everything(feed: Feed, limit: int, **filters: Any) -> list[dict[str, Any]]:
    events, after = [], 0
    while True:
        page = feed.page(after, limit, **filters)
        events += page["events"]
        if page["next"] == after:
            return events
        after = page["next"]


def test_pages_read_from_saved_positions_give_every_event_once_in_order(
        scenario: Scenario) -> None:
    feed = Feed(scenario.rt.app)
    whole = feed.page(0, 1000)["events"]
    in_pages = everything(feed, 7)
    assert in_pages == whole
    positions = [e["position"] for e in whole]
    assert positions == sorted(set(positions))
    assert {"case.application_submitted", "case.county_approval_granted",
            "case.payment_disbursed", "programme.opened"} <= {e["type"] for e in whole}
    assert not any(e["type"].startswith(("staff", "token", "access")) for e in whole)
    assert len({e["id"] for e in whole}) == len(whole)


def test_a_cursor_at_the_head_gives_an_empty_page_not_an_error(scenario: Scenario) -> None:
    feed = Feed(scenario.rt.app)
    head = scenario.rt.app.recorder.max_notification_id()
    assert feed.page(head + 1000, 10) == {"events": [], "next": head + 1000}


def test_an_event_names_its_case_county_actor_and_recorder(scenario: Scenario) -> None:
    approvals = Feed(scenario.rt.app).page(0, 100, ["case.county_approval_granted"])["events"]
    lingchuan = next(e for e in approvals if e["case_ref"] == "450323-2022-0001")
    assert lingchuan["county"] == "450323000000" and lingchuan["schema_version"] >= 1
    assert lingchuan["actor"]["role"] == "county_officer" and lingchuan["recorded_by"] == "pm-4503"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", lingchuan["occurred_on"])


def test_no_personal_data_leaves_in_a_published_event(scenario: Scenario) -> None:
    published = repr(Feed(scenario.rt.app).page(0, 1000)["events"])
    assert not re.search(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])", published)  # ID numbers
    assert not re.search(r"(?<![0-9a-f])1[3-9][0-9]{9}(?![0-9])", published)  # mobile phones
    assert "'sealed'" not in published and "ciphertext" not in published
    people = [p for h in HOUSEHOLDS for p in (h["head"], *h.get("members", ()))]
    assert people and all(p["name"] not in published and p["id_number"] not in published
                          for p in people)
    numbers = [h[key] if key == "phone" else h[key]["number"] for h in HOUSEHOLDS
               for key in ("phone", "account") if h.get(key)]
    assert numbers and all(number not in published for number in numbers)


def test_an_integrator_reads_only_its_area_over_http(client: TestClient,
                                                     scenario: Scenario) -> None:
    county = client.get("/events?limit=1000", headers=token(scenario.rt, "int-450323"))
    assert county.status_code == 200, county.text
    refs = {e["case_ref"] for e in county.json()["events"]} - {None}
    assert refs == {"450323-2022-0001"}
    city = client.get("/events?limit=1000", headers=token(scenario.rt, "int-4503")).json()
    assert {e["case_ref"] for e in city["events"]} - {None} == {"450321-2022-0001",
                                                                 "450323-2022-0001"}


@pytest.mark.parametrize(("query", "rule"), [
    ("after=-1", "input.greater_than_equal"), ("after=x", "input.int_parsing"),
    ("limit=5000", "input.less_than_equal"), ("types=case.nonsense", "feed.type_known"),
])
def test_bad_cursors_limits_and_types_are_refused_by_rule(
        client: TestClient, scenario: Scenario, query: str, rule: str) -> None:
    answer = client.get(f"/events?{query}", headers=token(scenario.rt, "int-4503"))
    assert answer.status_code == 422 and answer.json()["rule"] == rule


def test_only_integrators_and_tokens_read_the_feed(client: TestClient,
                                                   scenario: Scenario) -> None:
    assert client.get("/events").status_code == 401
    assert client.get("/events", headers=token(scenario.rt, "pm-4503")).status_code == 403
    outside = client.get("/events?within=450321000000", headers=token(scenario.rt, "int-450323"))
    assert outside.status_code == 403
