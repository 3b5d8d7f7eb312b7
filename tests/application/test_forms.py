"""The clerks' forms build the same commands: a refusal is shown in Chinese beside its field,
an accepted application appears in the case list at once."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from renovation.application.directory import Principal
from renovation.bootstrap import Runtime
from renovation.simulation.demo import SimulatedClock
from renovation.simulation.people import People
from tests.support.api import api_client
from tests.support.app import Scenario

PASSWORD = "a good password 1"
VILLAGE = "450321100201"


@pytest.fixture
def clerk(runtime: Runtime, clock: SimulatedClock) -> Iterator[TestClient]:
    scenario = Scenario(runtime, clock)
    clock.business_day(scenario.policy.calendar.start_by)
    runtime.staff.set_password(Principal.local("ops"), f"vc-{VILLAGE}", PASSWORD)
    with api_client(runtime) as client:
        client.post("/login", data={"staff_id": f"vc-{VILLAGE}", "password": PASSWORD})
        yield client


def csrf(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', client.get(path).text)
    assert found is not None
    return found.group(1)


def application(client: TestClient, **changes: str) -> dict[str, str]:
    household = People(5).household("450321", 2022, size=2)
    return {"csrf_token": csrf(client, "/forms/application"), "case_ref": "450321-2022-7001",
            "programme": "guilin-2022", "village": VILLAGE, "occurred_on": "2022-07-01",
            "head_name": household["head"]["name"], "head_id": household["head"]["id_number"],
            "size": "2", "phone": "", "bank": "", "account": "", "category": "dibao",
            "mode": "rebuild_in_place", "structure": "earth", **changes}


def beside(html: str, field: str) -> str | None:
    found = re.search(rf'<span class="error" id="e-{field}">([^<]*)</span>', html)
    return found.group(1) if found else None


def test_an_invalid_id_number_is_refused_beside_its_field_in_chinese(clerk: TestClient) -> None:
    form = application(clerk)
    wrong = form["head_id"][:-1] + ("0" if form["head_id"][-1] != "0" else "1")
    response = clerk.post("/forms/application", data={**form, "head_id": wrong})
    assert response.status_code == 422
    assert beside(response.text, "head_id") == "身份证号码校验位错误"
    assert wrong[6:14] not in response.text.replace(f'value="{wrong}"', "")


def test_missing_fields_are_named_and_nothing_is_recorded(clerk: TestClient) -> None:
    response = clerk.post("/forms/application", data=application(clerk, head_name="", size=""))
    assert response.status_code == 422
    assert beside(response.text, "head_name") == "必填" and beside(response.text, "size") == "必填"
    assert "450321-2022-7001" not in clerk.get("/cases").text


def test_an_accepted_application_opens_the_case_and_lists_it(clerk: TestClient) -> None:
    response = clerk.post("/forms/application", data=application(clerk),
                          follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (
        303, "/cases/450321-2022-7001")
    assert 'href="/cases/450321-2022-7001"' in clerk.get("/cases").text
    again = clerk.post("/forms/application", data=application(clerk, size="3"))
    assert again.status_code == 422 and "该档案编号已按不同内容提交过" in again.text


def test_an_unknown_form_is_not_found(clerk: TestClient) -> None:
    assert clerk.get("/cases/450321-2022-7001/forms/nonsense").status_code == 404
