"""The reason an official states for reading a case may name people (a tip-off's informant),
so it is sealed with a key of the case's access log: the log holds its length, the access log's
readers the words, and a household's erasure leaves the record of who read its case and why."""

from __future__ import annotations

from datetime import date

from renovation.aggregates.access import access_log_id
from renovation.bootstrap import Runtime
from renovation.kernel.protected import ProtectedValue
from renovation.simulation.demo import SimulatedClock
from tests.support.app import Scenario

CASE = "450321-2022-0001"
WHY = "举报人张秀兰（13912345678）反映该户房屋已翻新"


def read_with_reason(runtime: Runtime, clock: SimulatedClock) -> Scenario:
    scenario = Scenario(runtime, clock)
    scenario.drive(scenario.plan(CASE, stop_after="applied"))
    runtime.inspection.history(scenario.principal("dj-4503"), CASE, reason=WHY)
    return scenario


def test_the_stated_reason_is_sealed_in_the_log_and_read_back_in_words(
    runtime: Runtime, clock: SimulatedClock
) -> None:
    scenario = read_with_reason(runtime, clock)
    [opened] = runtime.app.events.get(access_log_id(CASE))
    assert isinstance(opened.reason, ProtectedValue)
    assert opened.reason.masked == f"〔{len(WHY)}字，已加密〕"
    assert WHY not in opened.model_dump_json()
    [entry] = runtime.inspection.access_log(scenario.principal("dj-4503"), CASE)
    assert entry["reason"] == WHY and entry["action"] == "history_viewed"


def test_a_households_erasure_keeps_the_record_of_who_read_its_case_and_why(
    runtime: Runtime, clock: SimulatedClock
) -> None:
    scenario = read_with_reason(runtime, clock)
    scenario.run(scenario.command("withdraw_case", CASE, "clerk", date(2022, 3, 20),
                                  {"reason": "农户自愿放弃", "evidence": []}))
    runtime.erasures.erase(scenario.manager, CASE, "户主申请删除个人信息")
    entries = runtime.inspection.access_log(scenario.principal("dj-4503"), CASE)
    assert entries[0]["reason"] == WHY
