"""线索核查 — an inspector confirms or dismisses a finding, with a reason, as an event.

The door looks the finding up in the read model and passes what it is (id, rule, cases, county);
this service finds which of the principal's roles may review findings in that county and who
acted on the finding's cases, then records the decision on the finding's `FindingReview`, which
refuses a reviewer who acted on the cases and a change not made from a more senior level.
Concurrent reviewers race for the next version; the loser reloads, so a decision that the other
one already made is refused rather than recorded twice.

The reason may name people, so it is sealed with a key of the finding's own (erasable on its
own; a household's erasure leaves it, as part of the inspection record). Readers see its length;
those who may review the finding see the words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from pydantic import TypeAdapter, ValidationError

from renovation.aggregates.case import case_id
from renovation.aggregates.finding import Decision, FindingReview, Reason, review_id
from renovation.application.app import RenovationApp
from renovation.application.pipeline import Pipeline
from renovation.application.principal import Principal
from renovation.application.unit_of_work import UnitOfWork
from renovation.identity import PiiProtector, PiiReader
from renovation.kernel.errors import InvalidInputError, RuleViolation
from renovation.kernel.protected import ProtectedValue
from renovation.kernel.staff import identity_keys

ACTION = "review_finding"
REASON_FIELD = "finding.review_reason"
_REASON: TypeAdapter[str] = TypeAdapter(Reason)


@dataclass(frozen=True)
class FindingRef:
    """What the read model says the finding is."""

    finding_id: str
    rule: str
    case_refs: tuple[str, ...]
    county: str


class FindingReviews:
    """Records inspectors' decisions on findings."""

    def __init__(self, pipeline: Pipeline, protector: PiiProtector, reader: PiiReader) -> None:
        self.pipeline, self.protector, self.reader = pipeline, protector, reader

    def decide(self, principal: Principal, finding: FindingRef, decision: str,
               reason: str | None) -> dict[str, object]:
        chosen = _decision(decision)
        text = _reason(reason)
        actor = self.pipeline.acting(principal, ACTION, finding.county)
        involved = people_involved(self.pipeline.app, finding.case_refs)
        today = self.pipeline.today()
        sealer = self.protector.begin(self.protector.record_ref("finding_review",
                                                                finding.finding_id))
        sealed = sealer.text(text, REASON_FIELD, f"〔{len(text)}字，已加密〕")

        def decide(uow: UnitOfWork) -> FindingReview:
            review = uow.find(review_id(finding.finding_id), FindingReview)
            if review is None:
                review = FindingReview.open(
                    finding_id=UUID(finding.finding_id), rule=finding.rule,
                    case_refs=finding.case_refs, decision=chosen, reason=sealed, actor=actor,
                    occurred_on=today, involved=involved)
                uow.add(review)
            else:
                review.decide(chosen, sealed, actor, today, involved)
            sealer.commit()  # the finding's key is kept only once a decision was accepted
            return review

        review = self.pipeline.record("finding.reviewed", decide).value
        return {"finding_id": finding.finding_id, "decision": chosen.value,
                "review_version": review.version, "decided_on": today.isoformat(),
                "decided_by": {"id": actor.id, "role": actor.role.value,
                               "jurisdiction": actor.jurisdiction}}


    def reason_shown(self, principal: Principal, county: str, sealed: str | None,
                     masked: str) -> str:
        """The standing decision's reason as `principal` may see it: the words for someone who
        may review findings in `county`, else the masked form (erased once its key is gone)."""
        if sealed is None:
            return masked
        try:
            self.pipeline.acting(principal, ACTION, county)
        except RuleViolation:
            return masked
        value = ProtectedValue.model_validate_json(sealed)
        words = self.reader.reveal(value, REASON_FIELD)
        return "〔已删除〕" if words is None else words


def people_involved(app: RenovationApp, case_refs: Iterable[str]) -> frozenset[str]:
    """The identity keys of everyone who acted on, entered data into, accepted or approved a
    correction of any of the cases."""
    keys: set[str] = set()
    for ref in case_refs:
        for event in app.events.get(case_id(ref)):
            e: Any = event
            keys |= e.actor.identity
            if e.actor.recorded_by:
                keys |= identity_keys(e.actor.recorded_by)
            result = getattr(e, "result", None)
            for member in getattr(result, "team", ()):
                keys |= member.identity
            approved_by = getattr(e, "approved_by", None)
            if approved_by is not None:
                keys |= approved_by.identity
    return frozenset(keys)


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
