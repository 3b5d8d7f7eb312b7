"""NoticeObjection — 公示异议: an objection a member of the public lodged against a notice.

The seeds make the notice the public's check on who is chosen (seed 004 §三(二): village,
township and county notices; "对公示对象有异议的，可在公示期内……反映"). An objection lodged
through the public notice page is recorded here, in the same chained log as the cases, so that a
notice later closed as "no objections" can be held against what was lodged. It is lodged only
while its notice is open; the statement and the contact are sealed, never plaintext in the log.
Routing and answering it belong to monitoring (线索处置), which adds its own events.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar, Literal
from uuid import UUID

from eventsourcing.domain import CanInitAggregate, CanMutateAggregate, event
from pydantic import BaseModel, ConfigDict

from renovation.aggregates.base import Aggregate, DomainEvent
from renovation.kernel.errors import RuleViolation
from renovation.kernel.jurisdiction import DivisionCode
from renovation.kernel.protected import ProtectedValue
from renovation.kernel.types import Reference
from renovation.kernel.vocabulary import NoticeLevel, ObjectionGround


class ObjectionOutsideNoticeError(RuleViolation):
    """An objection reached no open notice: none posted at that level, closed, or expired."""


class PublicActor(BaseModel):
    """Who acted when nobody signed in: a member of the public, through a named channel.

    No staff id, role or jurisdiction: the objector is not staff, and nothing identifying them
    (not even their address) is kept in the event beyond what they chose to seal in `contact`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Literal["public"] = "public"
    channel: Literal["notice_page"] = "notice_page"


class NoticeState(BaseModel):
    """What the case says of the notice objected to, as the application read it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    notice_no: str
    posted_on: date
    planned_days: int
    closed_on: date | None

    @property
    def due_on(self) -> date:
        return self.posted_on + timedelta(days=self.planned_days)


class ObjectionLodged(DomainEvent, CanInitAggregate[UUID]):
    """公示异议已提交 — lodged while the notice was open; statement and contact sealed."""

    TOPIC: ClassVar[str] = "renovation.objection:ObjectionLodged"
    originator_topic: str
    actor: PublicActor
    occurred_on: date
    case_ref: Reference
    level: NoticeLevel
    notice_no: str
    village: DivisionCode
    ground: ObjectionGround
    statement: ProtectedValue
    contact: ProtectedValue | None


class ObjectionEvent(DomainEvent, CanMutateAggregate[UUID]):
    """Base of the events monitoring will add (routing, answers)."""

    actor: PublicActor
    occurred_on: date


class NoticeObjection(Aggregate):
    """公示异议 — one objection to one household's notice."""

    TOPIC = "renovation.objection:NoticeObjection"
    Event = ObjectionEvent
    ObjectionLodged = ObjectionLodged

    @classmethod
    def lodge(
        cls, case_ref: str, level: NoticeLevel, notice: NoticeState | None,
        village: str, ground: ObjectionGround, statement: ProtectedValue,
        contact: ProtectedValue | None, today: date,
    ) -> NoticeObjection:
        """An objection to the notice at `level`, accepted only within its 公示期."""
        if notice is None:
            raise ObjectionOutsideNoticeError(
                "objection.notice_posted", "level", level.value,
                f"case {case_ref} has no {level.value} notice to object to")
        if notice.closed_on is not None or not notice.posted_on <= today <= notice.due_on:
            raise ObjectionOutsideNoticeError(
                "objection.within_notice_period", "level", level.value,
                f"the {level.value} notice {notice.notice_no} is open from"
                f" {notice.posted_on} to {notice.due_on}"
                + (f" and was closed on {notice.closed_on}" if notice.closed_on else ""))
        return cls(case_ref=case_ref, level=level, notice_no=notice.notice_no,
                   village=village, ground=ground, statement=statement, contact=contact,
                   actor=PublicActor(), occurred_on=today)

    @event(ObjectionLodged)
    def __init__(
        self, case_ref: str, level: NoticeLevel, notice_no: str,
        village: str, ground: ObjectionGround, statement: ProtectedValue,
        contact: ProtectedValue | None, actor: PublicActor, occurred_on: date,
    ) -> None:
        self.case_ref, self.level, self.notice_no = case_ref, level, notice_no
        self.village, self.ground = village, ground

    @property
    def receipt(self) -> str:
        """受理编号 the objector is given: enough of the id to quote it back, easy to read out."""
        return receipt_of(self.id)


def receipt_of(objection_id: UUID) -> str:
    digits = objection_id.hex[:12].upper()
    return f"YY-{digits[:4]}-{digits[4:8]}-{digits[8:]}"
