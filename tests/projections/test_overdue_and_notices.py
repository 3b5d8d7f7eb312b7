"""Overdue items and open notices, judged on a given date from the recorded business dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from renovation.projections import Projector, ViewsDatabase, queries
from tests.support.app import Scenario

REF = "450321-2022-0101"


def kinds(views: ViewsDatabase, on: date) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for item in queries.overdue(views, on)["items"]:
        found.setdefault(item["kind"], []).append(item)
    return found


def post_first_notice(scenario: Scenario) -> date:
    """Run the case up to its first (village) notice, which stays up; returns the post date."""
    for command in scenario.commands(scenario.plan(REF)):
        scenario.run(command)
        if command["type"] == "post_notice":
            return date.fromisoformat(command["occurred_on"])
    raise AssertionError("the lifecycle posts a notice")


def test_an_open_notice_is_listed_masked_and_overdue_after_its_period(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    posted = post_first_notice(scenario)
    projected.catch_up()
    [notice] = queries.open_notices(views)["notices"]
    case = scenario.rt.service.load_case(REF)
    assert (notice["case_ref"], notice["level"], notice["posted_on"]) == (
        REF, "village", posted.isoformat())
    assert notice["head_name"] == case.household.head.name.masked
    assert notice["head_id"] == case.household.head.id_number.masked
    assert queries.open_notices(views, as_of=posted - timedelta(days=1))["notices"] == []
    due = posted + timedelta(days=7)
    assert "notice" not in kinds(views, due)
    [late] = kinds(views, due + timedelta(days=1))["notice"]
    assert (late["due_on"], late["days_overdue"]) == (due.isoformat(), 1)


def test_a_withdrawal_takes_the_notice_down(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    posted = post_first_notice(scenario)
    withdrawn = posted + timedelta(days=9)
    scenario.run(scenario.command("withdraw_case", REF, "township", withdrawn,
                                  {"reason": "农户自愿放弃"}))
    projected.catch_up()
    assert queries.open_notices(views)["notices"] == []
    assert queries.open_notices(views, as_of=posted)["levels"]["village"] == 1
    assert "notice" in kinds(views, withdrawn - timedelta(days=1))
    assert kinds(views, withdrawn + timedelta(days=1)) == {}


def test_an_agreement_deadline_passes_without_completion(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    scenario.drive(scenario.plan(REF, stop_after="under_construction"))
    projected.catch_up()
    assert "agreement_deadline" not in kinds(views, date(2022, 10, 31))
    [item] = kinds(views, date(2022, 11, 1))["agreement_deadline"]
    assert (item["case_ref"], item["due_on"], item["days_overdue"]) == (REF, "2022-10-31", 1)


def test_an_accepted_case_unpaid_beyond_the_policy_limit_is_overdue(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    scenario.drive(scenario.plan(REF, stop_after="accepted"))
    projected.catch_up()
    accepted = scenario.rt.service.load_case(REF).accepted_on
    assert accepted is not None
    limit = accepted + timedelta(days=scenario.policy.payment.max_days_after_acceptance)
    assert "unpaid_after_acceptance" not in kinds(views, limit)
    [item] = kinds(views, limit + timedelta(days=1))["unpaid_after_acceptance"]
    assert item["days_overdue"] == 1 and item["paid_yuan"] == 0


def test_a_payment_made_after_the_pay_by_day_is_late(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    scenario.drive(scenario.plan(REF, quirks=frozenset({"paid_late"})))
    scenario.drive(scenario.plan("450321-2022-0102"))
    projected.catch_up()
    found = kinds(views, date(2022, 12, 31))
    [late] = found["payment_paid_late"]
    assert late["case_ref"] == REF and late["days_overdue"] > 0
    assert "payment_submitted_late" not in found and "payment_unpaid" not in found


def test_a_request_after_the_submit_by_day_waits_for_the_next_batch(
    scenario: Scenario, projected: Projector, views: ViewsDatabase
) -> None:
    scenario.drive(scenario.plan(REF, stop_after="accepted"))
    case = scenario.rt.service.load_case(REF)
    assert case.accepted_on is not None and case.subsidy is not None
    submitted = case.accepted_on.replace(day=27)
    if submitted < case.accepted_on:
        submitted = (submitted + timedelta(days=31)).replace(day=27)
    scenario.run(scenario.command("request_payment", REF, "county_clerk", submitted, {
        "request_no": f"BF-{REF}", "tranche": "final",
        "amounts": {"by_source": dict(case.subsidy.split_yuan)}, "channel": "one_card"}))
    projected.catch_up()
    [late] = kinds(views, submitted)["payment_submitted_late"]
    assert (late["due_on"], late["days_overdue"]) == (submitted.replace(day=25).isoformat(), 2)
    next_batch = (submitted + timedelta(days=10)).replace(day=30)
    assert "payment_unpaid" not in kinds(views, next_batch)
    [unpaid] = kinds(views, next_batch + timedelta(days=1))["payment_unpaid"]
    assert unpaid["due_on"] == next_batch.isoformat()
