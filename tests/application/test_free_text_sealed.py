"""Free text officials write about a household (a withdrawal's reason) is sealed with the
household's key: masked in the log and the feed, readable when unmasked, gone once erased."""

from __future__ import annotations

from datetime import date

import pytest

from renovation.aggregates.case import RenovationCase, case_id
from renovation.application.sealing import FREE_TEXT
from renovation.bootstrap import Runtime
from renovation.kernel.protected import ProtectedValue
from renovation.simulation.demo import SimulatedClock
from renovation.stream.feed import Feed
from tests.support.app import Scenario

REASON = "户主王建国（13912345678）外出务工，自愿放弃"


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    return Scenario(runtime, clock)


def withdrawn(scenario: Scenario) -> ProtectedValue:
    scenario.drive(scenario.plan("450321-2022-0001", stop_after="applied"))
    scenario.run(scenario.command("withdraw_case", "450321-2022-0001", "clerk",
                                  date(2022, 3, 20), {"reason": REASON, "evidence": []}))
    case = scenario.rt.app.find(case_id("450321-2022-0001"), RenovationCase)
    assert case is not None
    [event] = [e for e in scenario.rt.app.events.get(case.id)
               if type(e).__name__ == "CaseWithdrawn"]
    assert isinstance(event.reason, ProtectedValue)
    return event.reason


def test_a_withdrawal_reason_is_sealed_masked_and_opens_for_a_reader(scenario: Scenario) -> None:
    reason = withdrawn(scenario)
    assert reason.masked == f"〔{len(REASON)}字，已加密〕"
    assert REASON not in reason.model_dump_json()
    assert scenario.rt.reader.reveal(reason, FREE_TEXT) == REASON


def test_the_feed_publishes_only_the_masked_reason(scenario: Scenario) -> None:
    withdrawn(scenario)
    page = Feed(scenario.rt.app).page(0, 1000, types=["case.withdrawn"])["events"]
    [published] = page
    assert published["payload"]["reason"] == {"masked": f"〔{len(REASON)}字，已加密〕",
                                              "ref": None}


def test_erasing_the_household_erases_its_free_text(scenario: Scenario) -> None:
    reason = withdrawn(scenario)
    scenario.rt.erasures.erase(scenario.manager, "450321-2022-0001", "户主申请删除个人信息")
    assert scenario.rt.reader.reveal(reason, FREE_TEXT) is None
