"""TipOff — 举报投诉: one report of wrongdoing, from lodging to its conclusion.

The seeds ask that problems found or reported be "出现一起、移交一起、查处一起": each one handed
over to the discipline inspectors (纪检监察) of its county, then investigated and concluded.
A tip-off is lodged through the public notice page (a member of the public, no sign-in), by an
official entering a hotline call on the caller's behalf, or by escalating a notice objection.
The complainant's statement and contact, and the conclusion, are sealed with a key of the
tip-off's own; the complainant may stay anonymous. Deadlines come from policy data and are
recorded with the tip-off, so overdue is judged against what it was given.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.domain import CanInitAggregate, event
from pydantic import BaseModel, ConfigDict

from renovation.aggregates.base import Actor, Aggregate, AggregateEvent, DomainEvent, recorded_today
from renovation.aggregates.objection import PublicActor
from renovation.kernel.errors import RuleViolation
from renovation.kernel.jurisdiction import DivisionCode, Level, at_level, covers, level_of
from renovation.kernel.protected import BlindIndex, ProtectedValue
from renovation.kernel.staff import identity_keys, same_person
from renovation.kernel.types import Reference
from renovation.kernel.vocabulary import Role
from renovation.kernel.vocabulary.tipoffs import (
    TipOffChannel,
    TipOffOutcome,
    TipOffStatus,
    TipOffSubject,
)
from renovation.policy.tipoffs import TipOffDeadlines

ESCALATION_NAMESPACE = uuid5(NAMESPACE_URL, "urn:renovation:tipoff-from-objection")


def escalated_id(objection_id: UUID) -> UUID:
    """One tip-off per objection: a second escalation collides on the same id."""
    return uuid5(ESCALATION_NAMESPACE, str(objection_id))


class TipOffRuleError(RuleViolation):
    """A tip-off act broke a rule of the procedure (order, dates, who may act)."""


class TipOffNotImpartialError(TipOffRuleError):
    """The handler acted on a case the tip-off concerns."""


class Assignee(BaseModel):
    """承办人 — the inspector a tip-off was handed over to, and the office (jurisdiction) they
    held the role for; checked against the staff directory by the application."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Reference
    role: Role
    jurisdiction: DivisionCode
    person_ref: BlindIndex | None = None

    @property
    def identity(self) -> frozenset[str]:
        return identity_keys(self.id, self.person_ref)


class TipOffLodged(DomainEvent, CanInitAggregate[UUID]):
    """举报已受理 — statement and contact sealed; deadlines as the policy gave them."""

    TOPIC: ClassVar[str] = "renovation.tipoff:TipOffLodged"
    originator_topic: str
    actor: Actor | PublicActor
    occurred_on: date
    channel: TipOffChannel
    jurisdiction: DivisionCode
    subject: TipOffSubject
    case_refs: tuple[Reference, ...]
    finding_ids: tuple[UUID, ...]
    objection_id: UUID | None
    statement: ProtectedValue
    contact: ProtectedValue | None
    hand_over_by: date
    conclude_by: date
    deadlines: str


class TipOffEvent(AggregateEvent):
    """Base of the acts on a lodged tip-off, all by signed-in staff."""


class TipOffHandedOver(TipOffEvent):
    """移交 — to an inspector of the county's discipline inspection office."""

    TOPIC: ClassVar[str] = "renovation.tipoff:TipOffHandedOver"
    assignee: Assignee


class TipOffReassigned(TipOffEvent):
    """改派 — handed to another inspector."""

    TOPIC: ClassVar[str] = "renovation.tipoff:TipOffReassigned"
    assignee: Assignee


class TipOffInvestigationStarted(TipOffEvent):
    """开始查处."""

    TOPIC: ClassVar[str] = "renovation.tipoff:TipOffInvestigationStarted"


class TipOffConcluded(TipOffEvent):
    """办结 — the outcome, the findings it confirmed, the conclusion sealed."""

    TOPIC: ClassVar[str] = "renovation.tipoff:TipOffConcluded"
    outcome: TipOffOutcome
    confirmed_findings: tuple[UUID, ...]
    conclusion: ProtectedValue


class TipOff(Aggregate):
    """举报投诉 — one tip-off."""

    TOPIC = "renovation.tipoff:TipOff"
    Event = TipOffEvent
    TipOffLodged = TipOffLodged
    TipOffHandedOver = TipOffHandedOver
    TipOffReassigned = TipOffReassigned
    TipOffInvestigationStarted = TipOffInvestigationStarted
    TipOffConcluded = TipOffConcluded

    @staticmethod
    def create_id(objection_id: UUID | None = None, **_: object) -> UUID:
        return uuid4() if objection_id is None else escalated_id(objection_id)

    @classmethod
    def lodge(
        cls, *, channel: TipOffChannel, actor: Actor | PublicActor, jurisdiction: str,
        subject: TipOffSubject, cases: Mapping[str, str], finding_ids: Collection[UUID],
        objection_id: UUID | None, statement: ProtectedValue, contact: ProtectedValue | None,
        occurred_on: date, deadlines: TipOffDeadlines,
    ) -> TipOff:
        """A tip-off about an area of a county (and, optionally, cases there: ref → village)."""
        _check_channel(channel, actor, objection_id)
        if level_of(jurisdiction) < Level.COUNTY:
            raise TipOffRuleError(
                "tipoff.jurisdiction_within_county", "jurisdiction", jurisdiction,
                "a tip-off names a county or an area within one, so that it can be handed over"
                " to that county's discipline inspectors")
        for ref, village in cases.items():
            if not covers(jurisdiction, village):
                raise TipOffRuleError("tipoff.case_in_jurisdiction", "case_refs", ref,
                                      f"case {ref} lies in {village}, outside {jurisdiction}")
        _check_not_future(occurred_on)
        hand_over_by, conclude_by = deadlines.due_dates(jurisdiction, occurred_on)
        return cls(channel=channel, actor=actor, jurisdiction=jurisdiction, subject=subject,
                   case_refs=tuple(sorted(cases)), finding_ids=tuple(sorted(set(finding_ids))),
                   objection_id=objection_id, statement=statement, contact=contact,
                   occurred_on=occurred_on, hand_over_by=hand_over_by, conclude_by=conclude_by,
                   deadlines=deadlines.ref)

    @event(TipOffLodged)
    def __init__(
        self, channel: TipOffChannel, actor: Actor | PublicActor, jurisdiction: str,
        subject: TipOffSubject, case_refs: tuple[str, ...], finding_ids: tuple[UUID, ...],
        objection_id: UUID | None, statement: ProtectedValue, contact: ProtectedValue | None,
        occurred_on: date, hand_over_by: date, conclude_by: date, deadlines: str,
    ) -> None:
        self.channel, self.jurisdiction, self.subject = channel, jurisdiction, subject
        self.county = at_level(jurisdiction, Level.COUNTY)
        self.case_refs, self.finding_ids = case_refs, finding_ids
        self.lodged_on = self.last_act_on = occurred_on
        self.hand_over_by, self.conclude_by = hand_over_by, conclude_by
        self.status = TipOffStatus.LODGED
        self.assignee: Assignee | None = None
        self.outcome: TipOffOutcome | None = None

    def hand_over(self, actor: Actor, assignee: Assignee, occurred_on: date,
                  involved: Collection[str]) -> None:
        """移交 — once; another inspector afterwards only by `reassign`."""
        self._check_open()
        if self.status is not TipOffStatus.LODGED:
            raise TipOffRuleError("tipoff.handed_over_once", "assignee", assignee.id,
                                  "the tip-off was already handed over; reassign it instead")
        _check_impartial(assignee.id, assignee.identity, involved, "assignee")
        self._check_date(occurred_on)
        self._handed_over(actor=actor, occurred_on=occurred_on, assignee=assignee)

    def reassign(self, actor: Actor, assignee: Assignee, occurred_on: date,
                 involved: Collection[str]) -> None:
        """改派 — to another inspector, while the tip-off is open."""
        self._check_open()
        current = self._check_handed_over()
        if same_person(assignee.identity, current.identity):
            raise TipOffRuleError("tipoff.reassign_changes", "assignee", assignee.id,
                                  f"{assignee.id} already handles this tip-off")
        _check_impartial(assignee.id, assignee.identity, involved, "assignee")
        self._check_date(occurred_on)
        self._reassigned(actor=actor, occurred_on=occurred_on, assignee=assignee)

    def start_investigation(self, actor: Actor, occurred_on: date) -> None:
        """开始查处 — by the assignee (or a more senior inspector)."""
        self._check_open()
        self._check_handed_over()
        if self.status is TipOffStatus.INVESTIGATING:
            raise TipOffRuleError("tipoff.investigation_started_once", "tipoff", str(self.id),
                                  "the investigation has already started")
        self._check_handler(actor)
        self._check_date(occurred_on)
        self._investigation_started(actor=actor, occurred_on=occurred_on)

    def conclude(self, actor: Actor, outcome: TipOffOutcome,
                 confirmed_findings: Collection[UUID], conclusion: ProtectedValue,
                 occurred_on: date, involved: Collection[str]) -> None:
        """办结 — after hand-over, by the assignee (or a more senior inspector), once."""
        self._check_open()
        self._check_handed_over()
        self._check_handler(actor)
        _check_impartial(actor.id, actor.identity, involved, "actor.id")
        if confirmed_findings and not outcome.substantiates:
            raise TipOffRuleError(
                "tipoff.findings_need_substantiation", "confirmed_findings", outcome.value,
                "a tip-off found unsubstantiated confirms no finding")
        self._check_date(occurred_on)
        self._concluded(actor=actor, occurred_on=occurred_on, outcome=outcome,
                        confirmed_findings=tuple(sorted(set(confirmed_findings))),
                        conclusion=conclusion)

    @event(TipOffHandedOver)
    def _handed_over(self, actor: Actor, occurred_on: date, assignee: Assignee) -> None:
        self.status, self.assignee, self.last_act_on = TipOffStatus.HANDED_OVER, assignee, \
            occurred_on

    @event(TipOffReassigned)
    def _reassigned(self, actor: Actor, occurred_on: date, assignee: Assignee) -> None:
        self.assignee, self.last_act_on = assignee, occurred_on

    @event(TipOffInvestigationStarted)
    def _investigation_started(self, actor: Actor, occurred_on: date) -> None:
        self.status, self.last_act_on = TipOffStatus.INVESTIGATING, occurred_on

    @event(TipOffConcluded)
    def _concluded(self, actor: Actor, occurred_on: date, outcome: TipOffOutcome,
                   confirmed_findings: tuple[UUID, ...], conclusion: ProtectedValue) -> None:
        self.status, self.outcome, self.last_act_on = TipOffStatus.CONCLUDED, outcome, occurred_on

    def _check_open(self) -> None:
        if self.status is TipOffStatus.CONCLUDED:
            raise TipOffRuleError("tipoff.open", "tipoff", str(self.id),
                                  "the tip-off is concluded; nothing more is done on it")

    def _check_handed_over(self) -> Assignee:
        if self.assignee is None:
            raise TipOffRuleError("tipoff.handed_over_first", "tipoff", str(self.id),
                                  "hand the tip-off over to an inspector first")
        return self.assignee

    def _check_handler(self, actor: Actor) -> None:
        assignee = self._check_handed_over()
        if same_person(actor.identity, assignee.identity):
            return
        if level_of(actor.jurisdiction) < level_of(assignee.jurisdiction):
            return
        raise TipOffRuleError("tipoff.by_assignee", "actor.id", actor.id,
                              f"{assignee.id} handles this tip-off; only they or an inspector"
                              " of a more senior level may act on it")

    def _check_date(self, occurred_on: date) -> None:
        _check_not_future(occurred_on)
        if occurred_on < self.last_act_on:
            raise TipOffRuleError("tipoff.after_previous_act", "occurred_on", occurred_on,
                                  f"the previous act on this tip-off was on {self.last_act_on}")

    @property
    def receipt(self) -> str:
        return receipt_of(self.id)


def _check_channel(channel: TipOffChannel, actor: Actor | PublicActor,
                   objection_id: UUID | None) -> None:
    public = isinstance(actor, PublicActor)
    if (channel is TipOffChannel.PUBLIC_PAGE) != public or (
            (channel is TipOffChannel.OBJECTION) != (objection_id is not None)):
        raise TipOffRuleError("tipoff.channel_actor", "channel", channel.value,
                              "the public page is used by the public, the hotline and escalated"
                              " objections by staff; only an escalation names an objection")


def _check_impartial(staff_id: str, identity: frozenset[str], involved: Collection[str],
                     field: str) -> None:
    if same_person(identity, involved):
        raise TipOffNotImpartialError(
            "tipoff.handler_not_involved", field, staff_id,
            f"{staff_id} acted on a case this tip-off concerns and must stand aside")


def _check_not_future(occurred_on: date) -> None:
    if occurred_on > recorded_today():
        raise TipOffRuleError("tipoff.not_in_future", "occurred_on", occurred_on,
                              "a tip-off act is dated today or earlier")


def receipt_of(tipoff_id: UUID) -> str:
    """受理编号 quoted back to the complainant: enough of the id to find it, easy to read out."""
    digits = tipoff_id.hex[:12].upper()
    return f"JB-{digits[:4]}-{digits[4:8]}-{digits[8:]}"
