"""README's inspector walk-through, as a newcomer types it after the demo: sign in with a demo
login, replay a case, export its archive unmasked, read the access log, review a finding, sign
out — and every record names the signed-in inspector."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from renovation.cli import app
from renovation.simulation.staff import DEMO_PASSWORD
from tests.support.cli import cli_runner

CASE = "450323-2022-00012"


def run(cli: CliRunner, *args: str, stdin: str | None = None, code: int = 0) -> str:
    result = cli.invoke(app, list(args), input=stdin)
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    return result.stdout


def last_error(cli: CliRunner, *args: str) -> dict[str, object]:
    result = cli.invoke(app, list(args))
    assert result.exit_code == 1, (args, result.output)
    return json.loads(result.stderr.splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.slow
def test_the_readme_walkthrough_runs_signed_in(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    cli = cli_runner(monkeypatch, f"sqlite:///{tmp_path}/renovation.db", tmp_path)
    demo = run(cli, "demo", "--households", "250")
    assert "dj-4503" in demo and DEMO_PASSWORD in demo
    keys, cps, out = tmp_path / "keys", tmp_path / "cps", tmp_path / "dossier"
    made = json.loads(run(cli, "audit", "keygen", "--out", str(keys)))
    run(cli, "audit", "checkpoint", "--key", made["private_key"], "--out", str(cps))

    assert last_error(cli, "case", "history", CASE)["rule"] == "auth.required"
    run(cli, "login", "dj-4503", "--password-stdin", stdin=DEMO_PASSWORD + "\n")
    assert json.loads(run(cli, "whoami"))["staff_id"] == "dj-4503"

    history = run(cli, "case", "history", CASE, "--reason", "线索核查")
    assert history.startswith(f"case {CASE}:") and "entered by pm-4503" in history
    exported = json.loads(run(
        cli, "case", "dossier", CASE, "--out", str(out), "--checkpoints", str(cps),
        "--public-key", made["public_key"], "--reason", "线索核查", "--unmask"))
    assert "household.head.id_number" in exported["unmasked_fields"]
    assert run(cli, "audit", "verify-dossier", str(out), "--public-key",
               made["public_key"]).startswith("intact:")
    log = json.loads(run(cli, "case", "access-log", CASE, "--json"))
    assert [(e["action"], e["actor"]["id"], e["actor"]["recorded_by"]) for e in log] == [
        ("history_viewed", "dj-4503", "dj-4503"), ("dossier_exported", "dj-4503", "dj-4503"),
        ("personal_data_unmasked", "dj-4503", "dj-4503")]

    findings = json.loads(run(cli, "findings", "list", "--json"))["findings"]
    short_paid = next(f for f in findings if f["rule"] == "short_paid")
    decided = json.loads(run(cli, "findings", "confirm", short_paid["finding_id"][:8],
                             "--reason", "财政凭证核实少付"))
    assert decided["decided_by"]["id"] == "dj-4503"
    again = last_error(cli, "findings", "dismiss", short_paid["finding_id"][:8],
                       "--reason", "同一人改判")
    assert again["rule"] == "finding.change_by_another_reviewer"

    run(cli, "logout")
    assert last_error(cli, "case", "access-log", CASE)["rule"] == "auth.required"
    run(cli, "login", "pm-4503", "--password-stdin", stdin=DEMO_PASSWORD + "\n")
    assert last_error(cli, "case", "dossier", CASE, "--out", str(tmp_path / "d2"),
                      "--checkpoints", str(cps), "--public-key", made["public_key"],
                      "--reason", "越权", "--unmask")["rule"] == "authorization.role_action"
    assert not (tmp_path / "d2").exists()
