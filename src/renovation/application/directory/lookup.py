"""工作人员名录查询 — staff members, and the officials that commands name, checked against them.

Every act names its acting official (who did it on paper) and is entered by an authenticated
principal. Before a case decides anything, the official must exist in the directory and hold
the role, in a jurisdiction covering the case, on the business date; the principal must hold,
today, a role that may enter acts for the case's area. Members are read from the log and kept
for a few seconds, so a batch of thousands of commands by a dozen officials reads each once;
changes made through this process are seen at once, another process's within the TTL.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

from renovation.aggregates.base import Actor
from renovation.aggregates.case.values import StaffRef
from renovation.aggregates.staff import Grant, StaffMember, held_on, staff_member_id
from renovation.application.app import RenovationApp
from renovation.application.authorization import Authorizer
from renovation.application.commands.base import ActorInput
from renovation.application.principal import RECORD_ACTS, Principal, acting_as
from renovation.kernel.errors import (
    InvalidInputError,
    NotAuthorizedError,
    OutsideJurisdictionError,
    RuleViolation,
)
from renovation.kernel.jurisdiction import covers
from renovation.kernel.staff import StaffIdError, canonical_staff_id
from renovation.kernel.vocabulary import Role

DEFAULT_TTL_SECONDS = 10.0
_ACTORS_KEPT = 4096


class UnknownStaffError(RuleViolation):
    """The named official is not in the staff directory."""


class RoleNotHeldError(RuleViolation):
    """The official did not hold the role on the business date."""


class RecorderNotAuthorizedError(NotAuthorizedError):
    """The principal may not enter acts for the case's area."""


def staff_id_of(raw: object, field: str) -> str:
    """The canonical form of a staff id given at a door; InvalidInputError names the field."""
    try:
        return canonical_staff_id(raw)
    except StaffIdError as error:
        shown = raw if isinstance(raw, str) and len(raw) <= 80 else "<id>"
        raise InvalidInputError("actor.id_form", field, shown, f"{field}: {error}") from None


class StaffDirectory:
    """Reads the staff directory and resolves the officials commands name."""

    def __init__(
        self, app: RenovationApp, authorizer: Authorizer,
        ttl_seconds: float = DEFAULT_TTL_SECONDS, monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app, self.authorizer = app, authorizer
        self._ttl, self._monotonic = ttl_seconds, monotonic
        self._members: dict[str, tuple[float, StaffMember | None]] = {}
        self._actors: dict[tuple[Any, ...], Actor] = {}

    def member(self, staff_id: str) -> StaffMember | None:
        """The member with this canonical id, or None."""
        now = self._monotonic()
        cached = self._members.get(staff_id)
        if cached is not None and now - cached[0] < self._ttl:
            return cached[1]
        found = self.app.find(staff_member_id(staff_id), StaffMember)
        self._members[staff_id] = (now, found)
        return found

    def forget(self, staff_id: str) -> None:
        """Read the member afresh next time (it was just changed)."""
        self._members.pop(staff_id, None)
        self._actors.clear()

    def principal_of(self, member: StaffMember, token_id: str | None = None) -> Principal:
        return Principal(staff_id=member.staff_id, person_ref=member.person_ref,
                         grants=tuple(member.grants.values()), token_id=token_id)

    def official(
        self, given: ActorInput | None, principal: Principal, action: str, case_code: str,
        on: date, today: date,
    ) -> Actor:
        """The acting official of a case command, checked; the principal if none is named.

        Someone else's act is entered only by a principal who may enter acts for the case."""
        if given is None:
            return acting_as(principal, action, case_code, on, self.authorizer)
        actor = self._named(given, principal, action, case_code, on)
        if actor.id != principal.staff_id:
            self.check_recorder(principal, case_code, today)
        return actor

    def check_recorder(self, principal: Principal, case_code: str, today: date) -> None:
        """The principal may enter acts for the case's area today."""
        try:
            acting_as(principal, RECORD_ACTS, case_code, today, self.authorizer)
        except OutsideJurisdictionError as refusal:
            raise RecorderNotAuthorizedError(
                "recorder.outside_jurisdiction", "principal", principal.staff_id,
                f"{principal.staff_id} may enter acts only within {refusal.value}; the case lies"
                f" in {case_code}") from None
        except RuleViolation:
            raise RecorderNotAuthorizedError(
                "recorder.not_authorized", "principal", principal.staff_id,
                f"{principal.staff_id} holds no role that may enter acts for others on {today}"
            ) from None

    def staff_ref(self, ref: StaffRef, case_code: str, on: date, field: str) -> StaffRef:
        """A staff member named on a form (acceptance team, correction approver), checked and
        recorded with the directory's canonical id and ID-number blind index."""
        staff_id = staff_id_of(ref.id, f"{field}.id")
        member = self._known(staff_id, f"{field}.id")
        self._grant(member, ref.role, None, case_code, on, f"{field}.role")
        if (ref.id, ref.person_ref) == (staff_id, member.person_ref):
            return ref
        return StaffRef(id=staff_id, role=ref.role, person_ref=member.person_ref)

    def _named(
        self, given: ActorInput, principal: Principal, action: str, case_code: str, on: date
    ) -> Actor:
        staff_id = staff_id_of(given.id, "actor.id")
        member = self._known(staff_id, "actor.id")
        grant = self._grant(member, given.role, given.jurisdiction, case_code, on, "actor.role")
        self.authorizer.authorize(grant.role, grant.jurisdiction, action, case_code)
        key = (staff_id, grant.role, grant.jurisdiction, member.person_ref, principal.staff_id)
        actor = self._actors.get(key)
        if actor is None:
            if len(self._actors) >= _ACTORS_KEPT:
                self._actors.clear()
            actor = self._actors[key] = Actor(
                id=staff_id, role=grant.role, jurisdiction=grant.jurisdiction,
                person_ref=member.person_ref, recorded_by=principal.staff_id)
        return actor

    def _known(self, staff_id: str, field: str) -> StaffMember:
        member = self.member(staff_id)
        if member is None:
            raise UnknownStaffError("actor.unknown", field, staff_id,
                                    f"{staff_id} is not in the staff directory")
        return member

    def _grant(
        self, member: StaffMember, role: Role, jurisdiction: str | None, case_code: str,
        on: date, field: str,
    ) -> Grant:
        held = [g for g in held_on(member.grants.values(), on) if g.role is role
                and (jurisdiction is None or g.jurisdiction == jurisdiction)]
        if not held:
            where = f" for {jurisdiction}" if jurisdiction else ""
            raise RoleNotHeldError("actor.role_not_held_on_date", field, role,
                                   f"{member.staff_id} did not hold {role.value}{where} on {on}")
        for grant in held:
            if covers(grant.jurisdiction, case_code):
                return grant
        raise OutsideJurisdictionError(
            "actor.outside_jurisdiction", field.removesuffix(".role") + ".jurisdiction",
            held[0].jurisdiction,
            f"{member.staff_id} held {role.value} for {held[0].jurisdiction}, which does not"
            f" cover {case_code}")
