"""FindingReview — 线索核查: an inspector's decisions on one finding, with their reasons.

Findings are computed from the log and can be recomputed at any time; what an inspector decided
about one is not, so it is recorded here as events, in the same chained log as the cases. A
finding is open until confirmed (查实) or dismissed (排除); every decision stays in the trail.

Who may decide: nobody who acted on any case of the finding (the application passes their
identity keys as `involved`); and a decision, once taken, is changed only by another person
reviewing from a more senior level (county → city → province), with the reason recorded.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import CanInitAggregate, event
from pydantic import StringConstraints

from renovation.aggregates.base import Actor, Aggregate, AggregateEvent
from renovation.kernel.errors import RuleViolation
from renovation.kernel.jurisdiction import level_of
from renovation.kernel.protected import ProtectedValue
from renovation.kernel.staff import same_person

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


class ReviewerNotImpartialError(RuleViolation):
    """The reviewer acted on a case of the finding, or would overrule their own decision."""


class ReviewerNotSeniorError(RuleViolation):
    """A decision is changed only from a more senior level than the one that took it."""


def _check_impartial(actor: Actor, involved: Collection[str]) -> None:
    if same_person(actor.identity, involved):
        raise ReviewerNotImpartialError(
            "finding.reviewer_not_involved", "actor.id", actor.id,
            f"{actor.id} acted on a case of this finding and cannot review it")


class ReviewEvent(AggregateEvent):
    """Base of the review's events: every decision has a reason, sealed with the finding's own
    key since it may name people (events recorded before sealing hold it as text)."""

    reason: Reason | ProtectedValue


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

    @classmethod
    def open(
        cls, finding_id: UUID, rule: str, case_refs: tuple[str, ...], decision: Decision,
        reason: str | ProtectedValue, actor: Actor, occurred_on: date, involved: Collection[str],
    ) -> FindingReview:
        """The first decision on a finding, by someone who did not act on its cases."""
        _check_impartial(actor, involved)
        return cls(finding_id=finding_id, rule=rule, case_refs=case_refs, decision=decision,
                   reason=reason, actor=actor, occurred_on=occurred_on)

    @event(FindingReviewOpened)
    def __init__(
        self, finding_id: UUID, rule: str, case_refs: tuple[str, ...], decision: Decision,
        reason: str | ProtectedValue, actor: Actor, occurred_on: date,
    ) -> None:
        self.finding_id, self.rule = finding_id, rule
        self._decided(decision, actor)

    def decide(
        self, decision: Decision, reason: str | ProtectedValue, actor: Actor, occurred_on: date,
        involved: Collection[str],
    ) -> None:
        """Change the decision: another, more senior reviewer who did not act on the cases."""
        _check_impartial(actor, involved)
        if decision is self.decision:
            raise FindingAlreadyDecidedError(
                "finding.decision_changes", "decision", decision.value,
                f"finding {self.finding_id} is already {decision.value}")
        if same_person(actor.identity, self.decided_by):
            raise ReviewerNotImpartialError(
                "finding.change_by_another_reviewer", "actor.id", actor.id,
                f"{actor.id} took the standing decision; another reviewer must change it")
        if level_of(actor.jurisdiction) >= self.decided_level:
            raise ReviewerNotSeniorError(
                "finding.change_by_senior_reviewer", "actor.jurisdiction", actor.jurisdiction,
                f"the standing decision was taken at {self.decided_level.label}; only a more"
                " senior level may change it")
        if decision is Decision.CONFIRMED:
            self._confirmed(reason=reason, actor=actor, occurred_on=occurred_on)
        else:
            self._dismissed(reason=reason, actor=actor, occurred_on=occurred_on)

    @event(FindingConfirmed)
    def _confirmed(self, reason: str | ProtectedValue, actor: Actor, occurred_on: date) -> None:
        self._decided(Decision.CONFIRMED, actor)

    @event(FindingDismissed)
    def _dismissed(self, reason: str | ProtectedValue, actor: Actor, occurred_on: date) -> None:
        self._decided(Decision.DISMISSED, actor)

    def _decided(self, decision: Decision, actor: Actor) -> None:
        self.decision = decision
        self.decided_by = actor.identity
        self.decided_level = level_of(actor.jurisdiction)
