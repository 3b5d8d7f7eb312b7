"""举报投诉 on the web: a tip-off lodged on the public page, without signing in, reaches the list
of its county's discipline inspectors and nobody else's; the hotline form, the hand-over and the
JSON API take the same path."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from renovation.application.directory import Principal
from renovation.bootstrap import Runtime
from renovation.simulation.demo import SimulatedClock
from tests.support.api import api_client, body, catch_up, token
from tests.support.app import Scenario, store_fingerprint
from tests.support.tipoffs import (
    CALLER,
    CLERK,
    DJ,
    OTHER_COUNTY_DJ,
    STATEMENT,
    VILLAGE,
    hotline_call,
    lodged,
    with_county_inspectors,
)

FORM = "/notices/tipoff"
PASSWORD = "a good password 1"


@pytest.fixture
def client(runtime: Runtime, clock: SimulatedClock) -> Iterator[TestClient]:
    Scenario(runtime, clock)
    with_county_inspectors(runtime)
    clock.business_day(date(2022, 6, 1))
    with api_client(runtime) as client:
        yield client


def form_token(client: TestClient) -> str:
    page = client.get(FORM)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def public_tipoff(client: TestClient, **changes: str) -> Any:
    data = {"csrf_token": form_token(client), "jurisdiction": VILLAGE,
            "subject": "favouring_relatives", "statement": STATEMENT, "contact": "", **changes}
    return client.post(FORM, data=data)


def receipt_in(response: Any) -> str:
    found = re.search(r"受理编号 (JB-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4})", response.text)
    assert found is not None, response.text
    return found.group(1)


def sign_in(client: TestClient, staff_id: str) -> None:
    client.cookies.clear()
    client.app.state.runtime.staff.set_password(  # type: ignore[attr-defined]
        Principal.local("ops"), staff_id, PASSWORD)
    answer = client.post("/login", data={"staff_id": staff_id, "password": PASSWORD},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text


def csrf(client: TestClient) -> str:
    page = client.get("/tipoffs/hotline")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def test_a_public_tip_off_reaches_its_countys_inspector_and_no_other(
        client: TestClient, runtime: Runtime) -> None:
    response = public_tipoff(client)
    assert response.status_code == 200, response.text
    receipt = receipt_in(response)
    (event,) = lodged(runtime)
    assert event.actor.id == "public" and event.contact is None

    sign_in(client, DJ)
    listed = client.get("/tipoffs")
    assert receipt in listed.text and "优亲厚友" in listed.text
    detail = client.get(f"/tipoffs/{receipt}")
    assert STATEMENT in detail.text and "匿名" in detail.text

    sign_in(client, OTHER_COUNTY_DJ)
    assert receipt not in client.get("/tipoffs").text
    assert client.get(f"/tipoffs/{receipt}").status_code == 404


def test_the_inspector_hands_it_over_from_the_page(client: TestClient) -> None:
    receipt = receipt_in(public_tipoff(client))
    sign_in(client, DJ)
    moved = client.post(f"/tipoffs/{receipt}/assignment",
                        data={"csrf_token": csrf(client), "to": DJ}, follow_redirects=False)
    assert moved.status_code == 303
    page = client.get(f"/tipoffs/{receipt}")
    assert "已移交" in page.text and "开始查处" in page.text
    refused = client.post(f"/tipoffs/{receipt}/assignment",
                          data={"csrf_token": csrf(client), "to": OTHER_COUNTY_DJ})
    assert refused.status_code == 409 and "被指派人无权办理该区域的举报" in refused.text


def test_a_post_without_the_form_token_is_refused_and_writes_nothing(
        client: TestClient, runtime: Runtime) -> None:
    form_token(client)
    before = store_fingerprint(runtime)
    response = client.post(FORM, data={"csrf_token": "forged", "jurisdiction": VILLAGE,
                                       "subject": "other", "statement": STATEMENT})
    assert response.status_code == 403 and "表单已过期" in response.text
    assert store_fingerprint(runtime) == before


def test_a_short_statement_is_refused_beside_its_field(client: TestClient,
                                                       runtime: Runtime) -> None:
    response = public_tipoff(client, statement="太短")
    assert response.status_code == 422
    assert '<span class="error" id="e-statement">请写明具体问题，至少 10 个字</span>' in (
        response.text)
    assert lodged(runtime) == []


def test_one_client_lodges_at_most_five_tip_offs_an_hour(client: TestClient,
                                                         runtime: Runtime) -> None:
    answers = [public_tipoff(client).status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]
    assert len(lodged(runtime)) == 5


def test_a_clerk_enters_a_hotline_call_and_cannot_read_the_list(
        client: TestClient, runtime: Runtime) -> None:
    sign_in(client, CLERK)
    data = {"csrf_token": csrf(client), **hotline_call(), "received_on": "2022-06-01"}
    response = client.post("/tipoffs/hotline", data=data)
    assert response.status_code == 200 and "已登记，受理编号 JB-" in response.text
    (event,) = lodged(runtime)
    assert event.actor.id == CLERK and event.contact is not None
    page = client.get("/tipoffs")
    assert "登记电话举报" in page.text and "JB-" not in page.text


def test_the_api_lists_tip_offs_for_the_county_only_and_shows_words_to_handlers(
        client: TestClient, runtime: Runtime) -> None:
    clerk = token(runtime, CLERK)
    entered = client.post("/api/tipoffs", headers=clerk, json=hotline_call())
    assert entered.status_code == 200, entered.text
    receipt = body(entered)["receipt"]
    catch_up(client)
    mine = body(client.get("/api/tipoffs", headers=token(runtime, DJ)))
    assert [t["receipt"] for t in mine["tipoffs"]] == [receipt]
    shown = body(client.get(f"/api/tipoffs/{receipt}", headers=token(runtime, DJ)))
    assert (shown["statement"], shown["contact"]) == (STATEMENT, CALLER)
    other = token(runtime, OTHER_COUNTY_DJ)
    assert body(client.get("/api/tipoffs", headers=other))["tipoffs"] == []
    assert client.get(f"/api/tipoffs/{receipt}", headers=other).status_code == 404
    assert client.get("/api/tipoffs", headers=clerk).status_code == 403
