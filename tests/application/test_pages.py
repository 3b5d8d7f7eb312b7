"""The dashboard as a browser sees it: signed in by cookie, scoped to the reader's area, in
Chinese, with the libraries served from the package itself."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from renovation.application.directory import Principal
from renovation.projections import open_database
from renovation.projections.divisions import save_names
from renovation.simulation.guilin import division_names
from renovation.web.assets import sha384, verify
from tests.support.api import api_client
from tests.support.app import sqlite_scenario

PASSWORD = "a good password 1"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with sqlite_scenario(tmp_path_factory.mktemp("pages")) as scenario:
        scenario.staff("450321101203")
        for n, village in enumerate(("450321100201", "450321100201", "450321101203"), 1):
            plan = scenario.plan(f"450321-2022-000{n}", village=village,
                                 stop_after="accepted" if n < 3 else "county_approved")
            scenario.drive(plan)
        for staff_id in ("pm-4503", "vc-450321100201"):
            scenario.rt.staff.set_password(Principal.local("ops"), staff_id, PASSWORD)
        views = open_database(scenario.rt.settings.views_url())
        save_names(views, division_names())
        views.dispose()
        with api_client(scenario.rt) as client:
            yield client


def sign_in(client: TestClient, staff_id: str) -> None:
    response = client.post("/login", data={"staff_id": staff_id, "password": PASSWORD,
                                           "next": "/"}, follow_redirects=False)
    assert response.status_code == 303, response.text


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', html)
    assert found is not None
    return found.group(1)


def test_pages_need_a_session_and_a_wrong_password_says_so_in_chinese(site: TestClient) -> None:
    site.cookies.clear()
    response = site.get("/funds", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/login?next=/funds")
    wrong = site.post("/login", data={"staff_id": "pm-4503", "password": "guess guess"})
    assert wrong.status_code == 200 and "工作人员编号或密码错误" in wrong.text
    assert "guess guess" not in wrong.text
    away = site.post("/login", data={"staff_id": "pm-4503", "password": PASSWORD,
                                     "next": "//evil.example/"}, follow_redirects=False)
    assert away.headers["location"] == "/"


def test_the_overview_drills_from_city_to_county_to_township(site: TestClient) -> None:
    sign_in(site, "pm-4503")
    city = site.get("/").text
    assert "按县（市、区）统计" in city and "阳朔县" in city
    assert 'href="/?within=450321000000"' in city
    county = site.get("/?within=450321000000").text
    assert "按乡镇统计" in county and "/?within=450321100000" in county
    assert "/?within=450321101000" in county
    township = site.get("/?within=450321100000").text
    assert "按行政村统计" in township and "450321100201" in township
    assert "450321101203" not in township


def test_a_unit_behind_the_calendar_is_marked(site: TestClient) -> None:
    sign_in(site, "pm-4503")
    county = site.get("/?within=450321000000").text
    marked = re.findall(r'<tr class="behind">\s*<td class="text"><a href="/\?within=(\d+)"',
                        county)
    assert marked == ["450321101000"]  # its case was approved but never started
    assert "开工滞后" in county


def test_every_managers_page_answers_in_chinese(site: TestClient) -> None:
    sign_in(site, "pm-4503")
    for path, words in (("/funds", "已拨付"), ("/progress", "累计开工"), ("/overdue", "逾期事项"),
                        ("/spotchecks", "抽查比例")):
        response = site.get(path)
        assert response.status_code == 200 and words in response.text, path
        assert "None" not in response.text and "{'" not in response.text, path


def test_money_drills_from_the_counties_to_a_countys_townships_and_downloads_both(
    site: TestClient, tmp_path: Path
) -> None:
    sign_in(site, "pm-4503")
    city = site.get("/funds").text
    assert "各县（市、区）" in city and 'href="/funds?within=450321000000"' in city
    county = site.get("/funds?within=450321000000")
    assert "各乡镇" in county.text and "None" not in county.text
    names = dict(division_names())
    for township in ("450321100000", "450321101000"):
        assert names[township] in county.text
    book = tmp_path / "funds.xlsx"
    book.write_bytes(site.get("/export/funds.xlsx?within=450321000000").content)
    sheets = load_workbook(book, read_only=True).sheetnames
    assert any(name.endswith("各县") for name in sheets)
    assert any(name.endswith("各乡镇") for name in sheets)


def test_a_clerk_sees_their_village_only_and_not_another_area(site: TestClient) -> None:
    sign_in(site, "vc-450321100201")
    assert "按行政村统计" in site.get("/").text
    assert site.get("/?within=450321000000").status_code == 403


def test_signing_out_needs_the_forms_csrf_token(site: TestClient) -> None:
    sign_in(site, "pm-4503")
    page = site.get("/").text
    assert site.post("/logout", data={"csrf_token": "0" * 64}).status_code == 403
    done = site.post("/logout", data={"csrf_token": csrf(page)}, follow_redirects=False)
    assert done.status_code == 303
    assert site.get("/", follow_redirects=False).status_code == 303


def test_the_served_libraries_are_the_ones_the_lockfile_pins(site: TestClient) -> None:
    assert verify(ROOT) == []
    page_scripts = re.findall(r'<script src="(/static/vendor/[^"]+)" integrity="([^"]+)"',
                              site.get("/login").text)
    assert {Path(src).name for src, _ in page_scripts} == {"echarts.min.js", "htmx.min.js"}
    for src, integrity in page_scripts:
        assert sha384(site.get(src).content) == integrity


def test_every_page_says_when_the_read_models_were_last_checked_against_the_log(
        site: TestClient) -> None:
    sign_in(site, "pm-4503")
    assert "读模型尚未与事件日志核对" in site.get("/").text
    follower = site.app.state.follower  # type: ignore[attr-defined]
    assert all(o.ok for o in follower.projector.verify())
    assert "与事件日志核对一致" in site.get("/").text
