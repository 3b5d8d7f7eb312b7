"""名单核对: where a policy refuses households their certifying department's list does not show,
certification and county approval check the list snapshot in force that day; elsewhere the
comparison only flags them (tests/projections/test_comparison.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from renovation.bootstrap import Runtime
from renovation.kernel.errors import RuleViolation
from renovation.policy import registry
from renovation.registry.samples import example_row, write_csv
from renovation.simulation.clock import SimulatedClock
from tests.support.app import Scenario

POLICY = "guilinlists-2022"


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    return Scenario(runtime, clock)
SHIPPED = resources.files("renovation.policy") / "data"


@pytest.fixture
def strict_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Guilin 2022 under another id, refusing households missing from their list."""
    folder = tmp_path / "policies"
    folder.mkdir()
    for shipped in SHIPPED.iterdir():
        if shipped.name.endswith(".toml"):
            with resources.as_file(shipped) as path:
                shutil.copy(path, folder / shipped.name)
    text = (SHIPPED / "guilin-2022.toml").read_text(encoding="utf-8")
    text = text.replace('id = "guilin-2022"', f'id = "{POLICY}"')
    (folder / f"{POLICY}.toml").write_text(text + '\n[comparison]\non_list = "refuse"\n',
                                           encoding="utf-8")
    monkeypatch.setattr(registry, "_DATA", folder)
    registry.load_policy.cache_clear()
    registry.policy_ids.cache_clear()
    yield POLICY
    monkeypatch.undo()
    registry.load_policy.cache_clear()
    registry.policy_ids.cache_clear()


def commands(scenario: Scenario, ref: str) -> tuple[str, list[dict[str, object]]]:
    plan = scenario.plan(ref, programme_id=POLICY)
    listed = scenario.commands(plan)
    return str(plan.household["head"]["id_number"]), listed


def load_dibao(scenario: Scenario, tmp_path: Path, id_number: str) -> None:
    scenario.clock.business_day(date(2022, 2, 20))
    path = write_csv(tmp_path / "dibao.csv", "dibao",
                     [example_row("dibao", id_number, valid_from=date(2021, 1, 1))])
    scenario.rt.registries.import_file(scenario.manager, path, kind="dibao",
                                       as_of=date(2022, 2, 20), department="县民政局")


def test_a_household_missing_from_the_list_is_refused_certification(
        scenario: Scenario, strict_policy: str, tmp_path: Path) -> None:
    scenario.open_programme(POLICY, strict_policy)
    on_list, listed = commands(scenario, "450321-2022-0001")
    _, missing = commands(scenario, "450321-2022-0002")
    load_dibao(scenario, tmp_path, on_list)
    scenario.run(listed[0])
    scenario.run(listed[1])  # certified: the head is on the 低保 list
    scenario.run(missing[0])
    with pytest.raises(RuleViolation) as refused:
        scenario.run(missing[1])
    assert (refused.value.rule, refused.value.field, refused.value.value) == (
        "category.on_certifying_list", "category", "dibao")
    assert "2022-02-20" in str(refused.value) and on_list not in str(refused.value)


def test_without_a_list_loaded_certification_is_not_checked(
        scenario: Scenario, strict_policy: str) -> None:
    scenario.open_programme(POLICY, strict_policy)
    _, steps = commands(scenario, "450321-2022-0001")
    for command in steps[:2]:
        scenario.run(command)


def test_a_policy_that_only_flags_certifies_a_household_missing_from_the_list(
        scenario: Scenario, tmp_path: Path) -> None:
    plan = scenario.plan("450321-2022-0001")
    load_dibao(scenario, tmp_path, str(scenario.household()["head"]["id_number"]))
    for command in scenario.commands(plan)[:2]:
        scenario.run(command)


def test_a_household_dropped_from_the_list_before_approval_is_refused_approval(
        scenario: Scenario, strict_policy: str, tmp_path: Path) -> None:
    scenario.open_programme(POLICY, strict_policy)
    _, steps = commands(scenario, "450321-2022-0001")
    approval = next(i for i, c in enumerate(steps) if c["type"] == "grant_county_approval")
    for command in steps[:approval]:
        scenario.run(command)  # certified while no list was loaded
    other = str(scenario.household()["head"]["id_number"])
    day = date.fromisoformat(str(steps[approval]["occurred_on"]))
    scenario.clock.business_day(day)
    path = write_csv(tmp_path / "dibao.csv", "dibao", [example_row("dibao", other)])
    scenario.rt.registries.import_file(scenario.manager, path, kind="dibao", as_of=day,
                                       department="县民政局")
    with pytest.raises(RuleViolation) as refused:
        scenario.run(steps[approval])
    assert refused.value.rule == "category.on_certifying_list"
