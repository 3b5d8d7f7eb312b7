"""Rules of the application itself (农户申请)."""

from __future__ import annotations

from datetime import date

import pytest

from renovation.aggregates.base import recording_clock
from renovation.aggregates.case import RenovationCase
from renovation.aggregates.case.errors import (
    ActorIsApplicantError,
    FutureBusinessDateError,
    HouseholdCompositionError,
    IneligibleHouseholdError,
    ProcedureOrderError,
)
from renovation.aggregates.case.values import HouseCondition, Household
from renovation.kernel.vocabulary import (
    ApplicationChannel,
    Category,
    HouseStructure,
    RenovationMode,
    Role,
    Stage,
)
from renovation.policy import load_policy
from tests.support.domain import CLERK, GUILIN, START, actor, household, new_case, person, ref
from tests.support.time import at


def submit(**changes: object) -> RenovationCase:
    arguments: dict[str, object] = {
        "policy": GUILIN,
        "actor": CLERK,
        "occurred_on": START,
        "case_ref": "450321-2022-0001",
        "programme_id": "guilin-2022",
        "village_code": "450321100201",
        "channel": ApplicationChannel.HOUSEHOLD,
        "on_behalf_reason": None,
        "household": household(),
        "category": Category.DIBAO,
        "extremely_low_income": False,
        "house": HouseCondition(structure=HouseStructure.EARTH),
        "planned_mode": RenovationMode.REINFORCE,
        "prior_support": (),
        "reentry_reason": None,
        "supported_in_programmes": (),
    }
    arguments.update(changes)
    return RenovationCase.submit(**arguments)  # type: ignore[arg-type]


def test_an_application_opens_a_case_in_the_applied_stage_with_one_event() -> None:
    case = new_case()
    assert case.stage is Stage.APPLIED
    assert case.version == 1
    [event] = case.collect_events()
    assert type(event).__name__ == "ApplicationSubmitted"
    assert event.actor == CLERK and event.occurred_on == START


def test_the_case_id_is_derived_from_its_reference() -> None:
    assert new_case("A-1").id == new_case("A-1").id != new_case("A-2").id


def test_a_case_belongs_to_a_village_not_a_township() -> None:
    with pytest.raises(ProcedureOrderError) as caught:
        submit(village_code="450321100000")
    assert caught.value.rule == "application.village_code"
    assert caught.value.value == "450321100000"


def test_a_policy_applies_only_inside_its_jurisdiction() -> None:
    with pytest.raises(ProcedureOrderError) as caught:
        submit(policy=load_policy("ningxia-2021"))
    assert caught.value.rule == "policy.jurisdiction"


def test_a_category_the_policy_does_not_support_is_refused() -> None:
    narrow = GUILIN.model_copy(
        update={"categories": {Category.DIBAO: GUILIN.categories[Category.DIBAO]}}
    )
    with pytest.raises(IneligibleHouseholdError) as caught:
        submit(policy=narrow, category=Category.TEKUN)
    assert (caught.value.rule, caught.value.field, caught.value.value) == (
        "eligibility.category_supported",
        "category",
        "tekun",
    )


def test_the_village_committee_must_say_why_it_applies_on_a_households_behalf() -> None:
    with pytest.raises(ProcedureOrderError) as caught:
        submit(channel=ApplicationChannel.VILLAGE_COMMITTEE_ON_BEHALF)
    assert caught.value.rule == "application.on_behalf_reason"
    case = submit(
        channel=ApplicationChannel.VILLAGE_COMMITTEE_ON_BEHALF,
        on_behalf_reason="户主失能，无法自行申请",
    )
    assert case.channel is ApplicationChannel.VILLAGE_COMMITTEE_ON_BEHALF


def test_household_size_must_cover_everyone_listed() -> None:
    with pytest.raises(HouseholdCompositionError) as caught:
        submit(household=household(size=1, members=2))
    assert (caught.value.rule, caught.value.value) == ("household.size_covers_members", 1)


def test_the_same_id_number_cannot_appear_twice_in_a_household() -> None:
    twice = Household(head=person(0), members=(person(0, "配偶"),), size=2)
    with pytest.raises(HouseholdCompositionError) as caught:
        submit(household=twice)
    assert caught.value.rule == "household.members_distinct"


def test_a_clerk_cannot_file_an_application_for_their_own_household() -> None:
    own = actor(Role.VILLAGE_CLERK, "450321100201", person_ref=ref("person-1"))
    with pytest.raises(ActorIsApplicantError) as caught:
        submit(actor=own)
    assert caught.value.rule == "duties.not_own_household"


def test_an_application_cannot_be_dated_in_the_future() -> None:
    with recording_clock(at(date(2022, 3, 1))), pytest.raises(FutureBusinessDateError) as caught:
        submit(occurred_on=date(2022, 3, 2))
    assert (caught.value.field, caught.value.value) == ("occurred_on", "2022-03-02")
