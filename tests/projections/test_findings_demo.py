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
from renovation.simulation.registries import COMPARISON
from renovation.simulation.registries import planted as planted_cases
from tests.support.cli import cli_runner, sign_in

RULE_OF = {
    "shared_account": "shared_account", "shared_phone": "shared_phone",
    "split_household": "duplicate_benefit", "reused_photo": "reused_evidence",
    "short_paid": "short_paid", "paid_late": "paid_late", "unpaid_overdue": "unpaid_overdue",
    "backdated": "backdated", "too_fast": "completed_too_fast",
    "over_area": "area_out_of_bounds", "proxy_signing": "proxy_signing",
    "assessor_outlier": "assessor_outlier", "acceptance_overload": "acceptance_overload",
    "builder_concentration": "builder_concentration",
    "applications_exceed_survey": "applications_exceed_survey",
}
"""The demo's irregularity → the rule that must find it."""
WITH_PARTNER = {"shared_account", "shared_phone", "split_household", "reused_photo"}
COUNTY_INSPECTOR = "dj-450323"
"""灵川县's discipline inspector (450323000000), the county of the demo's irregular cases."""
CITY_INSPECTOR = "dj-4503"
"""The city's discipline inspector (450300000000), senior to the county's."""
CLERK_VILLAGE = "450323101201"


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
    return {(rule, tuple(refs)) for rule, refs in grouped.items()} | compared()


def compared() -> set[tuple[str, tuple[str, ...]]]:
    """The registry comparison's findings: each planted pattern on its case, and the 分户 case
    whose moved member the household registration still lists beside the partner's family."""
    planted = {(kind, (ref,)) for ref, kind in planted_cases(Settings()).items()
               if kind in COMPARISON}
    split = [(ref, case_ref(ref[:6], int(ref[-5:]) - 1))
             for ref, kind in irregular_cases(Settings()).items() if kind == "split_household"]
    return planted | {("household_registered_twice", (partner, ref)) for ref, partner in split}


def test_the_demo_findings_are_exactly_the_injected_irregularities(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke(cli, "demo")
    sign_in(monkeypatch, CITY_INSPECTOR)
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
            history = json.loads(invoke(cli, "case", "history", e["case_ref"],
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


def test_an_inspector_confirms_then_a_senior_one_dismisses_and_both_decisions_stay_in_the_trail(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke(cli, "demo")
    [item] = findings(cli, "--rule", "short_paid")["findings"]
    fid = item["finding_id"]
    sign_in(monkeypatch, COUNTY_INSPECTOR)
    invoke(cli, "findings", "confirm", fid, "--reason", "财政凭证核实少付3500元")
    again = cli.invoke(app, ["findings", "confirm", fid, "--reason", "再次确认"])
    assert again.exit_code == 1 and "finding.decision_changes" in again.output
    assert findings(cli, "--status", "confirmed")["findings"][0]["finding_id"] == fid
    own = cli.invoke(app, ["findings", "dismiss", fid, "--reason", "差额已由县级补发，凭证在案"])
    assert own.exit_code == 1 and "finding.change_by_another_reviewer" in own.output
    assert findings(cli, "--status", "confirmed")["findings"][0]["finding_id"] == fid
    sign_in(monkeypatch, CITY_INSPECTOR)
    invoke(cli, "findings", "dismiss", fid, "--reason", "差额已由县级补发，凭证在案")
    [dismissed] = findings(cli, "--status", "dismissed")["findings"]
    assert (dismissed["finding_id"], dismissed["review"]["decisions"]) == (fid, 2)
    assert dismissed["review"]["by"] == {"id": CITY_INSPECTOR, "role": "discipline_inspector"}
    assert fid not in {x["finding_id"] for x in findings(cli, "--status", "open")["findings"]}
    sign_in(monkeypatch, COUNTY_INSPECTOR)
    junior = cli.invoke(app, ["findings", "confirm", fid, "--reason", "县级坚持查实意见"])
    assert junior.exit_code == 1 and "finding.change_by_senior_reviewer" in junior.output
    [still] = findings(cli, "--status", "dismissed")["findings"]
    assert (still["finding_id"], still["review"]["decisions"]) == (fid, 2)


def test_a_decision_without_a_reason_or_by_a_role_without_the_duty_writes_nothing(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke(cli, "demo", "--households", "600")
    [item] = findings(cli, "--rule", "short_paid")["findings"]
    fid = item["finding_id"]
    sign_in(monkeypatch, CITY_INSPECTOR)
    short = cli.invoke(app, ["findings", "confirm", fid, "--reason", "ok"])
    assert short.exit_code == 1 and "finding.reason_required" in short.output
    sign_in(monkeypatch, f"vc-{CLERK_VILLAGE}", villages=(CLERK_VILLAGE,))
    refused = cli.invoke(app, ["findings", "confirm", fid, "--reason", "我来确认一下"])
    assert refused.exit_code == 1 and "authorization.role_action" in refused.output
    assert findings(cli, "--status", "open")["counts"]["short_paid"] == 1
