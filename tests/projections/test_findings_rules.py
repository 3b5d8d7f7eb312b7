"""Each rule the workflow can let through fires on its pattern and stays quiet on the near-miss."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from renovation.aggregates.base import CHINA_STANDARD_TIME
from renovation.fraud.facts import payment_due
from renovation.fraud.queries import list_findings
from renovation.projections import Projector, ViewsDatabase
from tests.support.app import Scenario

AS_OF = date(2022, 12, 31)


def found(projected: Projector, views: ViewsDatabase, on: date = AS_OF,
          **filters: Any) -> dict[str, list[list[str]]]:
    projected.catch_up()
    out: dict[str, list[list[str]]] = {}
    for item in list_findings(views, on, **filters)["findings"]:
        out.setdefault(item["rule"], []).append(item["case_refs"])
    return out


def drive(scenario: Scenario, ref: str, edit: Any = None, **plan: Any) -> list[dict[str, Any]]:
    commands = scenario.commands(scenario.plan(ref, **plan))
    if edit is not None:
        edit(commands)
    for command in commands:
        scenario.run(command)
    return commands


def first(commands: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    return next(c for c in commands if c["type"] == kind)


def test_two_ordinary_cases_give_no_finding(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    drive(scenario, "450321-2022-0001")
    drive(scenario, "450321-2022-0002")
    assert found(projected, views) == {}


def test_a_shared_account_is_found_and_no_longer_holds_once_one_case_is_withdrawn(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    a = scenario.household()
    b = {**scenario.household(), "account": dict(a["account"])}
    drive(scenario, "450321-2022-0001", household=a)
    drive(scenario, "450321-2022-0002", household=b, stop_after="applied")
    assert found(projected, views) == {
        "shared_account": [["450321-2022-0001", "450321-2022-0002"]]}
    scenario.run(scenario.command("withdraw_case", "450321-2022-0002", "clerk", date(2022, 3, 5),
                                  {"reason": "农户自愿放弃", "evidence": []}))
    assert found(projected, views) == {}


def test_a_shared_phone_is_found(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    a = scenario.household()
    drive(scenario, "450321-2022-0001", household=a, stop_after="applied")
    drive(scenario, "450321-2022-0002", stop_after="applied",
          household={**scenario.household(), "phone": a["phone"]})
    assert found(projected, views) == {"shared_phone": [["450321-2022-0001", "450321-2022-0002"]]}


def test_a_member_of_a_supported_household_applying_as_head_is_a_duplicate_benefit(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    a = scenario.household(size=3)
    moved = a["members"][0]
    b = {**scenario.household(size=1), "head": {"name": moved["name"],
                                                "id_number": moved["id_number"]}}
    drive(scenario, "450321-2022-0001", household=a)
    drive(scenario, "450321-2022-0002", household=b, stop_after="applied")
    [[refs]] = found(projected, views).values()
    assert found(projected, views) == {"duplicate_benefit": [refs]}
    assert refs == ["450321-2022-0001", "450321-2022-0002"]


def test_a_photo_filed_again_in_another_case_is_found_with_both_events(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    drive(scenario, "450321-2022-0001")
    drive(scenario, "450321-2022-0002", photo_of="450321-2022-0001")
    projected.catch_up()
    [item] = list_findings(views, AS_OF)["findings"]
    assert item["rule"] == "reused_evidence"
    assert [(e["case_ref"], e["event"]) for e in item["evidence"]] == [
        ("450321-2022-0001", "ConstructionCompleted"),
        ("450321-2022-0002", "ConstructionCompleted")]


def test_less_paid_than_approved_is_short_paid(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    drive(scenario, "450321-2022-0001", quirks=frozenset({"short_paid"}))
    assert found(projected, views) == {"short_paid": [["450321-2022-0001"]]}


def _pay_on(offset: int) -> Any:
    def edit(commands: list[dict[str, Any]]) -> None:
        requested = date.fromisoformat(first(commands, "request_payment")["occurred_on"])
        paid = payment_due(requested, "guilin-2022") + timedelta(days=offset)
        first(commands, "disburse_payment")["occurred_on"] = paid.isoformat()
        close = first(commands, "close_case")
        close["occurred_on"] = max(paid, date.fromisoformat(close["occurred_on"])).isoformat()
    return edit


def test_paid_on_the_payment_day_is_in_time_and_a_day_later_is_late(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    drive(scenario, "450321-2022-0001", edit=_pay_on(0))
    assert found(projected, views) == {}
    drive(scenario, "450321-2022-0002", edit=_pay_on(1))
    assert found(projected, views) == {"paid_late": [["450321-2022-0002"]]}


def test_unpaid_after_acceptance_is_overdue_only_beyond_the_policy_limit(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    commands = drive(scenario, "450321-2022-0001", stop_after="accepted")
    accepted = date.fromisoformat(first(commands, "record_county_acceptance")["occurred_on"])
    limit = scenario.policy.payment.max_days_after_acceptance
    assert found(projected, views, accepted + timedelta(days=limit)) == {}
    assert found(projected, views, accepted + timedelta(days=limit + 1)) == {
        "unpaid_overdue": [["450321-2022-0001"]]}


def _recorded_late(scenario: Scenario, commands: list[dict[str, Any]], days: int) -> None:
    for command in commands:
        on = date.fromisoformat(command["occurred_on"])
        if command["type"] == "grant_county_approval":
            scenario.clock.business_day(on + timedelta(days=days))
            scenario.rt.service.execute(command, scenario.manager)
        else:
            scenario.run(command)


def test_an_approval_entered_a_month_after_its_date_is_backdated_only_beyond_the_limit(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    limit = scenario.policy.fraud.backdate_days
    _recorded_late(scenario, scenario.commands(scenario.plan("450321-2022-0001")), limit)
    assert found(projected, views) == {}
    _recorded_late(scenario, scenario.commands(scenario.plan("450321-2022-0002")), limit + 1)
    projected.catch_up()
    [item] = list_findings(views, AS_OF)["findings"]
    assert (item["rule"], item["case_refs"]) == ("backdated", ["450321-2022-0002"])
    assert [e["event"] for e in item["evidence"]] == ["CountyApprovalGranted"]


def _completed_after(days: int) -> Any:
    def edit(commands: list[dict[str, Any]]) -> None:
        started = date.fromisoformat(first(commands, "start_construction")["occurred_on"])
        first(commands, "complete_construction")["occurred_on"] = (
            started + timedelta(days=days)).isoformat()
    return edit


def test_completion_faster_than_the_mode_allows_is_found(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    minimum = scenario.policy.fraud.min_build_days[scenario.plan("x").mode]
    fast = frozenset({"too_fast"})
    drive(scenario, "450321-2022-0001", quirks=fast, edit=_completed_after(minimum),
          stop_after="construction_completed")
    assert found(projected, views) == {}
    drive(scenario, "450321-2022-0002", quirks=fast, edit=_completed_after(minimum - 1),
          stop_after="construction_completed")
    assert found(projected, views) == {"completed_too_fast": [["450321-2022-0002"]]}


def _area(value: Decimal) -> Any:
    def edit(commands: list[dict[str, Any]]) -> None:
        first(commands, "complete_construction")["payload"]["built_area_m2"] = str(value)
        result = first(commands, "record_county_acceptance")["payload"]["result"]
        result["measured_area_m2"] = str(value)
    return edit


def test_a_new_house_above_the_cap_is_found_and_one_at_the_cap_is_not(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    cap = scenario.policy.area.maximum(3)
    assert cap is not None
    drive(scenario, "450321-2022-0001", edit=_area(cap))
    assert found(projected, views) == {}
    drive(scenario, "450321-2022-0002", edit=_area(cap + Decimal("0.01")))
    assert found(projected, views) == {"area_out_of_bounds": [["450321-2022-0002"]]}


def _apply_at(scenario: Scenario, ref: str, minute: float, village: str | None = None,
              day_late: int = 0) -> None:
    plan = scenario.plan(ref, stop_after="applied")
    command = scenario.commands(plan)[0]
    stamp = datetime.combine(plan.applied_on, time(14, 0), tzinfo=CHINA_STANDARD_TIME)
    scenario.clock.now = stamp + timedelta(minutes=minute, days=day_late)
    scenario.rt.service.execute(command, scenario.manager)


def test_five_applications_by_one_clerk_within_ten_minutes_look_proxy_signed(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    for n in range(4):
        _apply_at(scenario, f"450321-2022-000{n}", minute=n * 2)
    assert found(projected, views) == {}
    _apply_at(scenario, "450321-2022-0009", minute=10)
    refs = [f"450321-2022-000{n}" for n in (0, 1, 2, 3, 9)]
    assert found(projected, views) == {"proxy_signing": [refs]}


def test_applications_spread_beyond_the_window_or_entered_later_are_not_proxy_signing(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    for n in range(5):
        _apply_at(scenario, f"450321-2022-000{n}", minute=n * 3)  # 0…12: four per window
    for n in range(5):
        _apply_at(scenario, f"450321-2022-001{n}", minute=n, day_late=1)  # back-entered
    assert found(projected, views) == {}
