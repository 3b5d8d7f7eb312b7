"""`renovation case history|dossier|access-log` and `audit verify-dossier`, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from renovation.bootstrap import build
from renovation.cli import app
from renovation.config import Settings
from renovation.simulation.demo import SimulatedClock
from tests.integration.audit_reads import ASSESSOR, INSPECTOR, REF, drive
from tests.integration.test_audit_cli import cli  # noqa: F401 - the fixture
from tests.support.cli import sign_in


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result.stdout + result.stderr


def test_history_dossier_verify_and_access_log_from_the_command_line(
    cli: CliRunner, settings: Settings, clock: SimulatedClock, tmp_path: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with build(settings, clock=clock) as rt:
        drive(rt, clock, REF)
    sign_in(monkeypatch, INSPECTOR)
    keys, notes, out = tmp_path / "keys", tmp_path / "checkpoints", tmp_path / "dossier"
    made = json.loads(run(cli, "audit", "keygen", "--out", str(keys)))
    run(cli, "audit", "checkpoint", "--key", made["private_key"], "--out", str(notes))

    text = run(cli, "case", "history", REF, "--as-of", "3")
    assert text.startswith(f"case {REF}: versions 1–3 of 21") and "HouseGraded" in text
    history = json.loads(run(cli, "case", "history", REF, "--json"))
    assert [e["version"] for e in history["events"]] == list(range(1, 22))

    run(cli, "case", "dossier", REF, "--out", str(out), "--checkpoints", str(notes),
        "--public-key", made["public_key"], "--reason", "线索核查")
    pinned = ["--public-key", made["public_key"]]
    assert run(cli, "audit", "verify-dossier", str(out), *pinned).startswith("intact:")

    dossier = json.loads((out / "dossier.json").read_text(encoding="utf-8"))
    dossier["events"][6]["position"] += 1
    (out / "dossier.json").write_text(json.dumps(dossier), encoding="utf-8")
    broken = run(cli, "audit", "verify-dossier", str(out), *pinned, code=1)
    assert broken.startswith("BROKEN — event version 7")
    (out / "dossier.json").write_text("{not json", encoding="utf-8")
    run(cli, "audit", "verify-dossier", str(out), *pinned, code=2)

    log = json.loads(run(cli, "case", "access-log", REF, "--json"))
    assert [e["action"] for e in log] == ["history_viewed", "history_viewed", "dossier_exported"]
    assert log[2]["reason"] == "线索核查"
    assert {(e["actor"]["id"], e["actor"]["recorded_by"]) for e in log} == {(INSPECTOR, INSPECTOR)}


def test_a_reader_not_signed_in_or_without_the_role_is_refused_naming_the_rule_field_and_value(
    cli: CliRunner, settings: Settings, clock: SimulatedClock,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with build(settings, clock=clock) as rt:
        drive(rt, clock, REF, stop_after="applied")

    def refused() -> tuple[str, str, object]:
        result = cli.invoke(app, ["case", "history", REF, "--reason", "核查"])
        assert result.exit_code == 1, (result.stdout, result.stderr)
        error = json.loads(result.stderr.splitlines()[-1])  # after any warning logged
        return error["rule"], error["field"], error["value"]

    assert refused() == ("auth.required", "token", None)
    monkeypatch.setenv("RENOVATION_TOKEN", "dj-4503")
    assert refused() == ("auth.token_malformed", "token", "***")
    sign_in(monkeypatch, ASSESSOR)
    assert refused() == ("authorization.role_action", "actor.role", "assessor")
    sign_in(monkeypatch, INSPECTOR)
    assert json.loads(run(cli, "case", "access-log", REF, "--json")) == []
