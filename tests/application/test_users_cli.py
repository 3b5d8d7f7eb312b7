"""`renovation users`, `login`, `logout`, `whoami` as an operator and staff type them."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from renovation.cli import app
from tests.support.cli import cli_runner

PASSWORD = "a good password 1"


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    return cli_runner(monkeypatch, f"sqlite:///{tmp_path}/renovation.db", tmp_path)


def run(cli: CliRunner, line: str, stdin: str | None = None, code: int = 0) -> str:
    result = cli.invoke(app, line.split(), input=stdin)
    assert result.exit_code == code, result.output
    return result.stdout


def add_inspector(cli: CliRunner) -> None:
    run(cli, "users add dj-4503 --name 王小明 --role discipline_inspector"
             " --jurisdiction 450300000000 --valid-from 2022-01-01 --password-stdin",
        stdin=f"{PASSWORD}\n{PASSWORD}\n")


def test_an_integrator_is_registered_with_a_token_printed_alone_on_the_last_line(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = run(cli, "users add Feed-45 --name 对接账户 --role integrator"
                   " --jurisdiction 450000000000")
    token = out.strip().splitlines()[-1]
    assert token.startswith("rnv_") and " " not in token
    monkeypatch.setenv("RENOVATION_TOKEN", token)
    me = json.loads(run(cli, "whoami"))
    assert (me["staff_id"], me["roles"][0]["role"]) == ("feed-45", "integrator")


def test_sign_in_keeps_a_private_session_that_acting_commands_use_until_logout(
    cli: CliRunner, tmp_path: Path,
) -> None:
    add_inspector(cli)
    assert "signed in as dj-4503" in run(cli, "login DJ-4503 --password-stdin",
                                         stdin=PASSWORD + "\n")
    sessions = tmp_path / "config" / "sessions.json"
    assert stat.S_IMODE(sessions.stat().st_mode) == 0o600
    assert stat.S_IMODE(sessions.parent.stat().st_mode) == 0o700
    assert json.loads(run(cli, "whoami"))["staff_id"] == "dj-4503"
    assert "signed out" in run(cli, "logout")
    refused = cli.invoke(app, ["whoami"])
    assert refused.exit_code == 1 and '"auth.required"' in refused.stderr


def test_a_wrong_password_is_refused_naming_the_rule_and_never_echoed(cli: CliRunner) -> None:
    add_inspector(cli)
    result = cli.invoke(app, ["login", "dj-4503", "--password-stdin"], input="guess-guess\n")
    assert result.exit_code == 1
    assert json.loads(result.stderr.splitlines()[-1])["rule"] == "auth.invalid_credentials"
    assert "guess-guess" not in result.output


def test_acting_commands_refuse_without_sign_in_and_the_self_declared_flags_are_gone(
    cli: CliRunner,
) -> None:
    missing = cli.invoke(app, ["case", "history", "450323-2022-00012"])
    assert json.loads(missing.stderr.splitlines()[-1])["rule"] == "store.missing"
    add_inspector(cli)  # the store exists from here on
    result = cli.invoke(app, ["case", "history", "450323-2022-00012"])
    assert result.exit_code == 1
    assert json.loads(result.stderr.splitlines()[-1])["rule"] == "auth.required"
    result = cli.invoke(app, ["case", "dossier", "450323-2022-00012", "--actor-id", "nobody",
                              "--role", "discipline_inspector", "--jurisdiction",
                              "450000000000", "--unmask", "--reason", "x", "--out", "d",
                              "--checkpoints", "cps", "--public-key", "k.pub"])
    assert result.exit_code == 2 and "No such option" in result.output
    assert not Path("d").exists()


def test_users_are_listed_shown_granted_revoked_disabled_and_imported(
    cli: CliRunner, tmp_path: Path,
) -> None:
    add_inspector(cli)
    run(cli, "users grant dj-4503 --role discipline_inspector --jurisdiction 450323000000"
             " --valid-from 2022-01-01")
    run(cli, "users revoke dj-4503 --grant 2 --on 2022-06-01 --reason 调离")
    run(cli, "users disable dj-4503 --reason 离职")
    csv = tmp_path / "staff.csv"
    csv.write_text("staff_id,name,role,jurisdiction,valid_from,valid_until,id_number\n"
                   "tw-450323100,李四,township_officer,450323100000,2022-01-01,,\n"
                   "ap-450323,张三,county_officer,450323000000,2022-01-01,2022-12-31,\n",
                   encoding="utf-8")
    assert json.loads(run(cli, f"users import {csv}")) == {
        "rows": 2, "registered": 2, "already_registered": 0}
    assert json.loads(run(cli, f"users import {csv}"))["already_registered"] == 2
    shown = json.loads(run(cli, "users show DJ-4503"))
    assert (shown["name"], shown["status"], shown["password_set"]) == ("王*明", "disabled", True)
    assert [(g["grant_no"], g["valid_until"]) for g in shown["grants"]] == [
        (1, None), (2, "2022-05-31")]
    listed = json.loads(run(cli, "users list --within 450323000000 --json"))
    assert [m["staff_id"] for m in listed] == ["ap-450323", "dj-4503", "tw-450323100"]
    assert "王小明" not in run(cli, "users list")


def test_bad_directory_input_is_refused_naming_rule_field_and_value(cli: CliRunner) -> None:
    for line, rule, field in (
        ("users add x1 --name 王五 --role mayor --jurisdiction 450300000000 --no-password",
         "input.enum", "role"),
        ("users add x1 --name 王五 --role county_officer --jurisdiction 4503 --no-password",
         "input.division_code", "jurisdiction"),
        ("users add x1 --name 王五 --role county_officer --jurisdiction 450300000000"
         " --no-password", "staff.role_level", "jurisdiction"),
        ("users add ｘ\u0430 --name 王五 --role county_officer --jurisdiction 450321000000"
         " --no-password", "actor.id_form", "staff_id"),
        ("users revoke nobody --grant 1 --reason 调离", "staff.exists", "staff_id"),
    ):
        result = cli.invoke(app, line.split())
        assert result.exit_code == 1, (line, result.output)
        error = json.loads(result.stderr.splitlines()[-1])
        assert (error["rule"], error["field"]) == (rule, field), line
