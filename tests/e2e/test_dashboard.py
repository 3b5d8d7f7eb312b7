"""A county programme manager and an inspector use the dashboard in Chromium."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from renovation.audit.verify_dossier import verify_dossier
from renovation.simulation.demo import Settings as DemoSettings
from renovation.simulation.programme import case_plans
from renovation.simulation.staff import DEMO_PASSWORD
from tests.e2e.conftest import HOUSEHOLDS, SIGNING_KEY

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


@pytest.fixture
def page(browser: Any, site: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True,
                                  locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page: Any, site: str, staff_id: str) -> None:
    page.goto(f"{site}/login")
    page.fill("input[name=staff_id]", staff_id)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")


def serious_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [{"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])}
            for v in found if v["impact"] in ("serious", "critical")]


def test_three_clicks_from_the_city_to_a_townships_money(page: Any, site: str,
                                                         artifacts: Path) -> None:
    sign_in(page, site, "pm-4503")
    page.wait_for_selector("h1:has-text('总览')")
    page.wait_for_selector("div.chart svg")  # ECharts drew the chart from the local copy
    assert page.locator("table tbody tr").count() >= 13
    page.click("a:has-text('灵川县')")  # 1: the county
    page.wait_for_selector("text=按乡镇统计")
    behind = page.locator("tr.behind").count()
    page.screenshot(path=str(artifacts / "overview-lingchuan.png"), full_page=True)
    page.click("nav a:has-text('资金')")  # 2: its money
    page.wait_for_selector("h1:has-text('资金')")
    assert "灵川县" in page.content()
    with page.expect_download() as downloaded:  # 3: as Excel
        page.click("a:has-text('下载 Excel')")
    path = artifacts / "funds.xlsx"
    downloaded.value.save_as(path)
    sheet = load_workbook(path, read_only=True).worksheets[0]
    header = next(sheet.iter_rows(values_only=True))
    assert header[:3] == ("区划代码", "名称", "资金来源")
    assert behind >= 0


def test_drilling_down_to_the_villages_of_a_township(page: Any, site: str) -> None:
    sign_in(page, site, "pm-4503")
    page.goto(f"{site}/?within=450323000000")
    page.locator("tbody a").first.click()
    page.wait_for_selector("text=按行政村统计")
    assert page.locator("tbody tr").count() >= 2


def test_an_inspector_reads_a_case_timeline_and_its_findings(page: Any, site: str,
                                                             artifacts: Path) -> None:
    sign_in(page, site, "dj-4503")
    page.goto(f"{site}/findings")
    page.click("a:has-text('克扣补助资金')")
    page.wait_for_selector("text=证据（事件）")
    page.locator("table a").first.click()
    page.wait_for_selector("ol.timeline li")
    assert "录入人 pm-4503" in page.content()
    page.screenshot(path=str(artifacts / "case-timeline.png"), full_page=True)


OBJECTION_FORM = "/notices/450323-2022-00001/village/objection"


@pytest.mark.parametrize("path", ["/", "/funds", "/overdue", "/findings", "/cases", "/notices",
                                  OBJECTION_FORM])
def test_the_main_pages_have_no_serious_accessibility_problem(page: Any, site: str,
                                                               path: str) -> None:
    sign_in(page, site, "dj-4503" if path == "/findings" else "pm-4503")
    page.goto(f"{site}{path}")
    page.wait_for_load_state("networkidle")
    assert serious_violations(page) == [], json.dumps(serious_violations(page))


def test_the_public_notice_page_needs_no_sign_in(page: Any, site: str) -> None:
    page.goto(f"{site}/notices")
    page.wait_for_selector("h1:has-text('公示')")
    assert "登录" in page.content()


def test_an_objection_to_a_notice_no_longer_open_is_refused_in_plain_words(
    page: Any, site: str,
) -> None:
    page.goto(f"{site}{OBJECTION_FORM}")
    page.select_option("#f-ground", "has_other_housing")
    page.fill("#f-statement", "该户在县城另有住房一套，长期出租")
    page.click("button:has-text('提交')")
    alert = page.locator("p.error[role=alert]")
    assert "公示" in alert.inner_text()
    assert page.locator("#f-statement").input_value() == "该户在县城另有住房一套，长期出租"


def test_a_clerks_application_form_refuses_a_bad_id_number_then_files_the_case(
    page: Any, site: str,
) -> None:
    from renovation.simulation.people import People

    head = People(99).household("450323", 2022, size=1, index=900_000)["head"]
    sign_in(page, site, "pm-4503")
    page.goto(f"{site}/forms/application")
    page.fill("#f-case_ref", "450323-2022-09001")
    page.fill("#f-village", "450323101201")
    page.fill("#f-occurred_on", "2022-06-01")
    page.fill("#f-head_name", head["name"])
    page.fill("#f-head_id", head["id_number"][:-1] + ("0" if head["id_number"][-1] != "0" else "1"))
    page.fill("#f-clerk", "vc-450323101201")
    page.click("button:has-text('提交')")
    assert page.locator("#e-head_id").inner_text() == "身份证号码校验位错误"
    page.fill("#f-head_id", head["id_number"])
    page.click("button:has-text('提交')")
    page.wait_for_selector("h1:has-text('案卷 450323-2022-09001')")
    page.goto(f"{site}/cases?within=450323101201")
    assert page.locator("a:has-text('450323-2022-09001')").count() == 1


def test_an_inspector_finds_a_household_by_id_number_and_downloads_its_archive(
    page: Any, site: str, artifacts: Path, tmp_path: Path,
) -> None:
    plan = next(iter(case_plans(DemoSettings(households=HOUSEHOLDS))))
    sign_in(page, site, "dj-4503")
    page.goto(f"{site}/cases")
    page.select_option("select[name=by]", "id_number")
    page.fill("input[name=value]", plan.household["head"]["id_number"])
    page.fill("form[action='/cases/search'] input[name=reason]", "群众举报线索核查")
    page.click("form[action='/cases/search'] button")
    page.click(f"a:has-text('{plan.case_ref}')")
    page.wait_for_selector("ol.timeline li")
    page.click("summary:has-text('下载一户一档')")
    page.fill("form[action$='/dossier'] input[name=reason]", "群众举报线索核查")
    with page.expect_download() as download:
        page.click("form[action$='/dossier'] button")
    saved = tmp_path / "dossier.zip"
    download.value.save_as(saved)
    page.screenshot(path=str(artifacts / "case-dossier.png"), full_page=True)
    with zipfile.ZipFile(saved) as archive:
        archive.extractall(tmp_path)
    report = verify_dossier(tmp_path / plan.case_ref, SIGNING_KEY.public_key())
    assert report.ok and report.case_ref == plan.case_ref, report.problems
