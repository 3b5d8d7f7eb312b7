"""HouseholdLedger — the support a household has received, across every programme.

Its id derives from the household's blind index, so a new application finds, in one read,
whether the household was supported before (the seeds' "未享受过农村住房保障政策支持").
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import CanInitAggregate, event

from renovation.aggregates.base import Actor, Aggregate, AggregateEvent
from renovation.kernel.protected import BlindIndex

LEDGER_NAMESPACE = uuid5(NAMESPACE_URL, "urn:renovation:household-ledger")


def ledger_id(household_ref: str) -> UUID:
    return uuid5(LEDGER_NAMESPACE, household_ref)


class LedgerEvent(AggregateEvent):
    """Base of the ledger's events."""


class SupportRecorded(LedgerEvent, CanInitAggregate[UUID]):
    """The household's first supported case: the ledger starts with it."""

    TOPIC: ClassVar[str] = "renovation.household:SupportRecorded"
    originator_topic: str
    household_ref: BlindIndex
    programme: str
    case_ref: str


class FurtherSupportRecorded(LedgerEvent):
    """A later supported case of the same household."""

    TOPIC: ClassVar[str] = "renovation.household:FurtherSupportRecorded"
    programme: str
    case_ref: str


class HouseholdLedger(Aggregate):
    """户 — a household's history of housing support."""

    TOPIC = "renovation.household:HouseholdLedger"
    Event = LedgerEvent
    SupportRecorded = SupportRecorded
    FurtherSupportRecorded = FurtherSupportRecorded

    @staticmethod
    def create_id(household_ref: str) -> UUID:
        return ledger_id(household_ref)

    @event(SupportRecorded)
    def __init__(
        self, household_ref: str, programme: str, case_ref: str, actor: Actor, occurred_on: date
    ) -> None:
        self.household_ref = household_ref
        self.supported: dict[str, str] = {programme: case_ref}

    def record(self, programme: str, case_ref: str, actor: Actor, occurred_on: date) -> None:
        if self.supported.get(programme) != case_ref:
            self._further_support_recorded(
                programme=programme, case_ref=case_ref, actor=actor, occurred_on=occurred_on
            )

    @event(FurtherSupportRecorded)
    def _further_support_recorded(
        self, programme: str, case_ref: str, actor: Actor, occurred_on: date
    ) -> None:
        self.supported[programme] = case_ref
