"""线索核查 — an inspector confirms or dismisses a finding, with a reason, as an event.

The door looks the finding up in the read model and passes what it is (id, rule, cases, county);
this service authorises the inspector for that county, then records the decision on the
finding's `FindingReview`. Concurrent reviewers race for the next version; the loser reloads,
so a decision that the other one already made is refused rather than recorded twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from pydantic import TypeAdapter, ValidationError

from renovation.aggregates.base import Actor, recorded_today, recording_clock
from renovation.aggregates.finding import Decision, FindingReview, Reason, review_id
from renovation.application.app import RenovationApp
from renovation.application.authorization import Authorizer
from renovation.kernel.errors import InvalidInputError, RuleViolation

ATTEMPTS = 5
_REASON: TypeAdapter[str] = TypeAdapter(Reason)


@dataclass(frozen=True)
class FindingRef:
    """What the read model says the finding is."""

    finding_id: str
    rule: str
    case_refs: tuple[str, ...]
    county: str


class ReviewNotRecordedError(RuleViolation):
    """The decision could not be recorded (the finding kept changing under us)."""


class FindingReviews:
    """Records inspectors' decisions on findings."""

    def __init__(self, app: RenovationApp, authorizer: Authorizer,
                 clock: Callable[[], datetime]) -> None:
        self.app, self.authorizer, self.clock = app, authorizer, clock

    def decide(self, finding: FindingRef, decision: str, reason: str | None,
               actor: Actor) -> dict[str, object]:
        chosen = _decision(decision)
        text = _reason(reason)
        self.authorizer.authorize(actor.role, actor.jurisdiction, "review_finding",
                                  finding.county)
        with recording_clock(self.clock):
            for _ in range(ATTEMPTS):
                review = self.app.find(review_id(finding.finding_id), FindingReview)
                today = recorded_today()
                if review is None:
                    review = FindingReview(
                        finding_id=UUID(finding.finding_id), rule=finding.rule,
                        case_refs=finding.case_refs, decision=chosen, reason=text, actor=actor,
                        occurred_on=today)
                else:
                    review.decide(chosen, text, actor, today)
                try:
                    self.app.save(review)
                except IntegrityError:
                    continue
                return {"finding_id": finding.finding_id, "decision": chosen.value,
                        "review_version": review.version, "decided_on": today.isoformat()}
        raise ReviewNotRecordedError("finding.review_recorded", "finding_id",
                                     finding.finding_id, "the decision could not be recorded")


def _decision(value: str) -> Decision:
    try:
        return Decision(value)
    except ValueError:
        raise InvalidInputError("finding.decision_known", "decision", value,
                                "decision is confirmed or dismissed") from None


def _reason(value: str | None) -> str:
    try:
        return _REASON.validate_python(value or "")
    except ValidationError:
        raise InvalidInputError("finding.reason_required", "reason", value,
                                "a decision needs a reason of 4 to 1000 characters") from None
