"""`renovation report`, `cases list` and `projections` after a demo, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from renovation.cli import app
from renovation.kernel.vocabulary import Stage
from renovation.projections.queries.cases import COLUMNS
from renovation.projections.workbook import HEADERS
from renovation.simulation.guilin import COUNTIES, plan_rows
from tests.support.cli import cli_runner

HOUSEHOLDS = 26


@pytest.fixture
def cli(store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    return cli_runner(monkeypatch, store_url, tmp_path)


def run(cli: CliRunner, *args: str) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def as_json(cli: CliRunner, *args: str) -> Any:
    return json.loads(run(cli, *args, "--json"))


def test_a_fresh_demo_answers_at_once_and_a_rebuild_changes_no_answer(cli: CliRunner) -> None:
    run(cli, "demo", "--households", str(HOUSEHOLDS))
    progress = run(cli, "report", "progress", "--by", "county", "--json")
    rows = json.loads(progress)["rows"]
    targets = {
        str(r["county_code"]).ljust(12, "0"):
            int(r["rural_revitalization_households"]) + int(r["civil_affairs_households"])
        for r in plan_rows(HOUSEHOLDS)
    }
    counties = {c.division_code for c in COUNTIES}
    # Counties whose apportioned share of 26 households is 0 have no target and no case.
    assert [row["code"] for row in rows] == sorted(c for c in counties if targets[c])
    assert {row["code"]: row["target_households"] for row in rows} == {
        c: targets[c] for c in counties if targets[c]}
    listed = as_json(cli, "cases", "list", "--limit", "1000")["cases"]
    assert sum(row["cases"] for row in rows) == len(listed) == HOUSEHOLDS
    others = [run(cli, "report", name, "--json") for name in ("funds", "construction")]
    overdue = run(cli, "report", "overdue", "--as-of", "2022-12-31", "--json")
    status = as_json(cli, "projections", "status")
    assert all(s["lag"] == 0 and s["state"] == "current" for s in status)
    rebuilt = json.loads(run(cli, "projections", "rebuild"))
    assert rebuilt["rebuilt"]["cases"] > 0
    assert run(cli, "report", "progress", "--by", "county", "--json") == progress
    assert [run(cli, "report", name, "--json") for name in ("funds", "construction")] == others
    assert run(cli, "report", "overdue", "--as-of", "2022-12-31", "--json") == overdue


def test_the_stages_reported_are_those_of_the_cases(cli: CliRunner) -> None:
    run(cli, "demo", "--households", str(HOUSEHOLDS))
    listed = as_json(cli, "cases", "list", "--within", "450324000000")["cases"]
    assert listed
    for case in listed:
        shown = json.loads(run(cli, "case", "show", case["case_ref"]))
        assert (shown["stage"], shown["head"]["name"]) == (case["stage"], case["head_name"])
    [county] = as_json(cli, "report", "progress", "--within", "450324000000")["rows"]
    assert county["cases"] == len(listed)
    assert sum(county["stages"].values()) == len(listed)


def test_projections_run_once_then_status_then_no_catch_up(cli: CliRunner, store_url: str) -> None:
    missing = cli.invoke(app, ["report", "progress", "--no-catch-up"])
    if store_url.startswith("sqlite"):  # an embedded store must exist; PostgreSQL's is provisioned
        assert missing.exit_code == 1 and json.loads(missing.stderr)["rule"] == "store.missing"
    else:
        assert missing.exit_code == 2 and "not built" in missing.stderr
    run(cli, "demo", "--households", "13", "--no-cases")  # the staff and the programme only
    result = cli.invoke(app, ["report", "progress", "--no-catch-up"])
    assert result.exit_code == 2 and "not built" in result.stderr
    report = json.loads(run(cli, "projections", "run", "--once").splitlines()[0])
    assert report["applied"]["programmes"] > 0
    again = json.loads(run(cli, "projections", "run", "--once").splitlines()[0])
    assert sum(again["applied"].values()) == 0
    run(cli, "demo", "--households", "13")  # catches the read models up for its year-end figures
    assert as_json(cli, "report", "progress", "--no-catch-up")["total"]["cases"] == 13
    after = json.loads(run(cli, "projections", "run", "--once").splitlines()[0])
    assert sum(after["applied"].values()) == 0
    unknown = cli.invoke(app, ["projections", "rebuild", "nonesuch"])
    assert unknown.exit_code == 2 and "nonesuch" in unknown.stderr


def test_the_case_list_exports_to_a_workbook_with_chinese_headers_and_masked_data(
    cli: CliRunner, tmp_path: Path
) -> None:
    run(cli, "demo", "--households", str(HOUSEHOLDS))
    out = tmp_path / "lists" / "cases.xlsx"
    written = as_json(cli, "cases", "list", "--within", "450300000000", "--xlsx", str(out))
    listed = as_json(cli, "cases", "list", "--limit", "1000")["cases"]
    sheet = load_workbook(out, read_only=True)["案件清单"]
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header[:3] == ["案件编号", "项目", "省"] and "户主身份证号码（脱敏）" in header
    assert written["cases"] == len(rows) == len(listed) == HOUSEHOLDS
    assert tuple(HEADERS) == COLUMNS  # every column of the read model has its header
    column = {name: header.index(label) for name, label in HEADERS.items()}
    for row, case in zip(rows, listed, strict=True):
        assert row[column["case_ref"]] == case["case_ref"]
        assert row[column["head_id"]] == case["head_id"] and "*" in case["head_id"]
        assert row[column["stage"]] == Stage(case["stage"]).label


def test_a_workbook_export_needs_an_xlsx_name(cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(app, ["cases", "list", "--xlsx", str(tmp_path / "cases.csv")])
    assert result.exit_code == 2 and ".xlsx" in result.stderr
    assert not (tmp_path / "cases.csv").exists()


@pytest.mark.parametrize("report", ["progress", "funds", "construction", "overdue", "notices"])
def test_every_report_writes_the_workbook_it_prints(
    cli: CliRunner, tmp_path: Path, report: str
) -> None:
    run(cli, "demo", "--households", str(HOUSEHOLDS))
    out = tmp_path / f"{report}.xlsx"
    run(cli, "report", report, "--xlsx", str(out))
    book = load_workbook(out, read_only=True)
    headers = [next(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]
    assert headers and all(h and all(isinstance(c, str) and c for c in h) for h in headers)
    assert not any(c.isascii() for h in headers for c in h)  # Chinese headers only


def test_progress_rows_in_the_workbook_are_the_rows_printed(cli: CliRunner, tmp_path: Path) -> None:
    run(cli, "demo", "--households", str(HOUSEHOLDS))
    out = tmp_path / "progress.xlsx"
    printed = as_json(cli, "report", "progress", "--xlsx", str(out))["rows"]
    header, *rows = load_workbook(out, read_only=True)["改造进度"].iter_rows(values_only=True)
    assert [r[header.index("区划代码")] for r in rows] == [p["code"] for p in printed]
    assert [r[header.index("任务数")] for r in rows] == [p["target_households"] for p in printed]
    assert all(r[header.index("名称")] for r in rows)


def test_a_filter_takes_the_code_or_the_chinese_label_and_refuses_anything_else(
    cli: CliRunner,
) -> None:
    run(cli, "demo", "--households", str(HOUSEHOLDS))
    by_code = as_json(cli, "cases", "list", "--stage", "closed", "--limit", "1000")
    by_label = as_json(cli, "cases", "list", "--stage", Stage.CLOSED.label, "--limit", "1000")
    assert by_code == by_label and by_code["total"] > 0
    refused = cli.invoke(app, ["cases", "list", "--stage", "paid"])
    assert refused.exit_code == 2 and "'paid'" in refused.stderr and "--stage" in refused.stderr
    bad_code = cli.invoke(app, ["report", "progress", "--within", "4503"])
    assert bad_code.exit_code == 2 and "12 digits" in bad_code.stderr


def test_funds_by_township_lists_the_townships_of_the_area(cli: CliRunner) -> None:
    run(cli, "demo", "--households", str(HOUSEHOLDS))
    [item] = as_json(cli, "report", "funds", "--by", "township", "--within", "450321000000"
                     )["programmes"]
    assert item["townships"] and all(t["code"].startswith("450321") for t in item["townships"])
    printed = run(cli, "report", "funds", "--by", "township", "--within", "450321000000")
    assert "by township" in printed
    refused = cli.invoke(app, ["report", "funds", "--by", "village"])
    assert refused.exit_code == 2 and "village" in refused.stderr
