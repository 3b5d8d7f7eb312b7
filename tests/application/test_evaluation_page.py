"""The evaluation page as a programme manager sees it: the programme's overall table, every
figure with its definition and the as-of date, a county's own page, the Excel download, and
refusals for bad input or a reader outside the area."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from renovation.application.directory import Principal
from tests.projections.support import allocate
from tests.support.api import api_client
from tests.support.app import sqlite_scenario

PASSWORD = "a good password 1"
PAGE = "/evaluation?programme=guilin-2022&as_of=2022-12-31"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with sqlite_scenario(tmp_path_factory.mktemp("evaluation-page")) as scenario:
        allocate(scenario.rt)
        scenario.drive(scenario.plan("450321-2022-0001"))
        scenario.drive(scenario.plan("450321-2022-0002", applied_on=date(2022, 3, 2),
                                     stop_after="accepted"))
        for staff_id in ("pm-4503", "vc-450321100201"):
            scenario.rt.staff.set_password(Principal.local("ops"), staff_id, PASSWORD)
        with api_client(scenario.rt) as client:
            yield client


def sign_in(client: TestClient, staff_id: str) -> None:
    client.cookies.clear()
    response = client.post("/login", data={"staff_id": staff_id, "password": PASSWORD,
                                           "next": "/"}, follow_redirects=False)
    assert response.status_code == 303, response.text


def test_the_programme_manager_sees_the_programme_with_every_definition(
    site: TestClient
) -> None:
    sign_in(site, "pm-4503")
    response = site.get(PAGE)
    assert response.status_code == 200, response.text
    html = response.text
    assert "年度绩效评价" in html and "截至日期" in html and "2022-12-31" in html
    assert "/static/evaluation.css" in html and 'aria-current="page">绩效评价' in html
    assert "总表" in html and "合计" in html
    assert "/evaluation?programme=guilin-2022&amp;as_of=2022-12-31&amp;county=450321000000" in html
    for words in ("市级抽查比例", "按期拨付率", "少拨付金额", "未处理线索",
                  "acceptance.city_spot_check_min_ratio", "payment.submit_by_day"):
        assert words in html
    assert "/export/evaluation.xlsx?programme=guilin-2022&amp;as_of=2022-12-31" in html
    assert site.get("/static/evaluation.css").text.count("@page") == 1


def test_a_county_page_and_its_workbook(site: TestClient) -> None:
    sign_in(site, "pm-4503")
    html = site.get(f"{PAGE}&county=450321000000").text
    assert "阳朔县（450321000000）" in html and 'id="figure-accepted"' in html
    download = site.get("/export/evaluation.xlsx?programme=guilin-2022&county=450321000000"
                        "&as_of=2022-12-31")
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(download.content))
    assert book.sheetnames == ["说明", "总表", "指标 阳朔县"]
    cover = {row[0]: row[1] for row in book["说明"].iter_rows(min_row=2, values_only=True)}
    assert cover["截至日期"] == datetime(2022, 12, 31)


def test_bad_input_and_a_reader_outside_the_area_are_refused(site: TestClient) -> None:
    sign_in(site, "pm-4503")
    for query, rule in (("&county=450321100000", "evaluation.county_level"),
                        ("&as_of=2022-02-30", "input.date")):
        response = site.get(f"/evaluation?programme=guilin-2022{query}")
        assert response.status_code == 422 and response.json()["rule"] == rule
    assert site.get("/evaluation?programme=nowhere").json()["rule"] == "programme.known"
    sign_in(site, "vc-450321100201")  # a village clerk: their village, not their county
    response = site.get(PAGE)
    assert response.status_code == 403, response.text
