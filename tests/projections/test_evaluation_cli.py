"""`renovation report evaluation`: refusals naming rule, field and value; the JSON, the workbook
(opened with openpyxl) and the printable HTML of one county and of the whole programme."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from renovation.cli import app
from tests.support.app import Scenario
from tests.support.cli import cli_runner

COUNTY = "450321000000"
BASE = ["report", "evaluation", "--programme", "guilin-2022"]


@pytest.fixture
def cli(scenario: Scenario, store_url: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """Two cases of 阳朔县: one closed, one approved and never started."""
    scenario.drive(scenario.plan("450321-2022-0001"))
    scenario.drive(scenario.plan("450321-2022-0002", applied_on=date(2022, 3, 2),
                                 stop_after="county_approved"))
    return cli_runner(monkeypatch, store_url, tmp_path)


def refused(cli: CliRunner, *args: str) -> dict[str, Any]:
    result = cli.invoke(app, [*BASE, *args])
    assert result.exit_code == 1, result.output
    found: dict[str, Any] = json.loads(result.stderr)
    return found


@pytest.mark.parametrize(("args", "rule", "field", "value"), [
    (("--as-of", "2022-13-01"), "input.date", "as_of", "2022-13-01"),
    (("--as-of", "2999-01-01"), "evaluation.as_of_not_future", "as_of", "2999-01-01"),
    (("--county", "4503"), "input.division_code", "county", "4503"),
    (("--county", "450321100000"), "evaluation.county_level", "county", "450321100000"),
    (("--county", "450121000000"), "evaluation.county_in_programme", "county", "450121000000"),
    (("--xlsx", "out.csv"), "input.file_suffix", "xlsx", "out.csv"),
    (("--html", "out.pdf"), "input.file_suffix", "html", "out.pdf"),
])
def test_bad_input_is_refused_naming_the_rule_the_field_and_the_value(
    cli: CliRunner, args: tuple[str, ...], rule: str, field: str, value: str
) -> None:
    error = refused(cli, *args)
    assert (error["rule"], error["field"], error["value"]) == (rule, field, value)
    assert value in error["message"]


def test_an_unknown_programme_is_refused(cli: CliRunner) -> None:
    result = cli.invoke(app, ["report", "evaluation", "--programme", "nowhere-2022"])
    assert result.exit_code == 1
    assert json.loads(result.stderr)["rule"] == "programme.known"


def test_one_county_as_json_workbook_and_printable_page(cli: CliRunner, tmp_path: Path) -> None:
    book, page = tmp_path / "eval.xlsx", tmp_path / "eval.html"
    result = cli.invoke(app, [*BASE, "--county", COUNTY, "--as-of", "2022-12-31", "--json",
                              "--xlsx", str(book), "--html", str(page)])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    figures = {f["id"]: f for f in answer["figures"]}
    assert (figures["approved"]["value"], figures["accepted"]["value"]) == (2, 1)
    assert figures["not_started"]["value"] == 1 and figures["target_households"]["value"] == 44

    workbook = load_workbook(book)
    assert workbook.sheetnames == ["说明", "总表", "指标 阳朔县"]
    cover = {row[0]: row[1] for row in workbook["说明"].iter_rows(min_row=2, values_only=True)}
    assert cover["截至日期"] == datetime(2022, 12, 31) and "阳朔县" in cover["评价范围"]
    sheet = workbook["指标 阳朔县"]
    header = [cell.value for cell in sheet[1]]
    assert {"口径", "Definition", "截至日期", "是否达标"} <= set(header)
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert [r["指标代码"] for r in rows] == list(figures)
    assert all(r["口径"] and r["截至日期"] == datetime(2022, 12, 31) for r in rows)
    accepted = next(r for r in rows if r["指标代码"] == "accepted")
    assert (accepted["数值"], accepted["目标"], accepted["是否达标"]) == (1, 44, "未达标")

    html = page.read_text(encoding="utf-8")
    assert "截至日期" in html and "2022-12-31" in html and "@page" in html
    assert figures["short_paid_yuan"]["definition_zh"] in html


def test_the_whole_programme_has_a_sheet_per_county(cli: CliRunner, tmp_path: Path) -> None:
    book = tmp_path / "all.xlsx"
    result = cli.invoke(app, [*BASE, "--as-of", "2022-12-31", "--xlsx", str(book)])
    assert result.exit_code == 0, result.output
    assert "总表" in result.stdout and "阳朔县" in result.stdout
    names = load_workbook(book, read_only=True).sheetnames
    assert names[:3] == ["说明", "总表", "指标 合计"]
    assert "阳朔县 450321" in names and len(names) == 3 + 13
