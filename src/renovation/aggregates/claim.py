"""HouseholdClaim — "one open case per household per programme", enforced by the store itself.

Its id is derived from the household's blind index and the programme, so two concurrent
applications for the same household create the same aggregate and the store's unique
(originator_id, version) key lets only one of them commit.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import CanInitAggregate, event

from renovation.aggregates.base import Actor, Aggregate, AggregateEvent
from renovation.kernel.errors import RuleViolation
from renovation.kernel.protected import BlindIndex

CLAIM_NAMESPACE = uuid5(NAMESPACE_URL, "urn:renovation:household-claim")


def claim_id(household_ref: str, programme_id: str) -> UUID:
    return uuid5(CLAIM_NAMESPACE, f"{household_ref}|{programme_id}")


class ClaimStatus(StrEnum):
    OPEN = "open"
    RELEASED = "released"
    FULFILLED = "fulfilled"


class DuplicateOpenCaseError(RuleViolation):
    """The household already has an open (or completed) case in this programme."""


class ClaimEvent(AggregateEvent):
    """Base of the claim's events."""


class ClaimOpened(ClaimEvent, CanInitAggregate[UUID]):
    """A household's first case in a programme."""

    TOPIC: ClassVar[str] = "renovation.claim:ClaimOpened"
    originator_topic: str
    household_ref: BlindIndex
    programme_id: str
    case_id: UUID
    case_ref: str


class ClaimReopened(ClaimEvent):
    """A new case after the household's earlier one was withdrawn or rejected."""

    TOPIC: ClassVar[str] = "renovation.claim:ClaimReopened"
    case_id: UUID
    case_ref: str


class ClaimReleased(ClaimEvent):
    """The case ended without support (withdrawn or rejected)."""

    TOPIC: ClassVar[str] = "renovation.claim:ClaimReleased"
    case_id: UUID
    outcome: str


class ClaimFulfilled(ClaimEvent):
    """The case closed: the household was supported in this programme."""

    TOPIC: ClassVar[str] = "renovation.claim:ClaimFulfilled"
    case_id: UUID


class HouseholdClaim(Aggregate):
    """A household's place in one programme (户 × 年度计划)."""

    TOPIC = "renovation.claim:HouseholdClaim"
    Event = ClaimEvent
    ClaimOpened = ClaimOpened
    ClaimReopened = ClaimReopened
    ClaimReleased = ClaimReleased
    ClaimFulfilled = ClaimFulfilled

    @staticmethod
    def create_id(household_ref: str, programme_id: str) -> UUID:
        return claim_id(household_ref, programme_id)

    @event(ClaimOpened)
    def __init__(
        self, household_ref: str, programme_id: str, case_id: UUID, case_ref: str, actor: Actor,
        occurred_on: date,
    ) -> None:
        self.household_ref, self.programme_id = household_ref, programme_id
        self.case_id, self.case_ref, self.status = case_id, case_ref, ClaimStatus.OPEN

    def reopen(self, case_id: UUID, case_ref: str, actor: Actor, occurred_on: date) -> None:
        """Only a released claim takes a new case."""
        if self.status is not ClaimStatus.RELEASED:
            held = "an open case" if self.status is ClaimStatus.OPEN else "a completed case"
            raise DuplicateOpenCaseError(
                "household.one_case_per_programme", "household.head.id_number", case_ref,
                f"the household already has {held} ({self.case_ref}) in programme"
                f" {self.programme_id}",
            )
        self._claim_reopened(
            case_id=case_id, case_ref=case_ref, actor=actor, occurred_on=occurred_on
        )

    def release(self, case_id: UUID, outcome: str, actor: Actor, occurred_on: date) -> None:
        if self.status is ClaimStatus.OPEN and self.case_id == case_id:
            self._claim_released(
                case_id=case_id, outcome=outcome, actor=actor, occurred_on=occurred_on
            )

    def fulfil(self, case_id: UUID, actor: Actor, occurred_on: date) -> None:
        if self.status is ClaimStatus.OPEN and self.case_id == case_id:
            self._claim_fulfilled(case_id=case_id, actor=actor, occurred_on=occurred_on)

    @event(ClaimReopened)
    def _claim_reopened(
        self, case_id: UUID, case_ref: str, actor: Actor, occurred_on: date
    ) -> None:
        self.case_id, self.case_ref, self.status = case_id, case_ref, ClaimStatus.OPEN

    @event(ClaimReleased)
    def _claim_released(self, case_id: UUID, outcome: str, actor: Actor, occurred_on: date) -> None:
        self.status = ClaimStatus.RELEASED

    @event(ClaimFulfilled)
    def _claim_fulfilled(self, case_id: UUID, actor: Actor, occurred_on: date) -> None:
        self.status = ClaimStatus.FULFILLED
