"""Programme — one jurisdiction's renovation programme for one year under one policy (年度计划).

It records what managers plan before any case exists: the households each county must renovate,
by certifying department, the central funds allocated to each county (下达, an input), and the
regional work funds (工作经费) per county or for the city level itself.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import CanInitAggregate, event
from pydantic import BaseModel, ConfigDict, Field

from renovation.aggregates.base import Actor, Aggregate, AggregateEvent
from renovation.kernel.errors import RuleViolation
from renovation.kernel.jurisdiction import DivisionCode, covers
from renovation.kernel.types import INTEGRAL, YuanTotal

PROGRAMME_NAMESPACE = uuid5(NAMESPACE_URL, "urn:renovation:programme")


def programme_id(programme: str) -> UUID:
    return uuid5(PROGRAMME_NAMESPACE, programme)


class AllocationError(RuleViolation):
    """An allocation names an area outside the programme's jurisdiction."""


Households = Annotated[int, Field(strict=True, ge=0, le=1_000_000), INTEGRAL]


class Allocation(BaseModel):
    """任务和资金计划 — one row of the plan: a county, or the city level itself (0 households)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    jurisdiction: DivisionCode
    name: str = Field(min_length=1, max_length=60)
    rural_revitalization_households: Households
    civil_affairs_households: Households
    central_funds_yuan: YuanTotal
    work_funds_yuan: YuanTotal

    @property
    def households(self) -> int:
        return self.rural_revitalization_households + self.civil_affairs_households


class ProgrammeEvent(AggregateEvent):
    """Base of the programme's events."""


class ProgrammeOpened(ProgrammeEvent, CanInitAggregate[UUID]):
    """A programme is opened under a policy."""

    TOPIC: ClassVar[str] = "renovation.programme:ProgrammeOpened"
    originator_topic: str
    programme: str
    title: str
    jurisdiction: DivisionCode
    year: int
    policy_id: str
    policy_version: int


class AllocationSet(ProgrammeEvent):
    """A row of the task and fund plan is set (or replaced: the latest row counts)."""

    TOPIC: ClassVar[str] = "renovation.programme:AllocationSet"
    allocation: Allocation


class Programme(Aggregate):
    """年度农村危房改造计划."""

    TOPIC = "renovation.programme:Programme"
    Event = ProgrammeEvent
    ProgrammeOpened = ProgrammeOpened
    AllocationSet = AllocationSet

    @staticmethod
    def create_id(programme: str) -> UUID:
        return programme_id(programme)

    @event(ProgrammeOpened)
    def __init__(
        self, programme: str, title: str, jurisdiction: str, year: int, policy_id: str,
        policy_version: int, actor: Actor, occurred_on: date,
    ) -> None:
        self.programme, self.title = programme, title
        self.jurisdiction, self.year = jurisdiction, year
        self.policy_id, self.policy_version = policy_id, policy_version
        self.allocations: dict[str, Allocation] = {}

    def allocate(self, allocation: Allocation, actor: Actor, occurred_on: date) -> bool:
        """Set a plan row; returns False (recording nothing) when the row is unchanged."""
        if not covers(self.jurisdiction, allocation.jurisdiction):
            raise AllocationError(
                "programme.allocation_within_jurisdiction", "jurisdiction",
                allocation.jurisdiction,
                f"programme {self.programme} covers {self.jurisdiction};"
                f" {allocation.jurisdiction} lies outside it",
            )
        if self.allocations.get(allocation.jurisdiction) == allocation:
            return False
        self._allocation_set(allocation=allocation, actor=actor, occurred_on=occurred_on)
        return True

    @event(AllocationSet)
    def _allocation_set(self, allocation: Allocation, actor: Actor, occurred_on: date) -> None:
        self.allocations[allocation.jurisdiction] = allocation
