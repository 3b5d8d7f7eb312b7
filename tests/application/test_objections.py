"""公示异议 through the public notice page: lodged without signing in while the notice is open,
sealed in the log, shown to officials on the case page; refused, writing nothing, otherwise."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from renovation.aggregates.objection import NoticeObjection
from renovation.application.directory import Principal
from renovation.bootstrap import Runtime
from renovation.simulation.demo import SimulatedClock
from tests.support.api import api_client
from tests.support.app import Scenario, store_fingerprint

REF = "450321-2022-0101"
FORM = f"/notices/{REF}/village/objection"
STATEMENT = "该户在县城另有商品房一套，户主儿子罗某某（电话13877001234）常住县城"
PASSWORD = "a good password 1"


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    return Scenario(runtime, clock)


def drive_until_posted(scenario: Scenario, ref: str = REF) -> tuple[list[dict[str, Any]], date]:
    """Run the case's commands up to the village notice's posting; the rest, and that day."""
    commands = scenario.commands(scenario.plan(ref, stop_after="township_approved"))
    while commands:
        command = commands.pop(0)
        scenario.run(command)
        if command["type"] == "post_notice":
            return commands, date.fromisoformat(command["occurred_on"])
    raise AssertionError("the plan posted no notice")


@pytest.fixture
def public(runtime: Runtime) -> Iterator[TestClient]:
    with api_client(runtime) as client:
        yield client


def form_token(client: TestClient, path: str = FORM) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def objection(client: TestClient, path: str = FORM, **changes: str) -> Any:
    data = {"csrf_token": form_token(client, path), "ground": "has_other_housing",
            "statement": STATEMENT, "contact": "13900112233", **changes}
    return client.post(path, data=data)


def lodged(runtime: Runtime) -> list[Any]:
    return [e for e in _all_events(runtime) if isinstance(e, NoticeObjection.ObjectionLodged)]


def _all_events(runtime: Runtime) -> Iterator[Any]:
    for notification in runtime.app.recorder.select_notifications(start=1, limit=100_000):
        yield runtime.app.mapper.to_domain_event(notification)


def test_an_objection_is_lodged_without_signing_in_and_kept_sealed(
        scenario: Scenario, public: TestClient) -> None:
    drive_until_posted(scenario)
    public.app.state.follower.catch_up_now()  # type: ignore[attr-defined]
    board = public.get("/notices")
    assert f'href="{FORM}"' in board.text

    response = objection(public)

    assert response.status_code == 200, response.text
    receipt = re.search(r"受理编号 (YY-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4})", response.text)
    assert receipt is not None
    (event,) = lodged(scenario.rt)
    assert (event.case_ref, event.level.value, event.actor.id) == (REF, "village", "public")
    assert scenario.rt.reader.reveal(event.statement, "objection.statement") == STATEMENT
    assert scenario.rt.reader.reveal(event.contact, "objection.contact") == "13900112233"
    raw = b"".join(n.state for n in scenario.rt.app.recorder.select_notifications(
        start=1, limit=100_000))
    assert b"13877001234" not in raw and "商品房".encode() not in raw
    assert b"13900112233" not in raw


def test_officials_see_the_objection_on_the_case_page_without_its_words(
        scenario: Scenario, public: TestClient) -> None:
    drive_until_posted(scenario)
    objection(public)
    scenario.rt.staff.set_password(Principal.local("ops"), "pm-4503", PASSWORD)
    public.post("/login", data={"staff_id": "pm-4503", "password": PASSWORD})

    page = public.get(f"/cases/{REF}")

    assert "公示异议（1 件" in page.text and "另有安全住房" in page.text
    assert "商品房" not in page.text and "13900112233" not in page.text


def test_an_objection_after_the_notice_closed_is_refused_and_writes_nothing(
        scenario: Scenario, public: TestClient) -> None:
    rest, _ = drive_until_posted(scenario)
    scenario.run(rest[0])  # the village notice closes
    before = store_fingerprint(scenario.rt)

    response = objection(public)

    assert response.status_code == 422
    assert "不在公示期内" in response.text
    assert store_fingerprint(scenario.rt) == before


def test_an_objection_after_the_notice_period_ran_out_is_refused(
        scenario: Scenario, public: TestClient) -> None:
    _, posted = drive_until_posted(scenario)
    scenario.clock.business_day(posted + timedelta(days=30))
    response = objection(public)
    assert response.status_code == 422 and "不在公示期内" in response.text
    assert lodged(scenario.rt) == []


def test_a_statement_too_short_is_refused_beside_its_field_without_echoing_it(
        scenario: Scenario, public: TestClient) -> None:
    drive_until_posted(scenario)
    response = objection(public, statement="不符合", contact="")
    assert response.status_code == 422
    assert '<span class="error" id="e-statement">请写明异议的具体事实，至少 10 个字</span>' in (
        response.text)
    wrong_phone = objection(public, contact="12345")
    assert '<span class="error" id="e-contact">请填写手机号码或带区号的固定电话</span>' in (
        wrong_phone.text)
    assert lodged(scenario.rt) == []


def test_a_post_without_the_form_token_is_refused(
        scenario: Scenario, public: TestClient) -> None:
    drive_until_posted(scenario)
    form_token(public)
    response = public.post(FORM, data={"csrf_token": "forged", "ground": "other",
                                       "statement": STATEMENT})
    assert response.status_code == 403 and "表单已过期" in response.text
    assert lodged(scenario.rt) == []


def test_one_client_lodges_at_most_five_objections_an_hour(
        scenario: Scenario, public: TestClient) -> None:
    drive_until_posted(scenario)
    answers = [objection(public).status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]
    assert len(lodged(scenario.rt)) == 5


def test_an_unknown_case_or_level_is_not_found(public: TestClient, scenario: Scenario) -> None:
    assert public.get(f"/notices/{REF}/province/objection").status_code == 404
    response = objection(public, path="/notices/450321-2022-9999/village/objection")
    assert response.status_code == 404 and "没有此档案编号的案件" in response.text
