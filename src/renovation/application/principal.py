"""Who is acting at a door: an authenticated staff member, or the operator at the server's shell.

A principal is never what a caller says: doors build one from a verified token (or, for the
local operator, from holding the store's secrets). `acting_as` turns a principal into the
`Actor` an event records, choosing the principal's role that may perform the action over the
target on the day; if none may, the refusal names the rule.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import date

from renovation.aggregates.base import Actor
from renovation.aggregates.staff import Grant, held_on
from renovation.application.authorization import Authorizer
from renovation.kernel.errors import NotAuthorizedError, OutsideJurisdictionError, RuleViolation
from renovation.kernel.jurisdiction import Level, at_level
from renovation.kernel.staff import LOCAL_OPERATOR_PREFIX
from renovation.kernel.vocabulary import Role

MANAGE_USERS = "manage_users"
RECORD_ACTS = "record_acts"


@dataclass(frozen=True)
class Principal:
    """An authenticated identity: a staff member with the grants the directory gives them."""

    staff_id: str
    person_ref: str | None = None
    grants: tuple[Grant, ...] = ()
    token_id: str | None = None
    local_operator: bool = False

    @classmethod
    def local(cls, user: str | None = None) -> Principal:
        """The person at the server's shell, who holds the store's secrets (recorded as such)."""
        name = (user or _os_user()).strip().casefold() or "operator"
        safe = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "-" for c in name)
        return cls(staff_id=f"{LOCAL_OPERATOR_PREFIX}{safe[:56]}", local_operator=True)

    def held_on(self, day: date) -> list[Grant]:
        """Grants in force on `day`, the most local jurisdiction first."""
        return held_on(self.grants, day)

    def as_actor(self, grant: Grant) -> Actor:
        return Actor(id=self.staff_id, role=grant.role, jurisdiction=grant.jurisdiction,
                     person_ref=self.person_ref, recorded_by=self.staff_id)


def acting_as(
    principal: Principal, action: str, target: str, day: date, authorizer: Authorizer
) -> Actor:
    """The actor `principal` acts as to perform `action` on something in division `target`.

    The local operator acts only to manage users, as an administrator of the target's province.
    """
    if principal.local_operator:
        if action != MANAGE_USERS:
            raise NotAuthorizedError(
                "authorization.local_operator", "principal", principal.staff_id,
                f"the local operator manages users only; to {action.replace('_', ' ')},"
                " sign in as a member of staff (renovation login)")
        return Actor(id=principal.staff_id, role=Role.ADMINISTRATOR,
                     jurisdiction=at_level(target, Level.PROVINCE), recorded_by=principal.staff_id)
    held = principal.held_on(day)
    if not held:
        raise NotAuthorizedError(
            "authorization.no_role_held", "actor.id", principal.staff_id,
            f"{principal.staff_id} holds no role on {day}")
    refusals: list[RuleViolation] = []
    for grant in held:
        try:
            authorizer.authorize(grant.role, grant.jurisdiction, action, target)
        except RuleViolation as refusal:
            refusals.append(refusal)
            continue
        return principal.as_actor(grant)
    outside = [r for r in refusals if isinstance(r, OutsideJurisdictionError)]
    other = [r for r in refusals if r.rule != "authorization.role_action"]
    if outside or other:
        raise (outside or other)[0]
    roles = ", ".join(sorted({g.role.value for g in held}))
    raise NotAuthorizedError(
        "authorization.role_action", "actor.role", roles,
        f"none of the roles held by {principal.staff_id} ({roles}) may"
        f" {action.replace('_', ' ')}")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container's arbitrary uid)
        return "operator"
