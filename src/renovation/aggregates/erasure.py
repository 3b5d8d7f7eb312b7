"""个人信息删除 — the record that a household's personal data was erased, and by whom.

Erasure destroys the household's data key (crypto-shredding): every sealed value of the
household, in every event, becomes unreadable, while the events themselves stay as they were
and the audit chain still verifies. This aggregate is the act's own record: who decided it, on
which case, why. Its id derives from the household's blind index, so a household is erased once.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import CanInitAggregate, event

from renovation.aggregates.base import Actor, Aggregate, AggregateEvent
from renovation.kernel.protected import BlindIndex
from renovation.kernel.types import Reference, Text

ERASURE_NAMESPACE = uuid5(NAMESPACE_URL, "urn:renovation:household-erasure")


def erasure_id(household_ref: str) -> UUID:
    return uuid5(ERASURE_NAMESPACE, household_ref)


class ErasureEvent(AggregateEvent):
    """Base of the erasure record's events."""


class PersonalDataErased(ErasureEvent, CanInitAggregate[UUID]):
    """The household's key is to be destroyed: its personal data is erased everywhere."""

    TOPIC: ClassVar[str] = "renovation.erasure:PersonalDataErased"
    originator_topic: str
    household_ref: BlindIndex
    case_ref: Reference
    reason: Text


class HouseholdErasure(Aggregate):
    """删除记录 — one household's erasure."""

    TOPIC = "renovation.erasure:HouseholdErasure"
    Event = ErasureEvent
    PersonalDataErased = PersonalDataErased

    @staticmethod
    def create_id(household_ref: str, **_: object) -> UUID:
        return erasure_id(household_ref)

    @event(PersonalDataErased)
    def __init__(self, household_ref: str, case_ref: str, reason: str, actor: Actor,
                 occurred_on: date) -> None:
        self.household_ref, self.case_ref = household_ref, case_ref
        self.erased_by, self.erased_on = actor.id, occurred_on
