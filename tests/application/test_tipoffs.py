"""举报投诉 through the service: lodged by each channel, routed to its county's discipline
inspectors, sealed in the log, overdue by the policy's days, refused with nothing written."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from renovation.aggregates.base import Actor
from renovation.aggregates.objection import PublicActor
from renovation.aggregates.tipoff import TipOff
from renovation.bootstrap import Runtime
from renovation.kernel.errors import NotAuthorizedError, OutsideJurisdictionError, RuleViolation
from renovation.policy.tipoffs import load_tipoff_deadlines
from renovation.projections import Projector, ViewsDatabase
from renovation.projections.queries.tipoffs import list_tipoffs, show_tipoff
from renovation.simulation.demo import SimulatedClock
from tests.support.app import Scenario, store_fingerprint
from tests.support.tipoffs import (
    CALLER,
    CITY_DJ,
    CLERK,
    COUNTY,
    DJ,
    DJ2,
    OTHER_COUNTY_DJ,
    STATEMENT,
    TOWNSHIP,
    VILLAGE,
    hotline_call,
    lodged,
    stored_bytes,
    tipoff_events,
    with_county_inspectors,
)

TODAY = date(2022, 6, 1)


@pytest.fixture
def scenario(runtime: Runtime, clock: SimulatedClock) -> Iterator[Scenario]:
    scenario = Scenario(runtime, clock)
    with_county_inspectors(runtime)
    clock.business_day(TODAY)
    yield scenario


def hotline(scenario: Scenario, **changes: Any) -> dict[str, Any]:
    return scenario.rt.tipoffs.lodge_hotline(scenario.principal(CLERK), hotline_call(**changes))


def tipoff_of(answer: dict[str, Any]) -> UUID:
    return UUID(answer["tipoff_id"])


def caught_up(rt: Runtime, views: ViewsDatabase) -> ViewsDatabase:
    Projector(rt.app, views).catch_up()
    return views


def test_a_hotline_call_is_recorded_as_the_act_of_the_official_who_took_it(
        scenario: Scenario) -> None:
    answer = hotline(scenario)
    (event,) = lodged(scenario.rt)
    assert isinstance(event.actor, Actor) and event.actor.id == CLERK
    assert (event.channel.value, event.jurisdiction, answer["county"]) == (
        "hotline", VILLAGE, COUNTY)
    assert answer["receipt"].startswith("JB-")


def test_a_tip_off_from_the_public_page_needs_no_sign_in_and_may_be_anonymous(
        scenario: Scenario) -> None:
    scenario.rt.tipoffs.lodge_public({"jurisdiction": VILLAGE, "subject": "subsidy_withheld",
                                      "statement": STATEMENT})
    (event,) = lodged(scenario.rt)
    assert event.actor == PublicActor() and event.contact is None
    assert event.channel.value == "public_page"


def test_an_escalated_objection_carries_its_words_sealed_under_the_tip_offs_own_key(
        scenario: Scenario) -> None:
    objection = _objection(scenario)
    township = scenario.principal(TOWNSHIP)
    answer = scenario.rt.tipoffs.escalate(township, {"objection_id": objection,
                                                     "subject": "eligibility_fraud"})
    (event,) = lodged(scenario.rt)
    assert (event.channel.value, event.objection_id, event.case_refs) == (
        "objection", UUID(objection), ("450321-2022-0101",))
    objection_event = next(scenario.rt.app.events.get(UUID(objection)))
    assert event.statement.sealed.key_id != objection_event.statement.sealed.key_id
    assert scenario.rt.reader.reveal(event.statement, "tipoff.statement") == (
        scenario.rt.reader.reveal(objection_event.statement, "objection.statement"))
    with pytest.raises(RuleViolation) as again:
        scenario.rt.tipoffs.escalate(township, {"objection_id": objection,
                                                "subject": "other"})
    assert again.value.rule == "tipoff.objection_escalated_once"
    assert answer["channel"] == "objection" and len(lodged(scenario.rt)) == 1


def test_the_statement_and_the_callers_phone_never_reach_the_stored_events(
        scenario: Scenario) -> None:
    hotline(scenario)
    raw = stored_bytes(scenario.rt)
    assert CALLER.encode() not in raw and b"13877001234" not in raw
    assert "亲戚".encode() not in raw
    (event,) = lodged(scenario.rt)
    assert event.statement.masked == f"〔{len(STATEMENT)}字，已加密〕"
    assert STATEMENT not in event.model_dump_json()


def test_only_handlers_of_the_county_read_the_complainants_words(scenario: Scenario) -> None:
    tipoff = tipoff_of(hotline(scenario))
    tipoffs = scenario.rt.tipoffs
    assert tipoffs.words(scenario.principal(DJ), tipoff)["statement"] == STATEMENT
    assert tipoffs.words(scenario.principal(CITY_DJ), tipoff)["contact"] == CALLER
    other = tipoffs.words(scenario.principal(OTHER_COUNTY_DJ), tipoff)
    assert other["statement"] == f"〔{len(STATEMENT)}字，已加密〕"
    assert other["contact"] == "139****2233"
    assert tipoffs.words(scenario.principal(CLERK), tipoff)["statement"] != STATEMENT


def test_a_tip_off_is_listed_for_its_countys_inspectors_and_not_another_countys(
        scenario: Scenario, views: ViewsDatabase) -> None:
    answer = hotline(scenario)
    caught_up(scenario.rt, views)
    mine = list_tipoffs(views, TODAY, within=COUNTY)
    assert [t["receipt"] for t in mine["tipoffs"]] == [answer["receipt"]]
    assert list_tipoffs(views, TODAY, within="450323000000")["tipoffs"] == []


def test_a_tip_off_is_handed_over_to_an_inspector_of_its_county_only(
        scenario: Scenario) -> None:
    tipoff = tipoff_of(hotline(scenario))
    city = scenario.principal(CITY_DJ)
    with pytest.raises(RuleViolation) as elsewhere:
        scenario.rt.tipoffs.assign(city, tipoff, {"to": OTHER_COUNTY_DJ})
    assert (elsewhere.value.rule, elsewhere.value.field) == ("tipoff.assignee_may_handle", "to")
    with pytest.raises(OutsideJurisdictionError):
        scenario.rt.tipoffs.assign(scenario.principal(OTHER_COUNTY_DJ), tipoff, {"to": DJ})
    with pytest.raises(NotAuthorizedError):
        scenario.rt.tipoffs.assign(scenario.principal(CLERK), tipoff, {"to": DJ})
    done = scenario.rt.tipoffs.assign(city, tipoff, {"to": DJ})
    assert done["assignee"] == {"id": DJ, "role": "discipline_inspector",
                                "jurisdiction": COUNTY}


def test_handed_over_investigated_and_concluded_with_the_conclusion_sealed(
        scenario: Scenario) -> None:
    tipoff = tipoff_of(hotline(scenario))
    rt, dj = scenario.rt, scenario.principal(DJ)
    rt.tipoffs.assign(dj, tipoff, {"to": DJ})
    rt.tipoffs.assign(scenario.principal(CITY_DJ), tipoff, {"to": DJ2})
    dj2 = scenario.principal(DJ2)
    rt.tipoffs.start_investigation(dj2, tipoff)
    finding = str(uuid4())
    done = rt.tipoffs.conclude(dj2, tipoff, {
        "outcome": "partly", "confirmed_findings": [finding],
        "conclusion": "经查罗某某亲属住房确属C级危房，但未经入户核实，已责令整改"})
    assert (done["status"], done["outcome"]) == ("concluded", "partly")
    kinds = [type(e).__name__ for e in tipoff_events(rt)]
    assert kinds == ["TipOffLodged", "TipOffHandedOver", "TipOffReassigned",
                     "TipOffInvestigationStarted", "TipOffConcluded"]
    assert "罗某某亲属".encode() not in stored_bytes(rt)
    assert "确属C级危房" in str(rt.tipoffs.words(dj2, tipoff)["conclusion"])


def test_overdue_is_judged_by_the_days_in_the_policy_data(
        scenario: Scenario, views: ViewsDatabase) -> None:
    policy = load_tipoff_deadlines()
    answer = hotline(scenario)
    hand_over_by = TODAY + timedelta(days=policy.hand_over.days)
    assert answer["hand_over_by"] == hand_over_by.isoformat()
    assert answer["conclude_by"] == (TODAY + timedelta(days=policy.conclude.days)).isoformat()
    caught_up(scenario.rt, views)
    assert not show_tipoff(views, answer["receipt"], hand_over_by)["overdue"]["any"]
    late = show_tipoff(views, answer["receipt"], hand_over_by + timedelta(days=1))
    assert late["overdue"] == {"hand_over": True, "conclude": False, "any": True}
    assert list_tipoffs(views, hand_over_by + timedelta(days=1), COUNTY,
                        overdue=True)["counts"]["overdue"] == 1

    scenario.clock.business_day(hand_over_by + timedelta(days=1))
    scenario.rt.tipoffs.assign(scenario.principal(DJ), tipoff_of(answer), {"to": DJ})
    caught_up(scenario.rt, views)
    day_after_deadline = TODAY + timedelta(days=policy.conclude.days + 1)
    assert show_tipoff(views, answer["receipt"], hand_over_by + timedelta(days=1))[
        "overdue"]["any"] is False
    assert show_tipoff(views, answer["receipt"], day_after_deadline)["overdue"] == {
        "hand_over": False, "conclude": True, "any": True}


@pytest.mark.parametrize(("changes", "rule", "field"), [
    ({"statement": "太短了"}, "input.string_too_short", "statement"),
    ({"statement": " " * 12}, "tipoff.statement_words", "statement"),
    ({"whistle": "x"}, "input.extra_forbidden", "whistle"),
    ({"jurisdiction": "4503211002"}, "input.string_pattern_mismatch", "jurisdiction"),
    ({"subject": "gossip"}, "input.enum", "subject"),
    ({"contact": "12345"}, "identity.phone.format", "contact"),
    ({"case_refs": ["450321-2022-9999"]}, "case.exists", "case_refs"),
    ({"received_on": "2022-06-02"}, "tipoff.not_in_future", "occurred_on"),
])
def test_bad_input_is_refused_naming_its_rule_and_writes_nothing(
        scenario: Scenario, changes: dict[str, Any], rule: str, field: str) -> None:
    before = store_fingerprint(scenario.rt)
    with pytest.raises(RuleViolation) as refused:
        hotline(scenario, **changes)
    assert (refused.value.rule, refused.value.field) == (rule, field)
    assert "亲戚" not in str(refused.value.to_dict()) and "太短了" not in str(refused.value.value)
    assert store_fingerprint(scenario.rt) == before


def test_a_tip_off_names_a_county_or_an_area_within_one(scenario: Scenario) -> None:
    before = store_fingerprint(scenario.rt)
    with pytest.raises(RuleViolation) as refused:
        scenario.rt.tipoffs.lodge_public({"jurisdiction": "450300000000",
                                          "subject": "other", "statement": STATEMENT})
    assert (refused.value.rule, refused.value.field) == (
        "tipoff.jurisdiction_within_county", "jurisdiction")
    assert store_fingerprint(scenario.rt) == before


def test_an_official_lodges_only_within_their_own_area(scenario: Scenario) -> None:
    before = store_fingerprint(scenario.rt)
    with pytest.raises(OutsideJurisdictionError):
        hotline(scenario, jurisdiction="450323100201")
    assert store_fingerprint(scenario.rt) == before


def test_concluding_before_hand_over_is_refused_and_writes_nothing(scenario: Scenario) -> None:
    tipoff = tipoff_of(hotline(scenario))
    before = store_fingerprint(scenario.rt)
    with pytest.raises(RuleViolation) as refused:
        scenario.rt.tipoffs.conclude(scenario.principal(DJ), tipoff, {
            "outcome": "unsubstantiated", "conclusion": "经核查反映问题不属实"})
    assert refused.value.rule == "tipoff.handed_over_first"
    assert store_fingerprint(scenario.rt) == before
    assert [type(e) for e in tipoff_events(scenario.rt)] == [TipOff.TipOffLodged]


def _objection(scenario: Scenario) -> str:
    """An objection lodged on the village notice of a case (the plan posts it)."""
    commands = scenario.commands(scenario.plan("450321-2022-0101",
                                               stop_after="township_approved"))
    for command in commands:
        scenario.run(command)
        if command["type"] == "post_notice":
            break
    receipt = scenario.rt.objections.lodge({
        "case_ref": "450321-2022-0101", "level": "village", "ground": "has_other_housing",
        "statement": STATEMENT, "contact": CALLER})
    found = next(e for e in _all(scenario.rt) if type(e).__name__ == "ObjectionLodged")
    assert receipt["case_ref"] == "450321-2022-0101"
    return str(found.originator_id)


def _all(rt: Runtime) -> Iterator[Any]:
    for notification in rt.app.recorder.select_notifications(start=1, limit=100_000):
        if notification.topic.startswith("renovation.objection:"):
            yield rt.app.mapper.to_domain_event(notification)
