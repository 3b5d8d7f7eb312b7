"""CaseAccessLog — 查阅记录: who read a case's history, exported its archive or unmasked its data.

One small aggregate per case, its id derived from the case reference, stored in the same log as
the case: every read is chained and checkpointed like any act of the procedure, so a record of a
read can no more be removed than the case's own events. It holds no state a rule depends on;
the events are the record.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import CanInitAggregate, event
from pydantic import Field, StringConstraints

from renovation.aggregates.base import Actor, Aggregate, AggregateEvent
from renovation.kernel.protected import ProtectedValue
from renovation.kernel.types import Reference, Text

ACCESS_NAMESPACE = uuid5(NAMESPACE_URL, "urn:renovation:case-access-log")

FieldName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.]{0,79}$")]
Fields = Annotated[tuple[FieldName, ...], Field(max_length=50)]
Detail = Annotated[str, StringConstraints(max_length=200)]
StatedReason = str | ProtectedValue | None


def access_log_id(case_ref: str) -> UUID:
    return uuid5(ACCESS_NAMESPACE, case_ref)


class AccessKind(StrEnum):
    """What was done with the case's records."""

    HISTORY_VIEWED = "history_viewed"  # 查阅历史
    DOSSIER_EXPORTED = "dossier_exported"  # 导出档案
    PERSONAL_DATA_UNMASKED = "personal_data_unmasked"  # 查看明文个人信息
    FOUND_BY_IDENTITY = "found_by_identity"  # 按身份证号或姓名检索命中


class AccessEvent(AggregateEvent):
    """Base of the access log's events: the actor, both clocks, the stated reason (sealed with
    the log's own key since it may name people; records before sealing hold it as text)."""

    reason: Text | ProtectedValue | None
    fields: Fields = ()
    detail: Detail | None = None


class CaseHistoryViewed(AccessEvent):
    """查阅 — someone read the case's history (optionally as at a version or date)."""

    TOPIC: ClassVar[str] = "renovation.access:CaseHistoryViewed"


class CaseDossierExported(AccessEvent):
    """导出一户一档 — someone exported the case's archive with its proofs."""

    TOPIC: ClassVar[str] = "renovation.access:CaseDossierExported"


class PersonalDataUnmasked(AccessEvent):
    """查看明文 — someone was shown personal data unmasked; `fields` names which."""

    TOPIC: ClassVar[str] = "renovation.access:PersonalDataUnmasked"


class CaseFoundByIdentity(AccessEvent):
    """检索命中 — a search by ID number or full name found this case; `fields` says which was
    searched by, never its value."""

    TOPIC: ClassVar[str] = "renovation.access:CaseFoundByIdentity"


class AccessLogOpened(AccessEvent, CanInitAggregate[UUID]):
    """The case's access log begins with its first recorded read."""

    TOPIC: ClassVar[str] = "renovation.access:AccessLogOpened"
    originator_topic: str
    case_ref: Reference
    case_id: UUID
    kind: AccessKind


EVENT_OF_KIND: dict[AccessKind, str] = {
    AccessKind.HISTORY_VIEWED: "_history_viewed",
    AccessKind.DOSSIER_EXPORTED: "_dossier_exported",
    AccessKind.PERSONAL_DATA_UNMASKED: "_personal_data_unmasked",
    AccessKind.FOUND_BY_IDENTITY: "_found_by_identity",
}


class CaseAccessLog(Aggregate):
    """查阅记录 of one case."""

    TOPIC = "renovation.access:CaseAccessLog"
    Event = AccessEvent
    AccessLogOpened = AccessLogOpened
    CaseHistoryViewed = CaseHistoryViewed
    CaseDossierExported = CaseDossierExported
    PersonalDataUnmasked = PersonalDataUnmasked
    CaseFoundByIdentity = CaseFoundByIdentity

    @staticmethod
    def create_id(case_ref: str, **_: object) -> UUID:
        return access_log_id(case_ref)

    @event(AccessLogOpened)
    def __init__(
        self, case_ref: str, case_id: UUID, kind: AccessKind, reason: StatedReason,
        fields: tuple[str, ...], detail: str | None, actor: Actor, occurred_on: date,
    ) -> None:
        self.case_ref, self.case_id = case_ref, case_id

    def record(
        self, kind: AccessKind, reason: StatedReason, fields: tuple[str, ...],
        detail: str | None, actor: Actor, occurred_on: date,
    ) -> None:
        getattr(self, EVENT_OF_KIND[kind])(
            reason=reason, fields=fields, detail=detail, actor=actor, occurred_on=occurred_on
        )

    @event(CaseHistoryViewed)
    def _history_viewed(
        self, reason: StatedReason, fields: tuple[str, ...], detail: str | None, actor: Actor,
        occurred_on: date,
    ) -> None:
        """The event is the record."""

    @event(CaseDossierExported)
    def _dossier_exported(
        self, reason: StatedReason, fields: tuple[str, ...], detail: str | None, actor: Actor,
        occurred_on: date,
    ) -> None:
        """The event is the record."""

    @event(PersonalDataUnmasked)
    def _personal_data_unmasked(
        self, reason: StatedReason, fields: tuple[str, ...], detail: str | None, actor: Actor,
        occurred_on: date,
    ) -> None:
        """The event is the record."""

    @event(CaseFoundByIdentity)
    def _found_by_identity(
        self, reason: StatedReason, fields: tuple[str, ...], detail: str | None, actor: Actor,
        occurred_on: date,
    ) -> None:
        """The event is the record."""
