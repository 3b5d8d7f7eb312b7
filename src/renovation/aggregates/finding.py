"""FindingReview — 线索核查: an inspector's decisions on one finding, with their reasons.

Findings are computed from the log and can be recomputed at any time; what an inspector decided
about one is not, so it is recorded here as events, in the same chained log as the cases. A
finding is open until confirmed (查实) or dismissed (排除); a later decision can reverse an
earlier one, and every decision stays in the trail.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import CanInitAggregate, event
from pydantic import StringConstraints

from renovation.aggregates.base import Actor, Aggregate, AggregateEvent
from renovation.kernel.errors import RuleViolation

REVIEW_NAMESPACE = uuid5(NAMESPACE_URL, "urn:renovation:finding-review")
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=4, max_length=1000)]
RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z_]{3,40}$")]


def review_id(finding_id: str) -> UUID:
    return uuid5(REVIEW_NAMESPACE, finding_id)


class Decision(StrEnum):
    CONFIRMED = "confirmed"  # 查实
    DISMISSED = "dismissed"  # 排除


class FindingAlreadyDecidedError(RuleViolation):
    """The finding already stands at the decision asked for."""


class ReviewEvent(AggregateEvent):
    """Base of the review's events: every decision has a reason."""

    reason: Reason


class FindingReviewOpened(ReviewEvent, CanInitAggregate[UUID]):
    """The first decision on a finding, naming the finding it is about."""

    TOPIC: ClassVar[str] = "renovation.finding:FindingReviewOpened"
    originator_topic: str
    finding_id: UUID
    rule: RuleId
    case_refs: tuple[str, ...]
    decision: Decision


class FindingConfirmed(ReviewEvent):
    """查实 — the irregularity is confirmed."""

    TOPIC: ClassVar[str] = "renovation.finding:FindingConfirmed"


class FindingDismissed(ReviewEvent):
    """排除 — the pattern has an innocent explanation; the finding stays visible as dismissed."""

    TOPIC: ClassVar[str] = "renovation.finding:FindingDismissed"


class FindingReview(Aggregate):
    """线索核查 of one finding."""

    TOPIC = "renovation.finding:FindingReview"
    Event = ReviewEvent
    FindingReviewOpened = FindingReviewOpened
    FindingConfirmed = FindingConfirmed
    FindingDismissed = FindingDismissed

    @staticmethod
    def create_id(finding_id: UUID, **_: object) -> UUID:
        return review_id(str(finding_id))

    @event(FindingReviewOpened)
    def __init__(
        self, finding_id: UUID, rule: str, case_refs: tuple[str, ...], decision: Decision,
        reason: str, actor: Actor, occurred_on: date,
    ) -> None:
        self.finding_id, self.rule, self.decision = finding_id, rule, decision

    def decide(self, decision: Decision, reason: str, actor: Actor, occurred_on: date) -> None:
        """Confirm or dismiss; the same decision twice in a row is refused."""
        if decision is self.decision:
            raise FindingAlreadyDecidedError(
                "finding.decision_changes", "decision", decision.value,
                f"finding {self.finding_id} is already {decision.value}")
        if decision is Decision.CONFIRMED:
            self._confirmed(reason=reason, actor=actor, occurred_on=occurred_on)
        else:
            self._dismissed(reason=reason, actor=actor, occurred_on=occurred_on)

    @event(FindingConfirmed)
    def _confirmed(self, reason: str, actor: Actor, occurred_on: date) -> None:
        self.decision = Decision.CONFIRMED

    @event(FindingDismissed)
    def _dismissed(self, reason: str, actor: Actor, occurred_on: date) -> None:
        self.decision = Decision.DISMISSED
