"""`renovation plan funding` reads targets keyed by 12-digit division codes and refuses a bad row
by its row, column and value, writing nothing; `plan sample-targets` gives a blank form."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from renovation.application.funding import TARGET_COLUMNS
from renovation.cli import app
from renovation.simulation.guilin import COUNTIES, OTHER_WORK_FUNDS
from tests.support.cli import cli_runner

ROW_OF_YANGSHUO = 15
"""The file line of 阳朔县 in the sample: 8 note lines, the header, the city, 5 counties."""


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return cli_runner(monkeypatch, f"sqlite:///{tmp_path}/r.db", tmp_path)


def sample(cli: CliRunner) -> str:
    result = cli.invoke(app, ["plan", "sample-targets", "--policy", "guilin-2022"])
    assert result.exit_code == 0, result.output
    return result.stdout


def filled(cli: CliRunner, path: Path, **cells: str) -> Path:
    """The sample with every blank number 0, and `cells` (`"450321000000:county_code"`) set."""
    lines = []
    for line in sample(cli).splitlines():
        if line[:1].isdigit():
            values = line.split(",")
            values[2:] = ["0"] * 4
            for key, value in cells.items():
                code, column = key.split(":")
                if values[0] == code:
                    values[TARGET_COLUMNS.index(column)] = value
            line = ",".join(values)
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def refused(cli: CliRunner, *args: str) -> dict[str, Any]:
    result = cli.invoke(app, list(args))
    assert result.exit_code == 1, result.output
    error: dict[str, Any] = json.loads(result.stderr)
    return error


def test_the_sample_lists_the_plans_counties_by_12_digit_code_and_no_figure(
    cli: CliRunner,
) -> None:
    text = sample(cli)
    rows = list(csv.DictReader(io.StringIO("\n".join(
        line for line in text.splitlines() if not line.startswith("#")))))
    assert tuple(rows[0]) == TARGET_COLUMNS
    named = {(c.division_code, c.name) for c in COUNTIES} | {
        (code.ljust(12, "0"), name) for code, name, _ in OTHER_WORK_FUNDS}
    assert {(r["county_code"], r["county_name"]) for r in rows} == named
    assert all(r[column] == "" for r in rows for column in TARGET_COLUMNS[2:])
    assert "1173" not in text and "2007.94" not in text


def test_an_unfilled_sample_is_refused_at_its_first_blank_cell_and_nothing_is_written(
    cli: CliRunner,
) -> None:
    assert cli.invoke(app, ["plan", "sample-targets", "--policy", "guilin-2022",
                            "--out", "t.csv"]).exit_code == 0
    error = refused(cli, "plan", "funding", "--policy", "guilin-2022", "--targets", "t.csv",
                    "--format", "csv", "--out", "plan.csv")
    assert (error["rule"], error["field"], error["value"]) == (
        "plan.targets_integer", "t.csv:10:rural_revitalization_households", "")
    assert not Path("plan.csv").exists()


def test_the_sample_is_never_written_over_a_file(cli: CliRunner) -> None:
    Path("t.csv").write_text("mine\n", encoding="utf-8")
    error = refused(cli, "plan", "sample-targets", "--policy", "guilin-2022", "--out", "t.csv")
    assert (error["rule"], error["field"]) == ("plan.out_exists", "out")
    assert Path("t.csv").read_text(encoding="utf-8") == "mine\n"


def test_a_policy_without_a_household_plan_has_no_sample(cli: CliRunner) -> None:
    error = refused(cli, "plan", "sample-targets", "--policy", "ningxia-2021")
    assert (error["rule"], error["value"]) == ("plan.sample_known", "ningxia-2021")


def test_a_filled_in_sample_gives_the_plan_by_12_digit_code(cli: CliRunner) -> None:
    path = filled(cli, Path("t.csv"), **{"450321000000:rural_revitalization_households": "44"})
    result = cli.invoke(app, ["plan", "funding", "--policy", "guilin-2022", "--targets",
                              str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    lines = {line["county_code"]: line for line in json.loads(result.stdout)}
    assert lines["450321000000"]["project_funds_yuan"] == 44 * 26_500
    assert lines["total"]["households_total"] == 44
    assert len(lines) == len(COUNTIES) + len(OTHER_WORK_FUNDS) + 1


@pytest.mark.parametrize(("value", "rule"), [
    ("45032", "input.division_code"),
    ("450321", "input.division_code"),
    ("450321100000", "plan.targets_county_code"),
    ("640104000000", "plan.targets_within_jurisdiction"),
    ("450323000000", "plan.targets_unique"),
])
def test_a_bad_county_code_is_refused_by_row_column_and_value_writing_nothing(
    cli: CliRunner, value: str, rule: str,
) -> None:
    path = filled(cli, Path("t.csv"), **{"450321000000:county_code": value})
    error = refused(cli, "plan", "funding", "--policy", "guilin-2022", "--targets", str(path),
                    "--format", "xlsx", "--out", "plan.xlsx")
    assert (error["rule"], error["field"], error["value"]) == (
        rule, f"t.csv:{ROW_OF_YANGSHUO}:county_code", value)
    assert f"row {ROW_OF_YANGSHUO}" in error["message"]
    assert not Path("plan.xlsx").exists()


def test_the_near_miss_the_county_own_code_is_accepted(cli: CliRunner) -> None:
    path = filled(cli, Path("t.csv"), **{"450321000000:county_code": "450321000000"})
    result = cli.invoke(app, ["plan", "funding", "--policy", "guilin-2022", "--targets",
                              str(path), "--format", "xlsx", "--out", "plan.xlsx"])
    assert result.exit_code == 0, result.output
    assert Path("plan.xlsx").is_file()


@pytest.mark.parametrize(("cells", "rule", "field"), [
    ({"450321000000:work_funds_yuan": "3.5"}, "plan.targets_integer", "work_funds_yuan"),
    ({"450321000000:central_funds_yuan": "-1"}, "plan.targets_greater_than_equal",
     "central_funds_yuan"),
    ({"450321000000:county_name": " "}, "plan.targets_string_too_short", "county_name"),
])
def test_a_bad_cell_is_named_by_its_own_column(
    cli: CliRunner, cells: dict[str, str], rule: str, field: str,
) -> None:
    path = filled(cli, Path("t.csv"), **cells)
    error = refused(cli, "plan", "funding", "--policy", "guilin-2022", "--targets", str(path))
    assert (error["rule"], error["field"]) == (rule, f"t.csv:{ROW_OF_YANGSHUO}:{field}")


def test_a_row_with_too_few_cells_is_refused(cli: CliRunner) -> None:
    path = Path("t.csv")
    path.write_text(",".join(TARGET_COLUMNS) + "\n450321000000,阳朔县,1,0,0\n", encoding="utf-8")
    error = refused(cli, "plan", "funding", "--policy", "guilin-2022", "--targets", str(path))
    assert (error["rule"], error["field"]) == ("plan.targets_row_length", "t.csv:2")


def test_a_file_that_is_not_utf8_is_refused_naming_the_encoding(cli: CliRunner) -> None:
    path = Path("t.csv")
    path.write_bytes((",".join(TARGET_COLUMNS) + "\n450321000000,阳朔县,1,0,0,0\n").encode("gbk"))
    error = refused(cli, "plan", "funding", "--policy", "guilin-2022", "--targets", str(path))
    assert (error["rule"], error["value"]) == ("plan.targets_encoding", "t.csv")


def test_a_missing_targets_file_or_xlsx_without_out_is_refused_by_rule(cli: CliRunner) -> None:
    error = refused(cli, "plan", "funding", "--policy", "guilin-2022", "--targets", "none.csv")
    assert (error["rule"], error["value"]) == ("plan.targets_readable", "none.csv")
    path = filled(cli, Path("t.csv"))
    error = refused(cli, "plan", "funding", "--policy", "guilin-2022", "--targets", str(path),
                    "--format", "xlsx")
    assert error["rule"] == "plan.out_required"
