"""After `renovation demo`, the findings are exactly the injected irregularities, with evidence;
after `demo --clean`, there are none. Inspectors confirm or dismiss them as recorded events."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from renovation.cli import app
from renovation.simulation.programme import Settings, case_ref, irregular_cases
from tests.support.cli import cli_runner

RULE_OF = {
    "shared_account": "shared_account", "shared_phone": "shared_phone",
    "split_household": "duplicate_benefit", "reused_photo": "reused_evidence",
    "short_paid": "short_paid", "paid_late": "paid_late", "unpaid_overdue": "unpaid_overdue",
    "backdated": "backdated", "too_fast": "completed_too_fast",
    "over_area": "area_out_of_bounds", "proxy_signing": "proxy_signing",
}
"""The demo's irregularity → the rule that must find it."""
WITH_PARTNER = {"shared_account", "shared_phone", "split_household", "reused_photo"}
INSPECTOR = ["--actor-id", "jw-4503", "--role", "discipline_inspector",
             "--jurisdiction", "450300000000"]


@pytest.fixture
def cli(store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    return cli_runner(monkeypatch, store_url, tmp_path)


def invoke(cli: CliRunner, *args: str, code: int = 0) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.stdout


def findings(cli: CliRunner, *args: str) -> dict[str, Any]:
    return json.loads(invoke(cli, "findings", "list", "--json", *args))


def expected() -> set[tuple[str, tuple[str, ...]]]:
    out: dict[str, set[str]] = {}
    for ref, kind in irregular_cases(Settings()).items():
        refs = out.setdefault(RULE_OF[kind], set())
        refs.add(ref)
        if kind in WITH_PARTNER:
            refs.add(case_ref(ref[:6], int(ref[-5:]) - 1))
    grouped = {rule: sorted(refs) for rule, refs in out.items()}
    return {(rule, tuple(refs)) for rule, refs in grouped.items()}


def test_the_demo_findings_are_exactly_the_injected_irregularities(cli: CliRunner) -> None:
    invoke(cli, "demo")
    answer = findings(cli)
    assert {(x["rule"], tuple(x["case_refs"])) for x in answer["findings"]} == expected()
    for item in answer["findings"]:
        assert item["evidence"], item
        assert {e["case_ref"] for e in item["evidence"]} == set(item["case_refs"])
        assert all(e["position"] > 0 and e["version"] >= 1 and e["case_id"]
                   for e in item["evidence"])
    assert findings(cli, "--county", "450321000000")["findings"] == []
    for item in answer["findings"]:
        for e in item["evidence"]:  # each evidence item is the stored event it names
            history = json.loads(invoke(cli, "case", "history", e["case_ref"], *INSPECTOR,
                                        "--reason", "线索核查", "--json"))
            [entry] = [h for h in history["events"] if h["version"] == e["version"]]
            assert (entry["position"], entry["event"]) == (e["position"], e["event"])
    [overdue] = findings(cli, "--rule", "unpaid_overdue")["findings"]
    assert findings(cli, "--rule", "unpaid_overdue", "--as-of", "2022-09-01")["findings"] == []
    shown = json.loads(invoke(cli, "findings", "show", overdue["finding_id"][:8]))
    assert shown["finding_id"] == overdue["finding_id"]


def test_a_clean_demo_has_no_finding(cli: CliRunner) -> None:
    invoke(cli, "demo", "--clean")
    assert findings(cli)["findings"] == []


def test_an_inspector_confirms_then_dismisses_and_both_decisions_stay_in_the_trail(
    cli: CliRunner,
) -> None:
    invoke(cli, "demo")
    [item] = findings(cli, "--rule", "short_paid")["findings"]
    fid = item["finding_id"]
    invoke(cli, "findings", "confirm", fid, *INSPECTOR, "--reason", "财政凭证核实少付3500元")
    invoke(cli, "findings", "confirm", fid, *INSPECTOR, "--reason", "再次确认", code=1)
    assert findings(cli, "--status", "confirmed")["findings"][0]["finding_id"] == fid
    invoke(cli, "findings", "dismiss", fid, *INSPECTOR, "--reason", "差额已由县级补发，凭证在案")
    [dismissed] = findings(cli, "--status", "dismissed")["findings"]
    assert (dismissed["finding_id"], dismissed["review"]["decisions"]) == (fid, 2)
    assert dismissed["review"]["by"] == {"id": "jw-4503", "role": "discipline_inspector"}
    assert fid not in {x["finding_id"] for x in findings(cli, "--status", "open")["findings"]}


def test_a_decision_without_a_reason_or_by_a_role_without_the_duty_writes_nothing(
    cli: CliRunner,
) -> None:
    invoke(cli, "demo", "--households", "600")
    [item] = findings(cli, "--rule", "short_paid")["findings"]
    fid = item["finding_id"]
    short = cli.invoke(app, ["findings", "confirm", fid, *INSPECTOR, "--reason", "ok"])
    assert short.exit_code == 1 and "finding.reason_required" in short.output
    clerk = ["--actor-id", "vc-1", "--role", "village_clerk", "--jurisdiction", "450323101201"]
    refused = cli.invoke(app, ["findings", "confirm", fid, *clerk, "--reason", "我来确认一下"])
    assert refused.exit_code == 1 and "authorization" in refused.output
    assert findings(cli, "--status", "open")["counts"]["short_paid"] == 1
