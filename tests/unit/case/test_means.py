"""自筹能力评估: recorded after the application and before county approval, each assessment a new
event that replaces the last; approvals stored before it existed still read (upcast)."""

from __future__ import annotations

from datetime import timedelta

import orjson
import pytest
from eventsourcing.persistence import StoredEvent

from renovation.aggregates.case.errors import BusinessDateOrderError, ProcedureOrderError
from renovation.application.persistence import OrjsonTranscoder, PydanticMapper
from renovation.kernel.vocabulary import SelfFunding, Stage
from tests.support.domain import START, TOWNSHIP_OFFICER, Driver, new_case, protected

BASIS = protected("〔8字，已加密〕")


def test_a_later_assessment_replaces_the_earlier_one() -> None:
    driver = Driver(new_case())
    case = driver.case
    case.assess_means(SelfFunding.NONE, BASIS, (), TOWNSHIP_OFFICER, driver.next_day())
    case.assess_means(SelfFunding.WEAK, BASIS, (), TOWNSHIP_OFFICER, driver.next_day())
    assert case.means is not None and case.means.self_funding is SelfFunding.WEAK
    names = [type(e).__name__ for e in case.pending_events]
    assert names.count("MeansAssessed") == 2


def test_an_assessment_is_not_dated_before_the_one_it_replaces() -> None:
    driver = Driver(new_case())
    driver.case.assess_means(SelfFunding.NONE, BASIS, (), TOWNSHIP_OFFICER, driver.next_day(3))
    with pytest.raises(BusinessDateOrderError) as refused:
        driver.case.assess_means(SelfFunding.WEAK, BASIS, (), TOWNSHIP_OFFICER,
                                 START + timedelta(days=1))
    assert refused.value.rule == "dates.procedural_order"


def test_the_means_may_be_assessed_until_the_county_approves_and_not_after() -> None:
    driver = Driver(new_case())
    case = driver.to(Stage.TOWNSHIP_APPROVED)
    case.assess_means(SelfFunding.ORDINARY, BASIS, (), TOWNSHIP_OFFICER, driver.next_day())
    driver.to(Stage.COUNTY_APPROVED)
    assert case.subsidy is not None and case.subsidy.inputs.self_funding is SelfFunding.ORDINARY
    with pytest.raises(ProcedureOrderError) as refused:
        case.assess_means(SelfFunding.NONE, BASIS, (), TOWNSHIP_OFFICER, driver.next_day())
    assert (refused.value.rule, refused.value.value) == ("procedure.means_assessment",
                                                         "county_approved")


def test_an_approval_stored_before_version_2_is_read_with_the_new_facts_unknown() -> None:
    case = Driver(new_case()).to(Stage.COUNTY_APPROVED)
    [approval] = [e for e in case.pending_events if type(e).__name__ == "CountyApprovalGranted"]
    mapper = PydanticMapper(transcoder=OrjsonTranscoder())
    stored = mapper.to_stored_event(approval)
    state = orjson.loads(stored.state)
    assert state.pop("class_version") == 2
    subsidy = state["subsidy"]
    for key in ("county_decision", "full_cost"):
        del subsidy[key]
    for key in ("grade", "household_size", "self_funding", "county", "decided_on"):
        del subsidy["inputs"][key]
    old = StoredEvent(originator_id=stored.originator_id,
                      originator_version=stored.originator_version, topic=stored.topic,
                      state=orjson.dumps(state))
    read = mapper.to_domain_event(old)
    assert read.subsidy.amount_yuan == approval.subsidy.amount_yuan == 18_500
    assert (read.subsidy.full_cost, read.subsidy.inputs.county) == (None, None)
    assert mapper.to_state(old)[2] is False  # not current: published through its class
