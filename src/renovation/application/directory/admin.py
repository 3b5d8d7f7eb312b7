"""人员管理 — registering staff, granting and ending roles, disabling accounts, passwords, tokens.

Done by an administrator within their jurisdiction (over the API) or by the local operator at
the server's shell; nobody administers their own account. Every change is an event of the
member's `StaffMember`, recorded with who made it; a password's hash goes to the credential
store, the fact that it was set to the log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from renovation.aggregates.base import Actor
from renovation.aggregates.staff import Grant, StaffMember, staff_member_id
from renovation.aggregates.token import TokenKind
from renovation.application.directory.authentication import (
    MAX_TOKEN_DAYS,
    Authenticator,
    IssuedToken,
)
from renovation.application.directory.lookup import StaffDirectory, staff_id_of
from renovation.application.pipeline import Pipeline
from renovation.application.principal import MANAGE_USERS, Principal
from renovation.application.unit_of_work import UnitOfWork
from renovation.identity import (
    BlindIndexer,
    HouseholdSealer,
    PiiProtector,
    mask_name,
    validate_person_name,
)
from renovation.identity.credentials import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    CredentialStore,
    hash_password,
)
from renovation.identity.validation import validate_id_number
from renovation.kernel.errors import InvalidInputError, NotAuthorizedError, RuleViolation
from renovation.kernel.protected import ProtectedValue
from renovation.kernel.staff import LOCAL_OPERATOR_PREFIX
from renovation.kernel.vocabulary import Role

STAFF_NAME = "person.name"
T = TypeVar("T")


class DirectoryError(RuleViolation):
    """A directory change refused before it reached the member's record."""


@dataclass(frozen=True)
class NewMember:
    """A staff member to register, as an administrator enters them (plaintext at the edge)."""

    staff_id: str
    name: str
    role: Role
    jurisdiction: str
    valid_from: date | None = None
    valid_until: date | None = None
    id_number: str | None = field(default=None, repr=False)


class StaffAdministration:
    """The staff directory's writes."""

    def __init__(
        self, pipeline: Pipeline, directory: StaffDirectory, protector: PiiProtector,
        indexer: BlindIndexer, credentials: CredentialStore, authenticator: Authenticator,
    ) -> None:
        self.pipeline, self.directory = pipeline, directory
        self.protector, self.indexer = protector, indexer
        self.credentials, self.authenticator = credentials, authenticator

    def register(self, principal: Principal, new: NewMember) -> StaffMember:
        """A new member with their first role; the name sealed, the ID number blind-indexed."""
        [registered] = self._register(principal, [new], skip_existing=False)
        return registered

    def register_many(self, principal: Principal, new: Sequence[NewMember]) -> list[str]:
        """Register those not yet in the directory, in one write; every row is checked first,
        so one bad row registers nobody. Returns the ids registered now."""
        return [m.staff_id for m in self._register(principal, new, skip_existing=True)]

    def _register(
        self, principal: Principal, rows: Sequence[NewMember], skip_existing: bool
    ) -> list[StaffMember]:
        at = [f"rows.{n}." if skip_existing else "" for n in range(len(rows))]
        ids = [staff_id_of(row.staff_id, f"{where}staff_id") for row, where in zip(
            rows, at, strict=True)]
        keys = self.protector.known_keys(self.indexer.ref("staff", i) for i in ids)
        prepared = [self._prepared(principal, canonical, row, where, keys)
                    for canonical, row, where in zip(ids, rows, at, strict=True)]
        today = self.pipeline.today()

        def decide(uow: UnitOfWork) -> list[StaffMember]:
            uow.read_ahead([staff_member_id(canonical) for canonical, *_ in prepared])
            registered = []
            for row, (canonical, sealer, name, person_ref, actor) in zip(
                    rows, prepared, strict=True):
                if uow.find(staff_member_id(canonical), StaffMember) is not None:
                    if skip_existing:
                        continue
                    raise DirectoryError("staff.registered_once", "staff_id", canonical,
                                         f"{canonical} is already in the staff directory")
                member = StaffMember(staff_id=canonical, name=name, person_ref=person_ref,
                                     actor=actor, occurred_on=today)
                member.grant(row.role, row.jurisdiction, row.valid_from or today,
                             row.valid_until, actor, today)
                uow.add(member)
                uow.keep_key(sealer)
                registered.append(member)
            return registered

        try:
            return self.pipeline.record("staff.registered", decide).value
        finally:
            for canonical, *_ in prepared:
                self.directory.forget(canonical)

    def _prepared(
        self, principal: Principal, canonical: str, row: NewMember, at: str,
        keys: dict[str, bytes | None],
    ) -> tuple[str, HouseholdSealer, ProtectedValue, str | None, Actor]:
        if canonical.startswith(LOCAL_OPERATOR_PREFIX):
            raise DirectoryError("staff.id_reserved", f"{at}staff_id", canonical,
                                 f"ids starting {LOCAL_OPERATOR_PREFIX} name the local operator")
        clean_name = validate_person_name(row.name, f"{at}name")
        person_ref = None
        if row.id_number is not None:
            number = validate_id_number(row.id_number, f"{at}id_number")
            person_ref = self.indexer.ref("id_number", number)
        actor = self._administrator(principal, canonical, [row.jurisdiction])
        sealer = self.protector.begin(self.indexer.ref("staff", canonical), keys)
        sealed = sealer.text(clean_name, STAFF_NAME, mask_name(clean_name))
        return canonical, sealer, sealed, person_ref, actor

    def grant(
        self, principal: Principal, staff_id: str, role: Role, jurisdiction: str,
        valid_from: date | None = None, valid_until: date | None = None,
    ) -> Grant:
        canonical = staff_id_of(staff_id, "staff_id")
        actor = self._administrator(principal, canonical, [jurisdiction])
        today = self.pipeline.today()
        return self._changed(canonical, "staff.role_granted", lambda uow: self._member(
            uow, canonical).grant(role, jurisdiction, valid_from or today, valid_until, actor,
                                  today))

    def revoke(self, principal: Principal, staff_id: str, grant_no: int,
               effective_on: date | None, reason: str) -> None:
        canonical = staff_id_of(staff_id, "staff_id")
        member = self._existing(canonical)
        grant = member.grants.get(grant_no)
        actor = self._administrator(principal, canonical,
                                    [grant.jurisdiction] if grant else self._areas(member))
        today = self.pipeline.today()
        self._changed(canonical, "staff.role_revoked", lambda uow: self._member(
            uow, canonical).revoke(grant_no, effective_on or today, reason, actor, today))

    def disable(self, principal: Principal, staff_id: str, reason: str) -> None:
        canonical, actor = self._whole_member(principal, staff_id)
        today = self.pipeline.today()
        self._changed(canonical, "staff.disabled",
                      lambda uow: self._member(uow, canonical).disable(reason, actor, today))

    def enable(self, principal: Principal, staff_id: str, reason: str) -> None:
        canonical, actor = self._whole_member(principal, staff_id)
        today = self.pipeline.today()
        self._changed(canonical, "staff.enabled",
                      lambda uow: self._member(uow, canonical).enable(reason, actor, today))

    def set_password(self, principal: Principal, staff_id: str, password: str) -> None:
        """Set a member's password (hash to the credential store, the fact to the log)."""
        canonical, actor = self._whole_member(principal, staff_id)
        if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
            raise InvalidInputError(
                "auth.password_policy", "password", "***",
                f"a password has {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters")
        if password.strip() != password or canonical in password.casefold():
            raise InvalidInputError(
                "auth.password_policy", "password", "***",
                "a password neither starts nor ends with spaces, nor contains the staff id")
        today = self.pipeline.today()
        self._changed(canonical, "staff.password_set",
                      lambda uow: self._member(uow, canonical).password_set(actor, today))
        self.credentials.set_password_hash(canonical, hash_password(password),
                                           self.pipeline.clock())
        self.credentials.clear_failures(canonical)

    def issue_token(self, principal: Principal, staff_id: str, days: int = 365,
                    label: str | None = None) -> IssuedToken:
        """An API token for a service account, integrator or script."""
        if not 1 <= days <= MAX_TOKEN_DAYS:
            raise InvalidInputError("token.lifetime", "days", days,
                                    f"a token lasts 1 to {MAX_TOKEN_DAYS} days")
        canonical, actor = self._whole_member(principal, staff_id)
        return self.authenticator.issue(actor, self._existing(canonical), TokenKind.API,
                                        timedelta(days=days), label)

    def revoke_token(self, principal: Principal, token_id: str, reason: str) -> None:
        token = self.authenticator.token(token_id)
        _, actor = self._whole_member(principal, token.staff_id)
        self.authenticator.revoke(actor, token_id, reason)

    def _whole_member(self, principal: Principal, staff_id: str) -> tuple[str, Actor]:
        """Changes to the whole account need authority over every area the member serves."""
        canonical = staff_id_of(staff_id, "staff_id")
        member = self._existing(canonical)
        return canonical, self._administrator(principal, canonical, self._areas(member))

    def _administrator(self, principal: Principal, staff_id: str, areas: list[str]) -> Actor:
        if not principal.local_operator and staff_id == principal.staff_id:
            raise NotAuthorizedError("directory.not_own_account", "staff_id", staff_id,
                                     "nobody administers their own account")
        actors = [self.pipeline.acting(principal, MANAGE_USERS, area) for area in areas]
        return actors[0]

    def _areas(self, member: StaffMember) -> list[str]:
        return sorted({g.jurisdiction for g in member.grants.values()})

    def _existing(self, staff_id: str) -> StaffMember:
        self.directory.forget(staff_id)
        member = self.directory.member(staff_id)
        if member is None:
            raise DirectoryError("staff.exists", "staff_id", staff_id,
                                 f"{staff_id} is not in the staff directory")
        return member

    def _member(self, uow: UnitOfWork, staff_id: str) -> StaffMember:
        member = uow.find(staff_member_id(staff_id), StaffMember)
        if member is None:
            raise DirectoryError("staff.exists", "staff_id", staff_id,
                                 f"{staff_id} is not in the staff directory")
        return member

    def _changed(self, staff_id: str, act: str, decide: Callable[[UnitOfWork], T]) -> T:
        try:
            return self.pipeline.record(act, decide).value
        finally:
            self.directory.forget(staff_id)
