"""Through the command path, with the illustrative 灵川县 table (fixtures/lingchuan-example.toml,
invented amounts that average the plan's 30,000 / 18,500): a county whose table is in force
approves by its matching row, a county without one at the flat 户均 rate, and 周转安置 only
where the county has set its rate. `renovation policy check-standards` reports the averages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from renovation.aggregates.case import RenovationCase, case_id
from renovation.bootstrap import Runtime
from renovation.cli import app
from renovation.kernel.errors import RuleViolation
from renovation.policy import load_policy
from renovation.simulation.demo import SimulatedClock
from renovation.simulation.lifecycle import Lifecycle
from tests.application.example_policy import EXAMPLE_ID, example_registry, example_text
from tests.support.app import VILLAGE, Scenario, store_fingerprint

LINGCHUAN_VILLAGE = "450323100201"


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[Scenario]:
    with example_registry(tmp_path, monkeypatch):
        scenario = Scenario(runtime, clock)
        scenario.open_programme(EXAMPLE_ID, EXAMPLE_ID)
        scenario.staff(LINGCHUAN_VILLAGE)
        yield scenario


def until_approval(scenario: Scenario, ref: str, village: str,
                   mode: str | None = None) -> list[dict[str, Any]]:
    plan = scenario.plan(ref, stop_after="county_approved", programme_id=EXAMPLE_ID,
                         village=village)
    steps = list(Lifecycle(plan, load_policy(EXAMPLE_ID)).commands())
    for step in steps:
        if step["type"] == "grade_house":
            step["payload"]["grade"] = "D"
    approval = next(i for i, c in enumerate(steps) if c["type"] == "grant_county_approval")
    steps = steps[: approval + 1]
    if mode:
        steps[-1] = {**steps[-1], "payload": {"approved_mode": mode}}
    return steps


def approve(scenario: Scenario, steps: list[dict[str, Any]]) -> RenovationCase:
    for command in steps:
        scenario.run(command)
    case = scenario.rt.app.find(case_id(steps[0]["case_ref"]), RenovationCase)
    assert case is not None
    return case


def test_a_lingchuan_d_grade_rebuild_is_approved_by_the_county_row(scenario: Scenario) -> None:
    case = approve(scenario, until_approval(scenario, "450323-2022-0001", LINGCHUAN_VILLAGE))
    assert case.subsidy is not None
    assert (case.subsidy.rate_id, case.subsidy.amount_yuan) == ("ll-ca-d-rebuild", 20_000)
    assert case.subsidy.split_yuan == {"central_regional": 16_500, "city": 1_500,
                                       "county": 2_000}
    decision = case.subsidy.county_decision
    assert decision is not None and decision.county == "450323000000"
    assert (decision.set_by, decision.set_on) == ("灵川县人民政府（示例，非真实决定）",
                                                  date(2022, 3, 1))


def test_a_county_without_a_table_approves_at_the_flat_household_average(
        scenario: Scenario) -> None:
    case = approve(scenario, until_approval(scenario, "450321-2022-0001", VILLAGE))
    assert case.subsidy is not None
    assert (case.subsidy.rate_id, case.subsidy.amount_yuan) == ("civil-affairs", 18_500)
    assert case.subsidy.county_decision is None


def test_turnover_housing_is_approved_at_the_rate_the_county_set(scenario: Scenario) -> None:
    case = approve(scenario, until_approval(scenario, "450323-2022-0002", LINGCHUAN_VILLAGE,
                                            "turnover_housing"))
    assert case.subsidy is not None
    assert (case.subsidy.rate_id, case.subsidy.amount_yuan) == ("ll-turnover-housing", 10_000)


def test_public_rental_in_the_same_county_is_still_refused(scenario: Scenario) -> None:
    steps = until_approval(scenario, "450323-2022-0003", LINGCHUAN_VILLAGE, "public_rental")
    approve(scenario, steps[:-1])
    before = store_fingerprint(scenario.rt)
    with pytest.raises(RuleViolation) as refused:
        scenario.run(steps[-1])
    assert (refused.value.rule, refused.value.value) == ("subsidy.county_rate_set",
                                                         "public_rental")
    assert store_fingerprint(scenario.rt) == before


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, ["policy", "check-standards", *args])


def test_check_standards_reports_each_county_average_and_passes_the_example(
        tmp_path: Path) -> None:
    example = tmp_path / "example.toml"
    example.write_text(example_text(), encoding="utf-8")
    result = invoke(str(example))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["passed"] is True
    totals = {(a["county"], a["department"]): (a["planned_average"], a["figure"])
              for a in report["averages"] if a["source"] is None}
    assert totals == {("450323000000", "rural_revitalization"): ("30000", 30_000),
                      ("450323000000", "civil_affairs"): ("18500", 18_500)}
    assert json.loads(invoke("guilin-2022").stdout)["averages"] == []


def test_check_standards_fails_a_table_off_its_average_naming_county_department_averages(
        tmp_path: Path) -> None:
    text = example_text().replace("amount = 18750\nsplit = { central_regional = 15250,",
                                  "amount = 18775\nsplit = { central_regional = 15275,")
    off = tmp_path / "off.toml"
    off.write_text(text, encoding="utf-8")  # 40 households × 25 yuan: the average is 18,510
    result = invoke(str(off))
    assert result.exit_code == 1
    assert json.loads(result.stdout)["passed"] is False
    error = json.loads(result.stderr)
    assert error["rule"] == "policy.county_standards_average"
    assert error["field"] == "county_standards.450323000000.civil_affairs"
    assert "planned average 18510 yuan" in error["message"]
    assert "户均 is 18500 yuan" in error["message"]
