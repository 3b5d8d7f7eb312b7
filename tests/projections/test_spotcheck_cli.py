"""`renovation spotcheck` after a demo: its draws re-verify; draw, verify, report as doors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from renovation.cli import app as renovation
from renovation.cli import spotcheck
from tests.support.cli import cli_runner, sign_in
from tests.support.spotcheck import INSPECTOR


@pytest.fixture
def cli(store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    return cli_runner(monkeypatch, store_url, tmp_path)


def spot(cli: CliRunner, *args: str, exit_code: int = 0) -> Any:
    result = cli.invoke(spotcheck.app, list(args))
    assert result.exit_code == exit_code, result.output
    return result


def test_the_demo_draws_each_county_once_and_every_draw_reverifies(cli: CliRunner) -> None:
    first = cli.invoke(renovation, ["demo", "--households", "60", "--json"])
    assert first.exit_code == 0, first.output
    draws = json.loads(first.stdout)["spot_checks"]
    assert draws and all(d["verified"] and d["drawn_now"] for d in draws)
    assert all(d["drawn"] >= d["required"] >= 1 and d["checked"] == d["drawn"] for d in draws)
    head = json.loads(cli.invoke(renovation, ["store", "info"]).output)["head_position"]
    again = json.loads(cli.invoke(renovation, ["demo", "--households", "60", "--json"]).stdout)
    assert [d["drawn_now"] for d in again["spot_checks"]] == [False] * len(draws)
    assert json.loads(cli.invoke(renovation, ["store", "info"]).output)["head_position"] == head

    report = json.loads(spot(cli, "report", "--json").stdout)["counties"]
    assert {r["county"]: (r["accepted"], r["drawn"]) for r in report} == {
        d["county"]: (d["accepted"], d["drawn"]) for d in draws}
    assert all(r["meets_minimum"] and r["checked"] == r["drawn"] for r in report)
    assert "市级抽查" in spot(cli, "report").stdout


def test_draw_verify_and_their_refusals_from_the_command_line(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli.invoke(renovation, ["demo", "--households", "60"]).exit_code == 0
    county = ["--programme", "guilin-2022", "--county", "450323000000"]
    verified = json.loads(spot(cli, "verify", *county, "--json").stdout)
    assert verified["ok"] and verified["mismatches"] == []

    wrong = spot(cli, "verify", *county, "--seed-hex", "ab" * 16, exit_code=1)
    assert "NOT verified" in wrong.stdout and "seed_differs" in wrong.stdout

    anonymous = spot(cli, "draw", *county, "--round", "2", "--seed-hex", "ab" * 16, exit_code=1)
    assert json.loads(anonymous.stderr)["rule"] == "auth.required"
    sign_in(monkeypatch, INSPECTOR)
    twice = spot(cli, "draw", *county, "--seed-hex", "ab" * 16, exit_code=1)
    error = json.loads(twice.stderr)
    assert (error["rule"], error["field"], error["value"]) == (
        "spotcheck.round_already_drawn", "round", 1)

    short = spot(cli, "draw", *county, "--round", "2", "--seed-hex", "ab", exit_code=1)
    assert json.loads(short.stderr)["rule"] == "spotcheck.seed_hex"

    drawn = json.loads(spot(cli, "draw", *county, "--round", "2", "--ratio", "0.25",
                            "--seed-hex", "ab" * 16, "--on", "2022-12-20").stdout)
    assert (drawn["round"], drawn["ratio"], drawn["drawn_on"]) == (2, "0.25", "2022-12-20")
    assert len(drawn["selected"]) >= drawn["required"]
    assert drawn["drawn_by"] == INSPECTOR
    assert json.loads(spot(cli, "verify", *county, "--round", "2", "--json").stdout)["ok"]
