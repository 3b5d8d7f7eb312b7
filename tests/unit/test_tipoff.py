"""举报投诉: a tip-off is handed over once (then reassigned), investigated and concluded by its
assignee, in order, with deadlines from the policy data and no plaintext in its events."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest

from renovation.aggregates.base import Actor, recording_clock
from renovation.aggregates.objection import PublicActor
from renovation.aggregates.tipoff import (
    Assignee,
    TipOff,
    TipOffNotImpartialError,
    TipOffRuleError,
    escalated_id,
    receipt_of,
)
from renovation.kernel.protected import ProtectedValue, Sealed
from renovation.kernel.staff import identity_keys
from renovation.kernel.vocabulary import Role
from renovation.kernel.vocabulary.tipoffs import (
    TipOffChannel,
    TipOffOutcome,
    TipOffStatus,
    TipOffSubject,
)
from renovation.policy.tipoffs import load_tipoff_deadlines
from tests.support.time import at

LODGED = date(2022, 5, 10)
VILLAGE = "450321100201"
COUNTY = "450321000000"
SEALED = ProtectedValue(sealed=Sealed(key_id="a" * 64, nonce="n" * 16, ciphertext="c" * 40),
                        masked="〔20字，已加密〕")
CLERK = Actor(id="vc-450321100201", role=Role.VILLAGE_CLERK, jurisdiction=VILLAGE)
DJ = Actor(id="dj-450321", role=Role.DISCIPLINE_INSPECTOR, jurisdiction=COUNTY)
OTHER_DJ = Actor(id="dj2-450321", role=Role.DISCIPLINE_INSPECTOR, jurisdiction=COUNTY)
CITY = Actor(id="dj-4503", role=Role.DISCIPLINE_INSPECTOR, jurisdiction="450300000000")


def assignee(actor: Actor) -> Assignee:
    return Assignee(id=actor.id, role=actor.role, jurisdiction=actor.jurisdiction)


@pytest.fixture(autouse=True)
def today() -> Iterator[None]:
    with recording_clock(at(LODGED + timedelta(days=30))):
        yield


def lodged(**changes: object) -> TipOff:
    given: dict[str, object] = {
        "channel": TipOffChannel.HOTLINE, "actor": CLERK, "jurisdiction": VILLAGE,
        "subject": TipOffSubject.FAVOURING_RELATIVES, "cases": {}, "finding_ids": (),
        "objection_id": None, "statement": SEALED, "contact": None, "occurred_on": LODGED,
        "deadlines": load_tipoff_deadlines(), **changes}
    return TipOff.lodge(**given)  # type: ignore[arg-type]


def handed_over() -> TipOff:
    tipoff = lodged()
    tipoff.hand_over(DJ, assignee(DJ), LODGED + timedelta(days=1), frozenset())
    return tipoff


def refused(call: object, *args: object) -> TipOffRuleError:
    with pytest.raises(TipOffRuleError) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value


def test_a_lodged_tip_off_carries_the_policy_deadlines_and_no_plaintext() -> None:
    tipoff = lodged()
    policy = load_tipoff_deadlines()
    (event,) = tipoff.collect_events()
    assert isinstance(event, TipOff.TipOffLodged)
    assert event.hand_over_by == LODGED + timedelta(days=policy.hand_over.days)
    assert event.conclude_by == LODGED + timedelta(days=policy.conclude.days)
    assert event.deadlines == policy.ref and tipoff.status is TipOffStatus.LODGED
    assert tipoff.county == COUNTY and event.statement.masked == "〔20字，已加密〕"


def test_a_tip_off_names_a_county_or_an_area_within_one() -> None:
    with pytest.raises(TipOffRuleError) as caught:
        lodged(jurisdiction="450300000000")
    error = caught.value
    assert (error.rule, error.field) == ("tipoff.jurisdiction_within_county", "jurisdiction")


def test_cases_named_must_lie_in_the_area_reported() -> None:
    with pytest.raises(TipOffRuleError) as caught:
        lodged(cases={"450323-2022-0001": "450323100201"})
    assert caught.value.rule == "tipoff.case_in_jurisdiction"


def test_the_public_page_is_used_by_the_public_and_an_escalation_names_its_objection() -> None:
    with pytest.raises(TipOffRuleError) as caught:
        lodged(channel=TipOffChannel.PUBLIC_PAGE)
    assert caught.value.rule == "tipoff.channel_actor"
    public = lodged(channel=TipOffChannel.PUBLIC_PAGE, actor=PublicActor())
    assert public.channel is TipOffChannel.PUBLIC_PAGE
    with pytest.raises(TipOffRuleError):
        lodged(channel=TipOffChannel.OBJECTION)
    objection = uuid4()
    escalated = lodged(channel=TipOffChannel.OBJECTION, objection_id=objection)
    assert escalated.id == escalated_id(objection)


def test_a_tip_off_is_not_dated_in_the_future() -> None:
    with pytest.raises(TipOffRuleError) as caught:
        lodged(occurred_on=LODGED + timedelta(days=31))
    assert caught.value.rule == "tipoff.not_in_future"


def test_a_tip_off_is_handed_over_once_then_only_reassigned() -> None:
    tipoff = handed_over()
    assert tipoff.status is TipOffStatus.HANDED_OVER and tipoff.assignee == assignee(DJ)
    error = refused(tipoff.hand_over, DJ, assignee(OTHER_DJ), LODGED + timedelta(days=2),
                    frozenset())
    assert error.rule == "tipoff.handed_over_once"
    tipoff.reassign(CITY, assignee(OTHER_DJ), LODGED + timedelta(days=2), frozenset())
    assert tipoff.assignee == assignee(OTHER_DJ)
    same = refused(tipoff.reassign, CITY, assignee(OTHER_DJ), LODGED + timedelta(days=2),
                   frozenset())
    assert same.rule == "tipoff.reassign_changes"


def test_reassignment_needs_a_hand_over_first() -> None:
    error = refused(lodged().reassign, DJ, assignee(DJ), LODGED, frozenset())
    assert error.rule == "tipoff.handed_over_first"


def test_a_tip_off_cannot_be_concluded_before_it_is_handed_over() -> None:
    tipoff = lodged()
    error = refused(tipoff.conclude, DJ, TipOffOutcome.UNSUBSTANTIATED, (), SEALED,
                    LODGED + timedelta(days=3), frozenset())
    assert error.rule == "tipoff.handed_over_first"
    assert tipoff.collect_events()[-1].__class__ is TipOff.TipOffLodged


def test_only_the_assignee_or_a_more_senior_inspector_concludes() -> None:
    tipoff = handed_over()
    error = refused(tipoff.conclude, OTHER_DJ, TipOffOutcome.PARTLY, (), SEALED,
                    LODGED + timedelta(days=3), frozenset())
    assert error.rule == "tipoff.by_assignee"
    tipoff.conclude(CITY, TipOffOutcome.PARTLY, (), SEALED, LODGED + timedelta(days=3),
                    frozenset())
    assert tipoff.status is TipOffStatus.CONCLUDED


def test_a_concluded_tip_off_takes_no_further_act() -> None:
    tipoff = handed_over()
    finding = uuid4()
    tipoff.start_investigation(DJ, LODGED + timedelta(days=2))
    tipoff.conclude(DJ, TipOffOutcome.SUBSTANTIATED, (finding,), SEALED,
                    LODGED + timedelta(days=9), frozenset())
    concluded = tipoff.collect_events()[-1]
    assert isinstance(concluded, TipOff.TipOffConcluded)
    assert concluded.confirmed_findings == (finding,)
    for act in (lambda: tipoff.reassign(CITY, assignee(OTHER_DJ), LODGED + timedelta(days=9),
                                        frozenset()),
                lambda: tipoff.conclude(DJ, TipOffOutcome.PARTLY, (), SEALED,
                                        LODGED + timedelta(days=9), frozenset())):
        assert refused(act).rule == "tipoff.open"


def test_the_investigation_starts_once_after_hand_over() -> None:
    assert refused(lodged().start_investigation, DJ, LODGED).rule == "tipoff.handed_over_first"
    tipoff = handed_over()
    tipoff.start_investigation(DJ, LODGED + timedelta(days=2))
    again = refused(tipoff.start_investigation, DJ, LODGED + timedelta(days=2))
    assert again.rule == "tipoff.investigation_started_once"


def test_an_unsubstantiated_tip_off_confirms_no_finding() -> None:
    error = refused(handed_over().conclude, DJ, TipOffOutcome.UNSUBSTANTIATED, (uuid4(),),
                    SEALED, LODGED + timedelta(days=3), frozenset())
    assert error.rule == "tipoff.findings_need_substantiation"


def test_nobody_who_acted_on_the_cases_handles_the_tip_off() -> None:
    involved = identity_keys(DJ.id)
    with pytest.raises(TipOffNotImpartialError) as caught:
        lodged().hand_over(CITY, assignee(DJ), LODGED, involved)
    assert (caught.value.rule, caught.value.value) == ("tipoff.handler_not_involved", DJ.id)


def test_acts_are_dated_after_the_previous_one() -> None:
    tipoff = handed_over()
    error = refused(tipoff.start_investigation, DJ, LODGED)
    assert error.rule == "tipoff.after_previous_act"


def test_receipts_are_short_and_readable() -> None:
    tipoff_id = UUID("12345678-9abc-4def-8123-456789abcdef")
    assert receipt_of(tipoff_id) == "JB-1234-5678-9ABC"
