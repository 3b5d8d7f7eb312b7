"""身份认证 — signing in with a password, and bearer tokens, turned into a `Principal`.

A token is `rnv_<16 hex: token id>_<43 characters: secret>`; it is shown once, when issued, and
only the SHA-256 of its secret is kept (in the `ApiTokenIssued` event). Signing in issues a
session token the same way, so every sign-in is in the log. Every refusal names its rule and
writes nothing but a log line — never the password or the token.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from renovation.aggregates.base import Actor
from renovation.aggregates.staff import StaffMember, StaffStatus
from renovation.aggregates.token import ApiToken, TokenKind, api_token_id
from renovation.application.directory.lookup import StaffDirectory
from renovation.application.pipeline import Pipeline
from renovation.application.principal import Principal
from renovation.application.unit_of_work import UnitOfWork
from renovation.identity.credentials import CredentialStore, password_matches
from renovation.kernel.errors import RuleViolation
from renovation.kernel.staff import StaffIdError, canonical_staff_id
from renovation.logging import get_logger

SESSION_HOURS = 12
MAX_SESSION_HOURS = 24 * 7
MAX_TOKEN_DAYS = 366
_TOKEN = re.compile(r"rnv_([0-9a-f]{16})_([A-Za-z0-9_-]{43})", re.ASCII)


class AuthenticationError(RuleViolation):
    """The caller could not be authenticated; nothing was done."""


@dataclass(frozen=True)
class IssuedToken:
    """A token just issued: `token` is shown once and kept nowhere."""

    token: str = field(repr=False)
    token_id: str
    staff_id: str
    kind: TokenKind
    expires_at: datetime


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def _refused(rule: str, field_name: str, value: object, message: str) -> AuthenticationError:
    return AuthenticationError(rule, field_name, value, message)


class Authenticator:
    """Signs staff in, issues and checks tokens."""

    def __init__(
        self, pipeline: Pipeline, directory: StaffDirectory, credentials: CredentialStore
    ) -> None:
        self.pipeline, self.directory, self.credentials = pipeline, directory, credentials
        self._log = get_logger("renovation.auth")

    def sign_in(self, staff_id: str, password: str, hours: int = SESSION_HOURS) -> IssuedToken:
        """A session token for the right password; refused (and counted) otherwise."""
        if not 1 <= hours <= MAX_SESSION_HOURS:
            raise _refused("auth.session_hours", "hours", hours,
                           f"a session lasts 1 to {MAX_SESSION_HOURS} hours")
        try:
            canonical = canonical_staff_id(staff_id)
        except StaffIdError:
            password_matches(None, password)
            raise self._refusal("auth.invalid_credentials", "<invalid id>") from None
        now = self.pipeline.clock()
        locked = self.credentials.locked_until(canonical, now)
        if locked is not None:
            raise self._refusal("auth.rate_limited", canonical, locked)
        member = self.directory.member(canonical)
        stored = self.credentials.password_hash(canonical) if member else None
        if not password_matches(stored, password):
            if member is not None:
                locked = self.credentials.record_failure(canonical, now)
            raise self._refusal("auth.rate_limited" if locked else "auth.invalid_credentials",
                                canonical, locked)
        member = self._usable(member, canonical)
        self.credentials.clear_failures(canonical)
        issued = self.issue(self._own_actor(member), member, TokenKind.SESSION,
                            timedelta(hours=hours), "sign-in")
        self._log.info("auth.signed_in", staff_id=canonical, token_id=issued.token_id)
        return issued

    def authenticate(self, token: str) -> Principal:
        """The principal a token stands for, or AuthenticationError naming why not."""
        match = _TOKEN.fullmatch(token.strip()) if isinstance(token, str) else None
        if match is None:
            raise self._refusal("auth.token_malformed", None)
        token_id, secret = match.groups()
        found = self.pipeline.app.find(api_token_id(token_id), ApiToken)
        if found is None or not hmac.compare_digest(found.secret_sha256, _digest(secret)):
            raise self._refusal("auth.token_unknown", token_id)
        if found.revoked:
            raise self._refusal("auth.token_revoked", token_id)
        if found.expires_at <= self.pipeline.clock():
            raise self._refusal("auth.token_expired", token_id, found.expires_at)
        member = self._usable(self.directory.member(found.staff_id), found.staff_id)
        return self.directory.principal_of(member, token_id)

    def sign_out(self, principal: Principal) -> None:
        """Revoke the token the principal authenticated with."""
        if principal.token_id is None:
            return
        member = self._usable(self.directory.member(principal.staff_id), principal.staff_id)
        self.revoke(self._own_actor(member), principal.token_id, "signed out")

    def issue(self, actor: Actor, member: StaffMember, kind: TokenKind, lifetime: timedelta,
              label: str | None) -> IssuedToken:
        """Record a new token for `member`; the caller authorised `actor` to issue it."""
        token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
        expires_at = self.pipeline.clock() + lifetime

        def decide(uow: UnitOfWork) -> None:
            uow.add(ApiToken(token_id=token_id, staff_id=member.staff_id, kind=kind,
                             label=label, secret_sha256=_digest(secret), expires_at=expires_at,
                             actor=actor, occurred_on=self.pipeline.today()))

        self.pipeline.record("token.issued", decide, attempts=1)
        return IssuedToken(f"rnv_{token_id}_{secret}", token_id, member.staff_id, kind,
                           expires_at)

    def token(self, token_id: str) -> ApiToken:
        """A token by its id (never by its secret)."""
        found = self.pipeline.app.find(api_token_id(token_id), ApiToken)
        if found is None:
            raise _refused("token.exists", "token_id", token_id, f"no token {token_id}")
        return found

    def revoke(self, actor: Actor, token_id: str, reason: str) -> None:
        def decide(uow: UnitOfWork) -> None:
            found = uow.find(api_token_id(token_id), ApiToken)
            if found is None:
                raise _refused("token.exists", "token_id", token_id, f"no token {token_id}")
            found.revoke(reason, actor, self.pipeline.today())

        self.pipeline.record("token.revoked", decide)

    def _usable(self, member: StaffMember | None, staff_id: str) -> StaffMember:
        if member is None:
            raise self._refusal("auth.token_unknown", staff_id)
        if member.status is not StaffStatus.ACTIVE:
            raise self._refusal("auth.user_disabled", staff_id)
        if not member.grants_held_on(self.pipeline.today()):
            raise self._refusal("auth.no_role_held", staff_id)
        return member

    def _own_actor(self, member: StaffMember) -> Actor:
        grant = member.grants_held_on(self.pipeline.today())[0]
        return self.directory.principal_of(member).as_actor(grant)

    def _refusal(self, rule: str, who: str | None, until: datetime | None = None
                 ) -> AuthenticationError:
        self._log.info("auth.refused", rule=rule, staff_id=who)
        messages = {
            "auth.invalid_credentials": ("staff_id", "wrong staff id or password"),
            "auth.rate_limited": ("staff_id", f"too many failed sign-ins; try again after {until}"),
            "auth.token_malformed": ("token", "that is not a renovation token (rnv_…)"),
            "auth.token_unknown": ("token", "the token is not known (or not this store's)"),
            "auth.token_revoked": ("token", "the token was revoked; sign in again"),
            "auth.token_expired": ("token", f"the token expired at {until}; sign in again"),
            "auth.user_disabled": ("staff_id", "the account is disabled"),
            "auth.no_role_held": ("staff_id", "the account holds no role today"),
        }
        field_name, message = messages[rule]
        shown = "***" if rule == "auth.token_malformed" else who
        return _refused(rule, field_name, shown, message)
