"""`renovation policy show ID` prints each figure beside its citation: a table for people, and
with `--json` the policy and its figures, each with the citation that covers it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from renovation.cli import app
from renovation.policy import load_policy
from tests.support.cli import cli_runner


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("COLUMNS", "400")
    return cli_runner(monkeypatch, f"sqlite:///{tmp_path}/r.db", tmp_path)


def shown(cli: CliRunner, *args: str) -> str:
    result = cli.invoke(app, ["policy", "show", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("policy_id", ["guilin-2022", "ningxia-2021"])
def test_the_table_shows_every_cited_figure_beside_its_source(
    cli: CliRunner, policy_id: str,
) -> None:
    table = shown(cli, policy_id)
    policy = load_policy(policy_id)
    for path, citation in policy.sources.items():
        assert path in table, path
        assert citation.text() in table, path


def test_the_table_says_plainly_which_figures_no_seed_states(cli: CliRunner) -> None:
    line = next(row for row in shown(cli, "ningxia-2021").splitlines()
                if "calendar.start_by" in row)
    assert "decision: renovation 维护者" in line and "seed 003" not in line.split("│")[3]


def test_json_gives_each_figure_its_value_and_citation(cli: CliRunner) -> None:
    data: dict[str, Any] = json.loads(shown(cli, "guilin-2022", "--json"))
    assert data["id"] == "guilin-2022" and data["fund_sources"]["city"]
    figures = {f["figure"]: f for f in data["figures"]}
    submit = figures["payment.submit_by_day"]
    assert (submit["value"], submit["citation"]["kind"], submit["citation"]["section"]) == (
        25, "seed", "§四(八)")
    assert figures["categories.urban_dibao_rural_hukou"]["citation"]["quote"] == (
        "农村户籍人口享受城市低保的视为农村低保户")
    dibao = figures["categories.dibao"]
    assert (dibao["value"], dibao["cited_at"]) == ("civil_affairs", "categories")
    assert figures["notice_min_days.village"]["citation"]["kind"] == "decision"
    assert all(f["citation"] for f in data["figures"])


def test_an_unknown_policy_is_refused_by_rule(cli: CliRunner) -> None:
    result = cli.invoke(app, ["policy", "show", "atlantis-2022", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stderr)["rule"] == "policy.known"
