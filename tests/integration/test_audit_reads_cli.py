"""`renovation case history|dossier|access-log` and `audit verify-dossier`, end to end."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from renovation.bootstrap import build
from renovation.cli import app
from renovation.config import Settings
from renovation.simulation.demo import SimulatedClock
from tests.integration.audit_reads import REF, drive
from tests.integration.test_audit_cli import cli  # noqa: F401 - the fixture

ACTOR = ["--actor-id", "dj-4503", "--role", "discipline_inspector",
         "--jurisdiction", "450321000000"]


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result.stdout + result.stderr


def test_history_dossier_verify_and_access_log_from_the_command_line(
    cli: CliRunner, settings: Settings, clock: SimulatedClock, tmp_path: Path  # noqa: F811
) -> None:
    with build(settings, clock=clock) as rt:
        drive(rt, clock, REF)
    keys, notes, out = tmp_path / "keys", tmp_path / "checkpoints", tmp_path / "dossier"
    made = json.loads(run(cli, "audit", "keygen", "--out", str(keys)))
    run(cli, "audit", "checkpoint", "--key", made["private_key"], "--out", str(notes))

    text = run(cli, "case", "history", REF, *ACTOR, "--as-of", "3")
    assert text.startswith(f"case {REF}: versions 1–3 of 21") and "HouseGraded" in text
    history = json.loads(run(cli, "case", "history", REF, *ACTOR, "--json"))
    assert [e["version"] for e in history["events"]] == list(range(1, 22))

    run(cli, "case", "dossier", REF, *ACTOR, "--out", str(out), "--checkpoints", str(notes),
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

    log = json.loads(run(cli, "case", "access-log", REF, *ACTOR, "--json"))
    assert [e["action"] for e in log] == ["history_viewed", "history_viewed", "dossier_exported"]
    assert log[2]["reason"] == "线索核查"


def test_bad_actor_input_is_refused_naming_the_rule_field_and_value(
    cli: CliRunner, settings: Settings, clock: SimulatedClock  # noqa: F811
) -> None:
    with build(settings, clock=clock) as rt:
        drive(rt, clock, REF, stop_after="applied")
    result = cli.invoke(app, ["case", "history", REF, "--actor-id", "x", "--role", "nobody",
                              "--jurisdiction", "450321000000"])
    assert result.exit_code == 1
    error = json.loads(result.stderr)
    assert (error["rule"], error["field"], error["value"]) == ("input.enum", "actor.role",
                                                                "nobody")
