"""The command line: a thin door with the same rules; refusals exit 1 with the rule as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from renovation.cli import app
from tests.support.cli import cli_runner, sign_in


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    return cli_runner(monkeypatch, f"sqlite:///{tmp_path}/r.db", tmp_path)


def test_help_lists_the_commands_that_exist(cli: CliRunner) -> None:
    result = cli.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("demo", "execute", "case", "policy", "store", "version"):
        assert command in result.output


def test_the_demo_records_once_and_a_case_can_be_shown(cli: CliRunner) -> None:
    first = cli.invoke(app, ["demo", "--households", "26"])
    assert first.exit_code == 0, first.output
    head = json.loads(cli.invoke(app, ["store", "info"]).output)["head_position"]
    again = cli.invoke(app, ["demo", "--households", "26"])
    assert "0 commands applied" in again.output
    assert json.loads(cli.invoke(app, ["store", "info"]).output)["head_position"] == head
    shown = json.loads(cli.invoke(app, ["case", "show", "450323-2022-00001"]).output)
    assert shown["case_ref"] == "450323-2022-00001" and "*" in shown["head"]["id_number"]


def test_a_refused_command_exits_1_with_its_rule(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(monkeypatch)  # as the programme manager, who may enter acts of 450321's cases
    command = tmp_path / "command.json"
    command.write_text(
        json.dumps(
            {
                "command_id": "c-1",
                "type": "close_case",
                "case_ref": "450321-2022-0404",
                "actor": {"id": "ap-450321", "role": "county_officer"},
                "occurred_on": "2022-12-01",
                "payload": {},
            }
        )
    )
    result = cli.invoke(app, ["execute", str(command)])
    assert result.exit_code == 1
    error = json.loads(result.stderr)
    assert (error["rule"], error["field"], error["value"]) == (
        "case.exists",
        "case_ref",
        "450321-2022-0404",
    )


def test_policies_can_be_listed_and_shown(cli: CliRunner) -> None:
    assert "guilin-2022" in cli.invoke(app, ["policy", "list"]).output
    shown = json.loads(cli.invoke(app, ["policy", "show", "ningxia-2021", "--json"]).output)
    assert shown["fund_sources"]["city_county"]
    unknown = cli.invoke(app, ["policy", "show", "atlantis-2022"])
    assert unknown.exit_code == 1 and json.loads(unknown.stderr)["rule"] == "policy.known"
