"""ApiToken — 访问令牌: a bearer token of a staff member, a service account or an integrator.

A token is `rnv_<token id>_<secret>`. The log keeps the token id, whose it is, when it expires and
the SHA-256 of the secret — never the secret, which is shown once when the token is issued. A
32-byte random secret cannot be guessed back from its hash, so the hash may be read by anyone
who reads the log. Signing in creates a short-lived session token the same way, so every sign-in
is recorded; revoking one (signing out, a lost laptop) is an event too.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import CanInitAggregate, event
from pydantic import StringConstraints

from renovation.aggregates.base import Actor, Aggregate, AggregateEvent
from renovation.kernel.errors import RuleViolation
from renovation.kernel.staff import StaffId
from renovation.kernel.types import Sha256Hex, Text

TOKEN_NAMESPACE = uuid5(NAMESPACE_URL, "urn:renovation:api-token")
TokenId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")]
Label = Annotated[str, StringConstraints(strip_whitespace=True, max_length=80)]


def api_token_id(token_id: str) -> UUID:
    return uuid5(TOKEN_NAMESPACE, token_id)


class TokenKind(StrEnum):
    API = "api"  # 接口令牌: service accounts, integrators, scripts
    SESSION = "session"  # 登录会话: issued by signing in with a password


class TokenRevokedTwiceError(RuleViolation):
    """The token was revoked before."""


class TokenEvent(AggregateEvent):
    """Base of a token's events."""


class ApiTokenIssued(TokenEvent, CanInitAggregate[UUID]):
    """签发令牌 (or 登录: a session token)."""

    TOPIC: ClassVar[str] = "renovation.token:ApiTokenIssued"
    originator_topic: str
    token_id: TokenId
    staff_id: StaffId
    kind: TokenKind
    label: Label | None = None
    secret_sha256: Sha256Hex
    expires_at: datetime


class ApiTokenRevoked(TokenEvent):
    """吊销令牌 (or 退出登录)."""

    TOPIC: ClassVar[str] = "renovation.token:ApiTokenRevoked"
    reason: Text


class ApiToken(Aggregate):
    """One bearer token."""

    TOPIC = "renovation.token:ApiToken"
    Event = TokenEvent
    ApiTokenIssued = ApiTokenIssued
    ApiTokenRevoked = ApiTokenRevoked

    @staticmethod
    def create_id(token_id: str, **_: object) -> UUID:
        return api_token_id(token_id)

    @event(ApiTokenIssued)
    def __init__(
        self, token_id: str, staff_id: str, kind: TokenKind, label: str | None,
        secret_sha256: str, expires_at: datetime, actor: Actor, occurred_on: date,
    ) -> None:
        self.token_id, self.staff_id, self.kind, self.label = token_id, staff_id, kind, label
        self.secret_sha256, self.expires_at = secret_sha256, expires_at
        self.revoked = False

    def revoke(self, reason: str, actor: Actor, occurred_on: date) -> None:
        if self.revoked:
            raise TokenRevokedTwiceError("token.already_revoked", "token_id", self.token_id,
                                         f"token {self.token_id} was revoked before")
        self._revoked(reason=reason, actor=actor, occurred_on=occurred_on)

    @event(ApiTokenRevoked)
    def _revoked(self, reason: str, actor: Actor, occurred_on: date) -> None:
        self.revoked = True
