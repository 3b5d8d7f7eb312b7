"""StaffMember — 工作人员名录: one official, the roles held where and when, and their account.

Whether X held role R over area A on date D is evidence an inspector relies on, so the directory
is event-sourced in the same chained log as the cases: a role is granted for a jurisdiction and
a validity period, and ended (never edited) by a later event. The account's password hash and
login counters are secrets, kept outside the log; the log records only that a password was set.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import CanInitAggregate, event
from pydantic import BaseModel, ConfigDict, Field

from renovation.aggregates.base import Actor, Aggregate, AggregateEvent
from renovation.kernel.errors import RuleViolation
from renovation.kernel.jurisdiction import DivisionCode, level_of
from renovation.kernel.protected import BlindIndex, ProtectedValue
from renovation.kernel.roles import ROLE_LEVELS, level_names
from renovation.kernel.staff import StaffId
from renovation.kernel.types import INTEGRAL, Text
from renovation.kernel.vocabulary import Role

STAFF_NAMESPACE = uuid5(NAMESPACE_URL, "urn:renovation:staff-member")


def staff_member_id(staff_id: str) -> UUID:
    """The aggregate id of a canonical staff id: one member per id, enforced by the store."""
    return uuid5(STAFF_NAMESPACE, staff_id)


class StaffStatus(StrEnum):
    ACTIVE = "active"  # 在岗
    DISABLED = "disabled"  # 停用: cannot sign in


class DirectoryRuleError(RuleViolation):
    """A change to the staff directory that its rules refuse."""


class Grant(BaseModel):
    """One role held for one jurisdiction from `valid_from` to `valid_until` (inclusive)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    grant_no: Annotated[int, Field(strict=True, ge=1), INTEGRAL]
    role: Role
    jurisdiction: DivisionCode
    valid_from: date
    valid_until: date | None = None

    def held_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    @property
    def void(self) -> bool:
        """Ended before it began: never held."""
        return self.valid_until is not None and self.valid_until < self.valid_from

    def overlaps(self, other: Grant) -> bool:
        if self.void or other.void:
            return False
        ends = self.valid_until or date.max
        other_ends = other.valid_until or date.max
        return self.valid_from <= other_ends and other.valid_from <= ends


def held_on(grants: Iterable[Grant], day: date) -> list[Grant]:
    """The grants in force on `day`, the most local jurisdiction first (then in grant order)."""
    held = [g for g in grants if g.held_on(day)]
    return sorted(held, key=lambda g: (-level_of(g.jurisdiction), g.grant_no))


class StaffEvent(AggregateEvent):
    """Base of the directory's events: who changed it (an administrator or the local operator)."""


class StaffMemberRegistered(StaffEvent, CanInitAggregate[UUID]):
    """录入人员 — a staff member enters the directory; the name sealed, the ID number indexed."""

    TOPIC: ClassVar[str] = "renovation.staff:StaffMemberRegistered"
    originator_topic: str
    staff_id: StaffId
    name: ProtectedValue
    person_ref: BlindIndex | None = None


class RoleGranted(StaffEvent):
    """授予岗位 — a role for a jurisdiction and a period."""

    TOPIC: ClassVar[str] = "renovation.staff:RoleGranted"
    grant: Grant


class RoleRevoked(StaffEvent):
    """撤销岗位 — the role is not held from `effective_on`; a grant ended before it began
    was never held."""

    TOPIC: ClassVar[str] = "renovation.staff:RoleRevoked"
    grant_no: int
    effective_on: date
    reason: Text


class StaffMemberDisabled(StaffEvent):
    """停用账户 — the member can no longer sign in; their recorded acts stand."""

    TOPIC: ClassVar[str] = "renovation.staff:StaffMemberDisabled"
    reason: Text


class StaffMemberEnabled(StaffEvent):
    """启用账户."""

    TOPIC: ClassVar[str] = "renovation.staff:StaffMemberEnabled"
    reason: Text


class PasswordSet(StaffEvent):
    """设置密码 — a password was set; its hash lives in the credential store, not the log."""

    TOPIC: ClassVar[str] = "renovation.staff:PasswordSet"


class StaffMember(Aggregate):
    """工作人员 — one member of the staff directory."""

    TOPIC = "renovation.staff:StaffMember"
    Event = StaffEvent
    StaffMemberRegistered = StaffMemberRegistered
    RoleGranted = RoleGranted
    RoleRevoked = RoleRevoked
    StaffMemberDisabled = StaffMemberDisabled
    StaffMemberEnabled = StaffMemberEnabled
    PasswordSet = PasswordSet

    @staticmethod
    def create_id(staff_id: str, **_: object) -> UUID:
        return staff_member_id(staff_id)

    @event(StaffMemberRegistered)
    def __init__(
        self, staff_id: str, name: ProtectedValue, person_ref: str | None, actor: Actor,
        occurred_on: date,
    ) -> None:
        self.staff_id, self.name, self.person_ref = staff_id, name, person_ref
        self.status = StaffStatus.ACTIVE
        self.grants: dict[int, Grant] = {}
        self.has_password = False

    def grants_held_on(self, day: date) -> list[Grant]:
        """The grants in force on `day`, most local jurisdiction first."""
        return held_on(self.grants.values(), day)

    def grant(
        self, role: Role, jurisdiction: str, valid_from: date, valid_until: date | None,
        actor: Actor, occurred_on: date,
    ) -> Grant:
        """Grant a role; refused for a disabled member, a wrong level or an overlapping grant."""
        self._active("grant a role to")
        if level_of(jurisdiction) not in ROLE_LEVELS[role]:
            raise DirectoryRuleError(
                "staff.role_level", "jurisdiction", jurisdiction,
                f"role {role.value} is held for a {level_names(role)} jurisdiction")
        if valid_until is not None and valid_until < valid_from:
            raise DirectoryRuleError(
                "staff.grant_dates", "valid_until", valid_until,
                f"a grant cannot end ({valid_until}) before it starts ({valid_from})")
        grant = Grant(grant_no=len(self.grants) + 1, role=role, jurisdiction=jurisdiction,
                      valid_from=valid_from, valid_until=valid_until)
        for other in self.grants.values():
            if (other.role, other.jurisdiction) == (role, jurisdiction) and other.overlaps(grant):
                raise DirectoryRuleError(
                    "staff.grant_overlaps", "role", role,
                    f"{self.staff_id} already holds {role.value} for {jurisdiction} in that"
                    f" period (grant {other.grant_no})")
        self._role_granted(grant=grant, actor=actor, occurred_on=occurred_on)
        return grant

    def revoke(self, grant_no: int, effective_on: date, reason: str, actor: Actor,
               occurred_on: date) -> None:
        """End a grant: the role is not held from `effective_on` on."""
        grant = self.grants.get(grant_no)
        if grant is None:
            raise DirectoryRuleError("staff.grant_exists", "grant_no", grant_no,
                                     f"{self.staff_id} has no grant {grant_no}")
        if grant.valid_until is not None and grant.valid_until < effective_on:
            raise DirectoryRuleError(
                "staff.grant_already_ended", "effective_on", effective_on,
                f"grant {grant_no} already ended on {grant.valid_until}")
        self._role_revoked(grant_no=grant_no, effective_on=effective_on, reason=reason,
                           actor=actor, occurred_on=occurred_on)

    def disable(self, reason: str, actor: Actor, occurred_on: date) -> None:
        self._active("disable")
        self._disabled(reason=reason, actor=actor, occurred_on=occurred_on)

    def enable(self, reason: str, actor: Actor, occurred_on: date) -> None:
        if self.status is StaffStatus.ACTIVE:
            raise DirectoryRuleError("staff.status", "status", self.status.value,
                                     f"{self.staff_id} is already active")
        self._enabled(reason=reason, actor=actor, occurred_on=occurred_on)

    def password_set(self, actor: Actor, occurred_on: date) -> None:
        self._active("set a password for")
        self._password_set(actor=actor, occurred_on=occurred_on)

    def _active(self, doing: str) -> None:
        if self.status is not StaffStatus.ACTIVE:
            raise DirectoryRuleError("staff.status", "status", self.status.value,
                                     f"cannot {doing} {self.staff_id}: the account is disabled")

    @event(RoleGranted)
    def _role_granted(self, grant: Grant, actor: Actor, occurred_on: date) -> None:
        self.grants[grant.grant_no] = grant

    @event(RoleRevoked)
    def _role_revoked(self, grant_no: int, effective_on: date, reason: str, actor: Actor,
                      occurred_on: date) -> None:
        grant = self.grants[grant_no]
        self.grants[grant_no] = grant.model_copy(
            update={"valid_until": effective_on - timedelta(days=1)})

    @event(StaffMemberDisabled)
    def _disabled(self, reason: str, actor: Actor, occurred_on: date) -> None:
        self.status = StaffStatus.DISABLED

    @event(StaffMemberEnabled)
    def _enabled(self, reason: str, actor: Actor, occurred_on: date) -> None:
        self.status = StaffStatus.ACTIVE

    @event(PasswordSet)
    def _password_set(self, actor: Actor, occurred_on: date) -> None:
        self.has_password = True
