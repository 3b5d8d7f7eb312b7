"""Erasing a household's personal data: recorded, authorised, only once its cases are over; the
values are unreadable afterwards while the audit chain still verifies."""

from __future__ import annotations

import pytest

from renovation.aggregates.case import RenovationCase, case_id
from renovation.aggregates.erasure import HouseholdErasure, erasure_id
from renovation.audit.verify import verify_store
from renovation.bootstrap import Runtime
from renovation.kernel.errors import RuleViolation
from renovation.secrets_config import head_public_key
from renovation.simulation.demo import SimulatedClock
from renovation.simulation.staff import principal
from tests.support.app import Scenario, store_fingerprint

REASON = "户主本人申请删除个人信息（个人信息保护法第四十七条）"


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    return Scenario(runtime, clock)


def case_of(rt: Runtime, ref: str) -> RenovationCase:
    found = rt.app.find(case_id(ref), RenovationCase)
    assert found is not None
    return found


def test_an_erased_household_is_unreadable_recorded_and_the_chain_still_verifies(
        scenario: Scenario) -> None:
    household = scenario.household()
    scenario.drive(scenario.plan("450321-2022-0001", household=household))
    rt = scenario.rt
    head = case_of(rt, "450321-2022-0001").household.head
    assert rt.reader.reveal(head.id_number, "person.id_number") == household["head"]["id_number"]
    done = rt.erasures.erase(scenario.manager, "450321-2022-0001", REASON)
    assert done["erased_by"] == "pm-4503"
    assert rt.reader.reveal(head.id_number, "person.id_number") is None
    assert rt.reader.reveal(head.name, "person.name") is None
    record = rt.app.find(erasure_id(head.ref), HouseholdErasure)
    assert record is not None and record.case_ref == "450321-2022-0001"
    key, _ = head_public_key(rt.settings)
    report = verify_store(rt.settings.db, head_key=key)
    assert report.ok, report.problems[:3]
    with pytest.raises(RuleViolation) as again:
        scenario.drive(scenario.plan("450321-2022-0002", household=household))
    assert again.value.rule == "identity.household_erased"


def test_erasing_twice_records_once(scenario: Scenario) -> None:
    scenario.drive(scenario.plan("450321-2022-0001"))
    scenario.rt.erasures.erase(scenario.manager, "450321-2022-0001", REASON)
    before = store_fingerprint(scenario.rt)
    scenario.rt.erasures.erase(scenario.manager, "450321-2022-0001", REASON)
    assert store_fingerprint(scenario.rt) == before


def test_a_household_with_an_open_case_is_not_erased_and_nothing_is_written(
        scenario: Scenario) -> None:
    scenario.drive(scenario.plan("450321-2022-0001", stop_after="county_approved"))
    before = store_fingerprint(scenario.rt)
    with pytest.raises(RuleViolation) as refused:
        scenario.rt.erasures.erase(scenario.manager, "450321-2022-0001", REASON)
    assert (refused.value.rule, refused.value.value) == ("erasure.cases_over", "450321-2022-0001")
    assert store_fingerprint(scenario.rt) == before
    head = case_of(scenario.rt, "450321-2022-0001").household.head
    assert scenario.rt.reader.reveal(head.name, "person.name") is not None


@pytest.mark.parametrize(("who", "reason", "rule"), [
    ("vc-450321100201", REASON, "authorization.denied"),
    ("pm-4503", "", "erasure.reason_required"),
])
def test_erasure_needs_an_authorised_role_and_a_reason(
        scenario: Scenario, who: str, reason: str, rule: str) -> None:
    scenario.drive(scenario.plan("450321-2022-0001"))
    before = store_fingerprint(scenario.rt)
    with pytest.raises(RuleViolation) as refused:
        scenario.rt.erasures.erase(principal(scenario.rt, who), "450321-2022-0001", reason)
    assert refused.value.rule.startswith(rule.split(".")[0]), refused.value.rule
    assert store_fingerprint(scenario.rt) == before
